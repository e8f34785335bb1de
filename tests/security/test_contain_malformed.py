"""The malformed inputs of issue 10, each by name: a finding or a usage error, never a crash."""
from __future__ import annotations

import json

import pytest

import kzcn
from kzcn.errors import KzcnError
from conftest import assert_clean_exit, run_kzcn, snapshot, write_package

SCHEMA = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}], "primaryKey": ["id"]}


# The Table Schema profile reports each (kzcn.validate.descriptor), with the JSON pointer of the
# property; the schema reader's own words for the same fault are then not repeated.
@pytest.mark.parametrize("change, code, needle", [
    ({"primaryKey": 5}, "schema-error", "at /resources/0/schema/primaryKey"),
    ({"missingValues": 5}, "schema-error", "at /resources/0/schema/missingValues"),
    ({"fields": [{"name": "id", "type": "integer", "constraints": "required"}, {"name": "name"}]}, "field-error",
     "at /resources/0/schema/fields/0/constraints"),
    ({"foreignKeys": [{"fields": 3, "reference": "t"}]}, "schema-error", "at /resources/0/schema/foreignKeys/0"),
])
def test_a_malformed_schema_is_a_schema_error_naming_the_property(sandbox, change, code, needle):
    pkg, _, tmp = sandbox
    write_package(pkg, [{"name": "t", "path": "t.csv", "schema": {**SCHEMA, **change}}])
    before = snapshot(tmp)
    done = run_kzcn("validate", pkg, "--format", "json")
    assert_clean_exit(done, (1,))
    report = json.loads(done.stdout)
    assert any(e["code"] == code and needle in e["message"] and needle[3:] in e.get("pointer", "")
               for e in report["errors"]), report["errors"]
    from kzcn.validate.findings import Report

    report = kzcn.validate(pkg)  # in Python: a Report with the finding, not a TypeError
    assert isinstance(report, Report) and any(needle in f.message for f in report.errors)
    assert snapshot(tmp) == before


@pytest.mark.parametrize("rules, needle", [
    ("rules:\n  - {id: r, kind: [a, b], severity: error, rationale: x, params: {}}\n", "unknown kind"),
    ("rules:\n  - {id: r, kind: date_order, severity: [error], rationale: x, params: {}}\n", "severity"),
    ("rules: 5\n", "'rules' must be a list"),
])
def test_a_malformed_rules_file_is_a_usage_error_with_file_and_line(sandbox, rules, needle):
    pkg, _, _ = sandbox
    write_package(pkg)
    (pkg / "validation").mkdir()
    (pkg / "validation" / "rules.yaml").write_text(rules)
    done = run_kzcn("validate", pkg)
    assert_clean_exit(done, (2,))
    assert "rules.yaml:" in done.stderr and needle in done.stderr, done.stderr
    with pytest.raises(KzcnError, match="rules.yaml"):
        kzcn.validate(pkg)


@pytest.mark.parametrize("where", ["descriptor", "rules"])
def test_deeply_nested_yaml_is_refused_with_the_file_named(sandbox, where):
    pkg, _, _ = sandbox
    deep = "a: " + "[" * 20000 + "]" * 20000 + "\n"
    if where == "descriptor":
        (pkg / "t.csv").write_text("id\n1\n")
        (pkg / "datapackage.yaml").write_text(deep)
        name = "datapackage.yaml"
    else:
        write_package(pkg)
        (pkg / "validation").mkdir()
        (pkg / "validation" / "rules.yaml").write_text(deep)
        name = "rules.yaml"
    done = run_kzcn("validate", pkg)
    assert_clean_exit(done, (2,))
    assert name in done.stderr
