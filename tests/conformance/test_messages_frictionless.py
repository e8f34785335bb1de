"""Values and messages, through the real frictionless and kzcn: the same findings, and words that say
what is wrong.

NaN against minimum/maximum, -0 in an enum, a bare CSV as the target, row numbers after multi-line
cells, ISO-8859-1 declarations on ASCII and UTF-8 files, phone numbers that look like formulas,
a URI with a space. Where the two differ, the test says who is right per the specification.
"""
from __future__ import annotations

import json

import pytest

from corpus import build, frictionless, kzcn
from conftest import run_kzcn


def table(tmp_path, csv: bytes, fields: list, **more):
    res = {"name": "data", "path": "data.csv", "schema": {"fields": fields}, **more}
    return build(tmp_path, {"name": "p", "resources": [res]}, {"data.csv": csv})


def number(**constraints):
    return [{"name": "x", "type": "number", "constraints": constraints}]


@pytest.mark.parametrize("constraints", [{"minimum": 0}, {"maximum": 0.5}], ids=lambda c: next(iter(c)))
def test_nan_meets_no_bound(tmp_path, constraints):
    target = table(tmp_path, b"x\nNaN\n0.25\nnan\n", number(**constraints))
    f_valid, theirs = frictionless(target)
    valid, ours, report = kzcn(target)
    assert ours == theirs and not valid and not f_valid
    assert ("constraint-error", 2, "x") in ours and ("constraint-error", 4, "x") in ours
    assert "NaN is neither above nor below any number" in report.errors[0].message


def test_minus_zero_equals_zero_in_an_enum(tmp_path):
    target = table(tmp_path, b"x\n-0\n0\n0.0\n-0.0\n1\n", number(enum=[0]))
    assert frictionless(target)[1] == kzcn(target)[1] == [("constraint-error", 6, "x")]


def test_a_csv_target_is_a_one_resource_package(tmp_path):
    """`kzcn validate file.csv` as `frictionless validate file.csv`: a schema inferred, the table checked."""
    path = tmp_path / "survey-data.csv"
    path.write_bytes(b"a,b\n1,x\n2\n3,y,z\n")
    f_valid, theirs = frictionless(path)
    valid, ours, report = kzcn(path)
    assert ours == theirs == [("extra-cell", 4, ""), ("missing-cell", 3, "b")]
    assert report.stats["tables"]["survey-data"]["schema"] == "inferred"
    done = run_kzcn("validate", path, "--format", "json", cwd=tmp_path)
    assert done.returncode == 1 and "not valid YAML" not in done.stdout + done.stderr
    assert json.loads(done.stdout)["stats"]["descriptor"] == str(path)
    spaced = tmp_path / "Survey Data.csv"  # not a Data Package name: the resource gets one
    spaced.write_bytes(path.read_bytes())
    assert list(kzcn(spaced)[2].stats["tables"]) == ["survey-data"]


def test_row_counts_records_and_column_numbers_fields(tmp_path):
    """frictionless's rowNumber counts records (header = 1), not lines: after a cell spanning two lines
    they differ. The JSON report has both, with `column` the 1-based field number."""
    target = table(tmp_path, b'a,b\n1,"two\nlines"\n2,ok,extra\nx,3\n',
                   [{"name": "a", "type": "integer"}, {"name": "b"}])
    _, theirs = frictionless(target)
    _, ours, report = kzcn(target)
    assert ours == theirs == [("extra-cell", 3, ""), ("type-error", 4, "a")]
    done = run_kzcn("validate", target, "--format", "json")
    found = {e["code"]: e for e in json.loads(done.stdout)["errors"]}
    assert (found["extra-cell"]["row"], found["extra-cell"]["line"], found["extra-cell"]["column"]) == (3, 4, 3)
    assert (found["type-error"]["row"], found["type-error"]["line"], found["type-error"]["column"]) == (4, 5, 1)
    assert found["extra-cell"]["field"] == ""  # frictionless's fieldName for a cell beyond the header


