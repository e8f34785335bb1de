"""Layer 1 of `kzcn validate`: one CSV file's bytes, before any type is applied.

The file is read once. A numpy scan over the bytes finds the quotes, the line breaks and which
of them end a record (a break inside quotes does not: the count of quotes before it is odd, so
`""` escapes need no special case), the kind of each record terminator (CRLF, LF, CR) and the
editor line where each record starts. When every quote sits where RFC 4180 puts it, that scan
splits records exactly as Python's csv module (and so frictionless) does, and pyarrow parses the
cells, all as text, in parallel. Only records that pyarrow cannot take (an empty line, a row
with too few or too many cells) go through Python's csv module, one record each.

When a quote sits anywhere else (inside an unquoted cell, after spaces, never closed), the
parity of the quote count no longer tells where records end, so the whole file takes the exact
path: Python's csv module, record by record, with the raw text of each record kept to locate the
defect. That path is slower but only broken files take it.

The result is a `ParsedCsv`: the header's labels, one Arrow text column per header column (null
where a short row has no cell), and per data row its frictionless row number, editor line and
cell count. Schema checks (layer 2) run on it unchanged whichever path produced it.
"""
from __future__ import annotations

import csv
import io
import os
import sys
from dataclasses import dataclass, field

import numpy as np

from . import catalogue as cat

LF, CRLF, CR = 0, 1, 2
KIND_NAMES = {LF: "LF (\\n)", CRLF: "CRLF (\\r\\n)", CR: "CR (\\r)"}
BOM = b"\xef\xbb\xbf"
FORMULA_CHARS = ("=", "+", "-", "@")


class ExactPathNeeded(Exception):
    """The fast scan cannot split this file exactly; the exact path must read it."""


@dataclass
class Dialect:
    """The CSV dialect of a resource (Table Schema/Data Package `dialect`)."""

    delimiter: str = ","
    quote: str | None = '"'
    header: bool = True
    double_quote: bool = True
    escape: str | None = None
    skip_initial_space: bool = False
    comment: str | None = None
    empty_is_null: bool = False  # read "" as null (the schema's missing values include "" for every field)

    @property
    def fast(self) -> bool:
        """Whether the byte scan's model of quoting applies (RFC 4180 quoting, one-byte ASCII)."""
        d, q = self.delimiter, self.quote
        return (self.double_quote and self.escape is None and not self.skip_initial_space and self.comment is None
                and len(d) == 1 and ord(d) < 128 and d not in "\r\n"
                and (q is None or (len(q) == 1 and ord(q) < 128 and q not in "\r\n" and q != d)))

    def csv_kwargs(self) -> dict:
        kw = dict(delimiter=self.delimiter, doublequote=self.double_quote, skipinitialspace=self.skip_initial_space,
                  strict=False)
        if self.quote is None:
            kw["quoting"] = csv.QUOTE_NONE
        else:
            kw["quotechar"] = self.quote
        if self.escape:
            kw["escapechar"] = self.escape
        return kw


def dialect_of(descriptor: dict, relpath: str) -> tuple[Dialect, list[str]]:
    """The dialect a resource declares (v1 or v2 keys, or frictionless's nested `csv`), and problems."""
    problems: list[str] = []
    raw = descriptor.get("dialect") or {}
    if not isinstance(raw, dict):
        return Dialect(), [f"dialect must be a mapping, found {type(raw).__name__}"]
    if isinstance(raw.get("csv"), dict):
        raw = {**raw, **raw["csv"]}
    d = Dialect()
    if relpath.lower().endswith(".tsv") or descriptor.get("format") == "tsv":
        d.delimiter = "\t"
    if "delimiter" in raw:
        d.delimiter = str(raw["delimiter"])
    if "quoteChar" in raw:
        d.quote = raw["quoteChar"] or None
    if raw.get("quoteChar") is None and "quoteChar" in raw:
        d.quote = None
    if "doubleQuote" in raw:
        d.double_quote = bool(raw["doubleQuote"])
    if raw.get("escapeChar"):
        d.escape = str(raw["escapeChar"])
    if "skipInitialSpace" in raw:
        d.skip_initial_space = bool(raw["skipInitialSpace"])
    if raw.get("commentChar"):
        d.comment = str(raw["commentChar"])
    if "header" in raw:
        d.header = bool(raw["header"])
    rows = raw.get("headerRows")
    if rows not in (None, [1], 1):
        problems.append(f"dialect headerRows {rows!r} is not supported (only a header on row 1); "
                        f"the first row is read as the header")
    if len(d.delimiter) != 1:
        problems.append(f"dialect delimiter {d.delimiter!r} must be one character; ',' is used")
        d.delimiter = ","
    if d.quote is not None and len(d.quote) != 1:
        problems.append(f"dialect quoteChar {d.quote!r} must be one character; '\"' is used")
        d.quote = '"'
    return d, problems


