"""Layer 2: types, constraints, keys, labels vs schema; one finding per faulty cell.

Each schema error class has a fixture asserting code, line and field. Cell judgements are also
compared with frictionless's own field readers, cell by cell.
"""
from __future__ import annotations

import random
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kzcn
from kzcn.package.cast import cast_array, reader
from kzcn.package.dtypes import cast_column
from mini_package import found, run, schema, write_package
from kzcn.validate.run import validate


# ----------------------------------------------------------------------------- one finding per faulty cell

def test_100_bad_cells_in_10000_rows_give_exactly_100_findings(tmp_path):
    rnd = random.Random(7)
    rows, bad = [], set()
    faults = {1: "abc", 2: "1,5", 3: "2023-02-30", 4: "maybe"}
    cells_at = rnd.sample(range(10000), 100)
    for i in range(10000):
        row = [str(i), f"{i * 1.5}", f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}", "true" if i % 2 else "false"]
        rows.append(row)
    for k, i in enumerate(cells_at):
        col = 1 + k % 4
        rows[i][col - 1] = faults[col]
        bad.add((i + 2, ["n", "x", "d", "b"][col - 1]))
    text = "n,x,d,b\n" + "\n".join(",".join(f'"{c}"' if "," in c else c for c in r) for r in rows) + "\n"
    sch = schema(("n", "integer"), ("x", "number"), ("d", "date"), ("b", "boolean"))
    r = run(tmp_path, text, sch)
    got = {(line, field) for code, line, field in found(r)}
    assert len(r.findings) == 100 and {f.code for f in r.findings} == {"type-error"}
    assert got == bad


# ----------------------------------------------------------------------------- types

@pytest.mark.parametrize("ftype,good,bad", [
    ("integer", ["1", "-7", "+3", " 42 ", "007"], ["1.0", "abc", "0x10", "1e3"]),
    ("number", ["1.5", "-2", "1e3", ".5", "NaN", "INF", " 3 "], ["1,5", "abc", "nan(1)", "$5"]),
    ("date", ["2024-02-29", "2023-1-5"], ["2023-02-29", "2023/01/05", "20230105", "x"]),
    ("boolean", ["true", "False", "1", "0"], ["yes", "t", " true"]),
    ("year", ["2023", "0001"], ["23", "20233", "year"]),
    ("datetime", ["2023-01-05T10:00:00", "2023-01-05T10:00:00Z"], ["2023-01-05", "x"]),
])
def test_type_errors_name_the_cell_and_what_was_expected(tmp_path, ftype, good, bad):
    values = good + bad
    text = "v\n" + "\n".join(f'"{v}"' for v in values) + "\n"
    r = run(tmp_path, text, schema(("v", ftype)))
    lines = [f.line for f in r.findings]
    assert [f.code for f in r.findings] == ["type-error"] * len(bad)
    assert lines == list(range(len(good) + 2, len(values) + 2))
    assert all(repr(v) in f.message for v, f in zip(bad, r.findings))


FRICTIONLESS_TYPES = ["integer", "number", "boolean", "date", "year", "yearmonth", "datetime", "time",
                      "duration", "geopoint", "object", "array"]


def _frictionless_accepts(ftype, cells, fmt=None):
    from frictionless import Field

    desc = {"name": "f", "type": ftype}
    if fmt:
        desc["format"] = fmt
    field = Field.from_descriptor(desc)
    out = []
    for c in cells:
        value, notes = field.read_cell(c)
        out.append(not (notes or {}).get("type"))
    return out


def _ours_accepts(ftype, cells, fmt=None):
    field = {"name": "f", "type": ftype, **({"format": fmt} if fmt else {})}
    cast = cast_array(pa.array(cells, pa.string()), field, [""])
    return list(~cast.bad)


TRICKY = ["", " ", "0", "1", "-1", "+1", "01", "1.0", "1.", ".5", "1e5", "1E-2", "1_000", "١٢", "0x1f", "nan", "NaN",
          "inf", "-Infinity", "true", "TRUE", "yes", "2023", "2023-01", "2023-1", "2023-01-31", "2023-02-30",
          "2023-1-5", "2023-01-05T10:20:30", "2023-01-05T10:20:30Z", "2023-01-05 10:20:30", "10:20:30", "25:00:00",
          "P1Y2M", "PT5M", "P", "10, 20", "200, 20", "[1, 2]", "{}", "{\"a\": 1}", "[]", "x", " 5", "5 ", "-0", "1e400"]


