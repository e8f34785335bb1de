"""The context a rule runs in: its package, its frames, its rule, and the finding it makes.

A rule kind is a small function `kind(frames, params, ctx) -> list[Finding]`; the context gives it
the package (for paths and primary keys), the rule (id, severity) and what every kind asks of
them: a table by name (or NotApplicable when the package lacks it), a row's id and label, the
Quantities a table states, and a finding pointing at a row (remembering which rows it names, so
a curated resolution can drop it). Also the two errors a kind raises and the cell helpers every
module here uses (na, text, as_list). Reading cells fast is ruletable.py's; picking and pairing
rows is selection.py's; figures and verdicts are quantities.py's.
Frames are indexed by the line of each row in its CSV file (header = line 1).
"""
from __future__ import annotations

import math

import pandas as pd

from ..findings import WARNING, Finding
from .intervals import domain, implied_interval, is_count, soft_interval
from .quantities import Quantity
from .ruletable import RuleTable


def _integer_column(frame, field: str) -> bool:
    try:
        return pd.api.types.is_integer_dtype(frame[field].dtype)
    except (KeyError, TypeError):
        return False


class NotApplicable(Exception):
    """The package lacks a table or field the rule names: skip the rule, say so once."""


class ParamError(Exception):
    """The rule's parameters are malformed in a way the loader could not see."""


def na(x) -> bool:
    """pd.isna for one cell, without pandas' dispatch for the cells most are (text, whole numbers,
    floats): the rules ask it of 70,000 cells on the curated package. Exact types only, so a
    subclass still goes through pandas."""
    kind = type(x)
    if kind is str or kind is int or kind is bool:
        return False
    if kind is float:
        return x != x  # NaN, as pd.isna
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


class RuleContext:
    """Helpers bound to one rule run."""

    def __init__(self, package, frames: dict, rule):
        self.package = package
        self.frames = frames
        self.rule = rule
        self.rows_of: dict[Finding, frozenset] = {}
        self.advice = getattr(rule, "advice", None)  # what to do, once per rule run, not per finding

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
                    line=int(line) if line is not None else None, field=field, rule=self.rule.id,
                    rule_rationale=self.rule.rationale, hint=self.advice)
        self.rows_of[f] = frozenset((table, r) for r in rows)
        return f

    def warning(self, table, line, field, message, rows=()) -> Finding:
        return self.finding(table, line, field, message, severity=WARNING, rows=rows)

    # ---- quantities ---------------------------------------------------------------------------
    def quantities(self, table: str, frame: pd.DataFrame, lines=None, value="value", qualifier="qualifier",
                   scale="scale", unit="unit", measure="measure", flow="flow", clip=True,
                   high="value_high") -> dict[int, Quantity]:
        """line -> Quantity for the rows (of `lines`) that state a value.

        A value field of integer type with no unit (item_count) is a count of items."""
        cols = frame.columns
        count_field = unit is None and value in cols and _integer_column(frame, value)
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
            count = is_count(v, u, s, count_field=count_field)
            h = get(high, ln) if value == "value" else None  # a range's top end, for the value field only
            h = None if na(h) else float(h)
            try:
                iv = implied_interval(v, q, s, dom, count=count, high=h)
                soft = soft_interval(iv, v, q, s)
            except ValueError:
                continue  # an unknown qualifier or scale is a schema finding, not ours
            out[int(ln)] = Quantity(table, int(ln), self.row_id(table, ln), v, q, s, u, iv, soft)
        return out