@dataclass
class ParsedCsv:
    """One CSV file split into header and data rows, cells as text (layer 2's input)."""

    labels: list[str] | None            # the header's cells as written, or None (no header)
    width: int                          # cells a row should have: the header's count (or the schema's)
    columns: list                       # pyarrow string array per column; null = the row has no such cell
    row_numbers: np.ndarray             # frictionless rowNumber of each data row (header = 1)
    lines: np.ndarray                   # editor line where each data row starts
    cell_counts: np.ndarray             # number of cells in each data row (0 for an empty line)
    extras: dict = field(default_factory=dict)  # data row index -> its cells beyond `width`
    findings: list = field(default_factory=list)
    path_taken: str = "fast"
    total_lines: int = 0

    @property
    def n_rows(self) -> int:
        return len(self.row_numbers)


# ----------------------------------------------------------------------------- encoding

def _utf8_ok(data: bytes) -> bool:
    """Validate UTF-8 without building a str (Arrow checks the bytes in place)."""
    try:
        import pyarrow as pa

        offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64).tobytes())
        pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)]).validate(full=True)
        return True
    except Exception:  # ArrowInvalid: not UTF-8 (or Arrow missing: fall back to Python)
        try:
            data.decode("utf-8")
            return True
        except UnicodeDecodeError:
            return False


def _looks_utf16(data: bytes) -> str | None:
    head = data[:4096]
    if len(head) >= 4:
        even, odd = head[0::2], head[1::2]
        if odd.count(0) > len(odd) * 0.3 and even.count(0) < len(even) * 0.05:
            return "UTF-16 (little-endian)"
        if even.count(0) > len(even) * 0.3 and odd.count(0) < len(odd) * 0.05:
            return "UTF-16 (big-endian)"
    return None


def guess_legacy_encoding(data: bytes) -> str:
    """Name the single-byte encoding the bytes most likely are (by trying decodes, no dependency).

    Cyrillic text in cp1251 is runs of bytes 0xC0-0xFF (whole words); Western text in latin-1 or
    cp1252 has high bytes one at a time between ASCII letters. KOI8-R, the other Cyrillic code
    page, puts lower-case letters at 0xC0-0xDF where cp1251 has upper case, so which of the two
    decodings gives mostly lower-case letters decides between them.
    """
    utf16 = _looks_utf16(data)
    if utf16:
        return utf16
    arr = np.frombuffer(data, dtype=np.uint8)
    high = arr >= 0x80
    n_high = int(high.sum())
    if n_high == 0:
        return "ASCII with control bytes"
    neighbour = np.zeros_like(high)
    neighbour[1:] |= high[:-1]
    neighbour[:-1] |= high[1:]
    in_runs = int((high & neighbour).sum()) / n_high
    letters = int(((arr >= 0xC0)).sum()) / n_high
    if in_runs > 0.5 and letters > 0.6:
        sample = bytes(arr[high][:2000])
        lower_1251 = sum(ch.islower() for ch in sample.decode("cp1251", "replace"))
        lower_koi8 = sum(ch.islower() for ch in sample.decode("koi8_r", "replace"))
        return "KOI8-R (Cyrillic)" if lower_koi8 > lower_1251 else "cp1251 (Windows Cyrillic)"
    try:
        data.decode("cp1252")
        return "cp1252 or latin-1 (Western European)"
    except UnicodeDecodeError:
        return "latin-1 (ISO-8859-1)"


