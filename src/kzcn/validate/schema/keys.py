"""Unique fields and the primary key: `unique-error` and `primary-key` findings.

Its own module because keys are found across whole columns, not cell by cell: by hashing each
column once (Arrow dictionary encoding), never row by row. `unique-error` is on the second and
later occurrences of a value; `primary-key` when a key repeats or is entirely blank. Beyond
frictionless, a blank in one part of a composite key is a `primary-key` finding too (the Table
Schema spec makes key fields implicitly required). `combine` (one code per row for a tuple of
columns) serves foreign_keys.py as well.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import catalogue as cat
from ...package.cast import as_array, encode
from .cells import TableCheck
from .vocabulary import as_list


def _codes(arr) -> tuple[np.ndarray, int]:
    """Hash a column: an int code per row (equal values, equal codes; null has a code of its own)."""
    dictionary, idx = encode(arr)
    k = len(dictionary)
    idx = np.where(idx < 0, k, idx)
    return idx, k + 1


def combine(columns: list) -> np.ndarray:
    """One int code per row for a tuple of columns (composite keys)."""
    codes, k = _codes(columns[0])
    for col in columns[1:]:
        c2, k2 = _codes(col)
        combined = codes * k2 + c2
        uniq, inverse = np.unique(combined, return_inverse=True)
        codes, k = inverse.astype(np.int64), len(uniq)
    return codes


def _duplicates(codes: np.ndarray, eligible: np.ndarray, order: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(positions of second and later occurrences among eligible rows, position of each one's first).

    "First" is by `order` (the rows' numbers in the file) when the rows are not in file order.
    """
    pos = np.flatnonzero(eligible)
    if order is not None and len(pos) > 1 and not np.all(np.diff(order[pos]) > 0):
        pos = pos[np.argsort(order[pos], kind="stable")]
    if len(pos) < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    sub = codes[pos]
    if sub.min() >= 0:
        # count each code (codes are dense), then look only at the rows whose value repeats:
        # linear, and a sort of the few repeated rows instead of all of them
        repeated = np.flatnonzero(np.bincount(sub)[sub] > 1)
        if not len(repeated):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        _, first_idx, inverse = np.unique(sub[repeated], return_index=True, return_inverse=True)
        first_of = repeated[first_idx[inverse]]
        later = first_of != repeated
        return pos[repeated[later]], pos[first_of[later]]
    uniq, first_idx, inverse = np.unique(sub, return_index=True, return_inverse=True)
    if len(uniq) == len(sub):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    first_of = first_idx[inverse]
    later = np.flatnonzero(first_of != np.arange(len(sub)))
    return pos[later], pos[first_of[later]]


def _strictly_increasing(values) -> bool:
    """Sorted keys (ids written in order) are unique without hashing: one comparison kernel."""
    if len(values) < 2 or values.null_count:
        return len(values) < 2
    try:
        return pc.all(pc.less(values[:-1], values[1:])).as_py() is True
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError):
        return False


