"""Parquet resources, checked from their typed columns (pyarrow), beside the real frictionless
(which reads Parquet here through its parquet plugin) and beside the same table as CSV.

Row numbers: our `line` is the 1-based data row; `row` is frictionless's rowNumber, one more
(frictionless counts a header row even in Parquet), so the tuples compare as they are.

Two differences, each named in its test:
- a column whose stored type cannot hold the declared one (int64 declared `date`) is one
  type-error for the column (no row), where frictionless reports every cell; none of its cells
  can be a date, and a column of a million such cells is one fault (by design);
- a null in an integer column is a missing value (a constraint-error when the field is
  required, as an empty CSV cell is); frictionless's Parquet reader turns it into NaN and
  reports a type-error. Parquet stores a null as a null: frictionless is wrong here.
"""
from __future__ import annotations

import datetime

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from resource_cases import located, ours, theirs, write

FIELDS = [
    {"name": "id", "type": "integer", "constraints": {"required": True}},
    {"name": "code", "type": "string", "constraints": {"unique": True, "pattern": "[A-Z]{2}", "maxLength": 2}},
    {"name": "kind", "type": "string", "constraints": {"enum": ["a", "b"]}},
    {"name": "value", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
    {"name": "day", "type": "date", "constraints": {"minimum": "2020-01-01"}},
    {"name": "flag", "type": "boolean", "trueValues": ["yes"], "falseValues": ["no"]},
    {"name": "at", "type": "datetime"},
    {"name": "count", "type": "integer", "constraints": {"maximum": 10}},
]
SCHEMA = {"fields": FIELDS, "primaryKey": ["id"]}
D, T = datetime.date, datetime.datetime
CLEAN = {
    "id": pa.array([1, 2, 3, 4], pa.int64()), "code": ["KZ", "CN", "RU", "US"], "kind": ["a", "b", "a", "b"],
    "value": [1.5, 0.0, 100.0, 42.0], "day": [D(2021, 1, 1), D(2022, 2, 2), D(2023, 3, 3), D(2024, 4, 4)],
    "flag": [True, False, None, True], "at": pa.array([T(2024, 1, 2, 3, 4, 5)] * 4, pa.timestamp("us")),
    "count": pa.array([1, 2, 3, 10], pa.int32()),
}
# one fault class per row (data rows 2-8), each in a typed column
FAULTY = {
    "id": pa.array([1, None, 3, 4, 3, 6, 7, 8], pa.int64()),                  # row 2 blank, row 5 repeats 3
    "code": ["KZ", "CN", "kz", "KZ", "RU", "USA", "UA", "BY"],                  # row 3 pattern, row 4 unique, row 6 length
    "kind": ["a", "b", "a", "b", "a", "b", "c", "a"],                         # row 7 enum
    "value": [1.5, 0.0, 100.0, 42.0, 3.0, 4.0, 5.0, -1.0],                    # row 8 minimum
    "day": [D(2021, 1, 1)] * 7 + [D(2019, 12, 31)],                           # row 8 minimum
    "flag": [True] * 8,
    "at": pa.array([T(2024, 1, 2, 3, 4, 5)] * 8, pa.timestamp("us", tz="UTC")),
    "count": pa.array([1, 2, 3, 4, 5, 6, 7, 11], pa.int16()),                 # row 8 maximum
}


def _csv(table: pa.Table) -> bytes:
    """The same table as CSV text, written the way the CSV resource of a package would be."""
    import io

    flags = {True: "yes", False: "no", None: ""}
    cols = {}
    for name in table.column_names:
        col = table[name]
        if pa.types.is_boolean(col.type):
            col = pa.array([flags[v] for v in col.to_pylist()])
        elif pa.types.is_timestamp(col.type):
            col = pa.array([v.strftime("%Y-%m-%dT%H:%M:%S") + ("Z" if v.tzinfo else "") for v in col.to_pylist()])
        cols[name] = col
    buf = io.BytesIO()
    pacsv.write_csv(pa.table(cols), buf, pacsv.WriteOptions(quoting_style="none"))
    return buf.getvalue().replace(b'"', b"")


def test_a_clean_parquet_table_is_valid_in_both(tmp_path):
    pkg = write(tmp_path, [{"name": "t", "path": "t.parquet", "schema": SCHEMA}], {"t.parquet": pa.table(CLEAN)})
    assert ours(pkg)[:2] == theirs(pkg) == (True, [])


def test_each_fault_class_agrees_with_frictionless_and_with_the_same_csv(tmp_path):
    table = pa.table(FAULTY)
    pkg = write(tmp_path, [{"name": "t", "path": "t.parquet", "schema": SCHEMA},
                           {"name": "c", "path": "t.csv", "schema": SCHEMA}], {"t.parquet": table, "t.csv": _csv(table)})
    valid, got, report = ours(pkg)
    fl_valid, fl = theirs(pkg)
    # the null id of data row 2 (rowNumber 3): frictionless reads NaN, a type-error; it is a blank
    # required cell, as in the CSV (where frictionless agrees with us)
    assert ("t", "type-error", 3, 1) in fl and ("c", "constraint-error", 3, 1) in fl
    fl = sorted([("t", "constraint-error", 3, 1) if g == ("t", "type-error", 3, 1) else g for g in fl],
                key=lambda t: tuple(-1 if x is None else x for x in t))
    assert (valid, got) == (fl_valid, fl)
    parquet = [g[1:] for g in got if g[0] == "t"]
    assert parquet == [g[1:] for g in got if g[0] == "c"]  # the Parquet file's findings are its CSV's
    assert {c for c, _, _ in parquet} == {"constraint-error", "unique-error", "primary-key"}
    assert sorted((c, line, field) for c, _, line, field in located(report, "t")) == sorted([
        ("constraint-error", 2, "id"), ("primary-key", 2, "id"), ("constraint-error", 3, "code"),
        ("unique-error", 4, "code"), ("primary-key", 5, "id"), ("constraint-error", 6, "code"),
        ("constraint-error", 6, "code"), ("constraint-error", 7, "kind"), ("constraint-error", 8, "value"),
        ("constraint-error", 8, "day"), ("constraint-error", 8, "count")])
    csv_lines = sorted(line - 1 for _, _, line, _ in located(report, "c"))
    assert csv_lines == sorted(line for _, _, line, _ in located(report, "t"))  # data row = CSV line - 1


def test_a_stored_type_that_is_not_the_declared_one_is_one_finding_per_column(tmp_path):
    table = pa.table({**CLEAN, "day": pa.array([20210101, 20220202, 20230303, 20240404], pa.int64()),
                      "count": pa.array(["1", "x", "3", "4"])})
    pkg = write(tmp_path, [{"name": "t", "path": "t.parquet", "schema": SCHEMA}], {"t.parquet": table})
    valid, got, report = ours(pkg)
    fl_valid, fl = theirs(pkg)
    assert valid is False and fl_valid is False
    column = next(f for f in report.findings if f.field == "day")
    assert (column.code, column.line, column.row) == ("type-error", None, None)
    assert "stored as int64" in column.message and "declared date" in column.message
    # frictionless: a type-error in every cell of "day"; ours: that column once
    assert [g for g in fl if g[3] == 5] == [("t", "type-error", r, 5) for r in (2, 3, 4, 5)]
    assert [g for g in got if g[3] == 5] == [("t", "type-error", None, 5)]
    # a text column declared integer is checked cell by cell, as a CSV column is: the same in both
    assert [g for g in got if g[3] == 8] == [g for g in fl if g[3] == 8] == [("t", "type-error", 3, 8)]


@pytest.mark.parametrize("direction", ["csv-to-parquet", "parquet-to-csv"])
def test_foreign_keys_across_csv_and_parquet(tmp_path, direction):
    parent = pa.table({"id": pa.array([1, 2, 3], pa.int64())})
    child = pa.table({"ref": pa.array([1, 3, 9], pa.int32())})
    pschema = {"fields": [{"name": "id", "type": "integer"}], "primaryKey": ["id"]}
    cschema = {"fields": [{"name": "ref", "type": "integer"}],
               "foreignKeys": [{"fields": "ref", "reference": {"resource": "parent", "fields": "id"}}]}
    if direction == "csv-to-parquet":
        resources = [{"name": "parent", "path": "p.parquet", "schema": pschema},
                     {"name": "child", "path": "c.csv", "schema": cschema}]
        files = {"p.parquet": parent, "c.csv": b"ref\n1\n3\n9\n"}
    else:
        resources = [{"name": "parent", "path": "p.csv", "schema": pschema},
                     {"name": "child", "path": "c.parquet", "schema": cschema}]
        files = {"p.csv": b"id\n1\n2\n3\n", "c.parquet": child}
    pkg = write(tmp_path, resources, files)
    valid, got, report = ours(pkg)
    assert (valid, got) == theirs(pkg)
    fk = [f for f in report.findings if f.code == "foreign-key"]
    assert len(fk) == 1 and "'9'" in fk[0].message and fk[0].row == 4


def test_a_file_that_is_not_parquet_is_a_source_error(tmp_path):
    pkg = write(tmp_path, [{"name": "t", "path": "t.parquet", "schema": SCHEMA}], {"t.parquet": b"id\n1\n"})
    valid, got, report = ours(pkg)
    assert valid is False and [c for _, c, _, _ in got] == ["source-error"]
    assert "cannot be read as Parquet" in report.findings[0].message
    assert theirs(pkg)[0] is False
