"""The rule-family x table matrix: every rule names its family, every cell of the matrix is filled by
a rule or states why none can apply, and the loader names file and line for a slip in either."""
from __future__ import annotations

import pytest

from kzcn.errors import TargetError
from kzcn.validate.rules.config import FIGURE_TABLES, MATRIX_FAMILIES, load_rules
from kzcn.validate.rules.matrix import cells, markdown_matrix, problems

RULE = """  - id: {id}
    kind: date_order
    family: {family}
    severity: error
    rationale: fine
    params: {{table: {table}, start: period_start, end: period_end}}
"""


def _write(tmp_path, rules: str, extra: str = ""):
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n" + rules + extra, encoding="utf-8")
    return path


def test_a_cell_with_neither_a_rule_nor_a_reason_is_a_problem(tmp_path):
    path = _write(tmp_path, RULE.format(id="a", family="date_order", table="[trade_volumes, targets]"))
    found = problems(load_rules(path))
    assert len(found) == len(MATRIX_FAMILIES) * len(FIGURE_TABLES) - 2
    assert "date_order x indicators: no rule" in "\n".join(found)
    assert not any(p.startswith("date_order x trade_volumes") for p in found)


def test_a_reason_contradicted_by_a_rule_is_a_problem(tmp_path):
    extra = "not_applicable:\n  date_order:\n    targets: targets have no dates\n"
    path = _write(tmp_path, RULE.format(id="a", family="date_order", table="targets"), extra)
    found = [p for p in problems(load_rules(path)) if p.startswith("date_order x targets")]
    assert found and "drop the reason" in found[0]


def test_the_matrix_lists_rules_and_reasons(tmp_path):
    extra = "not_applicable:\n  date_order:\n    projects: one date per project\n"
    path = _write(tmp_path, RULE.format(id="a", family="date_order", table="targets"), extra)
    assert cells(load_rules(path))[("date_order", "targets")] == ["a"]
    row = next(line for line in markdown_matrix(path).splitlines() if line.startswith("| date order"))
    assert "`a`" in row and "n/a: one date per project" in row and "**missing**" in row


def test_every_cell_of_the_repositorys_matrix_is_filled(repo_root):
    assert problems(load_rules(repo_root / "validation" / "rules.yaml")) == []


@pytest.mark.parametrize("rules, extra, words", [
    (RULE.format(id="a", family="sources_disagree", table="targets"), "", ["rules.yaml:2", "unknown family"]),
    ("", "not_applicable:\n  everything:\n    targets: x\n", ["rules.yaml:4", "not_applicable names family 'everything'"]),
    ("", "not_applicable:\n  date_order:\n    meetings: x\n", ["rules.yaml:5", "names table 'meetings'", "figure tables"]),
    ("", "not_applicable:\n  date_order:\n    targets: ''\n", ["rules.yaml:5", "one-line reason"]),
    ("", "not_applicable: [date_order]\n", ["rules.yaml:3", "must map a family"]),
])
def test_a_slip_in_families_or_reasons_is_named(tmp_path, rules, extra, words):
    path = _write(tmp_path, rules or "  []\n", extra)
    with pytest.raises(TargetError) as exc:
        load_rules(path)
    for w in words:
        assert w in str(exc.value)


def test_a_rules_file_of_ones_own_may_leave_the_family_out(tmp_path):
    text = RULE.format(id="a", family="x", table="targets").replace("    family: x\n", "")
    assert load_rules(_write(tmp_path, text)).rules[0].family is None
