"""What the harness knows about a figure table: the roles of its fields, read from its Table Schema.

Why: the harness must measure rules it was not written for, so it may not know the rules, and it
may not know rows either. It knows fields (a number, its scale, qualifier and unit; the measure; the
basis; the periods; the source and its publication date; the span; a parent link) from the schema,
and a little domain knowledge keyed by field name and value, never by id: which values of a field
are parts of which (exports of turnover, a province of China), which parts add up to a whole, what
a share's reference names as the whole, which set a rank ranks within. A table without the field
simply has no such relation.

Figures are intervals, as a curator reads them: "1.1" is its rounding band [1.05, 1.15], "about"
one unit of the last digit either side, "more than 6" is [6, inf), "nearly 40" [30, 40.5] (just
below it), "among the top 5" a rank in [1, 5], and a range "27-28" (value 27, value_high 28) every
value from 27's band to 28's. Written here, not imported from
the validator, so the harness does not grade the rules with their own arithmetic.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

SCALES = {"one": 1.0, "thousand": 1e3, "ten_thousand": 1e4, "million": 1e6, "hundred_million": 1e8,
          "billion": 1e9, "trillion": 1e12}
OPEN = ("more_than", "at_least", "less_than", "up_to")
NEARLY_BELOW = 0.25  # "nearly X" lies in [X - 25% of X, X] (and X's rounding band above it)
HIGH = "_high"  # a number field named <number>_high is the top end of a range stated in <number>

# Domain knowledge, keyed by field and value (never by row). A value's parent is the whole it is
# part of; a pattern stands for all the values it matches.
HIERARCHIES = {
    "flow": [("^(export|import)$", "turnover")],
    "partner_scope": [("^CN-[A-Z]{2}$", "CN")],
    "commodity_group": [("^grain$", "agricultural"), ("^(agricultural|non_commodity)$", "all_goods")],
    "reporter_scope": [("^KZ$", "central_asia")],
}
DISJOINT = {"flow", "partner_scope"}  # the parts of one whole do not overlap, so they sum within it
SUMS = {"flow": {"turnover": {"export": 1, "import": 1}, "balance": {"export": 1, "import": -1}}}
NOT_CUMULATIVE = {"flow": {"balance"}}  # a difference can shrink as the period grows
SHARE_WHOLES = {"reference": {"kz_cn_trade": {"partner_scope": "CN"},
                              "ca_cn_trade": {"reporter_scope": "central_asia"}}}
RANK_SETS = {"reference": {"cn_regions": ("partner_scope", "^CN-[A-Z]{2}$")}}
WILDCARD = "unspecified"  # a basis that may be any of the named ones
FORECAST = "forecast"
AMOUNT = "value"  # the measure of a row that states an amount


def parent_value(field_name: str, value: str) -> str | None:
    for pattern, parent in HIERARCHIES.get(field_name, []):
        if value and re.match(pattern, value):
            return parent
    return None


def ancestors(field_name: str, value: str) -> list[str]:
    out, v = [], value
    while (v := parent_value(field_name, v)) is not None and v not in out:
        out.append(v)
    return out


@dataclass(frozen=True)
class Interval:
    lo: float
    hi: float

    def overlaps(self, other: "Interval") -> bool:
        return self.lo <= other.hi and other.lo <= self.hi


def interval(text: str, qualifier: str | None, factor: float = 1.0, high: str | None = None) -> Interval | None:
    """A stated figure as a curator reads it; `high`, the top end of a stated range ("27-28"):
    the range is every value from its low end's interval to its top end's."""
    try:
        v = float(text)
    except (TypeError, ValueError):
        return None
    decimals = len(text.split(".")[1]) if "." in text else 0
    unit = 10.0 ** -decimals
    q = qualifier or "exact"
    if q in ("more_than", "at_least"):
        lo, hi = v, math.inf
    elif q in ("less_than", "up_to"):
        lo, hi = (-math.inf if v < 0 else 0.0), v
    elif q == "among_top":  # a rank among the top N: 1 to N
        lo, hi = 1.0, v
    elif q == "nearly":  # just below the stated figure
        lo, hi = v - abs(v) * NEARLY_BELOW, v + unit / 2
    elif q == "approximately":
        lo, hi = v - unit, v + unit
    else:
        lo, hi = v - unit / 2, v + unit / 2
    out = Interval(lo * factor, hi * factor)
    top = interval(high, qualifier, factor) if high else None
    if top is not None:
        out = Interval(min(out.lo, top.lo), max(out.hi, top.hi))
    return out


@dataclass
class Number:
    """A number field and the fields that qualify it."""

    name: str
    integer: bool
    scale: str | None
    qualifier: str | None
    unit: str | None
    high: str | None = None  # the field holding the top end of a range stated in this number


def _companion(fields: list[dict], number: str, suffix: str) -> str | None:
    """The field ending in `suffix` that belongs to number field `number` (scale, qualifier, unit)."""
    tokens = number.split("_")
    for f in fields:
        name = f["name"]
        if name == number or not name.endswith(suffix):
            continue
        prefix = name[: -len(suffix)].rstrip("_")
        if prefix and prefix in tokens:
            return name
    for f in fields:
        if f["name"] == suffix and number == AMOUNT:
            return suffix
    return None


@dataclass
class TableModel:
    name: str
    schema: dict
    rows: list[dict]
    fields: list[dict] = field(init=False)

    def __post_init__(self):
        # Why a memo: the judge re-reads every curated row for each of tens of thousands of proposed
        # mutations; a mutated table shares all but one row dict with self.rows, which this model
        # holds (so their ids stay theirs). Only those rows are memoised; a mutated row never is.
        self._curated = {id(r) for r in self.rows}
        self._memo: dict = {}
        self.fields = self.schema.get("fields", [])
        by = {f["name"]: f for f in self.fields}
        self.types = {f["name"]: f.get("type", "string") for f in self.fields}
        self.enums = {f["name"]: (f.get("constraints") or {}).get("enum") or [] for f in self.fields}
        pk = self.schema.get("primaryKey") or []
        self.pk = [pk] if isinstance(pk, str) else list(pk)
        self.fks = []
        for fk in self.schema.get("foreignKeys") or []:
            local = fk["fields"] if isinstance(fk["fields"], str) else fk["fields"][0]
            ref = fk.get("reference") or {}
            res = ref.get("resource") or self.name
            remote = ref.get("fields")
            self.fks.append((local, res, remote if isinstance(remote, str) else remote[0]))
        numeric = [n for n in by if self.types[n] in ("number", "integer")]
        self.numbers = [Number(n, self.types[n] == "integer", _companion(self.fields, n, "scale"),
                               _companion(self.fields, n, "qualifier"), _companion(self.fields, n, "unit"),
                               n + HIGH if n + HIGH in numeric else None)
                        for n in numeric if not (n.endswith(HIGH) and n[: -len(HIGH)] in numeric)]
        self.measure = next((n for n, e in self.enums.items() if AMOUNT in e and "growth" in e), None)
        self.basis = next((n for n in by if n.endswith("_basis")), None)
        self.estimate = next((n for n, e in self.enums.items() if FORECAST in e), None)
        self.span = next((n for n in by if "span" in n and self.types[n] == "string"), None)
        self.source_fk = next(((l, r) for l, res, r in self.fks if res == "sources"), None)
        self.parent = next((l for l, res, _ in self.fks if res == self.name and "parent" in l), None)
        self.dates = [n for n in by if self.types[n] == "date"]
        self.pairs = {n[: -len("_start")]: (n, n[: -len("_start")] + "_end") for n in self.dates
                      if n.endswith("_start") and n[: -len("_start")] + "_end" in self.dates}
        companions = {x for num in self.numbers for x in (num.scale, num.qualifier, num.high)} - {None}
        fk_fields = {l for l, _, _ in self.fks}
        self.key_fields = [
            n for n in by
            if n not in self.pk and n not in fk_fields and n not in companions and n != self.span
            and self.types[n] in ("string", "date") and not _is_identifier(by[n]) and not self._free_text(n)
        ]

    def _free_text(self, name: str) -> bool:
        if self.types[name] != "string" or self.enums[name]:
            return False
        return any(" " in (r.get(name) or "") for r in self.rows)

    # ------------------------------------------------------------------ reading a row
    def is_amount(self, row: dict) -> bool:
        return self.measure is None or row.get(self.measure) == AMOUNT

    def factor(self, row: dict, num: Number) -> float:
        return SCALES.get(row.get(num.scale) or "one", 1.0) if num.scale else 1.0

    def quantity(self, row: dict, num: Number) -> Interval | None:
        if id(row) in self._curated:
            k = ("q", id(row), num.name)
            if k not in self._memo:
                self._memo[k] = self._quantity(row, num)
            return self._memo[k]
        return self._quantity(row, num)

    def _quantity(self, row: dict, num: Number) -> Interval | None:
        if not row.get(num.name):
            return None
        q = row.get(num.qualifier) if num.qualifier else None
        return interval(row[num.name], q, self.factor(row, num), row.get(num.high) if num.high else None)

    def key(self, row: dict, drop=(), override: dict | None = None) -> tuple:
        if not override and id(row) in self._curated:
            k = ("k", id(row), frozenset(drop))
            if k not in self._memo:
                self._memo[k] = self._key(row, drop)
            return self._memo[k]
        return self._key(row, drop, override)

    def _key(self, row: dict, drop=(), override: dict | None = None) -> tuple:
        override = override or {}
        return tuple((n, override.get(n, row.get(n, ""))) for n in self.key_fields if n not in drop)

    def bases_compatible(self, a: dict, b: dict, exact: bool = False) -> bool:
        if not self.basis:
            return True
        x, y = a.get(self.basis, ""), b.get(self.basis, "")
        return x == y or (not exact and WILDCARD in (x, y))

    def reported(self, row: dict) -> bool:
        return not self.estimate or row.get(self.estimate) != FORECAST


def _is_identifier(f: dict) -> bool:
    text = f"{f.get('title', '')} {f.get('description', '')}".lower()
    return f["name"].endswith("_id") or text.strip().startswith("identifier")
