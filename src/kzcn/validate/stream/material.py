"""What a chunk hands on for the checks that need every row: keys, hashed into partitions.

A primary key or a unique field repeats across chunks, and a foreign key may match a row of
any chunk of any table, so no chunk can decide them alone. Each chunk gives, per key, a small
Arrow table of the rows that take part (typed values, their raw text for the message, line and
row), with a partition number from a hash of the typed values; equal values always get the
same hash, so a repeat is always inside one partition and each partition can be checked
alone with the same code as a whole table (keys.py). Hash collisions only put unequal values
in one partition, where the exact comparison tells them apart. For foreign keys, the source
rows are kept per chunk, and the referenced table gives the distinct key tuples it holds.
"""
from __future__ import annotations

import numpy as np

_MIX = np.uint64(0x9E3779B97F4A7C15)
_NULL = np.uint64(0x5851F42D4C957F2D)


def _text_hash(arr) -> np.ndarray:
    """A 64-bit hash of each string from its length and its first and last 8 bytes.

    A function of the string alone, so equal strings hash equally; Arrow kernels cut and pad the
    two 8-byte words, so it costs a few passes over the rows, not a Python or numpy step per byte
    (hashing every byte in numpy cost a sixth of a streamed run). Strings that differ only in
    their middle share a hash: that only puts them in one partition, where they are compared
    exactly."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = arr.cast(pa.large_binary()) if arr.type != pa.large_binary() else arr
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if len(arr) == 0:
        return np.zeros(0, dtype=np.uint64)
    pad, empty = pa.scalar(b"\0" * 8, pa.large_binary()), pa.scalar(b"", pa.large_binary())
    h = pc.binary_length(arr).to_numpy(zero_copy_only=False).astype(np.uint64) * _MIX
    with np.errstate(over="ignore"):
        for part in (pc.binary_slice(arr, 0, 8), pc.binary_slice(arr, -8)):
            fixed = pc.binary_slice(pc.binary_join_element_wise(part, pad, empty), 0, 8).cast(pa.binary(8))
            word = np.frombuffer(fixed.buffers()[1], dtype=np.uint64, count=len(fixed), offset=8 * fixed.offset)
            h = (h ^ word) * _MIX
            h ^= h >> np.uint64(32)
    return h


def value_hash(arr) -> np.ndarray:
    """A hash of each typed value such that values Arrow finds equal hash equally (nulls alike).

    Floats are normalised first (-0.0 as 0.0, every NaN as one), so a coarser equality than
    Arrow's is safe: it can only put more values in one partition, never split equal ones."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ...package.cast import as_array

    arr = as_array(arr)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    t = arr.type
    valid = arr.is_valid().to_numpy(zero_copy_only=False) if arr.null_count else np.ones(len(arr), dtype=bool)
    if pa.types.is_null(t):
        return np.full(len(arr), _NULL, dtype=np.uint64)
    if pa.types.is_floating(t):
        v = arr.cast(pa.float64()).fill_null(0.0).to_numpy(zero_copy_only=False) + 0.0
        v[np.isnan(v)] = np.nan
        h = v.view(np.uint64).copy()
    elif pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_binary(t) or pa.types.is_large_binary(t):
        h = _text_hash(arr.fill_null(""))
    else:
        try:
            h = pc.cast(arr, pa.int64(), safe=False).fill_null(0).to_numpy(zero_copy_only=False).view(np.uint64).copy()
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
            try:
                h = _text_hash(pc.cast(arr, pa.string()).fill_null(""))
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
                h = np.zeros(len(arr), dtype=np.uint64)  # one partition: exact, only not split
    h[~valid] = _NULL
    return h


def partition_of(columns: list, partitions: int) -> np.ndarray:
    """The partition (0 .. partitions-1) of each row's key tuple."""
    n = len(columns[0]) if columns else 0
    if partitions <= 1:
        return np.zeros(n, dtype=np.uint16)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for col in columns:
            h = (h * _MIX) ^ value_hash(col)
            h ^= h >> np.uint64(31)
        h *= _MIX
        h ^= h >> np.uint64(29)
    return (h % np.uint64(partitions)).astype(np.uint16)


