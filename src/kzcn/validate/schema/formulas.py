"""Text cells a spreadsheet would run as a formula (`formula-cell`).

Its own module because the finding is not about the schema's rules but about what happens when
the file is opened in a spreadsheet: a string cell that starts with =, +, - or @ (plain numbers
such as -3 or +1.5% excepted). Layer 1 (structure.formula_candidates) finds the candidates in
one kernel; only those are read here.
"""
from __future__ import annotations

import re

import pyarrow as pa

from .. import catalogue as cat
from ...package.cast import as_array, fformat, ftype
from ..structure import formula_candidates
from .cells import TableCheck, columnwise

_NUMBER_TEXT = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?%?$")


def formula_findings(check: TableCheck, where: dict) -> list:
    """Text cells a spreadsheet would run as a formula (=, +, -, @ first; plain numbers excepted)."""
    parsed = check.parsed

    def one(i):
        fdef = check.header.columns[i]
        if fdef is None or ftype(fdef) != "string" or fformat(fdef) not in ("default", ""):
            return []
        cand = formula_candidates(parsed.columns[i])
        if not len(cand):
            return []
        cand = cand[~check.blank[cand]] if check.blank is not None and len(check.blank) else cand
        texts = as_array(parsed.columns[i]).take(pa.array(cand, pa.int64())).to_pylist()
        out = []
        for p, text in zip(cand, texts):
            if text is None or len(text) < 2 or _NUMBER_TEXT.match(text):
                continue
            out.append(cat.make("formula-cell", line=int(parsed.lines[p]), row=int(parsed.row_numbers[p]),
                                field=fdef["name"], field_number=i + 1, cell=text[:60], char=text[0], **where))
        return out

    return [f for found in columnwise(one, range(len(check.header.columns)), parsed.n_rows) for f in found]