def check_encoding(data: bytes, where: dict) -> tuple[int, list, bool]:
    """(offset where the text starts, findings, fatal): BOMs, UTF-16, a legacy encoding."""
    findings = []
    if data.startswith(BOM):
        findings.append(cat.make("byte-order-mark", line=1, **where))
        data_start = 3
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        kind = "UTF-32" if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")) else "UTF-16"
        findings.append(cat.make("encoding-error", line=1, **where,
                                 detail=f"the file is {kind} (it starts with a {kind} byte order mark); save it as UTF-8"))
        return 0, findings, True
    else:
        data_start = 0
    if _utf8_ok(data if not data_start else memoryview(data)[data_start:].tobytes()):
        return data_start, findings, False
    try:
        data[data_start:].decode("utf-8")
        pos = 0
    except UnicodeDecodeError as exc:
        pos = exc.start + data_start
    line = data.count(b"\n", 0, pos) + 1
    bad = data[pos:pos + 4]
    guess = guess_legacy_encoding(data[data_start:])
    findings.append(cat.make("encoding-error", line=line, **where, detail=(
        f"the file is not UTF-8: byte {pos} (line {line}, bytes {bad.hex(' ')}) is not valid UTF-8; "
        f"the bytes look like {guess}; convert the file to UTF-8")))
    return data_start, findings, True


# ----------------------------------------------------------------------------- fast scan

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

    quotes = positions(a, quote) if quote is not None and has_quote else np.zeros(0, dtype=np.int64)
    if len(quotes):
        if len(quotes) % 2:
            raise ExactPathNeeded("a quote is never closed")
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


# ----------------------------------------------------------------------------- exact path pieces

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
                j = i
                while j < n and raw[j] in " \t":
                    j += 1
                if j < n and raw[j] == q:
                    out.append(("quote-whitespace", field, "before"))
                    i = j
                    state = "quoted"
                else:
                    state = "unquoted"
            else:
                state = "unquoted"
        elif state == "unquoted":
            if c == d:
                field += 1
                state = "start"
            elif c in "\r\n":
                break
            elif c == q:
                out.append(("stray-quote", field, raw[field_start:raw.find(d, i) if d in raw[i:] else n].rstrip("\r\n")))
                while i < n and raw[i] not in (d, "\r", "\n"):
                    i += 1
                continue
        elif state == "quoted":
            if c == q:
                if i + 1 < n and raw[i + 1] == q:
                    i += 2
                    continue
                state = "after"
        elif state == "after":
            if c == d:
                field += 1
                state = "start"
            elif c in "\r\n":
                break
            elif c in " \t":
                j = i
                while j < n and raw[j] in " \t":
                    j += 1
                if j >= n or raw[j] in (d, "\r", "\n"):
                    out.append(("quote-whitespace", field, "after"))
                    i = j
                    continue
                out.append(("stray-quote", field, raw[field_start:j + 10]))
                state = "unquoted"
            else:
                end = raw.find(d, i)
                out.append(("stray-quote", field, raw[field_start:end if end >= 0 else n].rstrip("\r\n")))
                state = "unquoted"
        i += 1
    if state == "quoted":
        out.append(("unclosed-quote", field, raw[field_start:field_start + 30]))
    return out


def _term_kind(raw: str) -> int:
    if raw.endswith("\r\n"):
        return CRLF
    if raw.endswith("\n"):
        return LF
    if raw.endswith("\r"):
        return CR
    return -1


