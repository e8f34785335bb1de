"""What every rule kind needs and should not write twice: tables, row selection, matching rows
across a table, the interval a row states, row labels, and the finding pointing at a row.

A rule kind is a small function `kind(frames, params, ctx) -> list[Finding]`; the context gives it
the package (for paths and primary keys), the rule (id, severity) and these helpers.
Frames are indexed by the line of each row in its CSV file (header = line 1).
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass
from itertools import product

import numpy as np
import pandas as pd

from ..findings import WARNING, Finding
from .intervals import Interval, domain, fmt, implied_interval, scale_factor


class NotApplicable(Exception):
    """The package lacks a table or field the rule names: skip the rule, say so once."""


class ParamError(Exception):
    """The rule's parameters are malformed in a way the loader could not see."""


def na(x) -> bool:
    try:
        return x is None or bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def text(x) -> str | None:
    """A cell as plain text (categoricals, strings), None when missing."""
    return None if na(x) else str(x)


def as_list(x) -> list:
    if x is None:
        return []
    return list(x) if isinstance(x, (list, tuple)) else [x]


@dataclass(frozen=True)
class Quantity:
    """A row's stated figure: what it says, and the absolute interval that implies."""

    table: str
    line: int
    label: str
    value: float
    qualifier: str
    scale: str
    unit: str | None
    interval: Interval

    @property
    def factor(self) -> float:
        return scale_factor(self.scale)

    @property
    def point(self) -> float:
        return self.value * self.factor

    def describe(self) -> str:
        """'more than 21 billion USD (21, inf) billion' — stated words, then the interval."""
        scale = "" if self.scale in (None, "one") else f" {self.scale}"
        unit = "" if not self.unit else (" %" if self.unit == "percent" else f" {self.unit}")
        q = self.qualifier.replace("_", " ")
        digits = max(6, len(np.format_float_positional(abs(self.value), trim="-").replace(".", "").lstrip("0")) + 2)
        return f"{q} {fmt(self.value, digits)}{scale}{unit}: {self.interval.show(self.factor, digits)}{scale}"


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
        self._pos = None    # or a dict when the index is not sorted
        self._cols: dict[str, list] = {}
        self._reads: dict[str, int] = {}
        self._values: dict = {}

    def _position(self, line) -> int:
        if self._lines is None and self._pos is None:
            lines = np.asarray(self._frame.index, dtype=np.int64)
            if len(lines) < 2 or bool(np.all(lines[1:] > lines[:-1])):
                self._lines = lines
            else:
                self._pos = {int(ln): i for i, ln in enumerate(lines)}
        line = int(line)
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


