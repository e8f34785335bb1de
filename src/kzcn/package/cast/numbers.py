"""Integers and numbers: frictionless's exact readers and the vectorised cast that spares them.

Numeric columns are the big ones, so they get the most elaborate path: one Arrow cast of the
whole column when every cell is canonical, otherwise a regular-expression gate that settles the
canonical cells with Arrow and hands only the rest to the exact reader (`int(cell.strip())`,
`Decimal(cell.strip())`, with `bareNumber`, `groupChar` and `decimalChar` applied). An integer
beyond 64 bits is reported apart (`overflow`), since it has its own message.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .arrays import _encode_python, _from_numpy, regex_mask, to_bool_numpy
from .fields import _bare_number

# Canonical spellings the Arrow kernels settle on their own (RE2 syntax, whole cell).
_INT_RE = r"^[+-]?[0-9]{1,18}$"
_NUM_RE = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
_BARE_RE = re.compile(r"((^[^-\d]*)|(\D*$))")


# ----------------------------------------------------------------------------- exact readers

def _read_integer(field):
    bare = _bare_number(field)

    def read(cell):
        if isinstance(cell, bool):
            return None
        if isinstance(cell, int):
            return cell
        if isinstance(cell, float):
            return int(cell) if cell.is_integer() else None
        if isinstance(cell, Decimal):
            return int(cell) if cell % 1 == 0 else None
        if not isinstance(cell, str):
            return None
        text = cell.strip()
        if not bare:
            text = _BARE_RE.sub("", text)
        try:
            return int(text)
        except (ValueError, TypeError):
            return None
    return read


def _read_number(field):
    bare = _bare_number(field)
    group = field.get("groupChar")
    decimal = field.get("decimalChar", ".")
    processed = not bare or "groupChar" in field or "decimalChar" in field

    def read(cell):
        if isinstance(cell, bool):
            return None
        if isinstance(cell, (int, float)):
            return float(cell)
        if isinstance(cell, Decimal):
            return float(cell)
        if not isinstance(cell, str):
            return None
        text = cell.strip()
        if processed:
            if not bare:
                text = _BARE_RE.sub("", text)
            if group:
                text = text.replace(group, "")
            if decimal != "." and "." in text:
                return None
            text = text.replace(decimal, ".")
        try:
            return float(Decimal(text))
        except (InvalidOperation, ValueError, TypeError):
            return None
    return read


# ----------------------------------------------------------------------------- the column cast

def _by_python(strings: pa.Array, todo: np.ndarray, read, typ: pa.DataType):
    """Judge the cells at positions `todo` with the exact reader, once per distinct text."""
    texts = strings.take(pa.array(todo, pa.int64())).to_pylist()
    memo: dict = {}
    out = []
    for t in texts:
        try:
            v = memo[t]
        except KeyError:
            v = memo[t] = read(t)
        out.append(v)
    return out


def _scatter(base_values: np.ndarray, base_valid: np.ndarray, todo: np.ndarray, py_values: list, typ):
    vals, valid, too_big = _encode_python(py_values, typ)
    base_values[todo] = vals
    base_valid[todo] = valid
    return too_big


def _wholesale(present, typ: pa.DataType, read, n: int):
    """Cast every present cell at once; None if one cell needs the exact path.

    Arrow's parsers accept a few spellings Python's do not (hexadecimal integers, `nan(123)`),
    so integer cells with an x and number cells that became NaN or infinity are re-judged.
    """
    try:
        values = pc.cast(present, typ)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if typ == pa.int64():
        if pc.any(pc.match_substring(present, "x", ignore_case=True)).as_py():
            return None
        return values, np.zeros(n, dtype=bool)
    odd = pc.or_(pc.is_nan(values), pc.is_inf(values))
    if pc.any(odd).as_py():
        pos = np.flatnonzero(to_bool_numpy(odd))
        texts = present.take(pa.array(pos, pa.int64())).to_pylist()
        if any(read(t) is None for t in texts):
            return None
    return values, np.zeros(n, dtype=bool)


def _cast_numeric(present, pmask: np.ndarray, field: dict, typ: pa.DataType, pattern: str, read) -> tuple:
    """integer/number: one Arrow cast when every cell is canonical; else a regex gate plus the
    exact reader for the cells the gate does not settle."""
    n = len(present)
    processed = not _bare_number(field) or (typ == pa.float64() and ("groupChar" in field or "decimalChar" in field))
    if not processed:
        done = _wholesale(present, typ, read, n)
        if done is not None:
            return done[0], done[1], None
    strings = present
    canonical = np.zeros(n, dtype=bool) if processed else regex_mask(strings, pattern)
    values = np.zeros(n, dtype=np.int64 if typ == pa.int64() else np.float64)
    valid = np.zeros(n, dtype=bool)
    if canonical.any():
        gated = pc.if_else(pa.array(canonical), strings, pa.scalar(None, pa.string()))
        if typ == pa.int64():
            gated = pc.replace_substring_regex(gated, r"^\+", "")
        cast = pc.cast(gated, typ)
        values = cast.fill_null(0).to_numpy(zero_copy_only=False).astype(values.dtype, copy=True)
        valid = canonical.copy()
    todo = np.flatnonzero(pmask & ~canonical)
    overflow = None
    if len(todo):
        too_big = _scatter(values, valid, todo, _by_python(strings, todo, read, typ), typ)
        if too_big is not None and too_big.any():
            overflow = np.zeros(n, dtype=bool)
            overflow[todo[too_big]] = True
    bad = pmask & ~valid
    return _from_numpy(values, valid, typ), bad, overflow


def _cast_integer(present, pmask: np.ndarray, field: dict, typ: pa.DataType) -> tuple:
    """An integer column: (values, bad, overflow)."""
    return _cast_numeric(present, pmask, field, typ, _INT_RE, _read_integer(field))


def _cast_number(present, pmask: np.ndarray, field: dict, typ: pa.DataType) -> tuple:
    """A number column: (values, bad, overflow)."""
    return _cast_numeric(present, pmask, field, typ, _NUM_RE, _read_number(field))
