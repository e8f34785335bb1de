"""The numpy scan over a file's bytes: where its records start and end, in one pass.

The scan finds the quotes, the line breaks and which of them end a record (a break inside quotes
does not: the count of quotes before it is odd, so `""` escapes need no special case), the kind
of each record terminator and the editor line where each record starts. It also counts cells per
record without splitting them. When a quote sits where RFC 4180 does not put it, the parity of
quotes no longer tells where records end: the scan raises `ExactPathNeeded` and the exact path
reads the file instead.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .endings import CR, CRLF


class ExactPathNeeded(Exception):
    """The fast scan cannot split this file exactly; the exact path must read it."""


@dataclass
class Scan:
    """Where the records of a file are, from one pass over its bytes."""

    starts: np.ndarray        # byte offset where each record starts
    ends: np.ndarray          # byte offset where each record's content ends (before its terminator)
    term_kinds: np.ndarray    # LF/CRLF/CR for each record, -1 for a last record without terminator
    term_lines: np.ndarray    # editor line of each record's terminator (its last line)
    lines: np.ndarray         # editor line where each record starts
    quotes: np.ndarray        # byte offsets of every quote character
    quoted_breaks: bool       # some cell spans lines
    total_lines: int


def positions(a: np.ndarray, byte: int, chunk: int = 1 << 22) -> np.ndarray:
    """Offsets of every `byte` in `a`, a few MB at a time (cache-sized, no file-sized mask)."""
    found = []
    for s in range(0, len(a), chunk):
        p = np.flatnonzero(a[s:s + chunk] == byte)
        if len(p):
            found.append(p + s)
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def scan(a: np.ndarray, delimiter: int, quote: int | None, has_cr: bool = True, has_quote: bool = True) -> Scan:
    """Split the bytes into records; raise ExactPathNeeded when quoting is irregular."""
    n = len(a)
    # quotes first: an odd count sends the file to the exact path before any per-line array exists
    quotes = positions(a, quote) if quote is not None and has_quote else np.zeros(0, dtype=np.int64)
    if len(quotes) % 2:
        raise ExactPathNeeded("a quote is never closed")
    lf = positions(a, 10)
    cr = positions(a, 13) if has_cr else np.zeros(0, dtype=np.int64)
    if len(cr):
        nxt = a[np.minimum(cr + 1, n - 1)]
        crlf_cr = (cr + 1 < n) & (nxt == 10)
        lone = cr[~crlf_cr]
        crlf_lf = cr[crlf_cr] + 1
        breaks = np.sort(np.concatenate([lf, lone])) if len(lone) else lf
        kinds = np.zeros(len(breaks), dtype=np.int8)
        if len(lone):
            kinds[np.isin(breaks, lone, assume_unique=True)] = CR
        if len(crlf_lf):
            kinds[np.isin(breaks, crlf_lf, assume_unique=True)] = CRLF
    else:
        breaks = lf
        kinds = np.zeros(len(breaks), dtype=np.int8)

    if len(quotes):
        op, cl = quotes[0::2], quotes[1::2]
        prev = a[np.maximum(op - 1, 0)]
        ok_open = (op == 0) | (prev == delimiter) | (prev == 10) | (prev == 13)
        ok_open[1:] |= op[1:] - 1 == cl[:-1]
        nxt = a[np.minimum(cl + 1, n - 1)]
        ok_close = (cl == n - 1) | (nxt == delimiter) | (nxt == 10) | (nxt == 13)
        ok_close[:-1] |= cl[:-1] + 1 == op[1:]
        if not (ok_open.all() and ok_close.all()):
            raise ExactPathNeeded("a quote sits inside a cell")
        inside = (np.searchsorted(quotes, breaks) & 1).astype(bool)
        quoted_breaks = bool(inside.any())
        if quoted_breaks:
            term_idx = np.flatnonzero(~inside)
        else:
            term_idx = None
    else:
        quoted_breaks = False
        term_idx = None

    terms = breaks if term_idx is None else breaks[term_idx]
    tkinds = kinds if term_idx is None else kinds[term_idx]
    starts = np.empty(len(terms) + 1, dtype=np.int64)
    starts[0] = 0
    starts[1:] = terms + 1
    ends = terms - (tkinds == CRLF)
    term_kinds = tkinds.astype(np.int8)
    term_lines = (np.arange(1, len(terms) + 1) if term_idx is None else term_idx + 1).astype(np.int64)
    if starts[-1] >= n:
        starts = starts[:-1]
    else:
        ends = np.append(ends, n)
        term_kinds = np.append(term_kinds, np.int8(-1))
        term_lines = np.append(term_lines, len(breaks) + 1)
    if quoted_breaks:
        lines = np.searchsorted(breaks, starts) + 1
    else:
        lines = np.arange(1, len(starts) + 1, dtype=np.int64)
    total = len(breaks) + (1 if n and (len(breaks) == 0 or breaks[-1] != n - 1) else 0)
    return Scan(starts=starts, ends=np.asarray(ends, dtype=np.int64), term_kinds=term_kinds,
                term_lines=term_lines, lines=lines.astype(np.int64), quotes=quotes,
                quoted_breaks=quoted_breaks, total_lines=total)


def array_blocks(a: np.ndarray, chunk: int = 1 << 22):
    """The bytes in memory, a few MB at a time: (offset, block)."""
    for s in range(0, len(a), chunk):
        yield s, a[s:s + chunk]


def file_blocks(path, offset: int, chunk: int = 1 << 22):
    """The bytes of a file from `offset`, read a few MB at a time into one reused buffer."""
    buf = bytearray(chunk)
    with open(path, "rb") as fh:
        fh.seek(offset)
        s = 0
        while True:
            n = fh.readinto(buf)
            if not n:
                break
            yield s, np.frombuffer(buf, dtype=np.uint8, count=n)
            s += n


def _prefix_counts(blocks, byte: int, positions: np.ndarray) -> np.ndarray:
    """How many `byte`s come before each position, over the text given block by block."""
    order = np.argsort(positions, kind="stable")
    sorted_pos = positions[order]
    out = np.empty(len(positions), dtype=np.int64)
    carry = 0
    lo = 0
    for s, block in blocks:
        e = s + len(block)
        hi = int(np.searchsorted(sorted_pos, e, side="left"))
        hits = np.flatnonzero(block == byte)  # sparse: far cheaper than a running sum of the block
        if hi > lo:
            out[order[lo:hi]] = np.searchsorted(hits, sorted_pos[lo:hi] - s, side="left") + carry
        carry += len(hits)
        lo = hi
    out[order[lo:]] = carry
    return out


def field_counts(blocks, sc: Scan, delimiter: int, idx: np.ndarray) -> np.ndarray:
    """Cells in each record of `idx`: delimiters outside quotes + 1 (0 for an empty line)."""
    starts, ends = sc.starts[idx], sc.ends[idx]
    op, cl = sc.quotes[0::2], sc.quotes[1::2]
    pts = np.concatenate([starts, ends, op, cl])
    counts = _prefix_counts(blocks, delimiter, pts)
    k = len(idx)
    total = counts[k:2 * k] - counts[:k]
    if len(op):
        inner = counts[2 * k + len(op):] - counts[2 * k:2 * k + len(op)]
        owner = np.searchsorted(starts, op, side="right") - 1
        inside = owner >= 0
        inside &= op < ends[np.maximum(owner, 0)]
        if inside.any():
            total = total - np.bincount(owner[inside], weights=inner[inside], minlength=k).astype(np.int64)
    out = total + 1
    out[starts == ends] = 0
    return out
