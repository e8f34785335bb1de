"""Every cell of one table against the schema: one pass per column, then the row-level findings.

Its own module because it makes the `TableCheck` every later check reads (the typed columns,
the blank and ragged rows). A row whose cells are all missing is one `blank-row`, which replaces
the row's other cell findings; `missing-cell`/`extra-cell` for short and long rows. The
per-column type and constraint checks are field.py's. Large tables check two columns at once
(`columnwise`), which formulas.py uses too.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field as dc_field

import numpy as np

from .. import catalogue as cat
from ...package.cast import Cast, as_array, cast_array, missing_mask
from ..structure import ParsedCsv
from .field import Cells, check_field
from .header import Header

PARALLEL_ROWS = 50_000


def columnwise(fn, items, n_rows: int) -> list:
    """fn over the columns, in two threads for large tables (Arrow and numpy kernels release the
    GIL, so two columns are checked at once); in order, serially, for small ones."""
    items = list(items)
    workers = min(4, os.cpu_count() or 1)
    if n_rows < PARALLEL_ROWS or workers < 2 or len(items) < 2:
        return [fn(i) for i in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, items))


@dataclass
class TableCheck:
    """What layer 2 found and computed for one table (keys and frames are built from it)."""

    parsed: ParsedCsv
    header: Header
    casts: dict = dc_field(default_factory=dict)     # field name -> Cast
    blank: np.ndarray | None = None                  # row is blank
    ragged: np.ndarray | None = None                 # row has too few or too many cells
    findings: list = dc_field(default_factory=list)


def check_cells(parsed: ParsedCsv, header: Header, schema: dict, where: dict) -> TableCheck:
    """Types and constraints of every cell, blank rows, short and long rows; one pass per column."""
    n, width = parsed.n_rows, parsed.width
    missing_values = schema.get("missingValues", [""])
    check = TableCheck(parsed=parsed, header=header)
    if n == 0:  # nothing to check, but keys into this table must find nothing
        check.blank = np.zeros(0, dtype=bool)
        check.ragged = np.zeros(0, dtype=bool)
        check.casts = {f["name"]: cast_array(parsed.columns[i], f, missing_values)
                       for i, f in enumerate(header.columns) if f is not None and i < len(parsed.columns)}
        return check
    counts = parsed.cell_counts
    ragged = counts != width
    all_missing = np.ones(n, dtype=bool)
    casts: dict[str, Cast] = {}

    def read(i):
        fdef = header.columns[i] if i < len(header.columns) else None
        raw = parsed.columns[i]
        if fdef is None:
            return None, missing_mask(as_array(raw), missing_values)
        return fdef, cast_array(raw, fdef, missing_values)

    for fdef, result in columnwise(read, range(width), n):
        if fdef is None:
            all_missing &= result
        else:
            casts[fdef["name"]] = result
            all_missing &= result.missing
    blank = all_missing if width else np.zeros(n, dtype=bool)
    from ..budget import current

    budget = current()
    res = where.get("resource")
    cells = Cells(parsed, where, blank, budget)
    if blank.any():
        for p in budget.first(np.flatnonzero(blank), parsed.lines, res, "blank-row"):
            cells.out.append(cat.make("blank-row", line=int(parsed.lines[p]), row=int(parsed.row_numbers[p]),
                                      msg=("the line is empty" if counts[p] == 0 else
                                           "the row is blank: every cell is empty"), **where))

    def judge(i):
        fdef = header.columns[i] if i < len(header.columns) else None
        if fdef is None:
            return []
        own = Cells(parsed, where, blank, budget)
        check_field(own, parsed.columns[i], fdef, casts[fdef["name"]], i + 1, missing_values, absent=counts <= i)
        return own.out

    for found in columnwise(judge, range(width), n):
        cells.out.extend(found)
    # short rows: a missing-cell per absent column; long rows: an extra-cell per surplus cell
    short = np.flatnonzero((counts < width) & ~blank)
    short = budget.first(short, parsed.lines, res, "missing-cell", weights=width - counts)
    for p in short:
        for pos in range(int(counts[p]) + 1, width + 1):
            fdef = header.columns[pos - 1]
            name = fdef["name"] if fdef else (parsed.labels[pos - 1] if parsed.labels else None)
            cells.out.append(cat.make("missing-cell", line=int(parsed.lines[p]), row=int(parsed.row_numbers[p]),
                                      field=name, field_number=pos, count=int(counts[p]), width=width,
                                      **where))
    long_ = np.flatnonzero((counts > width) & ~blank)
    long_ = budget.first(long_, parsed.lines, res, "extra-cell", weights=counts - width)
    for p in long_:
        extra = parsed.extras.get(int(p), [])
        surplus = int(counts[p]) - width
        budget.drop(res, "extra-cell", surplus - budget.cap)  # one row of a million cells: list the first
        for k in range(min(surplus, budget.cap)):
            cell = extra[k] if k < len(extra) else ""
            # field "": the cell has no field, and frictionless's fieldName says so the same way
            cells.out.append(cat.make("extra-cell", line=int(parsed.lines[p]), row=int(parsed.row_numbers[p]),
                                      field="", field_number=width + k + 1, cell=cell[:60], width=width, **where))
    check.casts, check.blank, check.ragged, check.findings = casts, blank, ragged, cells.out
    return check
