"""Record terminators: their three kinds and the one finding about them.

Both parse paths classify how each record ends (the byte scan in bulk, the exact path from each
record's raw text) and report a file that mixes kinds the same way, from here.
"""
from __future__ import annotations

import numpy as np

from .. import catalogue as cat

LF, CRLF, CR = 0, 1, 2
KIND_NAMES = {LF: "LF (\\n)", CRLF: "CRLF (\\r\\n)", CR: "CR (\\r)"}


def _term_kind(raw: str) -> int:
    if raw.endswith("\r\n"):
        return CRLF
    if raw.endswith("\n"):
        return LF
    if raw.endswith("\r"):
        return CR
    return -1


def _line_ending_findings(kinds: np.ndarray, term_lines: np.ndarray, where: dict) -> list:
    has = kinds >= 0
    if not has.any():
        return []
    present = kinds[has]
    values, counts = np.unique(present, return_counts=True)
    if len(values) < 2:
        return []
    first = present[0]
    odd = np.flatnonzero(has & (kinds != first))[0]
    summary = ", ".join(f"{int(c)} {KIND_NAMES[int(v)].split(' ')[0]}" for v, c in zip(values, counts))
    line = int(term_lines[odd])
    return [cat.make("mixed-line-endings", line=line, **where, found=KIND_NAMES[int(kinds[odd])],
                     expected=KIND_NAMES[int(first)], counts=summary)]
