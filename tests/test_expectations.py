"""The Great Expectations suites are compiled from the Table Schemas, never written by hand.

Each test states the mapping from the schema's side (read here with yaml, independently of the
compiler), then checks the suite; the exported JSON that `kzcn report` writes must equal a fresh
compile; and the suites really catch in Great Expectations what the constraints forbid.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from kzcn.report import expectations as E
from kzcn.package.descriptor import Resource, open_package


# Our own runner: `from conftest import ...` is ambiguous once tests/ has more than one conftest.
ROOT = Path(__file__).resolve().parents[1]
KZCN = str(Path(sys.executable).with_name("kzcn"))


def run_kzcn(*args) -> subprocess.CompletedProcess:
    """The installed `kzcn` command, run as a user would."""
    env = {**os.environ, "DVC_NO_ANALYTICS": "1"}
    return subprocess.run([KZCN, *map(str, args)], capture_output=True, text=True, env=env, timeout=900)


def _schemas(repo_root):
    pkg = yaml.safe_load((repo_root / "datapackage.yaml").read_text(encoding="utf-8"))
    for res in pkg["resources"]:
        yield res["name"], yaml.safe_load((repo_root / res["schema"]).read_text(encoding="utf-8"))


def _by_type(suite):
    out = {}
    for e in suite["expectations"]:
        out.setdefault(e["type"], []).append(e["kwargs"])
    return out


def _columns(kwargs_list):
    return sorted(k["column"] for k in kwargs_list)


def test_every_constraint_becomes_its_expectation(repo_root):
    package = open_package(repo_root)
    checked = 0
    for name, schema in _schemas(repo_root):
        suite = _by_type(E.compile_suite(package.resource(name)))
        fields = schema["fields"]
        pk = schema.get("primaryKey") or []
        pk = [pk] if isinstance(pk, str) else pk
        cons = {f["name"]: f.get("constraints") or {} for f in fields}

        required = {n for n, c in cons.items() if c.get("required")} | set(pk)
        assert _columns(suite.get("expect_column_values_to_not_be_null", [])) == sorted(required), name

        unique = {n for n, c in cons.items() if c.get("unique")} | (set(pk) if len(pk) == 1 else set())
        assert _columns(suite.get("expect_column_values_to_be_unique", [])) == sorted(unique), name
        if len(pk) > 1:
            assert suite["expect_compound_columns_to_be_unique"] == [{"column_list": pk}], name
        else:
            assert "expect_compound_columns_to_be_unique" not in suite, name

        enums = {n: c["enum"] for n, c in cons.items() if "enum" in c}
        assert {k["column"]: k["value_set"] for k in suite.get("expect_column_values_to_be_in_set", [])} == enums, name

        patterns = {n: c["pattern"] for n, c in cons.items() if "pattern" in c}
        got = {k["column"]: k["regex"] for k in suite.get("expect_column_values_to_match_regex", [])}
        assert got == {n: rf"^(?:{p})\Z" for n, p in patterns.items()}, name

        bounds = {n: (c.get("minimum"), c.get("maximum")) for n, c in cons.items() if "minimum" in c or "maximum" in c}
        got = {k["column"]: (k.get("min_value"), k.get("max_value")) for k in suite.get("expect_column_values_to_be_between", [])}
        assert got == bounds, name

        lengths = {n: (c.get("minLength"), c.get("maxLength")) for n, c in cons.items() if "minLength" in c or "maxLength" in c}
        got = {k["column"]: (k.get("min_value"), k.get("max_value")) for k in suite.get("expect_column_value_lengths_to_be_between", [])}
        assert got == lengths, name

        assert suite["expect_table_columns_to_match_ordered_list"] == [{"column_list": [f["name"] for f in fields]}], name
        checked += 1
    assert checked == len(package.table_names) >= 10


def test_the_compound_primary_key_is_one_expectation(repo_root):
    suite = E.compile_suite(open_package(repo_root).resource("meeting_participants"))
    compound = [e for e in suite["expectations"] if e["type"] == "expect_compound_columns_to_be_unique"]
    assert [e["kwargs"]["column_list"] for e in compound] == [["meeting_id", "person_id"]]
    assert compound[0]["meta"]["kzcn"]["constraint"] == "primaryKey"


def test_every_expectation_names_where_it_comes_from(repo_root):
    for suite in E.compile_suites(open_package(repo_root)).values():
        assert suite["meta"]["kzcn"]["generated_from"].startswith("schemas/")
        for e in suite["expectations"]:
            origin = e["meta"]["kzcn"]
            assert origin["constraint"] and origin["schema"].startswith("schemas/"), e


def test_patterns_match_the_whole_cell_as_table_schema_does():
    regex = re.compile(E.full_match("[a-z]+(-[a-z]+)*"))
    assert regex.search("abc-def")
    for bad in ("Abc", "abc-", "abc-def\n", " abc", "abc def"):
        assert not regex.search(bad), bad
    # an already anchored pattern keeps its meaning
    assert re.compile(E.full_match("^[A-Z]{2}$")).search("KZ")
    assert not re.compile(E.full_match("^[A-Z]{2}$")).search("KZ\n")


def _resource(schema: dict) -> Resource:
    return Resource(name="synthetic", path=None, relpath="synthetic.csv", schema=schema,
                    descriptor={"name": "synthetic", "schema": "schemas/synthetic.schema.yaml"})


SYNTHETIC = {
    "fields": [
        {"name": "id", "type": "string", "constraints": {"pattern": "[a-z]+"}},
        {"name": "day", "type": "date", "constraints": {"minimum": "2015-01-01", "maximum": "2030-12-31"}},
        {"name": "share", "type": "number", "constraints": {"exclusiveMinimum": 0, "maximum": 100}},
        {"name": "label", "type": "string", "constraints": {"minLength": 2, "maxLength": 5}},
    ],
    "primaryKey": ["id", "day"],
}


def test_bounds_lengths_and_keys_of_a_synthetic_schema():
    suite = E.compile_suite(_resource(SYNTHETIC))
    kinds = _by_type(suite)
    between = {k["column"]: k for k in kinds["expect_column_values_to_be_between"]}
    # dates become timestamps: a date-only bound raises inside GE on a datetime column
    assert between["day"] == {"column": "day", "min_value": "2015-01-01T00:00:00", "max_value": "2030-12-31T00:00:00"}
    assert between["share"] == {"column": "share", "min_value": 0, "strict_min": True, "max_value": 100}
    assert kinds["expect_column_value_lengths_to_be_between"] == [{"column": "label", "min_value": 2, "max_value": 5}]
    # a primary key is required even where the field does not say so
    assert _columns(kinds["expect_column_values_to_not_be_null"]) == ["day", "id"]
    assert kinds["expect_compound_columns_to_be_unique"] == [{"column_list": ["id", "day"]}]


def test_the_suite_catches_in_great_expectations_what_the_schema_forbids():
    """Run the synthetic suite in GE on a frame typed as the report types it: each fault is caught."""
    import great_expectations as gx

    frame = pd.DataFrame({
        "id": pd.array(["abc", "abc", "Bad", None], dtype="string"),
        "day": pd.to_datetime(["2020-01-01", "2020-01-01", "2014-12-31", "2031-01-01"]).astype("datetime64[ns]"),
        "share": pd.array([50.0, 0.0, 100.0, 101.0], dtype="Float64"),
        "label": pd.array(["ok", "fine", "x", "toolong"], dtype="string"),
    }, index=pd.Index([2, 3, 4, 5], name="line"))
    context = gx.get_context(mode="ephemeral")
    batch = (context.data_sources.add_pandas("t").add_dataframe_asset("synthetic")
             .add_batch_definition_whole_dataframe("all").get_batch(batch_parameters={"dataframe": frame}))
    result = batch.validate(E.to_gx_suite(E.compile_suite(_resource(SYNTHETIC))), result_format="COMPLETE")
    failed = {}
    for r in result.results:
        assert not (r.exception_info or {}).get("raised_exception"), (r.expectation_config.type, r.exception_info)
        if not r.success:
            key = (r.expectation_config.type, r.expectation_config.kwargs.get("column"))
            failed[key] = sorted(d["line"] for d in r.result.get("unexpected_index_list", []))
    assert failed == {
        ("expect_column_values_to_match_regex", "id"): [4],
        ("expect_column_values_to_be_between", "day"): [4, 5],
        ("expect_column_values_to_be_between", "share"): [3, 5],
        ("expect_column_value_lengths_to_be_between", "label"): [4, 5],
        ("expect_column_values_to_not_be_null", "id"): [5],
        ("expect_compound_columns_to_be_unique", None): [2, 3],
    }


def test_the_exported_json_is_what_great_expectations_reads_back(repo_root):
    import great_expectations as gx

    spec = E.compile_suite(open_package(repo_root).resource("trade_volumes"))
    data = json.loads(E.suite_json(spec))
    assert gx.ExpectationSuite(**data) == E.to_gx_suite(spec)
    assert [e["type"] for e in data["expectations"]] == [e["type"] for e in spec["expectations"]]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """What `kzcn report` (the real command) exported for this repository's package."""
    out = tmp_path_factory.mktemp("report")
    done = run_kzcn("report", ROOT, "--output", out, "--exit-zero")
    assert done.returncode == 0, done.stderr
    return out / "expectations"


def test_exported_suites_equal_a_fresh_compile(repo_root, exported):
    package = open_package(repo_root)
    files = sorted(p.name for p in exported.glob("*.json"))
    assert files == sorted(f"{name}.json" for name in package.table_names)
    for name, spec in E.compile_suites(package).items():
        assert (exported / f"{name}.json").read_text(encoding="utf-8") == E.suite_json(spec), name


def test_a_schema_change_shows_as_drift(repo_root, exported, package_copy):
    """Edit one constraint in a copy: its fresh compile no longer equals what was exported."""
    path = package_copy / "schemas" / "people.schema.yaml"
    schema = yaml.safe_load(path.read_text(encoding="utf-8"))
    field = next(f for f in schema["fields"] if (f.get("constraints") or {}).get("pattern"))
    field["constraints"]["pattern"] = "^[A-Z]{3}$"
    path.write_text(yaml.safe_dump(schema, sort_keys=False), encoding="utf-8")
    fresh = E.suite_json(E.compile_suite(open_package(package_copy).resource("people")))
    assert fresh != (exported / "people.json").read_text(encoding="utf-8")
    assert "[A-Z]{3}" in fresh
