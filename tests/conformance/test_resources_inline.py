"""Inline data (`data:` in the descriptor): arrays with a header row, and objects; kzcn beside
the real frictionless.

Both read the same rows: arrays by position under data[0] (rowNumber = index + 1), objects by
the schema's field names (rowNumber = index + 2; a missing key is null, a key no field names is
not read). A JSON number in a string field is a type-error in both, a whole float (3.0) is an
integer in both. Our findings name the resource and `data[i]`, with the descriptor as path and
no line. Foreign keys run to and from inline tables like any other.
"""
from __future__ import annotations

import json

from resource_cases import ours, theirs, write

SCHEMA = {"fields": [{"name": "id", "type": "integer", "constraints": {"required": True}},
                     {"name": "name", "type": "string", "constraints": {"pattern": "[a-z]+"}},
                     {"name": "ok", "type": "boolean", "trueValues": ["yes"], "falseValues": ["no"]}],
          "primaryKey": ["id"]}
ARRAYS = [["id", "name", "ok"], [1, "x", True], ["foo", "y", "no"], [1, "z", False], [2, 5, None],
          [3.0, "q", "yes"], [None, "r", True], [True, "s", False], [7, "T", "maybe"], [8, "u"], [9, "v", True, "extra"]]
OBJECTS = [{"id": 1, "name": "x"}, {"id": "foo", "name": "y"}, {"id": 1, "name": "z"}, {"name": "w", "id": 4},
           {"id": 5, "ok": "maybe"}, {"id": 6, "name": "a", "extra": 1}, {"name": "b"}, {"id": 8, "name": 8}]


def test_arrays_with_faults_agree_row_for_row(tmp_path):
    pkg = write(tmp_path, [{"name": "t", "data": ARRAYS, "schema": SCHEMA}])
    valid, got, report = ours(pkg)
    assert (valid, got) == theirs(pkg)
    assert valid is False and len(got) >= 10
    assert {f.path for f in report.findings} == {"datapackage.json"} and {f.line for f in report.findings} == {None}
    foo = next(f for f in report.findings if f.code == "type-error" and f.field == "id")
    assert foo.message.startswith("resource 't' data[2]: 'foo'")
    assert f"data[{foo.row - 1}]" in foo.message  # arrays: rowNumber = index + 1


def test_objects_with_faults_agree_row_for_row(tmp_path):
    pkg = write(tmp_path, [{"name": "o", "data": OBJECTS, "schema": SCHEMA}])
    valid, got, report = ours(pkg)
    assert (valid, got) == theirs(pkg)
    assert valid is False and {c for _, c, _, _ in got} >= {"type-error", "primary-key", "constraint-error"}
    for f in report.findings:
        assert f"data[{f.row - 2}]" in f.message  # objects: rowNumber = index + 2


def test_clean_inline_tables_are_valid_in_both(tmp_path):
    pkg = write(tmp_path, [{"name": "t", "data": [["id", "name", "ok"], [1, "x", "yes"], [2, "y", False]], "schema": SCHEMA},
                           {"name": "o", "data": [{"id": 1, "name": "x"}, {"id": 2, "ok": True}], "schema": SCHEMA}])
    assert ours(pkg)[:2] == theirs(pkg) == (True, [])


def test_foreign_keys_to_and_from_inline_tables(tmp_path):
    ref = {"fields": [{"name": "tid", "type": "integer"}],
           "foreignKeys": [{"fields": "tid", "reference": {"resource": "t", "fields": "id"}}]}
    back = {**SCHEMA, "foreignKeys": [{"fields": "name", "reference": {"resource": "names", "fields": "name"}}]}
    pkg = write(tmp_path, [
        {"name": "t", "data": [["id", "name", "ok"], [1, "x", True], [2, "y", True], [3, "nope", True]], "schema": back},
        {"name": "u", "path": "u.csv", "schema": ref},
        {"name": "names", "data": [{"name": "x"}, {"name": "y"}], "schema": {"fields": [{"name": "name", "type": "string"}]}},
    ], {"u.csv": b"tid\n1\n3\n9\n"})
    valid, got, report = ours(pkg)
    assert (valid, got) == theirs(pkg)
    assert sorted((f.resource, f.path, f.line) for f in report.findings) == [
        ("t", "datapackage.json", None), ("u", "u.csv", 4)]


def test_inline_data_in_a_yaml_descriptor(tmp_path):
    yaml_text = ("name: case\nresources:\n  - name: t\n    schema:\n      fields:\n        - {name: id, type: integer}\n"
                 "        - {name: day, type: date}\n    data:\n      - [id, day]\n      - [1, 2024-01-31]\n"
                 "      - [x, '2024-02-30']\n")
    (tmp_path / "datapackage.yaml").write_text(yaml_text)
    from kzcn.validate.run import validate

    report = validate(tmp_path)
    assert sorted((f.code, f.row, f.field) for f in report.findings) == [("type-error", 3, "day"), ("type-error", 3, "id")]


def test_data_that_is_not_rows_is_a_finding_not_a_crash(tmp_path):
    pkg = write(tmp_path, [{"name": "a", "data": {"id": 1}}, {"name": "b", "data": [["id"], {"id": 1}]},
                           {"name": "c", "data": []}])
    valid, got, report = ours(pkg)
    assert valid is False and [c for _, c, _, _ in got] == ["source-error"] * 3
    text = json.dumps([f.message for f in report.findings])
    assert "found dict" in text and "data[1] is dict" in text and "is empty" in text
