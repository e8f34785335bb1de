"""`parse_csv`: one UTF-8 CSV file into a `ParsedCsv`, by the fast path when it can.

The file is read once. A dialect the byte scan models goes to the fast path; when that finds
quoting it cannot split exactly (`ExactPathNeeded`), or the dialect is another, the whole file
takes the exact path. Both give the same `ParsedCsv` for a file both can read.
"""
from __future__ import annotations

from .dialect import Dialect
from .exact import _parse_exact
from .fast import _parse_fast
from .parsed import ParsedCsv
from .scan import ExactPathNeeded


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
    if holder:
        raw = holder[0]
    else:  # the fast path let go of the bytes: read them again, no more than the limit allows
        from ...package.limits import current
        from .bounds import read_bounded

        raw, too_big = read_bounded(path, where.get("path") or str(path), current().file_bytes, where)
        if too_big is not None:
            from .parsed import _empty_parsed

            return _empty_parsed(None, schema_width, [too_big], "exact")
    holder.clear()
    if isinstance(raw, bytearray):  # a streamed chunk's buffer (stream.chunk.read_range)
        raw = bytes(raw)
    # the bytes are decoded line by line as the exact path reads them: no file-sized str
    body = raw[offset:] if offset else raw
    del raw
    return _parse_exact(body, dialect, schema_width, where)
