"""Cells that a spreadsheet would run as a formula: the first byte of every cell, read in bulk.

Layer 2 reports cells starting with = + - @ (numbers such as -43 aside); finding the candidates
reads the Arrow buffers layer 1 produced directly, so it lives beside them.
"""
from __future__ import annotations

import numpy as np

FORMULA_CHARS = ("=", "+", "-", "@")


def first_bytes(column) -> tuple[np.ndarray, np.ndarray]:
    """First byte of each cell of an Arrow string column, and whether the cell has one.

    Read straight from the Arrow buffers: no per-cell Python, no new strings.
    """
    import pyarrow as pa

    firsts, has = [], []
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    for ch in chunks:
        if len(ch) == 0:
            continue
        if ch.type != pa.string():
            ch = ch.cast(pa.string())
        bufs = ch.buffers()
        offs = np.frombuffer(bufs[1], dtype=np.int32)[ch.offset:ch.offset + len(ch) + 1]
        data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, dtype=np.uint8)
        lengths = np.diff(offs)
        ok = lengths > 0
        if ch.null_count:
            ok &= ch.is_valid().to_numpy(zero_copy_only=False)
        fb = np.zeros(len(ch), dtype=np.uint8)
        if ok.any() and len(data):
            fb[ok] = data[offs[:-1][ok]]
        firsts.append(fb)
        has.append(ok)
    if not firsts:
        return np.zeros(0, dtype=np.uint8), np.zeros(0, dtype=bool)
    return np.concatenate(firsts), np.concatenate(has)


def formula_candidates(column) -> np.ndarray:
    """Rows whose cell starts with one of = + - @ (numbers like -43 are filtered by the caller)."""
    fb, has = first_bytes(column)
    return np.flatnonzero(has & np.isin(fb, np.frombuffer("".join(FORMULA_CHARS).encode(), dtype=np.uint8)))