def _read_exact(text: str, dialect: Dialect, where: dict, findings: list):
    """Python's csv module over the text, record by record: yields (cells, start line, end line,
    terminator kind, quote anomalies). A csv error ends the reading with a finding."""
    captured: list[str] = []

    def lines():
        for ln in io.StringIO(text, newline=""):
            captured.append(ln)
            yield ln

    old_limit = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
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
                findings.append(cat.make("source-error", line=consumed + 1, **where,
                                         detail=f"line {consumed + 1} cannot be read as CSV: {exc}"))
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


# ----------------------------------------------------------------------------- findings helpers

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


def _header_cells(text: str, dialect: Dialect) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(text, newline=""), **dialect.csv_kwargs()), [])
    except csv.Error:
        return [text]


# ----------------------------------------------------------------------------- the parse

def _empty_parsed(labels, width, findings, path_taken, total_lines=0) -> ParsedCsv:
    import pyarrow as pa

    return ParsedCsv(labels=labels, width=width, columns=[pa.array([], pa.string()) for _ in range(width)],
                     row_numbers=np.zeros(0, dtype=np.int64), lines=np.zeros(0, dtype=np.int64),
                     cell_counts=np.zeros(0, dtype=np.int64), findings=findings, path_taken=path_taken,
                     total_lines=total_lines)


def _columns_from_lists(rows: list[list[str]], width: int, empty_is_null: bool = False):
    import pyarrow as pa

    if empty_is_null:
        return [pa.array([(r[i] or None) if i < len(r) else None for r in rows], pa.string()) for i in range(width)]
    return [pa.array([r[i] if i < len(r) else None for r in rows], pa.string()) for i in range(width)]


BATCH = 1 << 16


def _parse_exact(text: str, dialect: Dialect, schema_width: int, where: dict) -> ParsedCsv:
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

    for cells, start, end, kind, anomalies in _read_exact(text, dialect, where, findings):
        record += 1
        total = end
        kinds.append(kind)
        term_lines.append(end)
        for code, fnum, snippet in anomalies:
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
                     path_taken="exact", total_lines=total)


def _snippet_of(cells: list[str], fnum: int) -> str:
    return repr(cells[fnum - 1][:60]) if 0 < fnum <= len(cells) else ""


def parse_csv(data, offset: int, dialect: Dialect, schema_width: int, where: dict, path=None) -> ParsedCsv:
    """Split a UTF-8 CSV file (text from `offset`) into header and rows; layer-1 findings included.

    `data` is the file's bytes, or a one-item list holding them: then, when `path` is given, the
    fast path lets go of the bytes once the scan is done and pyarrow reads the rows from the
    file, so the bytes and the parsed table are never in memory together.
    """
    holder = data if isinstance(data, list) else [data]
    if dialect.fast:
        try:
            return _parse_fast(holder, offset, dialect, schema_width, where, path)
        except ExactPathNeeded:
            pass
    raw = holder[0] if holder else path.read_bytes()
    holder.clear()
    text = raw[offset:].decode("utf-8")
    del raw
    return _parse_exact(text, dialect, schema_width, where)


def serial_parse() -> bool:
    """Whether pyarrow should parse in one thread: on two cores or fewer it costs little (0.05 to
    0.15 s per million rows here) and pyarrow then numbers the rows it cannot take, which spares
    a second pass over the file to find them (0.4 s per million rows). Both ways give the same
    ParsedCsv (tests/test_bench_faults.py compares them)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return cpus <= 2


def _read_body(pa, pacsv, source, names, dialect, quoted_breaks, on_invalid, use_threads=True):
    """pyarrow's CSV parse of the data rows, every cell as text, empty lines skipped."""
    return pacsv.read_csv(
        source,
        read_options=pacsv.ReadOptions(column_names=names, use_threads=use_threads, block_size=1 << 22),
        parse_options=pacsv.ParseOptions(delimiter=dialect.delimiter, quote_char=dialect.quote or False,
                                         double_quote=True, escape_char=False,
                                         newlines_in_values=quoted_breaks, ignore_empty_lines=True,
                                         invalid_row_handler=on_invalid),
        convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in names},
                                             strings_can_be_null=dialect.empty_is_null,
                                             quoted_strings_can_be_null=dialect.empty_is_null,
                                             check_utf8=False, null_values=[""] if dialect.empty_is_null else []),
    )