def _value_duplicates(values, order: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Second and later occurrences of non-null values (and each one's first), by hashing once."""
    if _strictly_increasing(values):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    dictionary, codes = encode(values)
    nonnull = len(values) - values.null_count
    if len(dictionary) == nonnull:  # the clean case: every value distinct
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return _duplicates(codes, codes >= 0, order)


def key_findings(check: TableCheck, schema: dict, where: dict) -> list:
    """unique-error per unique field, primary-key per repeated or blank key."""
    out = []
    parsed = check.parsed
    n = parsed.n_rows
    if n == 0:
        return out
    lines, rows = parsed.lines, parsed.row_numbers
    from ..budget import current

    budget, res = current(), where.get("resource")
    numbers = {f["name"]: i + 1 for i, f in enumerate(check.header.columns) if f is not None}
    unique_dups: dict[str, tuple] = {}
    for name, cast in check.casts.items():
        fdef = check.header.columns[numbers[name] - 1]
        if not (fdef.get("constraints") or {}).get("unique"):
            continue
        later, first = unique_dups[name] = _value_duplicates(cast.values, rows)
        if not len(later):
            continue
        kept = budget.first_index(later, lines, res, "unique-error")
        raw = as_array(parsed.columns[numbers[name] - 1])
        texts = raw.take(pa.array(np.asarray(later)[kept], pa.int64())).to_pylist()
        for p, f0, text in zip(np.asarray(later)[kept], np.asarray(first)[kept], texts):
            out.append(unique_finding(name, numbers[name], int(lines[p]), int(rows[p]), text, int(lines[f0]), where))
    pk = as_list(schema.get("primaryKey"))
    if pk and all(k in check.casts for k in pk):
        cols = [check.casts[k] for k in pk]
        out += blank_key_findings(check, pk, where)
        all_null = np.logical_and.reduce([c.missing | c.bad for c in cols])
        eligible = ~all_null
        if len(pk) == 1:
            later, first = unique_dups[pk[0]] if pk[0] in unique_dups else _value_duplicates(cols[0].values, rows)
        else:
            codes = combine([c.values for c in cols])
            later, first = _duplicates(codes, eligible, rows)
        if len(later):
            kept = budget.first_index(later, lines, res, "primary-key")
            later, first = np.asarray(later)[kept], np.asarray(first)[kept]
            texts = [as_array(parsed.columns[numbers[k] - 1]).take(pa.array(later, pa.int64())).to_pylist() for k in pk]
            for j, (p, f0) in enumerate(zip(later, first)):
                out.append(repeat_finding(pk, int(lines[p]), int(rows[p]), [t[j] for t in texts], int(lines[f0]), where))
    return out


def unique_finding(name: str, number: int, line: int, row: int, cell, first_line: int, where: dict):
    """The unique-error of a cell that repeats the value of `first_line` (also made by validate.stream)."""
    return cat.make("unique-error", line=line, row=row, field=name, field_number=number, cell=cell,
                    first_line=first_line, **where)


def repeat_finding(pk: list, line: int, row: int, texts: list, first_line: int, where: dict):
    """The primary-key finding of a row whose key repeats the key of `first_line` (`texts`: its cells)."""
    label = ", ".join(pk)
    shown = ", ".join(repr(t) for t in texts)
    what = f"the primary key {label} {shown}" if len(pk) == 1 else f"the primary key ({label}) = ({shown})"
    return cat.make("primary-key", line=line, row=row, field=label, **where,
                    detail=f"{what} repeats the key of line {first_line}")


def blank_key_findings(check: TableCheck, pk: list, where: dict) -> list:
    """primary-key per row whose key is blank, entirely or in part: one row at a time, so a
    chunk of a streamed table (validate.stream) finds them as the whole table does."""
    from ..budget import current

    budget, res = current(), where.get("resource")
    lines, rows = check.parsed.lines, check.parsed.row_numbers
    numbers = {f["name"]: i + 1 for i, f in enumerate(check.header.columns) if f is not None}
    cols = [check.casts[k] for k in pk]
    nulls = [c.missing | c.bad for c in cols]
    all_null = np.logical_and.reduce(nulls)
    some_null = np.logical_or.reduce(nulls) & ~all_null
    label = ", ".join(pk)
    out = []
    for p in budget.first(np.flatnonzero(all_null), lines, res, "primary-key"):
        out.append(cat.make("primary-key", line=int(lines[p]), row=int(rows[p]), field=label, **where,
                            detail=(f"the primary key {label} is blank" if len(pk) > 1 else
                                    f"the primary key {label} is blank" +
                                    (" (its cell is not a valid value)" if cols[0].bad[p] else ""))))
    if len(pk) > 1:
        for p in budget.first(np.flatnonzero(some_null), lines, res, "primary-key"):
            blanks = [k for k, m in zip(pk, nulls) if m[p]]
            out.append(cat.make("primary-key", line=int(lines[p]), row=int(rows[p]), field=blanks[0],
                                field_number=numbers.get(blanks[0]), **where,
                                detail=(f"part of the primary key ({label}) is blank: {', '.join(blanks)}; "
                                        f"every part of a primary key is required")))
    return out
