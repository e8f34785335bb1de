"""Table Schema field -> pandas dtype, and the cell-by-cell cast that both loading and validation use.

Casting is vectorised per column but judged per cell: a cell that cannot be read as its type
becomes missing and is reported alone, so one bad cell never turns its whole column into
findings (the failure mode of coercing a whole frame at once).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

DEFAULT_TRUE = ["true", "True", "TRUE", "1"]
DEFAULT_FALSE = ["false", "False", "FALSE", "0"]
DATE_FORMAT = "%Y-%m-%d"


def enum_of(field: dict) -> list | None:
    return (field.get("constraints") or {}).get("enum")


def pandas_dtype(field: dict):
    """The dtype a researcher gets for this field: the schema decides, never inference."""
    ftype = field.get("type", "string")
    enum = enum_of(field)
    if enum is not None and ftype == "string":
        return pd.CategoricalDtype(categories=list(enum), ordered=False)
    return {
        "string": pd.StringDtype(),
        "integer": pd.Int64Dtype(),
        "number": pd.Float64Dtype(),
        "boolean": pd.BooleanDtype(),
        "date": np.dtype("datetime64[ns]"),
        "datetime": np.dtype("datetime64[ns]"),
        "year": pd.Int64Dtype(),
    }.get(ftype, pd.StringDtype())


@dataclass(frozen=True)
class CastFailure:
    """One cell that is not a value of its field's type (position is 0-based within the column)."""

    position: int
    raw: str
    note: str


def _missing_mask(raw: pd.Series, missing_values) -> pd.Series:
    return raw.isna() | raw.isin(list(missing_values))


def cast_column(raw: pd.Series, field: dict, missing_values=("",)) -> tuple[pd.Series, list[CastFailure]]:
    """Cast a column of raw strings to the field's dtype; return it and the cells that failed."""
    ftype = field.get("type", "string")
    missing = _missing_mask(raw, missing_values)
    present = raw.where(~missing)
    failures: list[CastFailure] = []

    if ftype in ("integer", "year"):
        num = pd.to_numeric(present.str.strip() if ftype == "year" else present, errors="coerce")
        bad = ~missing & (num.isna() | (num % 1 != 0))
        values = num.where(~bad).astype("Float64").astype(pd.Int64Dtype())
        note = f'type is "{ftype}/default"'
    elif ftype == "number":
        num = pd.to_numeric(present, errors="coerce")
        bad = ~missing & num.isna()
        values = num.where(~bad).astype(pd.Float64Dtype())
        note = 'type is "number/default"'
    elif ftype == "boolean":
        trues = field.get("trueValues", DEFAULT_TRUE)
        falses = field.get("falseValues", DEFAULT_FALSE)
        mapping = {**{t: True for t in trues}, **{f: False for f in falses}}
        mapped = present.map(mapping)
        bad = ~missing & mapped.isna()
        values = mapped.astype(pd.BooleanDtype())
        note = 'type is "boolean/default"'
    elif ftype in ("date", "datetime"):
        fmt = field.get("format", "default")
        fmt = DATE_FORMAT if fmt in ("default", "any", None) and ftype == "date" else (None if fmt in ("default", "any") else fmt)
        parsed = pd.to_datetime(present, format=fmt, errors="coerce") if fmt else pd.to_datetime(present, errors="coerce", format="ISO8601")
        bad = ~missing & parsed.isna()
        values = parsed.astype("datetime64[ns]")
        note = f'type is "{ftype}/{field.get("format", "default")}"'
    else:
        values = present.astype(pd.StringDtype())
        bad = pd.Series(False, index=raw.index)
        note = ""

    if bad.any():
        for pos in np.flatnonzero(bad.to_numpy()):
            failures.append(CastFailure(int(pos), str(raw.iloc[pos]), note))

    enum = enum_of(field)
    if enum is not None and ftype == "string":
        values = values.astype(pandas_dtype(field))
    return values, failures
