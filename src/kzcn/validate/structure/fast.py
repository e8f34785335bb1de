"""The fast path: the byte scan splits the records, pyarrow parses the cells in parallel.

When every quote sits where RFC 4180 puts it, the scan (`scan.py`) splits records exactly as
Python's csv module does, and pyarrow reads the data rows, every cell as text. Only the records
pyarrow cannot take (an empty line, a row with too few or too many cells) go through the csv
module, one record each. Whenever the scan and pyarrow could disagree, `ExactPathNeeded` hands
the file to the exact path rather than guess.
"""
from __future__ import annotations

import csv
import io
import os

import numpy as np

from .dialect import Dialect
from .encoding import BOM
from .endings import _line_ending_findings
from .parsed import ParsedCsv, _columns_from_lists, _empty_parsed
from .scan import ExactPathNeeded, array_blocks, field_counts, file_blocks, scan


def _header_cells(text: str, dialect: Dialect) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(text, newline=""), **dialect.csv_kwargs()), [])
    except csv.Error:
        return [text]


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity), which can be fewer than the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def serial_parse() -> bool:
    """Whether pyarrow should parse in one thread: on two cores or fewer it costs little (0.05 to
    0.15 s per million rows here) and pyarrow then numbers the rows it cannot take, which spares
    a second pass over the file to find them (0.4 s per million rows). Both ways give the same
    ParsedCsv (tests/test_bench_faults.py compares them)."""
    return usable_cores() <= 2


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
        # Empty lines come last and as one chunk of nulls: a file of a billion blank lines makes
        # no Python object per line.
        reg_idx = np.flatnonzero(regular)
        blank_idx = special[empty[special]]
        special = special[~empty[special]]
        special_rows: list[list[str]] = []
        read = _record_reader(holder, path, offset)
        for k, j in enumerate(special):
            r = data_rec[j]
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
        nulls = pa.nulls(len(blank_idx), pa.string())
        columns = [pa.chunked_array(table.column(i).chunks + [extra_cols[i], nulls], type=pa.string())
                   for i in range(width)]
        order = np.concatenate([reg_idx, special, blank_idx])
        lines, row_numbers, counts = lines[order], row_numbers[order], counts[order]
    holder.clear()
    return ParsedCsv(labels=labels, width=width, columns=columns, row_numbers=row_numbers.astype(np.int64),
                     lines=lines, cell_counts=counts, extras=extras, findings=findings, path_taken="fast",
                     total_lines=sc.total_lines, endings=(sc.term_kinds, sc.term_lines))


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
