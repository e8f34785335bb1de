"""The exact path: a whole file through Python's csv module, record by record.

When a quote sits where RFC 4180 does not put it (inside an unquoted cell, after spaces, never
closed), or the dialect is one the byte scan does not model, the file is read here, as
frictionless reads it. The raw text of each record is kept to locate the defect: a small state
machine over it names stray quotes, whitespace around quotes and an unclosed quote. Slower than
the fast path, but only broken files (and unusual dialects) take it.
"""
from __future__ import annotations

import csv
import io

import numpy as np

from .. import catalogue as cat
from .dialect import Dialect
from .endings import _line_ending_findings, _term_kind
from .parsed import ParsedCsv, _columns_from_lists, _empty_parsed

BATCH = 1 << 16


def _quote_anomalies(raw: str, d: str, q: str) -> list[tuple[str, int, str]]:
    """Stray quotes and whitespace around quotes in one record's raw text: (code, field, snippet)."""
    out = []
    field = 1
    i, n = 0, len(raw)
    state = "start"  # start | unquoted | quoted | after
    field_start = 0
    while i < n:
        c = raw[i]
        if state == "start":
            field_start = i
            if c == q:
                state = "quoted"
            elif c == d:
                field += 1
            elif c in "\r\n":
                break
            elif c in " \t":
                j = _past_blanks(raw, i)
                if j < n and raw[j] == q:
                    out.append(("quote-whitespace", field, "before"))
                    i = j
                    state = "quoted"
                else:
                    state = "unquoted"
            else:
                state = "unquoted"
        elif state == "quoted":
            if c == q:
                if i + 1 < n and raw[i + 1] == q:
                    i += 2
                    continue
                state = "after"
        elif c == d:  # unquoted, or after the closing quote: the field ends
            field += 1
            state = "start"
        elif c in "\r\n":
            break
        elif state == "unquoted":
            if c == q:
                out.append(("stray-quote", field, _rest_of_field(raw, field_start, i, d)))
                while i < n and raw[i] not in (d, "\r", "\n"):
                    i += 1
                continue
        elif c in " \t":  # after the closing quote
            j = _past_blanks(raw, i)
            if j >= n or raw[j] in (d, "\r", "\n"):
                out.append(("quote-whitespace", field, "after"))
                i = j
                continue
            out.append(("stray-quote", field, raw[field_start:j + 10]))
            state = "unquoted"
        else:  # after the closing quote, text before the next delimiter
            out.append(("stray-quote", field, _rest_of_field(raw, field_start, i, d)))
            state = "unquoted"
        i += 1
    if state == "quoted":
        out.append(("unclosed-quote", field, raw[field_start:field_start + 30]))
    return out


def _past_blanks(raw: str, i: int) -> int:
    """The first position from `i` that is not a space or a tab."""
    n = len(raw)
    while i < n and raw[i] in " \t":
        i += 1
    return i


def _rest_of_field(raw: str, field_start: int, i: int, d: str) -> str:
    """A field's raw text from its start to the next delimiter after `i` (else the record's end),
    without the line break."""
    end = raw.find(d, i)
    return raw[field_start:end if end >= 0 else len(raw)].rstrip("\r\n")


def _text_lines(text):
    """Lines of the text, ends kept: from a str, or decoded as they are read from UTF-8 bytes
    (a file-sized str, and io.StringIO's four bytes per character copy of it, are never made)."""
    if isinstance(text, str):
        return io.StringIO(text, newline="")
    return io.TextIOWrapper(io.BytesIO(text), encoding="utf-8", newline="")


