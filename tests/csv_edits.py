"""Small, exact edits of a CSV file in a scratch package copy (tests build broken packages with them).

Edits work on one line at a time and rewrite only that line, so the rest of the file keeps its
bytes; lines are the file's lines as an editor shows them (header = line 1).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path


def lines(path: Path) -> list[bytes]:
    return Path(path).read_bytes().split(b"\n")


def write_lines(path: Path, items: list[bytes]) -> None:
    Path(path).write_bytes(b"\n".join(items))


def header(path: Path) -> list[str]:
    return next(csv.reader(io.StringIO(lines(path)[0].decode("utf-8"))))


def cells(path: Path, line: int) -> list[str]:
    return next(csv.reader(io.StringIO(lines(path)[line - 1].decode("utf-8"))))


def serialize(row: list[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(row)
    return out.getvalue().encode("utf-8")


def set_cell(path: Path, line: int, field: str, value: str) -> int:
    """Set one cell (by field name); returns the field's 1-based position."""
    items = lines(path)
    names = header(path)
    pos = names.index(field)
    row = cells(path, line)
    row[pos] = value
    items[line - 1] = serialize(row)
    write_lines(path, items)
    return pos + 1


def replace_line(path: Path, line: int, content: bytes) -> None:
    items = lines(path)
    items[line - 1] = content
    write_lines(path, items)


def insert_line(path: Path, line: int, content: bytes) -> None:
    """Insert `content` so that it becomes line `line`."""
    items = lines(path)
    items.insert(line - 1, content)
    write_lines(path, items)


def data_lines(path: Path) -> int:
    """Number of data lines (the file ends with one newline, no quoted line breaks)."""
    items = lines(path)
    return len([x for x in items[1:] if x])