class RuleContext:
    """Helpers bound to one rule run."""

    def __init__(self, package, frames: dict, rule):
        self.package = package
        self.frames = frames
        self.rule = rule
        self.rows_of: dict[Finding, frozenset] = {}

    # ---- tables and fields ----------------------------------------------------------------
    def table(self, name: str, fields=()) -> pd.DataFrame | None:
        """The typed frame of a table; NotApplicable if the package lacks it or a field.

        None when the package has the table but it could not be loaded (other layers report
        why): the rule then has nothing to check there.
        """
        if not isinstance(name, str):
            raise ParamError(f"table must be a table name, found {name!r}")
        if name not in self.package.table_names:
            raise NotApplicable(f"the package has no table {name!r}")
        resource = self.package.resource(name)
        missing = [f for f in fields if f is not None and f not in resource.field_names]
        if missing:
            raise NotApplicable(f"table {name!r} has no field(s) {', '.join(missing)}")
        frame = self.frames.get(name)
        if frame is None:
            return None
        absent = [f for f in fields if f is not None and f not in frame.columns]
        if absent:
            return None
        return frame

    def tables(self, params: dict) -> list[str]:
        names = as_list(params.get("table", params.get("tables")))
        if not names:
            raise ParamError("name the table(s) with 'table'")
        return names

    def path_of(self, table: str) -> str:
        return self.package.resource(table).relpath

    def key_fields(self, table: str) -> list[str]:
        return self.package.resource(table).primary_key

    def row_id(self, table: str, line: int) -> str:
        frame = self.frames[table]
        cache = getattr(frame, "ids", None) if isinstance(frame, RuleTable) else None
        if cache is not None and line in cache:
            return cache[line]
        keys = [k for k in self.key_fields(table) if k in frame.columns]
        rid = "/".join(text(frame.at[line, k]) or "?" for k in keys) if keys else f"line {line}"
        if cache is not None:
            cache[line] = rid
        return rid

    def label(self, table: str, line: int) -> str:
        return f"{self.row_id(table, line)} (line {line})"

    def find_row(self, table: str, frame: pd.DataFrame, row_id: str) -> list[int]:
        """Lines whose primary key (joined by '/') equals row_id."""
        keys = self.key_fields(table)
        if not keys:
            raise NotApplicable(f"table {table!r} has no primary key to name rows by")
        ids = frame[keys[0]].astype("string")
        for k in keys[1:]:
            ids = ids + "/" + frame[k].astype("string")
        return [int(i) for i in frame.index[(ids == row_id).fillna(False).to_numpy()]]

    # ---- findings ---------------------------------------------------------------------------
    def finding(self, table: str | None, line: int | None, field: str | None, message: str,
                severity: str | None = None, rows=()) -> Finding:
        f = Finding(code=self.rule.id, severity=severity or self.rule.severity, message=message,
                    resource=table, path=self.path_of(table) if table else None,
                    line=int(line) if line is not None else None, field=field, rule=self.rule.id)
        self.rows_of[f] = frozenset((table, r) for r in rows)
        return f

    def warning(self, table, line, field, message, rows=()) -> Finding:
        return self.finding(table, line, field, message, severity=WARNING, rows=rows)

    # ---- quantities ---------------------------------------------------------------------------
    def quantities(self, table: str, frame: pd.DataFrame, lines=None, value="value", qualifier="qualifier",
                   scale="scale", unit="unit", measure="measure", flow="flow", clip=True) -> dict[int, Quantity]:
        """line -> Quantity for the rows (of `lines`) that state a value."""
        cols = frame.columns
        get = (lambda c, ln: frame.at[ln, c] if (c and c in cols) else None)
        out: dict[int, Quantity] = {}
        index = frame.index if lines is None else lines
        for ln in index:
            v = get(value, ln)
            if na(v):
                continue
            v = float(v)
            if math.isnan(v) or math.isinf(v):
                continue
            q = text(get(qualifier, ln)) or "exact"
            s = text(get(scale, ln)) or "one"
            u = text(get(unit, ln))
            dom = domain(u, text(get(measure, ln)), text(get(flow, ln))) if clip else None
            try:
                iv = implied_interval(v, q, s, dom)
            except ValueError:
                continue  # an unknown qualifier or scale is a schema finding, not ours
            out[int(ln)] = Quantity(table, int(ln), self.row_id(table, ln), v, q, s, u, iv)
        return out


# ---- selecting rows -------------------------------------------------------------------------

def _coerce_like(series: pd.Series, value):
    if pd.api.types.is_datetime64_any_dtype(series.dtype) and isinstance(value, (str, _dt.date)):
        return pd.Timestamp(value)
    if pd.api.types.is_bool_dtype(series.dtype) or str(series.dtype) == "boolean":
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
    return value


def select(frame: pd.DataFrame, where: dict | None) -> pd.Series:
    """Rows matching a selector. Each field maps to a value (equal), a list (one of),
    {pattern: regex}, {present: true|false} or {not: value|list}."""
    mask = pd.Series(True, index=frame.index)
    if not where:
        return mask
    if not isinstance(where, dict):
        raise ParamError(f"a row selector must be a mapping of field -> condition, found {where!r}")
    for fname, cond in where.items():
        if fname not in frame.columns:
            raise NotApplicable(f"no field {fname!r} to select rows by")
        col = frame[fname]
        mask &= _condition(col, cond, fname)
    return mask.fillna(False).astype(bool)


def _equals(col: pd.Series, value) -> pd.Series:
    if isinstance(col.dtype, pd.CategoricalDtype):
        # as text, compared on the codes: no column of strings is built
        wanted = [i for i, c in enumerate(col.cat.categories) if str(c) == str(value)]
        return pd.Series(np.isin(col.cat.codes.to_numpy(), wanted), index=col.index)
    if pd.api.types.is_string_dtype(col.dtype):
        return (col.astype("string") == str(value)).fillna(False).astype(bool)
    return (col == _coerce_like(col, value)).fillna(False).astype(bool)


def _condition(col: pd.Series, cond, fname: str) -> pd.Series:
    if isinstance(cond, dict):
        m = pd.Series(True, index=col.index)
        for op, arg in cond.items():
            if op == "pattern":
                m &= col.astype("string").str.fullmatch(str(arg)).fillna(False).astype(bool)
            elif op == "present":
                m &= (col.notna() if arg else col.isna()).astype(bool)
            elif op == "not":
                m &= ~_condition(col, arg, fname) & col.notna()
            elif op == "in":
                m &= _condition(col, list(as_list(arg)), fname)
            else:
                raise ParamError(f"unknown condition {op!r} on field {fname!r}; use pattern, present, not or in")
        return m
    if isinstance(cond, list):
        m = pd.Series(False, index=col.index)
        for v in cond:
            m |= _equals(col, v)
        return m
    return _equals(col, cond)


