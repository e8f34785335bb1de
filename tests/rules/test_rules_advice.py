"""A rule finding says why the rule exists and what to do about it, in every report format.

The rationale comes from the rule in rules.yaml, the hint from the rule's own `hint:` or else from
its kind (declared beside the kind in registry.KINDS). The expected values are read from the
rules file and the registry, never written here, so the tests hold for rules added later.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import csv_edits as ed
from kzcn.validate.rules import RUNNER_HINTS
from kzcn.validate.rules.registry import GENERIC_HINT, KINDS


def rules_by_id(package: Path) -> dict[str, dict]:
    data = yaml.safe_load((package / "validation" / "rules.yaml").read_text(encoding="utf-8"))
    return {r["id"]: r for r in data["rules"]}


def expected_hint(rule: dict) -> str:
    return rule.get("hint") or KINDS[rule["kind"]].hint


def first_line_where(path: Path, field: str, predicate) -> int:
    """The first data line (editor numbering) whose `field` satisfies predicate."""
    names = ed.header(path)
    for line in range(2, ed.data_lines(path) + 2):
        if predicate(ed.cells(path, line)[names.index(field)]):
            return line
    raise AssertionError(f"{path}: no row with a suitable {field}")


@pytest.fixture
def broken(package_copy) -> Path:
    """The curated package with faults that several kinds of rule catch (and one schema fault)."""
    meetings = package_copy / "datasets" / "meetings.csv"
    line = first_line_where(meetings, "date", bool)
    ed.set_cell(meetings, line, "date_end", "1999-01-01")  # date_order
    line = first_line_where(meetings, "kz_subdivision", lambda v: v == "")
    ed.set_cell(meetings, line, "kz_subdivision", "KZ-99")  # codes_valid (passes the schema's pattern)
    people = package_copy / "datasets" / "people.csv"
    ed.set_cell(people, 2, "country_code", "kaz")  # layer 2: constraint-error
    return package_copy


def test_json_findings_carry_the_rationale_and_hint_of_their_rule(kzcn_cli, broken):
    r = kzcn_cli("validate", broken, "--format", "json")
    assert r.returncode == 1, r.stderr
    report = json.loads(r.stdout)
    rules = rules_by_id(broken)
    findings = report["errors"] + report["warnings"]
    ruled = [f for f in findings if f.get("rule")]
    assert {f["rule"] for f in ruled} >= {"meeting-date-order", "kz-region-code"}
    kinds = set()
    for f in ruled:
        rule = rules[f["rule"]]
        kinds.add(rule["kind"])
        assert f["rule_rationale"] == rule["rationale"].strip(), f
        assert f["hint"] == expected_hint(rule), f
    assert len(kinds) >= 2 and len({f["hint"] for f in ruled}) >= 2  # one hint per kind, not one for all
    plain = [f for f in findings if not f.get("rule")]
    assert plain and all(f["rule_rationale"] is None and f["hint"] is None for f in plain)


def test_text_and_github_show_them_under_the_finding(kzcn_cli, broken):
    rules = rules_by_id(broken)
    text = kzcn_cli("validate", broken).stdout.splitlines()
    at = next(i for i, x in enumerate(text) if " meeting-date-order " in x)
    rule = rules["meeting-date-order"]
    assert text[at + 1].startswith("    Why: " + rule["rationale"].strip())
    assert text[at + 1].endswith("Fix: " + expected_hint(rule))
    schema_line = next(i for i, x in enumerate(text) if " constraint-error " in x)
    assert not text[schema_line + 1].startswith("    ")  # layers 1-2 explain themselves in the catalogue

    github = kzcn_cli("validate", broken, "--format", "github").stdout.splitlines()
    note = next(x for x in github if "title=meeting-date-order" in x)
    assert "%0AWhy: " in note and "Fix: " in note and expected_hint(rule).split(" (")[0] in note
    assert any(x.startswith("::notice title=kzcn validate::checked ") and x.endswith(str(broken / "datapackage.yaml"))
               for x in github)


def test_a_rule_hint_overrides_its_kind(make):
    built = make({"meetings": [{"id": "m1", "date": "2023-09-04", "date_end": "2023-09-01"},
                               {"id": "m2", "date": "2023-09-04", "date_end": "2023-09-02"}]},
                 [{"id": "own-hint", "kind": "date_order", "severity": "error", "rationale": "Ends follow starts.",
                   "hint": "ask the organiser for the programme", "params": {"table": "meetings", "start": "date",
                                                                              "end": "date_end"}},
                  {"id": "kind-hint", "kind": "date_order", "severity": "warning", "rationale": "Same, as a warning.",
                   "params": {"table": "meetings", "start": "date", "end": "date_end"}}])
    found = [f for f in built.run() if f.code != "rule-not-applicable"]
    assert {(f.rule, f.line) for f in found} == {(r, ln) for r in ("own-hint", "kind-hint") for ln in (2, 3)}
    for f in found:
        if f.rule == "own-hint":
            assert (f.rule_rationale, f.hint) == ("Ends follow starts.", "ask the organiser for the programme")
        else:
            assert (f.rule_rationale, f.hint) == ("Same, as a warning.", KINDS["date_order"].hint)


def test_the_runner_findings_have_their_own_advice(make):
    built = make({"meetings": [{"id": "m1"}]},
                 [{"id": "needs-a-table", "kind": "date_order", "severity": "error", "rationale": "Why it exists.",
                   "params": {"table": "no_such_table", "start": "a", "end": "b"}},
                  {"id": "quiet", "kind": "date_order", "severity": "error", "rationale": "Nothing to find.",
                   "params": {"table": "meetings", "start": "date", "end": "date_end"}}],
                 resolutions=[{"rule": "quiet", "table": "meetings", "rows": ["m1"], "decision": "accept",
                               "reason": "r", "source": "s"}])
    by_code = {f.code: f for f in built.run()}
    skipped, unmatched = by_code["rule-not-applicable"], by_code["resolution-unmatched"]
    assert (skipped.rule_rationale, skipped.hint) == ("Why it exists.", RUNNER_HINTS["rule-not-applicable"])
    assert (unmatched.rule_rationale, unmatched.hint) == ("Nothing to find.", RUNNER_HINTS["resolution-unmatched"])


def test_every_kind_declares_its_own_one_line_hint():
    """A kind added without advice would fall back to the generic hint; this says so at once."""
    for name, spec in KINDS.items():
        assert spec.hint.strip() and "\n" not in spec.hint and spec.hint != GENERIC_HINT, name
    agreement = [n for n, s in KINDS.items() if "resolutions.yaml" in s.hint]
    assert "sources_agree" in agreement and "date_order" not in agreement


def test_the_repository_rules_with_a_hint_of_their_own_are_loaded_with_it(repo_root):
    from kzcn.validate.rules.config import load_rules

    written = {rid: r["hint"] for rid, r in rules_by_id(repo_root).items() if "hint" in r}
    loaded = {r.id: r for r in load_rules(repo_root / "validation" / "rules.yaml").rules}
    for rid, rule in loaded.items():
        assert rule.advice == written.get(rid, KINDS[rule.kind].hint), rid
