"""Layer 1: the bytes of a CSV file. Every structural error class has a fixture asserting code,
line and field; the fast byte scan is checked against the exact (csv module) path."""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzcn.validate import structure
from kzcn.validate.structure.exact import _parse_exact
from mini_package import found, run, schema

ID_NAME = schema(("id", "integer"), ("name", "string"))


def codes(report):
    return [f.code for f in report.findings if f.rule is None]


# ----------------------------------------------------------------------------- encoding

def test_utf8_bom_is_named_as_a_bom_and_the_rest_is_still_checked(tmp_path):
    r = run(tmp_path, b"\xef\xbb\xbfid,name\n1,a\nx,b\n", ID_NAME)
    assert found(r) == [("byte-order-mark", 1, None), ("type-error", 3, "id")]
    assert "BOM" in r.findings[0].message


def test_cp1251_file_is_named_cp1251_at_the_first_bad_line(tmp_path):
    data = "id,name\n1,Astana\n2,Алматы\n3,Шымкент\n".encode("cp1251")
    r = run(tmp_path, data, ID_NAME)
    assert found(r) == [("encoding-error", 3, None)]
    assert "cp1251" in r.findings[0].message and "not UTF-8" in r.findings[0].message


def test_latin1_file_is_named_western(tmp_path):
    data = "id,name\n1,Café Zürich\n2,São Paulo\n".encode("latin-1")
    r = run(tmp_path, data, ID_NAME)
    assert found(r) == [("encoding-error", 2, None)]
    assert "latin-1" in r.findings[0].message


def test_utf16_file_is_named_utf16(tmp_path):
    r = run(tmp_path, "id,name\n1,a\n".encode("utf-16"), ID_NAME)
    assert found(r) == [("encoding-error", 1, None)]
    assert "UTF-16" in r.findings[0].message


def test_guess_legacy_encoding_tells_cyrillic_from_western():
    assert structure.guess_legacy_encoding("Привет, как дела? Казахстан".encode("cp1251")).startswith("cp1251")
    assert structure.guess_legacy_encoding("Привет, как дела? Казахстан".encode("koi8_r")).startswith("KOI8-R")
    assert "latin-1" in structure.guess_legacy_encoding("Histórico, Transferência".encode("latin-1"))


def test_empty_file_is_a_source_error_and_a_header_alone_is_valid(tmp_path):
    r = run(tmp_path / "a", b"", ID_NAME)
    assert found(r) == [("source-error", 1, None)]
    r = run(tmp_path / "b", b"id,name\n", ID_NAME)
    assert r.valid and r.findings == [] and r.stats["tables"]["t"]["rows"] == 0


# ----------------------------------------------------------------------------- line endings

def test_mixed_line_endings_name_the_first_odd_line(tmp_path):
    r = run(tmp_path, b"id,name\r\n1,a\r\n2,b\n3,c\r\n", ID_NAME)
    assert found(r) == [("mixed-line-endings", 3, None)]
    assert "LF" in r.findings[0].message and "CRLF" in r.findings[0].message


@pytest.mark.parametrize("eol", [b"\n", b"\r\n", b"\r"])
def test_one_kind_of_line_ending_is_fine_and_lines_count_right(tmp_path, eol):
    data = eol.join([b"id,name", b"1,a", b"x,b", b"3,c"]) + eol
    r = run(tmp_path, data, ID_NAME)
    assert found(r) == [("type-error", 3, "id")]


def test_line_break_inside_quotes_is_not_a_mixed_ending(tmp_path):
    r = run(tmp_path, b'id,name\n1,"a\r\nb"\n2,c\n', ID_NAME)
    assert r.findings == []


# ----------------------------------------------------------------------------- records

def test_ragged_rows_give_missing_and_extra_cells_at_their_line_and_field(tmp_path):
    data = "id,name,age\n1,a,30\n2,b\n3,c,40,x,y\n4,d,50\n"
    r = run(tmp_path, data, schema(("id", "integer"), ("name", "string"), ("age", "integer")))
    # an extra cell has no field: "" as frictionless's fieldName says it
    assert found(r) == [("missing-cell", 3, "age"), ("extra-cell", 4, ""), ("extra-cell", 4, "")]
    assert [f.field_number for f in r.findings] == [3, 4, 5]
    assert "'x'" in r.findings[1].message


