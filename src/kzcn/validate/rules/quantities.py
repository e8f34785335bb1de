"""A row's stated figure as a Quantity, and the helpers the kinds comparing figures share.

One module because the kinds comparing figures (containment, shares, growth) all speak of the
same things: what a row says ("more than 21 billion USD") and the absolute interval that
implies (intervals.py does the arithmetic, and gives the soft band of open-ended qualifiers), the
candidate rows and combinations of rows a figure is compared with (bounded on large tables), and
listings that keep messages readable. The verdict of a ratio against every pair of its basis is
counterparts.py's.
RuleContext.quantities reads Quantities off a table; the kinds then work on these alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np

from .intervals import Interval, fmt, scale_factor

# A figure compared with more candidate rows than this (many sources of one period) is compared
# with the first ones only: enough to decide, and bounded on large tables.
MAX_CANDIDATES = 32


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
    soft: Interval | None = None  # where the words put it (intervals.soft_interval); None: the interval

    @property
    def band(self) -> Interval:
        return self.interval if self.soft is None else self.soft

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


def combos(*lists):
    return product(*lists)


def listing(items, show, limit: int = 3) -> str:
    """The first few items in words, and how many more: a message stays readable on big tables."""
    items = list(items)
    text_ = "; ".join(show(i) for i in items[:limit])
    return text_ + (f"; and {len(items) - limit} more" if len(items) > limit else "")


def interval_verdict(ctx, table: str, line: int, stated, results, said, rows, *, what: str, mismatch: str,
                     gives: str, unit: str = ""):
    """The one verdict of a stated figure against the figures its rows imply, when any one may settle it.

    growth and share checks no longer use it: they judge every counterpart (counterparts.judge).

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
