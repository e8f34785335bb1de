"""The size bounds of layer 1: how many bytes a resource's file and how many cells its header
may have before the file is reported and read no further.

Both bounds exist because a pull request is untrusted: a file of gigabytes (or /dev/zero) would
be read whole, and a 1.2 MB header of 100,000 labels makes every per-column step run 100,000
times. A file over a bound is one `source-error` that says how big it is and which flag raises
the bound (`--max-file-bytes`, `--max-fields`; kzcn.package.limits holds the defaults).
"""
from __future__ import annotations

import csv
import io
import os

from .. import catalogue as cat
from ...package.limits import read_at_most
from .dialect import Dialect

FILE_FLAG = "--max-file-bytes"
FIELDS_FLAG = "--max-fields"
LINES_FLAG = "--max-lines"


def read_bounded(path, relpath: str, limit: int, where: dict):
    """(the file's bytes, None), or (None, a source-error) when it holds more than `limit` bytes.

    The declared size (fstat) is checked before reading, and at most limit + 1 bytes are read,
    so a file that grows, or a device that never ends, costs no more than the limit. Opened
    without blocking and refused unless it is a regular file (kzcn.package.paths.UnsafePath),
    so a FIFO swapped in after the path was checked cannot hang the run."""
    import stat

    from ...package.paths import UnsafePath

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnsafePath(f"{path}: is not a regular file; not read")
        if st.st_size > limit:
            return None, _too_big(relpath, f"{st.st_size:,} bytes", limit, where)
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = read_at_most(fh, limit)
    finally:
        os.close(fd)
    if data is None:
        return None, _too_big(relpath, f"more than {limit:,} bytes", limit, where)
    return data, None


def _too_big(relpath: str, size: str, limit: int, where: dict):
    return cat.make("source-error", line=1, **where, detail=(
        f"{relpath}: file is {size}, over the limit of {limit:,}; not read (raise it with {FILE_FLAG})"))


def header_too_wide(data: bytes, offset: int, dialect: Dialect, limit: int, where: dict, relpath: str):
    """A source-error when the first record has more than `limit` cells, else None.

    Counting delimiters in the first line is an upper bound (a quoted delimiter is counted too);
    only when it exceeds the limit is the line split by the csv module for the exact count."""
    end = data.find(b"\n", offset)
    line = data[offset:end if end >= 0 else len(data)]
    delim = dialect.delimiter.encode("utf-8", "replace")
    if line.count(delim) + 1 <= limit:
        return None
    try:
        cells = next(csv.reader(io.StringIO(line.decode("utf-8", "replace"), newline=""), **dialect.csv_kwargs()), [])
        n = len(cells)
    except csv.Error:
        n = line.count(delim) + 1
    if n <= limit:
        return None
    return cat.make("source-error", line=1, **where, detail=(
        f"{relpath}: the header has {n:,} fields, over the limit of {limit:,}; not read further "
        f"(raise it with {FIELDS_FLAG})"))


def too_many_lines(data: bytes, limit: int, where: dict, relpath: str):
    """A source-error when the file has more than `limit` lines, else None.

    Every record costs about 150 bytes of row index (offsets, lines, row numbers, cell counts)
    whatever it holds, so a file of blank lines is the densest: 1 GB of them is a billion rows.
    Counting line breaks is a few passes of bytes.count, far cheaper than the scan it guards."""
    lf = data.count(b"\n")
    cr = data.count(b"\r") if lf <= limit else 0
    if lf + cr <= limit:
        return None
    return lines_over(lf + cr - data.count(b"\r\n"), limit, where, relpath)


def lines_over(n: int, limit: int, where: dict, relpath: str):
    """The source-error of a file of `n` lines when that is over `limit`, else None (a streamed
    file counts its lines as it is planned, validate.stream)."""
    if n <= limit:
        return None
    return cat.make("source-error", line=1, **where, detail=(
        f"{relpath}: the file has {n:,} lines, over the limit of {limit:,}; not read further "
        f"(raise it with {LINES_FLAG})"))
