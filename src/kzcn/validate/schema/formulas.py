"""Text cells a spreadsheet would run as a formula (`formula-cell`).

Its own module because the finding is not about the schema's rules but about what happens when
the file is opened in a spreadsheet: a string cell that starts with =, +, - or @ (plain numbers
such as -3 or +1.5% excepted). Layer 1 (structure.formula_candidates) finds the candidates in
one kernel; only those are read here.
"""
from __future__ import annotations

import re

import numpy as np
import pyarrow as pa

from .. import catalogue as cat
from ...package.cast import as_array, fformat, ftype
from ..structure import formula_candidates
from .cells import TableCheck, columnwise

_NUMBER_TEXT = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?%?$")


def formula_findings(check: TableCheck, where: dict) -> list:
    """Text cells a spreadsheet would run as a formula (=, +, -, @ first; plain numbers excepted)."""
    parsed = check.parsed
    from ..budget import current

    budget = current()

    def one(i):
        fdef = check.header.columns[i]
        if fdef is None or ftype(fdef) != "string" or fformat(fdef) not in ("default", ""):
            return []
        cand = formula_candidates(parsed.columns[i])
        if not len(cand):
            return []
        cand = cand[~check.blank[cand]] if check.blank is not None and len(check.blank) else cand
        cand = cand[np.argsort(parsed.lines[cand], kind="stable")]  # earliest first: those are listed
        column = as_array(parsed.columns[i])
        out, over = [], 0
        for s in range(0, len(cand), max(budget.cap, 1024)):  # texts a slice at a time, never all at once
            part = cand[s:s + max(budget.cap, 1024)]
            for p, text in zip(part, column.take(pa.array(part, pa.int64())).to_pylist()):
                if text is None or len(text) < 2 or _NUMBER_TEXT.match(text):
                    continue
                if len(out) >= budget.cap:
                    over += 1
                    continue
                out.append(cat.make("formula-cell", line=int(parsed.lines[p]), row=int(parsed.row_numbers[p]),
                                    field=fdef["name"], field_number=i + 1, cell=text[:60], char=text[0], **where))
        budget.drop(where.get("resource"), "formula-cell", over, "warning")
        return out

    return [f for found in columnwise(one, range(len(check.header.columns)), parsed.n_rows) for f in found]