def _parse_fast(holder: list, offset: int, dialect: Dialect, schema_width: int, where: dict, path=None) -> ParsedCsv:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    data = holder[0]
    a = np.frombuffer(data, dtype=np.uint8)[offset:]
    d = ord(dialect.delimiter)
    q = ord(dialect.quote) if dialect.quote else None
    sc = scan(a, d, q, has_cr=data.find(b"\r", offset) >= 0,
              has_quote=q is not None and data.find(dialect.quote.encode(), offset) >= 0)
    findings = _line_ending_findings(sc.term_kinds, sc.term_lines, where)
    nrec = len(sc.starts)
    if nrec == 0:
        return _empty_parsed(None if not dialect.header else [], schema_width, findings, "fast", sc.total_lines)

    if dialect.header:
        h0, h1 = int(sc.starts[0]), int(sc.ends[0])
        labels = _header_cells(bytes(a[h0:h1]).decode("utf-8"), dialect) if h1 > h0 else []
        width = len(labels) if labels else schema_width
        first = 1
    else:
        labels, first = None, 0
        width = schema_width or len(_header_cells(bytes(a[int(sc.starts[0]):int(sc.ends[0])]).decode("utf-8"), dialect))
    data_rec = np.arange(first, nrec)
    if len(data_rec) == 0 or width == 0:
        if len(data_rec) == 0:
            return _empty_parsed(labels, width, findings, "fast", sc.total_lines)
        raise ExactPathNeeded("no columns")
    empty = sc.starts[data_rec] == sc.ends[data_rec]

    invalid = [0]
    numbers: list = []  # pyarrow's number of each row it skipped (1 = first non-empty data record)
    serial = serial_parse()

    def on_invalid(row):
        invalid[0] += 1
        numbers.append(row.number)
        return "skip"

    names = [f"c{i}" for i in range(width)]
    body_start = offset + int(sc.starts[first])
    if data.startswith(BOM, body_start):  # pyarrow would drop these bytes as a byte order mark
        raise ExactPathNeeded("a byte order mark opens the first row")
    if path is not None:  # read the rows from the file: the bytes can go before pyarrow fills memory
        source = pa.input_stream(str(path))
        source.read(body_start)
        holder.clear()
        del data, a
    else:
        source = pa.BufferReader(pa.py_buffer(data)[body_start:])
    try:
        table = _read_body(pa, pacsv, source, names, dialect, sc.quoted_breaks, on_invalid, use_threads=not serial)
    except pa.ArrowException as exc:
        raise ExactPathNeeded(f"pyarrow cannot parse it: {exc}") from None
    nonempty = ~empty
    blocks = (lambda: file_blocks(path, offset)) if not holder else (
        lambda: array_blocks(np.frombuffer(holder[0], dtype=np.uint8)[offset:]))
    ne_idx = np.flatnonzero(nonempty)
    if invalid[0] and serial and all(isinstance(k, int) and 0 < k <= len(ne_idx) for k in numbers):
        # the skipped rows, by pyarrow's numbering of the non-empty records; their cells are
        # counted when they are read one by one below (and must agree, or the exact path reads all)
        skipped = ne_idx[np.asarray(numbers, dtype=np.int64) - 1]
        regular = nonempty.copy()
        regular[skipped] = False
        counts = np.where(empty, 0, width).astype(np.int64)
        counts[skipped] = -1  # not yet known
    elif invalid[0]:
        counts = np.zeros(len(data_rec), dtype=np.int64)
        ne_idx = np.flatnonzero(nonempty)
        counts[ne_idx] = field_counts(blocks(), sc, d, data_rec[ne_idx])
        regular = nonempty & (counts == width)
    else:
        regular = nonempty
        counts = np.where(empty, 0, width).astype(np.int64)
    if table.num_rows != int(regular.sum()):
        raise ExactPathNeeded("pyarrow and the scan disagree on the rows")

    special = np.flatnonzero(~regular)
    lines = sc.lines[data_rec]
    row_numbers = data_rec + 1
    extras: dict = {}
    if len(special) == 0:
        columns = [table.column(i) for i in range(width)]
    else:
        # The rows pyarrow skipped (empty lines, too few or too many cells) are read one by one
        # and placed after the others; row numbers, lines and counts follow them, so the columns
        # are never copied to put rows back in file order (nothing downstream needs that order).
        reg_idx = np.flatnonzero(regular)
        special_rows: list[list[str]] = []
        read = _record_reader(holder, path, offset)
        for k, j in enumerate(special):
            r = data_rec[j]
            if empty[j]:
                special_rows.append([])
                continue
            cells = _header_cells(read(int(sc.starts[r]), int(sc.ends[r])), dialect)
            special_rows.append(cells)
            if counts[j] < 0:  # numbered by pyarrow: it must be a row pyarrow could not take
                if len(cells) == width:
                    raise ExactPathNeeded("pyarrow's numbering of the rows it skipped disagrees with the scan")
                counts[j] = len(cells)
            if len(cells) != counts[j]:
                raise ExactPathNeeded("a record's cells disagree with the scan")
            if len(cells) > width:
                extras[len(reg_idx) + k] = cells[width:]
        extra_cols = _columns_from_lists(special_rows, width, dialect.empty_is_null)
        columns = [pa.chunked_array(table.column(i).chunks + [extra_cols[i]], type=pa.string()) for i in range(width)]
        order = np.concatenate([reg_idx, special])
        lines, row_numbers, counts = lines[order], row_numbers[order], counts[order]
    holder.clear()
    return ParsedCsv(labels=labels, width=width, columns=columns, row_numbers=row_numbers.astype(np.int64),
                     lines=lines, cell_counts=counts, extras=extras, findings=findings, path_taken="fast",
                     total_lines=sc.total_lines)


