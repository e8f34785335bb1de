"""Typed frames of the checked tables, what layer 3 (the rules) reads.

After layers 1 and 2, each table's rows without structural faults become a typed pandas frame
indexed by the line an editor shows. Converting is done column by column, the first time a rule
asks (`TypedTable`), and a table no rule reads is never converted (`LazyFrames`). pandas and
pyarrow are imported inside, when a frame is first built.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..package.descriptor import Resource


def typed_frame(check, res: Resource):
    """The rows of a table without structural faults (not blank, not ragged) as a typed DataFrame.

    The index is the line of each row in its file as an editor shows it (header = line 1); a
    cell that failed its type is NA. Columns follow the schema, dtypes as `kzcn.load` gives them.
    attrs["unreadable"] maps a field to the lines whose cell has text that became NA (a type or
    enum error that layer 2 reports): NA there does not mean blank.
    """
    return TypedTable(check, res).to_frame()


class TypedTable:
    """The columns of `typed_frame`, each converted the first time it is asked for.

    Layer 3 reads a handful of columns of a large table; converting (and, when rows must be
    dropped or put back in file order, copying) all of them cost a third of a second and
    100 MB per million rows. `index`, `columns`, `column(name)` and `to_frame()` are what the
    rules' RuleTable needs.
    """

    def __init__(self, check, res: Resource):
        import pandas as pd
        import pyarrow as pa

        self.check, self.res = check, res
        keep = ~(check.blank | check.ragged) if check.parsed.n_rows else np.zeros(0, dtype=bool)
        idx = np.flatnonzero(keep)
        lines = check.parsed.lines
        if len(idx) > 1 and not np.all(np.diff(lines[idx]) > 0):  # keep the frame in file order
            idx = idx[np.argsort(lines[idx], kind="stable")]
        self._idx = idx
        contiguous = len(idx) < 2 or bool(np.all(np.diff(idx) == 1))
        # rows pyarrow could not take (ragged, blank) sit after the others and are left out here,
        # so the rows kept are usually one run: a zero-copy slice instead of a copy of each column
        self._slice = (int(idx[0]) if len(idx) else 0, len(idx)) if contiguous and not keep.all() else None
        self._take = None if (keep.all() and contiguous) or self._slice is not None else pa.array(idx, pa.int64())
        self.index = pd.Index(check.parsed.lines[idx].astype(np.int64))
        self.fields = [f for f in res.schema.get("fields") or [] if isinstance(f, dict) and "name" in f]
        self.columns = pd.Index([f["name"] for f in self.fields])
        self._by_name = {f["name"]: f for f in self.fields}
        self._series: dict = {}
        self._unreadable: dict = {}
        self.attrs = {"name": res.name, "path": res.relpath, "primary_key": res.primary_key}

    def __len__(self) -> int:
        return len(self.index)

    def __getitem__(self, key):
        """frame[name] -> the column; frame[[names]] -> a DataFrame of those; else the frame's own."""
        if isinstance(key, str) and key in self._by_name:
            return self.column(key)
        if isinstance(key, list) and all(isinstance(k, str) and k in self._by_name for k in key):
            import pandas as pd

            return pd.DataFrame({k: self.column(k) for k in key}, index=self.index, copy=False)
        return self.to_frame()[key]

    def __getattr__(self, name):
        """Anything else a DataFrame has (the whole frame is then built once)."""
        if name.startswith("_") or name in ("check", "res", "index", "fields", "columns", "attrs"):
            raise AttributeError(name)
        return getattr(self.to_frame(), name)

    def column(self, name: str):
        series = self._series.get(name)
        if series is not None:
            return series
        import pandas as pd

        from ..package.dtypes import arrow_to_pandas, pandas_dtype

        f = self._by_name[name]
        cast = self.check.casts.get(name)
        if cast is None:
            series = pd.Series(index=self.index, dtype=pandas_dtype(f))
        else:
            take, idx, part = self._take, self._idx, self._slice
            if part is not None:
                values, filled = cast.values.slice(*part), ~cast.missing[part[0]:part[0] + part[1]]
            elif take is not None:
                values, filled = cast.values.take(take), ~cast.missing[idx]
            else:
                values, filled = cast.values, ~cast.missing
            series = pd.Series(arrow_to_pandas(values, f), index=self.index, copy=False)
            # cells with text that became NA (a type or enum error, reported by layer 2): not blank
            lost = filled & series.isna().to_numpy()
            if lost.any():
                self._unreadable[name] = tuple(self.index.to_numpy()[lost].tolist())
        self._series[name] = series
        return series

    def unreadable_lines(self, name: str) -> tuple:
        self.column(name)
        return self._unreadable.get(name, ())

    def to_frame(self):
        frame = self.__dict__.get("_frame")
        if frame is None:
            import pandas as pd

            columns = {f["name"]: self.column(f["name"]) for f in self.fields}
            frame = self._frame = pd.DataFrame(columns, index=self.index, copy=False)
            frame.attrs.update({**self.attrs, "unreadable": dict(self._unreadable)})
        return frame