@pytest.mark.parametrize("ftype", FRICTIONLESS_TYPES)
def test_cells_judged_as_frictionless_judges_them(ftype):
    cells = [c for c in TRICKY if c != ""]
    assert _ours_accepts(ftype, cells) == _frictionless_accepts(ftype, cells)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="0123456789+-.eE:TZ x_", min_size=1, max_size=12), min_size=1, max_size=20),
       st.sampled_from(["integer", "number", "date", "year", "datetime", "time", "yearmonth"]))
def test_random_cells_judged_as_frictionless_judges_them(cells, ftype):
    assert _ours_accepts(ftype, cells) == _frictionless_accepts(ftype, cells)


def test_cast_column_for_load_agrees_with_the_validator():
    raw = pd.Series(["1", "x", "", "+5", "1.0"], dtype=object)
    values, failures = cast_column(raw, {"name": "n", "type": "integer"})
    assert str(values.dtype) == "Int64"
    assert values.tolist()[0] == 1 and values.tolist()[3] == 5 and pd.isna(values.iloc[2])
    assert [f.position for f in failures] == [1, 4]
    cast = cast_array(pa.array(raw.tolist()), {"name": "n", "type": "integer"})
    assert list(np.flatnonzero(cast.bad)) == [1, 4]


# ----------------------------------------------------------------------------- constraints

def test_each_constraint_is_reported_on_its_cell(tmp_path):
    sch = schema(
        ("code", "string", {"required": True, "pattern": "[A-Z]{2}", "maxLength": 2}),
        ("kind", "string", {"enum": ["a", "b"]}),
        ("n", "integer", {"minimum": 0, "maximum": 10}),
        ("x", "number", {"exclusiveMinimum": 0}),
        ("d", "date", {"minimum": "2020-01-01"}),
        ("s", "string", {"minLength": 3}),
        ("lvl", "integer", {"enum": [1, 2]}),
    )
    text = ("code,kind,n,x,d,s,lvl\n"
            "KZ,a,5,1.5,2021-01-01,abc,1\n"       # 2: fine
            ",b,5,1,2021-01-01,abcd,2\n"           # 3: required
            "kz,a,5,1,2021-01-01,abc,1\n"          # 4: pattern
            "KZ,c,5,1,2021-01-01,abc,1\n"          # 5: enum
            "KZ,a,11,1,2021-01-01,abc,1\n"         # 6: maximum
            "KZ,a,-1,0,2019-12-31,ab,3\n"          # 7: minimum, exclusiveMinimum, date minimum, minLength, enum
            "KZA,a,,,,,\n")                         # 8: pattern and maxLength on one cell
    r = run(tmp_path, text, sch)
    got = found(r)
    assert got == [("constraint-error", 3, "code"), ("constraint-error", 4, "code"), ("constraint-error", 5, "kind"),
                   ("constraint-error", 6, "n"), ("constraint-error", 7, "n"), ("constraint-error", 7, "x"),
                   ("constraint-error", 7, "d"), ("constraint-error", 7, "s"), ("constraint-error", 7, "lvl"),
                   ("constraint-error", 8, "code"), ("constraint-error", 8, "code")]
    msgs = [f.message for f in r.findings]
    assert "required" in msgs[0] and "pattern" in msgs[1] and "allowed values: a, b" in msgs[2]
    assert "maximum 10" in msgs[3] and "minimum 0" in msgs[4] and "2020-01-01" in msgs[6]


def test_pattern_re2_cannot_compile_is_a_schema_error_never_python_re(tmp_path):
    # issue 10: Python's re backtracks exponentially; a pattern only it can run is refused
    sch = schema(("w", "string", {"pattern": r"(?!bad)\w+"}))
    r = run(tmp_path, "w\ngood\nbad\nbadly\n", sch)
    assert found(r) == [("schema-error", None, "w")]
    assert "lookarounds or backreferences" in r.findings[0].message and "RE2 syntax only" in r.findings[0].message


def test_missing_values_are_not_checked_except_required(tmp_path):
    sch = {**schema(("k", "string"), ("v", "integer", {"minimum": 5, "required": True})), "missingValues": ["", "NA"]}
    r = run(tmp_path, "k,v\na,7\nb,NA\nc,\nd,3\ne,NA\n", sch)
    assert found(r) == [("constraint-error", 3, "v"), ("constraint-error", 4, "v"), ("constraint-error", 5, "v"),
                        ("constraint-error", 6, "v")]
    assert "required" in r.findings[0].message and "minimum 5" in r.findings[2].message


