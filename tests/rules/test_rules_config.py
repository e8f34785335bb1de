"""The rules and resolutions files: a slip there is named with file and line before anything runs;
resolutions silence the findings they decide, and one that decides nothing is itself a warning."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rulekit import only, rule

from kzcn.errors import TargetError
from kzcn.validate.rules import RESOLUTION_UNMATCHED, run_rules
from kzcn.validate.rules.config import FAMILIES, RULE_KEYS, RULE_OPTIONAL_KEYS, load_rules
from kzcn.validate.rules.registry import KINDS

ROOT = Path(__file__).resolve().parents[2]
T = "trade_volumes"


def test_every_rule_of_the_repository_is_complete_and_known():
    data = yaml.safe_load((ROOT / "validation" / "rules.yaml").read_text(encoding="utf-8"))
    assert data["rules"], "rules.yaml holds no rules"
    for r in data["rules"]:
        assert set(RULE_KEYS) | {"family"} <= set(r) <= set(RULE_KEYS + RULE_OPTIONAL_KEYS), r.get("id")
        assert r["family"] in FAMILIES, r["id"]  # the repository states every rule's family
        assert r["kind"] in KINDS and r["severity"] in ("error", "warning")
        assert isinstance(r["params"], dict) and r["rationale"].strip() and "\n" not in r["rationale"].strip()
    ruleset = load_rules(ROOT / "validation" / "rules.yaml")  # the loader's own checks, parameters included
    assert len(ruleset.rules) == len(data["rules"])
    assert {r.kind for r in ruleset.rules} == set(KINDS), "every kind is used by at least one rule"


GOOD = """rules:
  - id: ok
    kind: date_order
    severity: error
    rationale: fine
    params: {table: trade_volumes, start: period_start, end: period_end}
"""


@pytest.mark.parametrize("text, line, words", [
    (GOOD + "  - id: two\n    kind: no_such_kind\n    severity: error\n    rationale: r\n    params: {}\n", 7, "unknown kind"),
    (GOOD + "  - id: ok\n    kind: date_order\n    severity: error\n    rationale: r\n"
            "    params: {table: t, start: a, end: b}\n", 7, "used twice"),
    (GOOD.replace("severity: error", "severity: fatal"), 2, "severity"),
    (GOOD.replace("    rationale: fine\n", ""), 2, "lacks rationale"),
    (GOOD.replace("end: period_end}", "end: period_end, ends: x}"), 2, "unknown parameter"),
    (GOOD.replace("start: period_start, ", ""), 2, "lacks parameter"),
    (GOOD.replace("id: ok", "id: Not_OK"), 2, "lower-case"),
    (GOOD + "  - [unclosed\n", 8, "not valid YAML"),
    (GOOD.replace("    rationale: fine\n", "    rationale: fine\n    hint: 3\n"), 2, "hint must be one line"),
    (GOOD.replace("    rationale: fine\n", "    rationale: fine\n    hint: \"a\\nb\"\n"), 2, "hint must be one line"),
    (GOOD.replace("    rationale: fine\n", "    rationale: fine\n    hints: x\n"), 2, "allowed: id, kind, params, "
                                                                                         "severity, rationale, hint"),
])
def test_malformed_rules_name_file_and_line(tmp_path, text, line, words):
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TargetError) as exc:
        load_rules(path)
    assert f"{path}:{line}" in str(exc.value) and words in str(exc.value)


def test_bad_parameter_values_are_a_target_error_with_the_rule_line(make):
    built = make({T: [dict(id="a", value="1")]},
                 [rule("r", "parts_add_up", {"table": T, "whole": {}, "parts": [{}], "match": ["flow"]})])
    with pytest.raises(TargetError) as exc:
        built.run()
    assert f"{built.rules_path}:2" in str(exc.value) and "at least two" in str(exc.value)


def test_no_rules_file_means_no_rules(make):
    built = make({T: [dict(id="a", value="1")]}, [])
    assert run_rules(built.package, built.frames, None) == []


def test_rule_for_a_table_the_package_lacks_is_skipped_with_a_warning(make):
    built = make({T: [dict(id="a", value="1")]},
                 [rule("m", "date_order", {"table": "meetings", "start": "date", "end": "date_end"}),
                  rule("f", "date_order", {"table": T, "start": "period_start", "end": "no_such_field"})])
    found = built.run()
    assert sorted((f.code, f.severity, f.rule) for f in found) == [("rule-not-applicable", "warning", "f"),
                                                            ("rule-not-applicable", "warning", "m")]
    assert any("meetings" in f.message for f in found) and any("no_such_field" in f.message for f in found)


AGREE = rule("agree", "sources_agree", {"table": T, "key": ["reporter_basis", "flow", "period_start", "period_end"]},
             "warning")
CONFLICT = {T: [dict(id="a", value="24.1", source_id="src-a"), dict(id="b", value="24.2", source_id="src-b")]}


def test_a_resolved_conflict_is_not_reported(make):
    res = [dict(rule="agree", table=T, rows=["a", "b"], decision="prefer", prefer="a",
                reason="b revised the base", source="src-a")]
    assert make(CONFLICT, [AGREE], resolutions=res).run() == []


def test_an_unresolved_conflict_is_a_warning(make):
    res = [dict(rule="agree", table=T, rows=["a", "c"], decision="both_stand", reason="r", source="s")]
    found = make(CONFLICT, [AGREE], resolutions=res).run()
    conflict = only(found, "agree")
    assert [(f.severity, f.line, f.field) for f in conflict] == [("warning", 3, "value")]
    stale = only(found, RESOLUTION_UNMATCHED)
    assert [(f.severity, f.path, f.line) for f in stale] == [("warning", "validation/resolutions.yaml", 2)]


@pytest.mark.parametrize("entry, words", [
    (dict(rule="agree", table=T, rows=["a", "b"], decision="prefer", reason="r", source="s"), "prefer"),
    (dict(rule="nope", table=T, rows=["a", "b"], decision="both_stand", reason="r", source="s"), "does not define"),
    (dict(rule="agree", table=T, rows=["a", "b"], decision="maybe", reason="r", source="s"), "decision"),
    (dict(rule="agree", table=T, rows=["a", "b"], decision="both_stand", source="s"), "lacks reason"),
])
def test_malformed_resolutions_name_file_and_line(make, entry, words):
    built = make(CONFLICT, [AGREE], resolutions=[entry])
    with pytest.raises(TargetError) as exc:
        built.run()
    assert "resolutions.yaml:2" in str(exc.value) and words in str(exc.value)
