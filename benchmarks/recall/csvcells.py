"""A CSV file as text with the exact place of every cell, so a mutation changes one cell and nothing else.

Why not csv.reader/writer: writing a table back re-quotes cells, normalises line endings and can
drop a trailing newline, and the validator has structure checks that would report any of that as a
new finding, crediting the rules with a catch they never made. Here a mutation replaces the
characters of one cell in the original text; every other byte stays as it was (layout, quoting,
CRLF or LF). A cell that was quoted stays quoted; a new value that needs quotes gets them.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Cell:
    start: int
    end: int
    quoted: bool


@dataclass
class Table:
    """One CSV file: its text, header, rows (field -> text) and where each row and cell is."""

    name: str
    text: str
    header: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # editor line where each row starts (header = 1)
    cells: list[dict[str, Cell]] = field(default_factory=list)

    def edit(self, changes: dict[int, dict[str, str]]) -> str:
        """The text with the given cells (row index -> field -> new value) replaced."""
        edits = []
        for i, fields in changes.items():
            for name, value in fields.items():
                cell = self.cells[i][name]
                edits.append((cell.start, cell.end, _raw(value, cell.quoted)))
        out, pos = [], 0
        for start, end, raw in sorted(edits):
            out.append(self.text[pos:start])
            out.append(raw)
            pos = end
        out.append(self.text[pos:])
        return "".join(out)


def _raw(value: str, quoted: bool) -> str:
    if quoted or any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _records(text: str):
    """Yield (line, [(value, Cell)]) for each record of an RFC 4180 text."""
    i, n, line = 0, len(text), 1
    while i < n:
        start_line, cells = line, []
        while True:
            if i < n and text[i] == '"':
                start, j, buf = i, i + 1, []
                while j < n:
                    c = text[j]
                    if c == '"':
                        if j + 1 < n and text[j + 1] == '"':
                            buf.append('"')
                            j += 2
                            continue
                        j += 1
                        break
                    if c == "\n":
                        line += 1
                    buf.append(c)
                    j += 1
                cells.append(("".join(buf), Cell(start, j, True)))
                i = j
            else:
                start = i
                while i < n and text[i] not in ',\r\n':
                    i += 1
                cells.append((text[start:i], Cell(start, i, False)))
            if i < n and text[i] == ",":
                i += 1
                continue
            break
        if text.startswith("\r\n", i):
            i += 2
        elif i < n:
            i += 1
        line += 1
        yield start_line, cells


def read_table(name: str, text: str) -> Table:
    records = list(_records(text))
    header = [v for v, _ in records[0][1]]
    table = Table(name=name, text=text, header=header)
    for line, cells in records[1:]:
        if len(cells) != len(header):
            raise ValueError(f"{name}: line {line} has {len(cells)} cells, the header {len(header)}")
        table.rows.append({h: v for h, (v, _) in zip(header, cells)})
        table.cells.append({h: c for h, (_, c) in zip(header, cells)})
        table.lines.append(line)
    return table