# ----------------------------------------------------------------------------- keys

def test_unique_compares_typed_values(tmp_path):
    r = run(tmp_path, "k,n\na,1\nb,01\nc,2\nd,\ne,\nf,2\n", schema(("k", "string"), ("n", "integer", {"unique": True})))
    assert found(r) == [("unique-error", 3, "n"), ("unique-error", 7, "n")]
    assert "line 2" in r.findings[0].message


def test_primary_key_single_and_composite_with_a_blank_part(tmp_path):
    sch = schema(("a", "string"), ("b", "integer"), primaryKey=["a", "b"])
    r = run(tmp_path, "a,b\nx,1\nx,2\nx,1\n,3\ny,\nx,01\n", sch)
    got = [(f.code, f.line, f.field) for f in r.findings]
    assert got == [("primary-key", 4, "a, b"), ("primary-key", 5, "a"), ("primary-key", 6, "b"),
                   ("primary-key", 7, "a, b")]
    assert "repeats the key of line 2" in r.findings[0].message
    assert "part of the primary key" in r.findings[1].message
    r = run(tmp_path / "single", "id\n1\n2\n1\nx\n", schema(("id", "integer"), primaryKey="id"))
    assert [(f.code, f.line) for f in r.findings] == [("primary-key", 4), ("type-error", 5), ("primary-key", 5)]
    assert "not a valid value" in r.findings[2].message


def test_foreign_keys_across_tables_self_reference_and_composite(tmp_path):
    parent = ("id,region,name\n1,N,a\n2,N,b\n3,S,c\n",
              schema(("id", "integer"), ("region", "string"), ("name", "string"), primaryKey="id"))
    child_schema = schema(("pid", "number"), ("region", "string"), ("parent_row", "integer"),
                          foreignKeys=[{"fields": "pid", "reference": {"resource": "parent", "fields": "id"}},
                                       {"fields": ["pid", "region"], "reference": {"resource": "parent", "fields": ["id", "region"]}},
                                       {"fields": "parent_row", "reference": {"resource": "", "fields": "pid"}}])
    child = ("pid,region,parent_row\n1,N,\n2,N,1\n3,N,2\n9,S,7\n,,\n1.0,N,\n", child_schema)
    d = write_package(tmp_path, {"parent": parent, "child": child})
    r = validate(d)
    got = sorted((f.line, f.code, f.field) for f in r.findings)
    # line 4: (3, N) has no (id, region) match; line 5: 9 is no id, (9, S) no pair, 7 no pid of the
    # same table; line 6 is blank (its keys are blank: not checked); 1.0 matches integer 1
    assert got == [(4, "foreign-key", "pid, region"), (5, "foreign-key", "parent_row"), (5, "foreign-key", "pid"),
                   (5, "foreign-key", "pid, region"), (6, "blank-row", None)]
    assert {f.resource for f in r.findings} == {"child"}
    assert any("'9' is not a id of table parent" in f.message for f in r.findings)


def test_foreign_key_to_a_missing_table_is_a_resource_error(tmp_path):
    """frictionless: "failed to handle a foreign key for resource ... as resource ... does not exist"."""
    sch = schema(("x", "string"), foreignKeys=[{"fields": "x", "reference": {"resource": "nope", "fields": "id"}}])
    r = run(tmp_path, "x\n1\n", sch)
    assert [f.code for f in r.findings] == ["resource-error"] and "'nope'" in r.findings[0].message


# ----------------------------------------------------------------------------- labels, fieldsMatch, inference

@pytest.mark.parametrize("mode,header,expected", [
    ("equal", "name,id", []),
    ("equal", "name,id,extra", [("extra-label", 1, None)]),
    ("subset", "name,id,extra", []),
    ("subset", "name", [("missing-label", 1, "id")]),
    ("superset", "name", []),
    ("superset", "name,extra", [("extra-label", 1, None)]),
    ("partial", "name,extra", []),
])
def test_fields_match_modes(tmp_path, mode, header, expected):
    sch = {**schema(("id", "integer"), ("name", "string")), "fieldsMatch": mode}
    row = ",".join({"name": "a", "id": "1", "extra": "z"}[h] for h in header.split(","))
    r = run(tmp_path, f"{header}\n{row}\n", sch)
    assert found(r) == expected