# ---- matching rows to rows ------------------------------------------------------------------------

def _key_value(x):
    if na(x):
        return None
    if isinstance(x, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(x)
    if isinstance(x, (np.bool_, bool)):
        return bool(x)
    if isinstance(x, (np.integer, np.floating)):
        return float(x)
    return str(x)


def keys_of(frame: pd.DataFrame, lines, fields: list[str]) -> dict[int, tuple]:
    return {int(ln): tuple(_key_value(frame.at[ln, f]) for f in fields) for ln in lines}


def compatible(a, b, wildcard) -> bool:
    """Two cells agree: equal, or either is the rule's wildcard (e.g. basis `unspecified`)."""
    if a is None or b is None:
        return False
    if a == b:
        return True
    return wildcard is not None and (a in wildcard or b in wildcard)


def match_lines(frame: pd.DataFrame, left_lines, right_lines, fields: list[str], wildcards: dict | None = None,
                rename: dict | None = None, exclude_same: bool = True) -> dict[int, list[int]]:
    """For each left line, the right lines agreeing on `fields` (left field renamed by `rename`).

    A missing cell never matches (two undated figures are not the same period). Wildcards map a
    field to the values that match anything, e.g. {reporter_basis: [unspecified]}.
    """
    wildcards = {k: set(as_list(v)) for k, v in (wildcards or {}).items()}
    rename = rename or {}
    for f in fields:
        if f not in frame.columns or rename.get(f, f) not in frame.columns:
            raise NotApplicable(f"no field {rename.get(f, f)!r} to match rows by")
    left_fields = [rename.get(f, f) for f in fields]
    lkeys = keys_of(frame, left_lines, left_fields)
    rkeys = keys_of(frame, right_lines, fields)
    strict = [i for i, f in enumerate(fields) if f not in wildcards]
    loose = [i for i, f in enumerate(fields) if f in wildcards]
    buckets: dict[tuple, list[int]] = {}
    for ln, key in rkeys.items():
        sk = tuple(key[i] for i in strict)
        if any(v is None for v in sk):
            continue
        buckets.setdefault(sk, []).append(ln)
    out: dict[int, list[int]] = {}
    for ln, key in lkeys.items():
        sk = tuple(key[i] for i in strict)
        if any(v is None for v in sk):
            continue
        found = []
        for rl in buckets.get(sk, []):
            if exclude_same and rl == ln:
                continue
            if all(compatible(key[i], rkeys[rl][i], wildcards[fields[i]]) for i in loose):
                found.append(rl)
        if found:
            out[ln] = found
    return out


def listing(items, show, limit: int = 3) -> str:
    """The first few items in words, and how many more: a message stays readable on big tables."""
    items = list(items)
    text_ = "; ".join(show(i) for i in items[:limit])
    return text_ + (f"; and {len(items) - limit} more" if len(items) > limit else "")


def interval_verdict(ctx, table: str, line: int, stated, results, said, rows, *, what: str, mismatch: str,
                     gives: str, unit: str = ""):
    """The one verdict of a stated ratio (a share, a growth) against the ratios its rows imply.

    `results` are (a, b, implied interval, implied point). No implied interval meets the stated
    one: a finding of the rule's severity. One does, but only through the qualifiers' leeway (the
    point values clash): a warning naming the closest pair.
    """
    ok = [r for r in results if r[2].intersects(stated.interval)]
    if not ok:
        return ctx.finding(table, line, "value", f"{what} does not match {mismatch}: " + listing(results, said),
                           rows=rows)
    best = min(ok, key=lambda r: abs(r[3] - stated.point))
    return ctx.warning(table, line, "value",
                       f"{what}, but the stated {gives} give {fmt(best[3])}{unit}, outside it; "
                       f"only the qualifiers' leeway reconciles them: {said(best)}", rows=rows)


def combos(*lists):
    return product(*lists)


def lines_of(mask: pd.Series) -> list[int]:
    return np.asarray(mask.index[mask.to_numpy()], dtype=np.int64).tolist()


def resolve_rows(ctx: RuleContext, table: str, frame: pd.DataFrame, spec, role: str) -> list[int]:
    """A row named by its primary-key id (text) or picked by a selector (mapping)."""
    if isinstance(spec, str):
        return ctx.find_row(table, frame, spec)
    if isinstance(spec, dict):
        return lines_of(select(frame, spec))
    raise ParamError(f"{role} must be a row id or a selector mapping, found {spec!r}")


# A figure compared with more candidate rows than this (many sources of one period) is compared
# with the first ones only: enough to decide, and bounded on large tables.
MAX_CANDIDATES = 32