def test_blank_rows_empty_line_and_empty_cells(tmp_path):
    r = run(tmp_path, b"id,name\n1,a\n\n,\n2,b\n", ID_NAME)
    assert found(r) == [("blank-row", 3, None), ("blank-row", 4, None)]


def test_trailing_newline_or_not_same_rows(tmp_path):
    a = run(tmp_path / "a", b"id,name\n1,a\n2,b", ID_NAME)
    b = run(tmp_path / "b", b"id,name\n1,a\n2,b\n", ID_NAME)
    assert a.findings == b.findings == []
    assert a.stats["tables"]["t"]["rows"] == b.stats["tables"]["t"]["rows"] == 2


def test_cells_spanning_lines_shift_the_lines_after_them(tmp_path):
    data = 'id,name\n1,"two\nlines"\n2,"three\r\nmore\r\nlines"\nx,c\n'
    r = run(tmp_path, data, ID_NAME)
    (f,) = r.findings
    assert (f.code, f.line, f.row, f.field) == ("type-error", 7, 4, "id")


# ----------------------------------------------------------------------------- quotes

def test_unclosed_quote_is_found_where_it_opens(tmp_path):
    r = run(tmp_path, b'id,name\n1,a\n2,"b\n3,c\n', ID_NAME)
    assert found(r)[0] == ("unclosed-quote", 3, None)
    assert r.findings[0].field_number == 2 and "never closed" in r.findings[0].message


def test_whitespace_before_and_after_quotes(tmp_path):
    r = run(tmp_path, b'id,name\n1,  "a"\n2,"b"  \n', ID_NAME)
    got = [(f.code, f.line, f.field_number) for f in r.findings]
    assert got == [("quote-whitespace", 2, 2), ("quote-whitespace", 3, 2)]
    assert "before" in r.findings[0].message and "after" in r.findings[1].message


def test_stray_quotes_inside_cells(tmp_path):
    r = run(tmp_path, b'id,name\n1,5\'10" tall\n2,"ab"cd\n3,ok\n', ID_NAME)
    got = [(f.code, f.line, f.field_number) for f in r.findings]
    assert got == [("stray-quote", 2, 2), ("stray-quote", 3, 2)]


def test_doubled_quotes_are_not_stray(tmp_path):
    r = run(tmp_path, b'id,name\n1,"say ""hi"", then"\n2,""""\n3,""\n', ID_NAME)
    assert r.findings == []


# ----------------------------------------------------------------------------- header

@pytest.mark.parametrize("header,expected", [
    ("id,", [("blank-label", 1, "name")]),
    ("id,id", [("duplicate-label", 1, "name")]),
    ("id,title", [("incorrect-label", 1, "name")]),
    ("id,name,extra", [("extra-label", 1, None)]),
    ("id", [("missing-label", 1, "name")]),
    (" id , name ", []),  # labels are compared stripped, as frictionless does
])
def test_header_against_schema(tmp_path, header, expected):
    width = len(header.split(","))
    row = ",".join(["1", "a", "z"][:width])
    r = run(tmp_path, f"{header}\n{row}\n", ID_NAME)
    assert found(r) == expected


def test_blank_header(tmp_path):
    r = run(tmp_path, b"\n1,a\n", ID_NAME)
    assert codes(r)[0] == "blank-header"


# ----------------------------------------------------------------------------- formula cells

def test_formula_cells_in_text_fields_only(tmp_path):
    data = ("id,name,n\n1,=SUM(A1:A3),-43\n2,-43,5\n3,@cmd,6\n4,+7 701 555 1234,7\n5,-,8\n6,- a bullet,9\n")
    r = run(tmp_path, data, schema(("id", "integer"), ("name", "string"), ("n", "integer")))
    got = [(f.code, f.line, f.field, f.severity) for f in r.findings]
    # line 5, the phone number "+7 701 555 1234", is a sign and digits only: no spreadsheet runs it
    assert got == [("formula-cell", 2, "name", "warning"), ("formula-cell", 4, "name", "warning"),
                   ("formula-cell", 7, "name", "warning")]
    assert r.valid


