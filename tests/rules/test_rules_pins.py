"""Resolutions pinned to the values they were decided on (pins.py), and the tool that pins them (pin.py).

A resolution with `values` settles its finding only while its rows still state those figures; a
changed figure re-opens the finding with a warning at the resolution. Without `values` a
resolution matches by rule and rows, as before. The tool is tested on a temporary copy of the
repository's package, never on validation/resolutions.yaml itself.
"""
from __future__ import annotations

import shutil

import pytest
import yaml
from rulekit import ROOT, only, rule

from kzcn.errors import TargetError
from kzcn.validate.rules import RESOLUTION_CHANGED, RESOLUTION_UNMATCHED
from kzcn.validate.rules.config import load_resolutions
from kzcn.validate.rules.pin import main as pin_main

T = "trade_volumes"
AGREE = rule("agree", "sources_agree", {
    "table": T, "key": ["measure", "reporter_basis", "partner_scope", "flow", "period_start", "period_end", "unit"],
    "require": ["period_start", "period_end"]}, severity="warning")

# the same check with the basis compared, not grouped by (as in validation/rules.yaml)
AGREE_ACROSS = rule("agree", "sources_agree", {
    "table": T, "key": ["measure", "partner_scope", "flow", "period_start", "period_end", "unit"],
    "basis": "reporter_basis", "unspecified": ["unspecified"], "across_bases": 1.5,
    "require": ["period_start", "period_end"]}, severity="warning")


def _two(b_value="42"):
    return {T: [dict(id="a", value="41", source_id="src-a"), dict(id="b", value=b_value, source_id="src-b")]}


def _resolution(values=None):
    res = {"rule": "agree", "table": T, "rows": ["a", "b"], "decision": "prefer", "prefer": "a",
           "reason": "42 is an official's rounding", "source": "curator review"}
    if values is not None:
        res["values"] = values
    return [res]


def test_a_pinned_resolution_settles_its_finding_while_the_figures_stand(make):
    built = make(_two(), [AGREE], resolutions=_resolution({"a": "kz_statistics 41 billion USD exact", "b": "kz_statistics 42 billion USD exact"}))
    assert only(built.run()) == []


def test_a_changed_figure_reopens_the_finding_and_names_the_resolution(make):
    built = make(_two("420"), [AGREE], resolutions=_resolution({"a": "kz_statistics 41 billion USD exact", "b": "kz_statistics 42 billion USD exact"}))
    found = built.run()
    assert len(only(found, "agree")) == 1  # the finding is back
    (changed,) = only(found, RESOLUTION_CHANGED)
    assert (changed.severity, changed.path, changed.line) == ("warning", "validation/resolutions.yaml", 2)
    assert "b was 'kz_statistics 42 billion USD exact' and is now 'kz_statistics 420 billion USD exact'" in changed.message
    assert "agree" in changed.message and not only(found, RESOLUTION_UNMATCHED)


@pytest.mark.parametrize("field, new", [("reporter_basis", "unspecified"), ("qualifier", "more_than")])
def test_a_relabelled_basis_or_qualifier_reopens_the_finding(make, field, new):
    """The decision weighed two claims; the same number on another basis, or as "more than", is
    another claim (a basis relabelled to unspecified makes a cross-basis pair a same-basis one)."""
    rows = _two("420")
    rows[T][1][field] = new
    pinned = {"a": "kz_statistics 41 billion USD exact", "b": "kz_statistics 420 billion USD exact"}
    found = make(rows, [AGREE_ACROSS], resolutions=_resolution(pinned)).run()
    assert only(found, "agree")  # the finding is back, on its new grounds
    (changed,) = only(found, RESOLUTION_CHANGED)
    assert "b was 'kz_statistics 420 billion USD exact'" in changed.message and new in changed.message


def test_an_unpinned_resolution_matches_by_rows_alone(make):
    assert only(make(_two("420"), [AGREE], resolutions=_resolution()).run()) == []


def test_a_pin_counts_numbers_not_their_spelling(make):
    rows = _two()
    rows[T][1]["value"] = "42.0"
    assert only(make(rows, [AGREE], resolutions=_resolution({"b": "kz_statistics  42 billion  USD exact"})).run()) == []