def test_a_schemaless_resource_gets_frictionless_inference(tmp_path):
    from frictionless import Resource

    text = "id,name,when,score\n" + "\n".join(f"{i},n{i},2023-01-{1 + i % 28:02d},{i / 2}" for i in range(150)) + "\nx,z,2023-01-01,1\n"
    d = write_package(tmp_path, {"t": (text, None)})
    r = validate(d)
    assert found(r) == [("type-error", 152, "id")]
    theirs = Resource(path="t.csv", basepath=str(tmp_path))
    theirs.infer()
    from kzcn.package.infer import infer_schema
    from kzcn.package.descriptor import open_package
    from kzcn.validate.structure import Dialect, parse_csv

    res = open_package(d).resource("t")
    parsed = parse_csv(res.path.read_bytes(), 0, Dialect(), 0, {})
    assert [f["type"] for f in infer_schema(parsed)["fields"]] == [f.type for f in theirs.schema.fields]


# ----------------------------------------------------------------------------- frames for the rules

def test_frames_for_rules_are_typed_like_load_and_indexed_by_line(repo_root):
    from kzcn.package.descriptor import open_package
    from kzcn.validate.frames import LazyFrames, typed_frame
    from kzcn.validate.table import check_table

    package = open_package(repo_root)
    res = package.resource("trade_volumes")
    check, _, _ = check_table(res)
    frame = typed_frame(check, res)
    loaded = kzcn.load("trade_volumes")
    assert list(frame.columns) == list(loaded.columns)
    assert list(frame.dtypes) == list(loaded.dtypes)
    assert frame.index[0] == 2 and list(frame.index) == list(range(2, len(loaded) + 2))
    # kzcn.load gives primary-key order (the release's); the rules' frames keep file order
    in_file_order = loaded.set_index("trade_id").loc[list(frame["trade_id"])].reset_index()
    pd.testing.assert_frame_equal(frame.reset_index(drop=True), in_file_order, check_like=False,
                                  check_index_type=False)
    built = []
    lazy = LazyFrames({"a": lambda: built.append("a") or 1, "b": lambda: built.append("b") or 2})
    assert "b" in lazy and lazy["b"] == 2 and built == ["b"] and lazy.get("zz") is None
    assert isinstance(lazy, dict) and dict(lazy.items()) == {"a": 1, "b": 2}


def test_frames_leave_out_blank_and_ragged_rows_and_null_bad_cells(tmp_path, monkeypatch):
    seen = {}

    def fake_run_rules(package, frames, rules_path):
        seen["frame"] = frames["t"]
        return []

    import kzcn.validate.rules

    monkeypatch.setattr(kzcn.validate.rules, "run_rules", fake_run_rules)
    d = write_package(tmp_path, {"t": ("n,s\n1,a\n\nx,b\n4\n5,e\n", schema(("n", "integer"), ("s", "string")))})
    (tmp_path / "validation").mkdir()
    (tmp_path / "validation" / "rules.yaml").write_text("rules: []\n")
    validate(d)
    frame = seen["frame"]
    assert list(frame.index) == [2, 4, 6]
    assert frame["n"].tolist()[0] == 1 and pd.isna(frame["n"].iloc[1]) and frame["s"].tolist() == ["a", "b", "e"]


def test_layer_3_is_skipped_and_recorded_when_the_rules_engine_is_not_importable(repo_root, monkeypatch):
    monkeypatch.setitem(sys.modules, "kzcn.validate.rules", None)
    r = validate(repo_root)
    status = r.stats["layers"]["rules"]["status"]
    assert status.startswith("skipped") and all(f.rule is None for f in r.findings)


def test_rules_file_given_but_missing_is_a_usage_error(repo_root, tmp_path):
    from kzcn.errors import UsageError

    with pytest.raises(UsageError, match="rules file not found"):
        validate(repo_root, rules=tmp_path / "nope.yaml")


def test_duplicates_follow_file_order_even_for_rows_read_apart(tmp_path):
    """A long row (read apart from the others by the fast path) comes first in the file: the
    repeat is the later, well-formed row, as frictionless says."""
    from frictionless import Resource, Schema

    sch = schema(("id", "string", {"unique": True}), ("v", "integer"))
    text = "id,v\na,1,surplus\nb,2\na,3\n"
    r = run(tmp_path, text, sch)
    assert [(f.code, f.line, f.row) for f in r.findings] == [("extra-cell", 2, 2), ("unique-error", 4, 4)]
    live = Resource(path="t.csv", basepath=str(tmp_path), schema=Schema.from_descriptor(sch)).validate()
    assert sorted((e.type, e.row_number) for e in live.tasks[0].errors) == [("extra-cell", 2), ("unique-error", 4)]
