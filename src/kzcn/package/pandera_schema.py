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
        # Through RE2 (pyarrow), as the validator does: never Python's backtracking re.
        pattern = str(c["pattern"])
        checks.append(pa.Check(lambda s, rx=f"^(?:{pattern})$": _re2_fullmatch(s, rx),
                               name="str_matches", error=f"str_matches('{pattern}')"))
    return checks


def _re2_fullmatch(series, rx: str):
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.array(series.astype(object).where(series.notna(), None).map(
        lambda v: v if v is None else str(v)).tolist(), pa.string())
    ok = pc.match_substring_regex(text, rx)  # ArrowInvalid for a pattern RE2 cannot compile
    return pd.Series(ok.fill_null(True).to_numpy(zero_copy_only=False), index=series.index)


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