def _null_of(casts: list) -> np.ndarray:
    return np.logical_and.reduce([c.missing | c.bad for c in casts])


def _rows_table(check, fields: list, mask: np.ndarray, numbers: dict, partitions: int | None):
    """The rows of `mask`: v0.. typed values, t0.. their text, line, row (and part)."""
    import pyarrow as pa

    from ...package.cast import as_array

    idx = pa.array(np.flatnonzero(mask), pa.int64())
    cols = {}
    values = [as_array(check.casts[f].values).take(idx) for f in fields]
    for i, f in enumerate(fields):
        cols[f"v{i}"] = values[i]
        cols[f"t{i}"] = as_array(check.parsed.columns[numbers[f]]).take(idx)
    cols["line"] = pa.array(check.parsed.lines[mask].astype(np.int64))
    cols["row"] = pa.array(check.parsed.row_numbers[mask].astype(np.int64))
    if partitions is not None:
        cols["part"] = pa.array(partition_of(values, partitions))
    return pa.table(cols)


def key_material(check, fields: tuple, partitions: int):
    """Rows taking part in a unique or primary key over `fields`, partitioned; None without columns.

    One field: its non-null values (a repeat is among them, as keys._value_duplicates finds
    it); several: every row whose key is not entirely blank (null is a value of its own there)."""
    if any(f not in check.casts for f in fields):
        return None
    casts = [check.casts[f] for f in fields]
    if len(fields) == 1:
        vals = casts[0].values
        mask = vals.is_valid().to_numpy(zero_copy_only=False) if vals.null_count else np.ones(len(vals), dtype=bool)
    else:
        mask = ~_null_of(casts)
    return _rows_table(check, list(fields), mask, _numbers(check), partitions)


def fk_material(check, fields: tuple):
    """Rows whose foreign key over `fields` is not entirely blank (they must match), or None."""
    if any(f not in check.casts for f in fields):
        return None
    return _rows_table(check, list(fields), ~_null_of([check.casts[f] for f in fields]), _numbers(check), None)


def distinct_keys(check, fields: tuple):
    """The distinct typed key tuples over `fields` among rows not entirely blank, or None."""
    import pyarrow as pa

    from ...package.cast import as_array

    if any(f not in check.casts for f in fields):
        return None
    mask = ~_null_of([check.casts[f] for f in fields])
    idx = pa.array(np.flatnonzero(mask), pa.int64())
    table = pa.table({f"v{i}": as_array(check.casts[f].values).take(idx) for i, f in enumerate(fields)})
    return distinct(table)


def distinct(table):
    """The table's distinct rows (null a value like any other)."""
    if table.num_rows == 0:
        return table
    return table.group_by(table.column_names, use_threads=False).aggregate([])


def _numbers(check) -> dict:
    return {f["name"]: i for i, f in enumerate(check.header.columns) if f is not None}


def typed_rows(check, names: tuple) -> dict:
    """The chunk's rows layer 3 reads (not blank, not ragged), in file order: their lines, and
    for each of `names` its typed values and which cells were missing (what frames.TypedTable
    takes from a whole table's check). Fields the chunk has no column for are left out."""
    import pyarrow as pa

    from ...package.cast import as_array

    n = check.parsed.n_rows
    keep = ~(check.blank | check.ragged) if n else np.zeros(0, dtype=bool)
    idx = np.flatnonzero(keep)
    lines = check.parsed.lines[idx].astype(np.int64)
    if len(idx) > 1 and not np.all(np.diff(lines) > 0):  # ragged rows come after pyarrow's
        order = np.argsort(lines, kind="stable")
        idx, lines = idx[order], lines[order]
    take = pa.array(idx, pa.int64())
    columns = {name: (as_array(check.casts[name].values).take(take), check.casts[name].missing[idx])
               for name in names if check.casts.get(name) is not None}
    return {"lines": lines, "columns": columns}
