"""Great Expectations suites compiled from the Table Schemas, never written by hand.

A column is defined once, in schemas/. This module turns each table's single-table constraints
into the expectations a Great Expectations (1.x) user would write: the column list and order,
required -> not null, unique and primary keys -> unique (compound keys with the compound
expectation), enum -> value set, minimum/maximum -> between, minLength/maxLength -> value
lengths, pattern -> a whole-cell regex. Foreign keys and our cross-table rules are not
single-table facts: the validator checks them and the report shows their results beside these.

`compile_suite` is plain Python (it returns the suite in Great Expectations' JSON shape) so that
reading or testing the mapping costs no great_expectations import; `canonical_suite` and
`export_suites` pass it through great_expectations itself, so what we ship is exactly what
`gx.ExpectationSuite(**json.load(f))` reads back.
"""
from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path

from ..package.dtypes import enum_of
from ..package.descriptor import Package, Resource

SEVERITY = "critical"  # a schema constraint is an error in `kzcn validate`, never a warning

# The generator label recorded in every released suite. It names the compiler, not a module
# path: kept as it was when the code moved to kzcn.report.expectations, so the 0.1.0 release
# (whose sha256 is in the registry) rebuilds byte for byte.
GENERATOR = "kzcn.expectations"


def full_match(pattern: str) -> str:
    """A Table Schema pattern matches the whole cell; GE's pandas regex only searches."""
    return rf"^(?:{pattern})\Z"


def _bound(field: dict, value):
    """A schema bound in the form the column has in the typed frame (dates as timestamps)."""
    if field.get("type") in ("date", "datetime") and isinstance(value, str):
        # A date-only string bound raises inside GE on a datetime column: give it a timestamp.
        return _dt.datetime.fromisoformat(value).strftime("%Y-%m-%dT%H:%M:%S")
    if field.get("type") in ("date", "datetime") and isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day).strftime("%Y-%m-%dT%H:%M:%S")
    return value


def _expectation(etype: str, kwargs: dict, origin: dict) -> dict:
    return {"type": etype, "kwargs": kwargs, "meta": {"kzcn": origin}, "severity": SEVERITY}


def field_expectations(field: dict, schema_path: str | None = None) -> list[dict]:
    """The expectations one field's constraints imply, in a fixed order."""
    name = field["name"]
    c = field.get("constraints") or {}

    def origin(constraint):
        o = {"field": name, "constraint": constraint}
        if schema_path:
            o["schema"] = schema_path
        return o

    out = []
    if c.get("required"):
        out.append(_expectation("expect_column_values_to_not_be_null", {"column": name}, origin("required")))
    if c.get("unique"):
        out.append(_expectation("expect_column_values_to_be_unique", {"column": name}, origin("unique")))
    enum = enum_of(field)
    if enum is not None:
        out.append(_expectation("expect_column_values_to_be_in_set",
                                {"column": name, "value_set": list(enum)}, origin("enum")))
    lower = [(k, c[k]) for k in ("minimum", "exclusiveMinimum") if k in c]
    upper = [(k, c[k]) for k in ("maximum", "exclusiveMaximum") if k in c]
    if lower or upper:
        kwargs = {"column": name}
        if lower:
            kwargs["min_value"] = _bound(field, lower[0][1])
            if lower[0][0] == "exclusiveMinimum":
                kwargs["strict_min"] = True
        if upper:
            kwargs["max_value"] = _bound(field, upper[0][1])
            if upper[0][0] == "exclusiveMaximum":
                kwargs["strict_max"] = True
        out.append(_expectation("expect_column_values_to_be_between", kwargs,
                                origin("/".join(k for k, _ in lower + upper))))
    if "minLength" in c or "maxLength" in c:
        kwargs = {"column": name}
        if "minLength" in c:
            kwargs["min_value"] = c["minLength"]
        if "maxLength" in c:
            kwargs["max_value"] = c["maxLength"]
        out.append(_expectation("expect_column_value_lengths_to_be_between", kwargs,
                                origin("/".join(k for k in ("minLength", "maxLength") if k in c))))
    if "pattern" in c:
        out.append(_expectation("expect_column_values_to_match_regex",
                                {"column": name, "regex": full_match(c["pattern"])}, origin("pattern")))
    return out


def _schema_path(resource: Resource) -> str | None:
    schema = resource.descriptor.get("schema")
    return schema if isinstance(schema, str) else None


def compile_suite(resource: Resource) -> dict:
    """One table's suite in Great Expectations' JSON shape (without importing great_expectations)."""
    schema_path = _schema_path(resource)
    table_origin = {"table": resource.name}
    if schema_path:
        table_origin["schema"] = schema_path
    expectations = [_expectation("expect_table_columns_to_match_ordered_list",
                                 {"column_list": resource.field_names}, {**table_origin, "constraint": "fields"})]
    fields = resource.schema.get("fields", [])
    for field in fields:
        expectations.extend(field_expectations(field, schema_path))

    pk = resource.primary_key
    if pk:
        pk_origin = {**table_origin, "constraint": "primaryKey"}
        by_name = {f["name"]: f for f in fields}
        for name in pk:  # a primary key is required, whether or not the field says so
            if not (by_name.get(name, {}).get("constraints") or {}).get("required"):
                expectations.append(_expectation("expect_column_values_to_not_be_null",
                                                 {"column": name}, {**pk_origin, "field": name}))
        if len(pk) == 1:
            if not (by_name.get(pk[0], {}).get("constraints") or {}).get("unique"):
                expectations.append(_expectation("expect_column_values_to_be_unique",
                                                 {"column": pk[0]}, pk_origin))
        else:
            expectations.append(_expectation("expect_compound_columns_to_be_unique",
                                              {"column_list": list(pk)}, pk_origin))
    return {
        "name": resource.name,
        "expectations": expectations,
        "meta": {"kzcn": {"generated_from": schema_path or f"inline schema of {resource.name}",
                          "generator": GENERATOR,
                          "note": "Generated from the Table Schema; do not edit. Foreign keys and "
                                  "cross-table rules are checked by `kzcn validate`."}},
        "notes": None,
    }


def compile_suites(package: Package) -> dict[str, dict]:
    return {r.name: compile_suite(r) for r in package.resources}


def to_gx_suite(spec: dict):
    """The spec as a great_expectations ExpectationSuite (imports great_expectations)."""
    import great_expectations as gx

    return gx.ExpectationSuite(**json.loads(json.dumps(spec)))


def canonical_suite(spec: dict) -> dict:
    """The suite as great_expectations serialises it: what we ship and what a GE user reads back."""
    return to_gx_suite(spec).to_json_dict()


def suite_json(spec: dict) -> str:
    return json.dumps(canonical_suite(spec), indent=2, ensure_ascii=False) + "\n"


def export_suites(package: Package, out_dir: str | Path) -> dict[str, Path]:
    """Write <out_dir>/<table>.json for every table (atomically); return table -> path."""
    from ..atomic import write_text_atomic

    from ..package.paths import check_name, inside

    out_dir = Path(out_dir)
    written = {}
    for name, spec in compile_suites(package).items():
        path = inside(out_dir, f"{check_name(name, 'resource name')}.json")
        write_text_atomic(path, suite_json(spec))
        written[name] = path
    return written
