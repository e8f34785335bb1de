"""Where a large CSV file's chunks start and end: one pass over its bytes, a block at a time.

A chunk must end where a record ends, or its last row would be cut in two. A line feed ends a
record when the quotes before it are even in number (inside a quoted cell the count is odd),
which is what the whole-file byte scan (structure/scan.py) relies on too; here the parity is
carried from block to block, so the file is never in memory whole. Each chunk also needs the
editor line where it starts, which is one plus the line breaks before it (LF, and CR not
followed by LF, as the scan counts them).

Parity is exact for RFC 4180 quoting. A stray quote inside an unquoted cell flips it, and an
edge found after one may fall inside what the csv module reads as a quoted cell; the chunk
check finds that out (its last record then has an unclosed quote) and the file takes the
whole-file path. A chunk start is a true record start by induction: the first is the file's,
and every other is the end of a chunk whose records were read to the last byte.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BLOCK = 4 * 1024 * 1024


@dataclass(frozen=True)
class ChunkRange:
    """Bytes [start, end) of the file, whole records; `line` is the editor line of `start`."""

    index: int
    start: int
    end: int
    line: int


@dataclass
class Plan:
    """The chunks of one file, and the header record every chunk after the first is read with."""

    header: bytes          # the header record, terminator included
    header_lines: int      # line breaks in it
    chunks: list
    lines: int             # line breaks in the file (LF, lone CR), as bounds.too_many_lines counts them


def _blocks(path, offset: int, size: int):
    with open(path, "rb") as fh:
        fh.seek(offset)
        pos = offset
        while pos < size:
            block = fh.read(min(BLOCK, size - pos))
            if not block:
                break
            yield pos, np.frombuffer(block, dtype=np.uint8)
            pos += len(block)


def plan_file(path, size: int, text_offset: int, chunk_size: int, quote: str | None) -> Plan | str:
    """The chunks of `path` (text from `text_offset`), or why it must be read whole (a str)."""
    q = ord(quote) if quote else None
    parity = 0
    breaks = 0                      # line breaks before the current block
    pending_cr = False              # the previous block ended with CR (LF may follow)
    header_end = None
    chunks: list = []
    start, line = text_offset, 1
    for s, a in _blocks(path, text_offset, size):
        if pending_cr:
            if a[0] != 10:
                breaks += 1
            pending_cr = False
        quotes = np.flatnonzero(a == q) if q is not None else np.zeros(0, dtype=np.int64)
        lf = np.flatnonzero(a == 10)
        cr = np.flatnonzero(a == 13)
        inner = cr[cr < len(a) - 1]
        lone = inner[a[inner + 1] != 10]
        if len(a) and a[-1] == 13:
            pending_cr = True
        even = ((parity + np.searchsorted(quotes, lf)) & 1) == 0
        edges = lf[even] + 1 + s
        if header_end is None and len(edges):
            header_end = int(edges[0])
            if header_end - text_offset > 2 and (lone < header_end - s).any():
                return "the header record ends with a CR alone"
        if header_end is not None:
            while True:
                floor = max(start + chunk_size, header_end + 1 if not chunks else 0)
                k = int(np.searchsorted(edges, floor))
                if k >= len(edges):
                    break
                end = int(edges[k])
                chunks.append(ChunkRange(len(chunks), start, end, line))
                rel = end - s
                line = 1 + breaks + int(np.searchsorted(lf, rel)) + int(np.searchsorted(lone, rel))
                start = end
        breaks += len(lf) + len(lone)
        parity = (parity + len(quotes)) & 1
    if pending_cr:
        breaks += 1
    if header_end is None:
        return "no line feed ends the header record"
    if start < size:
        chunks.append(ChunkRange(len(chunks), start, size, line))
    with open(path, "rb") as fh:
        fh.seek(text_offset)
        header = fh.read(header_end - text_offset)
    return Plan(header=header, header_lines=header.count(b"\n") + header.count(b"\r") - header.count(b"\r\n"),
                chunks=chunks, lines=breaks)
