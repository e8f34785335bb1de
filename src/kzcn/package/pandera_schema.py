"""Compile a Frictionless Table Schema into a pandera DataFrameSchema for the typed frame.

pandera's own `from_frictionless_schema` reads dates as strings, integers as non-nullable and
drops formats and foreign keys, so we compile the parts we rely on ourselves: dtype (from
kzcn.package.dtypes, the same mapping `load` uses), nullability from `required`, `unique`, enum,
minimum/maximum, length and pattern. Foreign keys are cross-table and live in the validator.
"""
from __future__ import annotations

from .dtypes import enum_of, pandas_dtype


def _checks(field: dict):
    import pandera.pandas as pa

    c = field.get("constraints") or {}
    checks = []
    enum = enum_of(field)
    if enum is not None:
        checks.append(pa.Check.isin(list(enum)))
    if "minimum" in c:
        checks.append(pa.Check.ge(c["minimum"]))
    if "maximum" in c:
        checks.append(pa.Check.le(c["maximum"]))
    if "exclusiveMinimum" in c:
        checks.append(pa.Check.gt(c["exclusiveMinimum"]))
    if "exclusiveMaximum" in c:
        checks.append(pa.Check.lt(c["exclusiveMaximum"]))
    if "minLength" in c:
        checks.append(pa.Check.str_length(min_value=c["minLength"]))
    if "maxLength" in c:
        checks.append(pa.Check.str_length(max_value=c["maxLength"]))
    if "pattern" in c:
        # Table Schema patterns match the whole cell (XML Schema semantics).
        pattern = c["pattern"]
        checks.append(pa.Check.str_matches(rf"^(?:{pattern})\Z"))
    return checks


def pandera_schema(table_schema: dict, name: str | None = None):
    """Return a pandera DataFrameSchema equivalent to the table's single-table constraints."""
    import pandera.pandas as pa

    columns = {}
    for field in table_schema.get("fields", []):
        c = field.get("constraints") or {}
        columns[field["name"]] = pa.Column(
            pandas_dtype(field),
            checks=_checks(field),
            nullable=not c.get("required", False),
            unique=bool(c.get("unique", False)),
            title=field.get("title"),
            description=field.get("description"),
        )
    pk = table_schema.get("primaryKey")
    pk = [pk] if isinstance(pk, str) else list(pk or [])
    return pa.DataFrameSchema(
        columns,
        strict=True,
        ordered=True,
        unique=pk if len(pk) > 1 else None,
        name=name or table_schema.get("title"),
        description=table_schema.get("description"),
    )