# ----------------------------------------------------------------------------- dialects

def test_declared_delimiter_and_tsv(tmp_path):
    r = run(tmp_path / "a", "id;name\n1;a\nx;b\n", ID_NAME, dialect={"delimiter": ";"})
    assert found(r) == [("type-error", 3, "id")]
    from mini_package import write_package
    from kzcn.validate.run import validate

    folder = tmp_path / "b"
    write_package(folder, {"t": ("x", ID_NAME)})
    (folder / "t.csv").unlink()
    (folder / "t.tsv").write_text("id\tname\n1\ta\nx\tb\n")
    import json
    desc = json.loads((folder / "datapackage.json").read_text())
    desc["resources"][0]["path"] = "t.tsv"
    (folder / "datapackage.json").write_text(json.dumps(desc))
    assert found(validate(folder / "datapackage.json")) == [("type-error", 3, "id")]


# ----------------------------------------------------------------------------- fast scan == exact path

def _fast_and_exact(data: bytes, width: int = 3, empty_is_null: bool = False):
    d = structure.Dialect(empty_is_null=empty_is_null)
    fast = structure.parse_csv(data, 0, d, width, {})
    exact = _parse_exact(data.decode("utf-8"), d, width, {})
    return fast, exact


def _in_file_order(parsed):
    """Rows as (row, line, count, cells, extras) in file order (the fast path puts the rows it
    read one by one after the others)."""
    cols = [c.to_pylist() for c in parsed.columns]
    out = []
    for p in np.argsort(parsed.row_numbers, kind="stable"):
        out.append((int(parsed.row_numbers[p]), int(parsed.lines[p]), int(parsed.cell_counts[p]),
                    [c[p] for c in cols], parsed.extras.get(int(p))))
    return out


def _assert_same(fast, exact):
    assert fast.labels == exact.labels
    assert fast.width == exact.width
    assert _in_file_order(fast) == _in_file_order(exact)
    assert [(f.code, f.line) for f in fast.findings] == [(f.code, f.line) for f in exact.findings]


def test_fast_path_handles_ragged_and_empty_rows_like_the_exact_path():
    rows = ["a,b,c"] + [f"{i},x{i},{i * 2}" for i in range(3000)]
    rows[100] = "1,2"
    rows[200] = ""
    rows[300] = '9,"q,u\no",t,extra'
    rows[2999] = "only"
    data = ("\n".join(rows) + "\n").encode()
    fast, exact = _fast_and_exact(data)
    assert fast.path_taken == "fast" and exact.path_taken == "exact"
    _assert_same(fast, exact)
    rows = {r: (line, count) for r, line, count, _, _ in _in_file_order(fast)}
    assert rows[101] == (101, 2) and rows[201] == (201, 0) and rows[301] == (301, 4)
    assert rows[302] == (303, 3)  # the line after a quoted line break


cell = st.one_of(
    st.text(alphabet="ab ,\"\n\r1", max_size=6).map(lambda s: '"' + s.replace('"', '""') + '"'),
    st.text(alphabet="ab 1é-", max_size=5),
)
record = st.lists(cell, min_size=0, max_size=5).map(lambda cs: ",".join(cs))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(record, min_size=1, max_size=12), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans(), st.booleans())
def test_fast_scan_splits_records_exactly_as_the_csv_module(records, eol, final_eol, empty_is_null):
    """Well-quoted CSV (cells with delimiters, quotes, line breaks; any line ending; ragged and
    empty rows): the byte scan + pyarrow path gives the same rows, lines and cells as the exact
    csv-module path."""
    text = eol.join(records) + (eol if final_eol else "")
    if not text.strip("\r\n") or text.startswith(("\n", "\r")):
        return
    fast, exact = _fast_and_exact(text.encode("utf-8"), width=0, empty_is_null=empty_is_null)
    assert fast.path_taken == "fast"
    _assert_same(fast, exact)


def test_skip_initial_space_dialect_allows_spaces_before_quotes(tmp_path):
    r = run(tmp_path, b'id,name\n1,  "a, b"\n', ID_NAME, dialect={"skipInitialSpace": True})
    assert r.findings == []
