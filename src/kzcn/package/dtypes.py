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
        # ordered where the order of the categories means something (scale, date precision):
        # Table Schema v2's `categoriesOrdered`, so `max()` and comparisons work there
        return pd.CategoricalDtype(categories=list(enum), ordered=field.get("categoriesOrdered") is True)
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


def arrow_to_pandas(values, field: dict):
    """A typed Arrow column (kzcn.package.cast) as the pandas array of the field's dtype."""
    import pyarrow as pa

    dtype = pandas_dtype(field)
    if isinstance(values, pa.ChunkedArray) and not values.num_chunks:
        values = pa.array([], values.type)
    if isinstance(dtype, pd.CategoricalDtype):
        import pyarrow.compute as pc

        cats = [str(c) for c in dtype.categories]
        text = values if values.type == pa.string() else values.cast(pa.string())
        codes = pc.index_in(text, value_set=pa.array(cats, pa.string())).fill_null(-1)
        return pd.Categorical.from_codes(codes.to_numpy(zero_copy_only=False).astype(np.int8 if len(cats) < 127 else np.int32),
                                         dtype=dtype)
    if isinstance(dtype, np.dtype) and dtype.kind == "M":
        try:
            return values.cast(pa.timestamp("ns")).to_numpy(zero_copy_only=False).astype(dtype)
        except (pa.ArrowInvalid, OverflowError):
            return pd.to_datetime(pd.Series(values.to_pylist(), dtype=object), errors="coerce").to_numpy(dtype)
    if isinstance(dtype, pd.StringDtype) and values.type != pa.string():
        values = values.cast(pa.string())
    if isinstance(dtype, pd.Int64Dtype) and values.type != pa.int64():
        values = values.cast(pa.int64())
    if isinstance(dtype, pd.Float64Dtype) and values.type != pa.float64():
        values = values.cast(pa.float64())
    if isinstance(dtype, pd.BooleanDtype) and values.type != pa.bool_():
        values = values.cast(pa.bool_())
    return dtype.__from_arrow__(values)


def cast_column(raw: pd.Series, field: dict, missing_values=("",)) -> tuple[pd.Series, list[CastFailure]]:
    """Cast a column of raw strings to the field's dtype; return it and the cells that failed.

    The judgement of each cell is kzcn.package.cast's, the one `kzcn validate` uses: a cell the
    validator accepts is a cell this reads, and the other way round.
    """
    import pyarrow as pa

    from .cast import cast_array

    arr = pa.array(raw.astype(object).where(raw.notna(), None).tolist(), type=pa.string())
    cast = cast_array(arr, field, missing_values)
    values = pd.Series(arrow_to_pandas(cast.values, field), index=raw.index, name=raw.name)
    failures = [CastFailure(int(pos), str(raw.iloc[pos]), cast.note) for pos in np.flatnonzero(cast.bad)]
    return values, failures
