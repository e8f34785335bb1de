"""Where a finding really is, for tables whose rows are not lines of one file.

Layer 2 and 3 number a table's rows by `line`, one number per row, and name one `path`. A table
read from several files (`path: [a.csv, b.csv]`) is numbered straight through (file 2's first
line follows file 1's last), so keys, budgets and the rules work on one table; inline `data`
is numbered by its index. Once every layer has run, `relocate` moves each finding to its own
place: the file it is in and the line an editor shows there, or `line: null` and `data[i]` in
the message for inline rows. "line N" in a message (a key repeating an earlier row's) is moved
the same way, so it names the other file when the earlier row is there.

`row` (frictionless's rowNumber) stays as it was: for several files it counts straight through,
as frictionless reads them as one stream; for inline arrays it is the data index + 1.
"""
from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass

_LINE = re.compile(r"\bline (\d+)\b")


@dataclass(frozen=True)
class Parts:
    """Global line -> (file, its own line): `starts[k]` is the global line before file k's first.
    `word` is what a message calls a place: "line" in CSV files, "row" in Parquet files."""

    path: str
    starts: tuple[int, ...]
    relpaths: tuple[str, ...]
    word: str = "line"

    def where(self, line: int) -> tuple[str, int]:
        k = max(0, bisect.bisect_left(self.starts, line) - 1)
        return self.relpaths[k], line - self.starts[k]

    def move(self, f):
        relpath, local = self.where(f.line)

        def name(m):
            other, at = self.where(int(m.group(1)))
            return f"{self.word} {at}" if other == relpath else f"{self.word} {at} of {other}"

        return dataclasses.replace(f, path=relpath, line=local, message=_LINE.sub(name, f.message))


@dataclass(frozen=True)
class Inline:
    """Inline rows: line = data index + `first` (arrays: the header is data[0], line 1)."""

    path: str
    first: int

    def label(self, line: int) -> str:
        i = line - self.first
        return f"data[{i}]" if i >= 0 else "the header (the fields' names)"

    def move(self, f):
        message = _LINE.sub(lambda m: self.label(int(m.group(1))), f.message)
        return dataclasses.replace(f, line=None, message=f"resource {f.resource!r} {self.label(f.line)}: {message}")


@dataclass(frozen=True)
class Rows:
    """Rows of a file that has no lines (Parquet): `line` is the 1-based data row, and a message
    says "row N", not "line N"."""

    path: str

    def move(self, f):
        return dataclasses.replace(f, message=_LINE.sub(lambda m: f"row {m.group(1)}", f.message))


def relocate(findings: list, locators: dict) -> list:
    """Each finding of a table with a locator (resource name -> Parts or Inline) moved to its
    place; findings already placed (another path, no line, a descriptor line) are kept as they are."""
    if not locators:
        return findings
    out = []
    for f in findings:
        loc = locators.get(f.resource)
        if loc is not None and f.line is not None and f.path == loc.path and getattr(f, "pointer", None) is None:
            f = loc.move(f)
        out.append(f)
    return out