class LazyFrames(dict):
    """table name -> typed DataFrame, each built the first time a rule asks for it.

    A plain dict to its users (`frames[name]`, `.get`, `.items()`), so layer 3 never pays for
    converting a large table that no rule reads.
    """

    def __init__(self, builders: dict):
        super().__init__({name: None for name in builders})
        self._builders = builders

    def __getitem__(self, name):
        value = dict.__getitem__(self, name)
        if value is None:
            value = self._builders[name]()
            dict.__setitem__(self, name, value)
        return value

    def get(self, name, default=None):
        return self[name] if name in self else default

    def values(self):
        return [self[k] for k in self]

    def items(self):
        return [(k, self[k]) for k in self]

    def copy(self):
        return dict(self.items())


def fields_rules_read(rules_path, res) -> tuple:
    """The fields of `res` that the rules file may read: every field whose name appears in it as
    a value or a key, and the primary key. A superset, found without importing the rules
    (pandas): a streamed table keeps these columns' typed rows from its chunks (KeptTable).
    Nothing without a rules file, or when it cannot be read (the rules report that themselves)."""
    schema = res.schema if isinstance(res.schema, dict) else {}
    fields = [f["name"] for f in schema.get("fields") or [] if isinstance(f, dict) and isinstance(f.get("name"), str)]
    if rules_path is None or not fields:
        return ()  # before any import: a run without rules imports no YAML reader (tests/test_startup.py)
    from ..package.descriptor import read_text
    from ..package.yamlfast import safe_load

    try:
        data = safe_load(read_text(rules_path, "rules file"))
    except Exception:  # noqa: BLE001 - reported where the rules are loaded
        return ()
    words: set = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            words.add(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    pk = schema.get("primaryKey")
    pk = [pk] if isinstance(pk, str) else list(pk) if isinstance(pk, list) else []
    return tuple(f for f in fields if f in words or f in pk)


class KeptTable(TypedTable):
    """A streamed table as layer 3 sees it: the columns its chunks kept (stream.table.kept_rows),
    and, the first time a rule asks for any other, the whole table read again (`whole()`), so a
    rule reads the same values either way."""

    def __init__(self, kept: dict, res: Resource, whole):
        from types import SimpleNamespace

        lines = kept["lines"]
        n = len(lines)
        casts = {name: SimpleNamespace(values=values, missing=missing)
                 for name, (values, missing) in kept["columns"].items()}
        check = SimpleNamespace(parsed=SimpleNamespace(n_rows=n, lines=lines), casts=casts,
                                blank=np.zeros(n, dtype=bool), ragged=np.zeros(n, dtype=bool))
        super().__init__(check, res)
        self._kept_names = set(casts)
        self._whole_builder, self._whole = whole, None

    def column(self, name: str):
        if name in self._kept_names or name in self._series or name not in self._by_name:
            return super().column(name)
        if self._whole is None:
            self._whole = self._whole_builder()
        series = self._series[name] = self._whole.column(name)
        lost = self._whole.unreadable_lines(name)
        if lost:
            self._unreadable[name] = lost
        return series
