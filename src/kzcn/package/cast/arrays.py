"""Arrow and numpy plumbing shared by every cast family, and the generic per-distinct-text cast.

The families differ in how they judge a cell; they agree on how a column is moved about: hashed
once into distinct values (`encode`), masks turned into numpy bools (`to_bool_numpy`,
`regex_mask`, `missing_mask`), Python values packed back into typed Arrow arrays
(`_encode_python`, `_from_numpy`), and the fallback that runs an exact reader over each
distinct text once and maps the answers back (`_cast_by_dictionary`). The validator uses some
of these directly, so they live apart from any one family.
"""
from __future__ import annotations

import datetime as _dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .fields import INT64_MAX

_EPOCH = _dt.date(1970, 1, 1)
_EPOCH_DT = _dt.datetime(1970, 1, 1)


def as_array(values):
    """An Arrow array or chunked array as it is (compute kernels take both; no copy is made)."""
    return values


def encode(values) -> tuple[pa.Array, np.ndarray]:
    """Hash a column once: (distinct values, index of each row's value; -1 for null).

    Arrow's dictionary encoding of a chunked column shares one dictionary across chunks, so the
    indices of all chunks refer to the same distinct values.
    """
    enc = pc.dictionary_encode(values)
    if isinstance(enc, pa.ChunkedArray):
        chunks = [c for c in enc.chunks if len(c)]
        if not chunks:
            return pa.array([], type=values.type), np.zeros(0, dtype=np.int64)
        dictionary = max((c.dictionary for c in chunks), key=len)
        indices = np.concatenate([c.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
                                  for c in chunks])
        return dictionary, indices
    return enc.dictionary, enc.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def to_bool_numpy(mask, null_as: bool = False) -> np.ndarray:
    """An Arrow boolean array as a numpy bool array, nulls read as `null_as`."""
    mask = as_array(mask)
    if mask.null_count:
        mask = pc.fill_null(mask, null_as)
    return mask.to_numpy(zero_copy_only=False).astype(bool, copy=False)


def regex_mask(strings: pa.Array, pattern: str) -> np.ndarray:
    """Cells (not null) that match an RE2 pattern, as numpy bools."""
    return to_bool_numpy(pc.match_substring_regex(strings, pattern))


def missing_mask(raw: pa.Array, missing_values) -> np.ndarray:
    """Cells that are absent (null: the row was short) or one of the missing values."""
    missing_values = [str(v) for v in (missing_values if missing_values is not None else [""])]
    if not missing_values:
        return to_bool_numpy(raw.is_null())
    if missing_values == [""]:
        return to_bool_numpy(pc.equal(raw, ""), null_as=True)
    equal = to_bool_numpy(pc.is_in(raw, value_set=pa.array(missing_values, pa.string())))
    return equal | to_bool_numpy(raw.is_null()) if raw.null_count else equal


def _from_numpy(values: np.ndarray, valid: np.ndarray, typ: pa.DataType) -> pa.Array:
    mask = ~valid
    if typ == pa.date32():
        return pa.array(values.astype("datetime64[D]"), mask=mask, type=typ)
    if pa.types.is_timestamp(typ):
        return pa.array(values.astype("datetime64[us]"), mask=mask, type=typ)
    return pa.array(values, mask=mask, type=typ)


def _encode_python(values: list, typ: pa.DataType):
    """Python values -> (numpy values, numpy valid) for an Arrow type."""
    n = len(values)
    valid = np.fromiter((v is not None for v in values), dtype=bool, count=n)
    if typ == pa.int64():
        out = np.fromiter(((v if v is not None and -INT64_MAX - 1 <= v <= INT64_MAX else 0) for v in values),
                          dtype=np.int64, count=n)
        too_big = np.fromiter((v is not None and not (-INT64_MAX - 1 <= v <= INT64_MAX) for v in values),
                              dtype=bool, count=n)
        return out, valid & ~too_big, too_big
    if typ == pa.float64():
        return np.fromiter((v if v is not None else 0.0 for v in values), dtype=np.float64, count=n), valid, None
    if typ == pa.bool_():
        return np.fromiter((bool(v) for v in values), dtype=bool, count=n), valid, None
    if typ == pa.date32():
        return np.fromiter(((v - _EPOCH).days if v is not None else 0 for v in values), dtype=np.int64, count=n), valid, None
    if pa.types.is_timestamp(typ):
        def micros(v):
            delta = v - _EPOCH_DT
            return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
        return np.fromiter((micros(v) if v is not None else 0 for v in values), dtype=np.int64, count=n), valid, None
    raise TypeError(typ)


def _cast_by_dictionary(present, pmask: np.ndarray, read, typ: pa.DataType):
    """Any type: judge each distinct text once with the exact reader, then map back."""
    n = len(present)
    if not pmask.any():
        return pa.nulls(n, typ), np.zeros(n, dtype=bool)
    dictionary, indices = encode(present)
    py_values = [read(t) for t in dictionary.to_pylist()]
    ok = np.append(np.fromiter((v is not None for v in py_values), dtype=bool, count=len(py_values)), False)
    valid = ok[indices] & pmask
    bad = pmask & ~valid
    if typ == pa.string():
        return None, bad
    dvals, dvalid, _ = _encode_python(py_values, typ)
    dvals = np.append(dvals, dvals.dtype.type(0))
    return _from_numpy(dvals[indices], valid, typ), bad
