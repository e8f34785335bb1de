"""The typed frame as the rules read it (RuleTable), its fast cell access, and truly blank cells.

Apart from the rest of the context because it is about storage, not about rules: how a frame
(or kzcn.validate's TypedTable, converted column by column) is wrapped so that the rules'
row-by-row comparisons read cells in microseconds, and how a cell layer 2 found unreadable is
told from one that is empty. The rule kinds only read it; run_rules wraps each frame once.
Frames are indexed by the line of each row in its CSV file (header = line 1).
"""
from __future__ import annotations

import numpy as np
import pandas as pd


class _FastAt:
    """`table.at[line, field]` from plain Python lists: pandas' own .at costs tens of microseconds
    a cell, which the row-by-row comparisons of the rules multiply by every pair they look at.

    On a large table most rules read a handful of cells (the rows that fail): a cell is then
    taken alone, and a column becomes a list only once it has been read often, so that naming
    a few faulty rows of a million-row table does not turn whole columns into Python objects.
    Either way the value is what `Series.tolist()` gives, so messages do not depend on the path.
    """

    WHOLE_AFTER = 512  # single reads of a column before it is converted whole (or 1/16 of its rows)

    def __init__(self, frame: pd.DataFrame):
        self._frame = frame
        self._lines = None  # the index as int64, sorted: line -> position by binary search
        self._pos = None    # or a dict when the index is not sorted, or small
        self._first = None  # or, when the lines are one run (no gaps), the first: position = line - first
        self._cols: dict[str, list] = {}
        self._reads: dict[str, int] = {}
        self._values: dict = {}

    # a binary search through numpy costs microseconds a call, which a rule reading 75,000 cells
    # of a small package pays 75,000 times: a run of lines is arithmetic, a small index a dict
    DICT_UP_TO = 1 << 16

    def _position(self, line) -> int:
        if self._lines is None and self._pos is None and self._first is None:
            lines = np.asarray(self._frame.index, dtype=np.int64)
            ordered = len(lines) < 2 or bool(np.all(lines[1:] > lines[:-1]))
            if ordered and len(lines) and int(lines[-1]) - int(lines[0]) == len(lines) - 1:
                self._first, self._count = int(lines[0]), len(lines)
            elif ordered and len(lines) > self.DICT_UP_TO:
                self._lines = lines
            else:
                self._pos = {int(ln): i for i, ln in enumerate(lines)}
        line = int(line)
        if self._first is not None:
            i = line - self._first
            if 0 <= i < self._count:
                return i
            raise KeyError(line)
        if self._pos is not None:
            return self._pos[line]
        i = int(np.searchsorted(self._lines, line))
        if i >= len(self._lines) or self._lines[i] != line:
            raise KeyError(line)
        return i

    def __getitem__(self, key):
        line, field = key
        pos = self._position(line)
        col = self._cols.get(field)
        if col is not None:
            return col[pos]
        reads = self._reads[field] = self._reads.get(field, 0) + 1
        if reads > max(self.WHOLE_AFTER, len(self._frame) // 16) or len(self._frame) <= self.WHOLE_AFTER:
            col = self._cols[field] = self._frame[field].tolist()
            self._values.pop(field, None)
            return col[pos]
        values = self._values.get(field)
        if values is None:
            values = self._values[field] = self._frame[field]._values
        return values[pos:pos + 1].tolist()[0]  # what Series.tolist() gives for that cell


class RuleTable:
    """A typed frame as the rules read it: columns by name (selections stay vectorised), the
    index of lines, the column names, plus fast cell access (`.at`). Anything else is the
    DataFrame's own.

    It wraps a DataFrame, or a table whose columns are converted on first use (kzcn.validate's
    TypedTable: a rule reading four columns of a million-row table converts those four).
    `unreadable_lines(field)`: lines whose cell has text that layer 2 rejected (a type or enum
    error, reported there): NA in the frame, but not blank, so no rule calls it missing.
    """

    def __init__(self, frame):
        self._series: dict = {}
        if isinstance(frame, pd.DataFrame):
            self._source = None
            self._unreadable: dict = dict(frame.attrs.get("unreadable") or {})
            plain = frame.copy(deep=False)
            plain.attrs = {}  # pandas deep-copies attrs on every access; the rules never need them
            self._frame = plain
        else:
            self._source = frame
            self._unreadable = None
            self._frame = None
        self.index = frame.index
        self.columns = frame.columns
        self.at = _FastAt(self)
        self.ids: dict[int, str] = {}  # line -> primary-key id, filled as rules ask

    @property
    def frame(self) -> pd.DataFrame:
        if self._frame is None:
            frame = self._source.to_frame()
            frame.attrs = {}
            self._frame = frame
        return self._frame

    def unreadable_lines(self, field: str):
        if self._unreadable is None:
            return self._source.unreadable_lines(field)
        return self._unreadable.get(field, ())

    def __getitem__(self, key):
        if self._source is not None and self._frame is None:
            if isinstance(key, str) and key in self.columns:
                series = self._series.get(key)
                if series is None:
                    series = self._series[key] = self._source.column(key)
                return series
            if isinstance(key, list) and all(isinstance(k, str) and k in self.columns for k in key):
                return pd.DataFrame({k: self[k] for k in key}, index=self.index, copy=False)
        return self.frame[key]

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.frame, name)

    def __len__(self):
        return len(self.index)


def blank(frame, field: str) -> pd.Series:
    """Cells that are truly empty: NA in the typed frame, less those layer 2 found unreadable."""
    mask = frame[field].isna()
    get = getattr(frame, "unreadable_lines", None) if isinstance(frame, RuleTable) else None
    lines = get(field) if get else None
    if lines is not None and len(lines):
        mask = mask & ~pd.Series(frame.index.isin(lines), index=frame.index)
    return mask