@pytest.mark.parametrize("declared", ["ISO-8859-1", "latin-1", "cp1252"])
def test_a_legacy_declaration_on_plain_ascii_says_nothing(tmp_path, declared):
    target = table(tmp_path, b"a,b\n1,Almaty\n", [{"name": "a"}, {"name": "b"}], encoding=declared)
    assert frictionless(target) == (True, [])
    valid, ours, report = kzcn(target)
    assert valid and report.findings == []


def test_a_legacy_declaration_on_a_utf8_file_is_the_declaration_s_fault(tmp_path):
    target = table(tmp_path, "a,b\n1,Алматы\n2,Café\n".encode(), [{"name": "a"}, {"name": "b"}],
                   encoding="ISO-8859-1")
    assert frictionless(target) == (True, [])
    valid, ours, report = kzcn(target)
    [w] = report.warnings
    assert valid and w.code == "encoding-error" and w.line == 2
    assert "the file is UTF-8" in w.message and "the declaration is wrong" in w.message
    assert "convert" not in w.message  # the file is right; only the descriptor needs fixing


def test_a_real_latin1_file_is_read_as_declared(tmp_path):
    target = table(tmp_path, "a,b\n1,Café\n".encode("latin-1"), [{"name": "a"}, {"name": "b", "enum": ["Café"]}],
                   encoding="ISO-8859-1")
    assert frictionless(target) == (True, [])
    valid, ours, report = kzcn(target)
    assert valid and [w.code for w in report.warnings] == ["encoding-error"]


def test_phone_numbers_are_not_formulas(tmp_path):
    cells = ["+55 21 2345-6789", "+7 (727) 123-45-67", "-1 234.5", "+86 10 6532 1234",
             "=SUM(A1:A9)", "+1-800-FLOWERS", "@cmd", "-2+cmd|' /C calc'!A0"]
    csv = ("p\n" + "\n".join(json.dumps(c) if "," in c else c for c in cells) + "\n").encode()
    target = table(tmp_path, csv, [{"name": "p"}])
    assert frictionless(target) == (True, [])  # frictionless does not check formulas
    valid, ours, report = kzcn(target)
    flagged = {w.row: w.message for w in report.warnings if w.code == "formula-cell"}
    assert sorted(flagged) == [6, 7, 8, 9]  # the four that a spreadsheet would run
    assert "run it as a formula and show the result" in flagged[6]
    assert "a leading + starts one" in flagged[7] and "function call" in flagged[8]


def test_a_uri_with_a_space_says_so(tmp_path):
    """RFC 3986 has no space in a URI (it is written %20); frictionless accepts it. We follow the RFC,
    and say what is wrong rather than that the scheme is missing."""
    target = table(tmp_path, b"u\nhttps://example.org/a b\nhttps://example.org/ok\nexample.org\n",
                   [{"name": "u", "format": "uri"}])
    _, theirs = frictionless(target)
    assert theirs == [("type-error", 4, "u")]
    _, ours, report = kzcn(target)
    assert ours == [("type-error", 2, "u"), ("type-error", 4, "u")]
    by_row = {f.row: f.message for f in report.errors}
    assert "contains a space at character 22" in by_row[2] and "scheme" not in by_row[2]
    assert "no scheme" in by_row[4]


def test_github_annotations_of_a_descriptor_and_of_a_cell(tmp_path, monkeypatch):
    """A cell's annotation has line= and col= (the field's position); a descriptor's names the descriptor
    file and the line and column of the faulty property (validate/descriptor/marks.py)."""
    from kzcn.validate.formats import render

    target = table(tmp_path, b"a\nx\n", [{"name": "a", "type": "integer", "constraints": {"required": "yes"}}])
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    lines = render(kzcn(target)[2], "github").splitlines()
    assert any(x.startswith("::error file=data.csv,line=2,col=1,title=type-error (a)::") for x in lines), lines
    text = target.read_text().splitlines()
    at = next(i for i, x in enumerate(text, 1) if '"required"' in x)
    col = text[at - 1].index('"required"') + 1
    assert any(x.startswith(f"::error file=datapackage.json,line={at},col={col},title=field-error (a)::") for x in lines), lines