def _record_reader(holder: list, path, offset: int):
    """Text of one record by its byte range: from the bytes in memory, else straight from the file."""
    if holder:
        data = holder[0]
        return lambda s, e: data[offset + s:offset + e].decode("utf-8")
    import os

    fd = os.open(path, os.O_RDONLY)
    import weakref

    def read(s, e):
        return os.pread(fd, e - s, offset + s).decode("utf-8")

    weakref.finalize(read, os.close, fd)
    return read


# ----------------------------------------------------------------------------- formula cells

def first_bytes(column) -> tuple[np.ndarray, np.ndarray]:
    """First byte of each cell of an Arrow string column, and whether the cell has one.

    Read straight from the Arrow buffers: no per-cell Python, no new strings.
    """
    import pyarrow as pa

    firsts, has = [], []
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    for ch in chunks:
        if len(ch) == 0:
            continue
        if ch.type != pa.string():
            ch = ch.cast(pa.string())
        bufs = ch.buffers()
        offs = np.frombuffer(bufs[1], dtype=np.int32)[ch.offset:ch.offset + len(ch) + 1]
        data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, dtype=np.uint8)
        lengths = np.diff(offs)
        ok = lengths > 0
        if ch.null_count:
            ok &= ch.is_valid().to_numpy(zero_copy_only=False)
        fb = np.zeros(len(ch), dtype=np.uint8)
        if ok.any() and len(data):
            fb[ok] = data[offs[:-1][ok]]
        firsts.append(fb)
        has.append(ok)
    if not firsts:
        return np.zeros(0, dtype=np.uint8), np.zeros(0, dtype=bool)
    return np.concatenate(firsts), np.concatenate(has)


def formula_candidates(column) -> np.ndarray:
    """Rows whose cell starts with one of = + - @ (numbers like -43 are filtered by the caller)."""
    fb, has = first_bytes(column)
    return np.flatnonzero(has & np.isin(fb, np.frombuffer("".join(FORMULA_CHARS).encode(), dtype=np.uint8)))