def _read_exact(text, dialect: Dialect, where: dict, findings: list):
    """Python's csv module over the text (a str, or UTF-8 bytes), record by record: yields
    (cells, start line, end line, terminator kind, quote anomalies). A csv error ends the
    reading with a finding; so does a cell longer than `Limits.cell_bytes` characters (an
    unclosed quote would otherwise read the rest of the file into one cell, several times over)."""
    from ...package.limits import ENV, current

    captured: list[str] = []
    cell_limit = min(current().cell_bytes, 2**31 - 1)

    def lines():
        for ln in _text_lines(text):
            captured.append(ln)
            yield ln

    old_limit = csv.field_size_limit()
    csv.field_size_limit(cell_limit)
    reader = csv.reader(lines(), **dialect.csv_kwargs())
    consumed = 0
    q = dialect.quote
    try:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    detail = (f"line {consumed + 1}: a cell grows past the limit of {cell_limit:,} characters "
                              f"(a quote that is never closed?); the file is read no further "
                              f"(raise the limit with {ENV['cell_bytes']})")
                else:
                    detail = f"line {consumed + 1} cannot be read as CSV: {exc}"
                captured.clear()
                findings.append(cat.make("source-error", line=consumed + 1, **where, detail=detail))
                break
            raw = "".join(captured)
            captured.clear()
            start = consumed + 1
            consumed = reader.line_num
            anomalies = _quote_anomalies(raw, dialect.delimiter, q) if q is not None and q in raw else ()
            if anomalies and dialect.skip_initial_space:  # the dialect allows spaces before a quote
                anomalies = [a for a in anomalies if a[:1] != ("quote-whitespace",) or a[2] != "before"]
            yield cells, start, consumed, _term_kind(raw), anomalies
    finally:
        csv.field_size_limit(old_limit)


def _parse_exact(text, dialect: Dialect, schema_width: int, where: dict) -> ParsedCsv:
    """The whole file through Python's csv module; rows become Arrow columns a batch at a time,
    so a large broken file does not turn into millions of Python strings at once."""
    import pyarrow as pa

    findings: list = []
    kinds, term_lines = [], []
    labels, width, header_done = None, None, not dialect.header
    batch: list[list[str]] = []
    chunks: list[list] = []
    row_numbers, lines, counts = [], [], []
    extras: dict = {}
    record = 0
    total = 0

    def flush():
        if batch:
            cols = _columns_from_lists(batch, width, dialect.empty_is_null)
            for i, col in enumerate(cols):
                chunks[i].append(col)
            batch.clear()

    from ..budget import current

    budget, res = current(), where.get("resource")
    made: dict = {}
    for cells, start, end, kind, anomalies in _read_exact(text, dialect, where, findings):
        record += 1
        total = end
        kinds.append(kind)
        term_lines.append(end)
        for code, fnum, snippet in anomalies:
            made[code] = made.get(code, 0) + 1
            if made[code] > budget.cap:  # counted, not made (kzcn.validate.budget)
                budget.drop(res, code, 1)
                continue
            if code == "unclosed-quote":
                n = end - start + 1
                findings.append(cat.make(code, line=start, row=record, field_number=fnum, **where,
                                         lines=f"{n} line{'s' if n > 1 else ''}"))
            elif code == "quote-whitespace":
                findings.append(cat.make(code, line=start, row=record, field_number=fnum, where=snippet,
                                         snippet=_snippet_of(cells, fnum), **where))
            else:
                findings.append(cat.make(code, line=start, row=record, field_number=fnum,
                                         snippet=repr(snippet[:60]), **where))
        if dialect.comment and cells and cells[0].startswith(dialect.comment):
            continue
        if not header_done:
            labels, header_done = cells, True
            width = len(labels) if labels else schema_width
            chunks = [[] for _ in range(width)]
            continue
        if width is None:  # no header: the schema's width, else the first row's
            width = schema_width or len(cells)
            chunks = [[] for _ in range(width)]
        if len(cells) > width:
            extras[len(row_numbers)] = cells[width:]
        row_numbers.append(record)
        lines.append(start)
        counts.append(len(cells))
        batch.append(cells)
        if len(batch) >= BATCH:
            flush()
    findings = findings[:0] + _line_ending_findings(np.array(kinds, dtype=np.int8),
                                                    np.array(term_lines, dtype=np.int64), where) + findings
    if width is None:
        return _empty_parsed(labels if dialect.header else None, schema_width, findings, "exact", total)
    flush()
    columns = [pa.chunked_array(c, type=pa.string()) if c else pa.array([], pa.string()) for c in chunks]
    return ParsedCsv(labels=labels, width=width, columns=columns,
                     row_numbers=np.array(row_numbers, dtype=np.int64), lines=np.array(lines, dtype=np.int64),
                     cell_counts=np.array(counts, dtype=np.int64), extras=extras, findings=findings,
                     path_taken="exact", total_lines=total,
                     endings=(np.array(kinds, dtype=np.int8), np.array(term_lines, dtype=np.int64)))


def _snippet_of(cells: list[str], fnum: int) -> str:
    return repr(cells[fnum - 1][:60]) if 0 < fnum <= len(cells) else ""