@pytest.mark.parametrize("values, words", [
    ({"c": "kz_statistics 41 billion USD exact"}, "values names row 'c'"),
    ({"a": ["41"]}, "must be the row's figure as text"),
    (["41"], "values must map a row"),
])
def test_a_faulty_pin_is_named_with_file_and_line(tmp_path, values, words):
    path = tmp_path / "resolutions.yaml"
    path.write_text(yaml.safe_dump({"resolutions": _resolution(values)}, sort_keys=False), encoding="utf-8")
    with pytest.raises(TargetError) as exc:
        load_resolutions(path)
    assert f"{path}:2" in str(exc.value) and words in str(exc.value)


# ---------------------------------------------------------------- the tool, on a copy of the repository

@pytest.fixture
def copy(tmp_path):
    root = tmp_path / "pkg"
    root.mkdir()
    for name in ("datapackage.yaml", "datasets", "schemas", "validation"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / name)
    return root


def test_the_tool_pins_every_entry_with_a_figure_and_keeps_every_other_line(copy, capsys):
    path = copy / "validation" / "resolutions.yaml"
    # the repository's entries are pinned already: unpin the copy, as curators' new entries arrive
    unpinned = [ln for ln in path.read_text(encoding="utf-8").splitlines(keepends=True)
                if not ln.strip().startswith("values: {")]
    path.write_text("".join(unpinned), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    assert pin_main([str(copy), "--check"]) == 1
    assert pin_main([str(copy)]) == 0
    after = path.read_text(encoding="utf-8")
    added = [ln for ln in after.splitlines() if ln not in before.splitlines()]
    assert added and all(ln.strip().startswith("values: {") for ln in added)
    assert [ln for ln in after.splitlines() if not ln.strip().startswith("values: {")] == before.splitlines()
    rules = {r["id"] for r in yaml.safe_load((copy / "validation" / "rules.yaml").read_text())["rules"]}
    entries = load_resolutions(path, rules)
    figure_tables = {"trade_volumes", "indicators", "project_portfolios", "projects", "targets"}
    for res in entries:
        assert (res.values is not None) == (res.table in figure_tables), (res.line, res.table)
        assert res.values is None or set(res.values) <= set(res.rows)
    assert pin_main([str(copy), "--check"]) == 0 and pin_main([str(copy)]) == 0
    assert path.read_text(encoding="utf-8") == after  # a second run changes nothing
    capsys.readouterr()


def test_a_slip_in_a_pinned_row_reopens_its_finding(copy):
    import kzcn

    assert pin_main([str(copy)]) == 0
    assert not [f for f in kzcn.validate(copy).warnings if f.code == RESOLUTION_CHANGED]
    path = copy / "validation" / "resolutions.yaml"
    entry = next(r for r in load_resolutions(path) if r.values and r.rule == "trade-sources-agree")
    row = entry.rows[0]
    csv_path = copy / "datasets" / "trade_volumes.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(i for i, ln in enumerate(lines) if ln.startswith(row + ","))
    cells = lines[i].split(",")
    value_at = lines[0].split(",").index("value")
    cells[value_at] = str(float(cells[value_at]) * 10)
    lines[i] = ",".join(cells)
    csv_path.write_text("".join(lines), encoding="utf-8")
    changed = [f for f in kzcn.validate(copy).warnings if f.code == RESOLUTION_CHANGED]
    # every entry naming the row re-opens (the row may be in several decisions), and only those
    naming = {r.line for r in load_resolutions(path) if r.values and row in r.rows}
    assert entry.line in {f.line for f in changed} and {f.line for f in changed} == naming
    assert all(row in f.message for f in changed)


def test_the_tool_writes_values_after_a_block_list_of_rows(make, capsys):
    text = ("resolutions:\n  # a comment that stays\n  - rule: agree\n    table: trade_volumes\n    rows:\n      - a\n"
            "      - b\n    decision: both_stand\n    reason: two bases\n    source: curator review\n")
    built = make(_two(), [AGREE], resolutions=[])
    path = built.root / "validation" / "resolutions.yaml"
    path.write_text(text, encoding="utf-8")
    assert pin_main([str(built.root)]) == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[7] == '    values: {"a": "kz_statistics 41 billion USD exact", "b": "kz_statistics 42 billion USD exact"}'
    assert [ln for i, ln in enumerate(lines) if i != 7] == text.splitlines()
    (res,) = load_resolutions(path, {"agree"})
    assert res.values == {"a": "kz_statistics 41 billion USD exact", "b": "kz_statistics 42 billion USD exact"}
    assert only(built.run()) == []
    capsys.readouterr()
