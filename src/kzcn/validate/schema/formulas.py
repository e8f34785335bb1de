"""Text cells a spreadsheet would run as a formula (`formula-cell`).

Its own module because the finding is not about the schema's rules but about what happens when
the file is opened in a spreadsheet: a string cell that starts with =, +, - or @ (plain numbers
such as -3 or +1.5%, and a sign followed only by digits, spaces, dots, dashes and parentheses,
such as the phone number +55 21 2345-6789, excepted: on one real package 286 of 287 warnings
were phone numbers, and a warning that is nearly always noise teaches people to ignore it).
The message says what the spreadsheet would do with the cell. Layer 1 (structure.formula_candidates) finds the candidates in
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
# "+55 21 2345-6789", "+7 (727) 123-45-67", "-1 234.5": a sign, then only digits, spaces, dots,
# dashes and parentheses. A spreadsheet keeps such a cell as text or reads it as a number (a
# phone number, a signed figure); it has no name or function it could call, so nothing runs.
_INERT_SIGNED = re.compile(r"^[+-][\d\s.()\-]*\d[\d\s.()\-]*$")

EFFECTS = {
    "=": "a spreadsheet would run it as a formula and show the result, not the text (or start a program "
         "through DDE, as in =cmd|...)",
    "+": "a spreadsheet would run it as a formula (a leading + starts one, as = does), not keep the text",
    "-": "a spreadsheet would run it as a formula (a leading - starts one, as = does), not keep the text",
    "@": "a spreadsheet would run it as a function call (Excel reads a leading @ as one), not keep the text",
}


def inert(text: str) -> bool:
    """Whether a spreadsheet would not run `text` as a formula although it starts with =, +, - or @:
    too short to be one, a plain number, or a sign followed by digits and punctuation only."""
    return len(text) < 2 or bool(_NUMBER_TEXT.match(text)) or bool(_INERT_SIGNED.match(text))


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
                if text is None or inert(text):
                    continue
                if len(out) >= budget.cap:
                    over += 1
                    continue
                out.append(cat.make("formula-cell", line=int(parsed.lines[p]), row=int(parsed.row_numbers[p]),
                                    field=fdef["name"], field_number=i + 1, cell=text[:60], char=text[0],
                                    effect=EFFECTS.get(text[0], EFFECTS["="]), **where))
        budget.drop(where.get("resource"), "formula-cell", over, "warning")
        return out

    return [f for found in columnwise(one, range(len(check.header.columns)), parsed.n_rows) for f in found]
