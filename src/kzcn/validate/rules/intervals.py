"""What a stated figure really claims: a qualifier and a value become the interval they imply.

Sources never state a figure with more precision than they have: "$1.1 billion" means a value
that rounds to 1.1, "more than 6%" a value anywhere above 6 (and, for a share, at most 100).
The consistency rules reason over these intervals, so a rule fails hard only when the claims
cannot both be true, and merely warns when the stated point values disagree.

Conventions (the README documents them):

* the rounding unit of a stated value is one unit of its last stated digit: 1.1 -> 0.1,
  7.3 -> 0.1, 548 -> 1, 0.7369 -> 0.0001. Trailing zeros of a whole number are not taken as
  significant (the usual significant-figure reading): 40 -> 10, 200000 -> 100000, 2 -> 1.
* exact (a plain figure): the rounding band, half a unit either side, [v - u/2, v + u/2).
* approximately ("about", "some", "around"): a full unit either side, [v - u, v + u] —
  twice the rounding band, because "about" admits a figure rounded loosely.
* nearly ("almost", "close to" from below): [v - NEARLY_HARD·v, v + u/2] hard (a count: up to v
  itself; the rounding band above admits a figure rounded to v), its soft band [v - NEARLY_SOFT·v, v]:
  as people use the word, just below the stated figure, so a counterpart above it warns.
* a range ("$27–28 million": value 27, value_high 28) is the hull of its two ends' intervals.
* among_top N (ranks: "among the top five") is a rank in [1, N].
* more_than (v, max], at_least [v, max], less_than [min, v), up_to [min, v], where min and max
  come from the quantity's domain (a share lies in [0, 100], money and counts are >= 0, a
  growth in percent is >= -100, a trade balance may be negative).
* counts of items (a count field such as item_count, or a count unit such as projects,
  trains, enterprises, stated at scale one as a whole number) are integers, not rounded
  measurements: an exact count is the point itself ("60 projects" is 60, never [55, 65)), and
  "about / some N" is N ± max(1, ceil(N / 10)) (COUNT_BAND: "some 25" is [22, 28], "about 60"
  [54, 66]). Open-ended counts keep their hard bounds.
* a missing qualifier is read as exact (the conditional_required rule reports the gap).
* the stated scale (one, thousand, ten_thousand, million, hundred_million, billion, trillion) multiplies the bounds, so that
  "548 million" and "0.5 billion" compare directly.

Beside the hard interval, a figure has a soft band (soft_interval): where it lies as people use
the words. "More than X" and "at least X" are rarely above OPEN_MULTIPLE × X ("more than $40
billion" is not $90 billion: a speaker would have said "more than $80 billion"), "less than" and
"up to X" rarely below X / OPEN_MULTIPLE; the other qualifiers' soft band is their hard one. The
multiple is 1.5: in the curated data every open-ended trade, indicator or portfolio figure with
a counterpart of the same thing lies within 1.05 × its bound (42 against "more than 40"), except
the one real conflict (Central Asia–China 2022: "more than $32 billion" against $70 billion, 2.2 ×).
Rules give errors only on hard intervals; a clash of soft bands is a warning.

Intervals carry open or closed ends; arithmetic (sum, difference, product, ratio) returns the
smallest interval holding every result of members of the operands, so a rule can ask whether a
stated ratio and the ratio of two stated values can both hold.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

INF = math.inf

SCALES = {"one": 1.0, "thousand": 1e3, "ten_thousand": 1e4, "million": 1e6, "hundred_million": 1e8, "billion": 1e9,
          "trillion": 1e12}
QUALIFIERS = ("exact", "approximately", "nearly", "more_than", "at_least", "less_than", "up_to", "among_top")
OPEN_ENDED = ("more_than", "at_least", "less_than", "up_to", "among_top")

# "some N" of items: N ± max(1, ceil(N * COUNT_BAND)).
COUNT_BAND = 0.1
# "more than X" is rarely above OPEN_MULTIPLE × X, "less than X" rarely below X / OPEN_MULTIPLE.
OPEN_MULTIPLE = 1.5
# Units that count whole items (a value stated at scale one in these is an integer count).
COUNT_UNITS = frozenset({"containers", "trains", "vehicles", "enterprises", "companies", "documents", "agreements",
                         "projects", "jobs", "people", "items", "flights", "routes", "events", "trips", "passengers",
                         "wagons"})
# "nearly X" lies below X, by at most NEARLY_HARD × X (a hard bound: nobody says "nearly $40 billion"
# of $30 billion) and, as people use the word, by at most NEARLY_SOFT × X (the soft band).
NEARLY_HARD = 0.25
NEARLY_SOFT = 0.1

# Slack when comparing computed bounds: a few dozen units in the last place, so that 1.1e9/13.6e9
# computed two ways still meets at an edge, yet far below any rounding band a source can state
# (a cent on $31.5 billion is 2.6e5 ulps).
ULPS = 64


def _close(a: float, b: float) -> bool:
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= ULPS * float(np.spacing(max(abs(a), abs(b), 1e-300)))


@dataclass(frozen=True)
class Interval:
    """A set of reals between lo and hi; an open end excludes its bound. lo > hi means empty."""

    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False

    # ---- construction -------------------------------------------------------------------
    @classmethod
    def point(cls, x: float) -> "Interval":
        return cls(float(x), float(x))

    @classmethod
    def closed(cls, lo: float, hi: float) -> "Interval":
        return cls(float(lo), float(hi))

    @classmethod
    def everything(cls) -> "Interval":
        return cls(-INF, INF, True, True)

    # ---- predicates ---------------------------------------------------------------------
    @property
    def is_empty(self) -> bool:
        if self.lo > self.hi:
            return True
        return self.lo == self.hi and (self.lo_open or self.hi_open)

    def contains(self, x: float) -> bool:
        if math.isnan(x):
            return False
        above = x > self.lo or (x == self.lo and not self.lo_open)
        below = x < self.hi or (x == self.hi and not self.hi_open)
        return above and below and not self.is_empty

    def intersection(self, other: "Interval") -> "Interval":
        if self.lo > other.lo or (self.lo == other.lo and self.lo_open):
            lo, lo_open = self.lo, self.lo_open
        else:
            lo, lo_open = other.lo, other.lo_open
        if self.hi < other.hi or (self.hi == other.hi and self.hi_open):
            hi, hi_open = self.hi, self.hi_open
        else:
            hi, hi_open = other.hi, other.hi_open
        return Interval(lo, hi, lo_open, hi_open)

    def intersects(self, other: "Interval") -> bool:
        """True when some value lies in both; bounds within float noise count as touching."""
        if self.is_empty or other.is_empty:
            return False
        return not (_strictly_below(self, other) or _strictly_below(other, self))

    def certainly_below(self, other: "Interval") -> bool:
        """Every member of self is smaller than every member of other."""
        return _strictly_below(self, other)

    def possibly_at_most(self, other: "Interval") -> bool:
        """Some member of self is <= some member of other (a part can fit in its whole)."""
        if self.is_empty or other.is_empty:
            return False
        if _close(self.lo, other.hi):
            return not (self.lo_open or other.hi_open)
        return self.lo < other.hi

    # ---- arithmetic ---------------------------------------------------------------------
    def __add__(self, other: "Interval") -> "Interval":
        other = _as_interval(other)
        return Interval(self.lo + other.lo, self.hi + other.hi,
                        self.lo_open or other.lo_open, self.hi_open or other.hi_open)

    def __neg__(self) -> "Interval":
        return Interval(-self.hi, -self.lo, self.hi_open, self.lo_open)

    def __sub__(self, other: "Interval") -> "Interval":
        return self + (-_as_interval(other))

    def __mul__(self, other: "Interval") -> "Interval":
        other = _as_interval(other)
        cands = []
        for a, ao in ((self.lo, self.lo_open), (self.hi, self.hi_open)):
            for b, bo in ((other.lo, other.lo_open), (other.hi, other.hi_open)):
                p = 0.0 if (a == 0 or b == 0) else a * b
                # A zero factor is attained exactly when its bound is closed; otherwise the
                # product only approaches its limit.
                opened = (ao and not (b == 0 and not bo)) or (bo and not (a == 0 and not ao))
                cands.append((p, opened))
        lo = min(c[0] for c in cands)
        hi = max(c[0] for c in cands)
        lo_open = all(o for p, o in cands if p == lo)
        hi_open = all(o for p, o in cands if p == hi)
        return Interval(lo, hi, lo_open, hi_open)

    def reciprocal(self) -> "Interval":
        """1/x over the interval; an interval that holds zero (or reaches it closed) gives everything."""
        if self.is_empty:
            return self
        positive = self.lo > 0 or (self.lo == 0 and self.lo_open)
        negative = self.hi < 0 or (self.hi == 0 and self.hi_open)
        if negative:
            return -((-self).reciprocal())
        if not positive:
            return Interval.everything()
        lo = 0.0 if math.isinf(self.hi) else 1.0 / self.hi
        hi = INF if self.lo == 0 else 1.0 / self.lo
        return Interval(lo, hi, self.hi_open or math.isinf(self.hi), self.lo_open or self.lo == 0)

    def __truediv__(self, other: "Interval") -> "Interval":
        return self * _as_interval(other).reciprocal()

    def scaled(self, factor: float) -> "Interval":
        return self * Interval.point(factor)

    # ---- display ------------------------------------------------------------------------
    def __str__(self) -> str:
        return self.show()

    def show(self, divide_by: float = 1.0, digits: int = 6) -> str:
        if self.is_empty:
            return "(empty)"
        lo = "-inf" if math.isinf(self.lo) else fmt(self.lo / divide_by, digits)
        hi = "inf" if math.isinf(self.hi) else fmt(self.hi / divide_by, digits)
        return f"{'(' if self.lo_open else '['}{lo}, {hi}{')' if self.hi_open else ']'}"


def _strictly_below(a: Interval, b: Interval) -> bool:
    """All of a lies below all of b (they share no value)."""
    if a.hi < b.lo and not _close(a.hi, b.lo):
        return True
    if _close(a.hi, b.lo):
        return a.hi_open or b.lo_open
    return False


def _as_interval(x) -> Interval:
    return x if isinstance(x, Interval) else Interval.point(float(x))


def fmt(x: float, digits: int = 4) -> str:
    """A number as a person reads it: no float noise, no needless trailing zeros."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "?"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(x)))
    decimals = max(0, digits - 1 - magnitude)
    text = f"{round(x, decimals):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def rounding_unit(value: float) -> float:
    """One unit of the last stated digit of a value (see the module docstring)."""
    if value is None or math.isnan(value) or math.isinf(value):
        raise ValueError(f"no rounding unit for {value!r}")
    text = np.format_float_positional(abs(float(value)), trim="-")
    if "." in text:
        return 10.0 ** -len(text.split(".", 1)[1])
    if text == "0":
        return 1.0
    zeros = len(text) - len(text.rstrip("0"))
    return 10.0 ** zeros


def is_count(value: float, unit: str | None, scale: str | None, count_field: bool = False) -> bool:
    """A whole number of items: a count field, or a count unit at scale one."""
    v = float(value)
    if math.isnan(v) or math.isinf(v) or not v.is_integer():
        return False
    return count_field or (unit in COUNT_UNITS and (scale or "one") == "one")


def stated_interval(value: float, qualifier: str | None = "exact", count: bool = False) -> Interval:
    """The interval a stated value and its qualifier imply, in the value's own scale, unclipped.

    count: the value is a whole number of items (see is_count), so exact is a point and
    "about" has the count band."""
    v = float(value)
    q = qualifier or "exact"
    if count and q == "exact":
        return Interval.point(v)
    if count and q == "approximately":
        w = max(1.0, math.ceil(abs(v) * COUNT_BAND))
        return Interval(v - w, v + w)
    if q == "exact":
        u = rounding_unit(v)
        return Interval(v - u / 2, v + u / 2, False, True)
    if q == "approximately":
        u = rounding_unit(v)
        return Interval(v - u, v + u)
    if q == "nearly":
        # Just below the stated figure: "nearly 40" is in [30, 40], its rounding band above allowed.
        top = v if count else v + rounding_unit(v) / 2
        return Interval(v - abs(v) * NEARLY_HARD, top)
    if q == "more_than":
        return Interval(v, INF, True, True)
    if q == "at_least":
        return Interval(v, INF, False, True)
    if q == "less_than":
        return Interval(-INF, v, True, True)
    if q in ("up_to", "among_top"):
        # among_top N (a rank "among the top five") is a rank in [1, N]: the rank domain gives the 1.
        return Interval(-INF, v, True, False)
    raise ValueError(f"unknown qualifier {qualifier!r}; expected one of {', '.join(QUALIFIERS)}")


def domain(unit: str | None = None, measure: str | None = None, flow: str | None = None) -> Interval:
    """Where a quantity can lie at all, from its unit and measure (the bounds of an open claim)."""
    if flow == "balance" and measure in (None, "value"):
        return Interval.everything()
    if measure == "share" or (unit == "percent" and measure in (None, "share")):
        return Interval(0.0, 100.0)
    if measure == "growth" and unit == "percent":
        return Interval(-100.0, INF, False, True)
    if measure == "rank" or unit == "rank":
        return Interval(1.0, INF, False, True)
    return Interval(0.0, INF, False, True)


def scale_factor(scale: str | None) -> float:
    if scale is None:
        return 1.0
    try:
        return SCALES[scale]
    except KeyError:
        raise ValueError(f"unknown scale {scale!r}; expected one of {', '.join(SCALES)}") from None


def hull(a: Interval, b: Interval) -> Interval:
    """The smallest interval holding both (a stated range: from its low end's to its high end's)."""
    if a.is_empty:
        return b
    if b.is_empty:
        return a
    lo, lo_open = (a.lo, a.lo_open) if (a.lo, not a.lo_open) < (b.lo, not b.lo_open) else (b.lo, b.lo_open)
    hi, hi_open = (a.hi, a.hi_open) if (a.hi, not a.hi_open) > (b.hi, not b.hi_open) else (b.hi, b.hi_open)
    return Interval(lo, hi, lo_open, hi_open)


def implied_interval(value: float, qualifier: str | None = "exact", scale: str | None = "one",
                     dom: Interval | None = None, count: bool = False, high: float | None = None) -> Interval:
    """Stated value + qualifier + scale -> the absolute interval, clipped to its domain.

    The domain is given in absolute units (a share's [0, 100] is scale-free; money's [0, inf)
    too), so clipping happens after scaling. `high`: the top of a stated range (value_high).
    """
    iv = stated_interval(value, qualifier, count)
    if high is not None and not math.isnan(float(high)):
        iv = hull(iv, stated_interval(high, qualifier, count))
    iv = iv.scaled(scale_factor(scale))
    if dom is not None:
        iv = iv.intersection(dom)
    return iv


def soft_interval(hard: Interval, value: float, qualifier: str | None, scale: str | None = "one",
                  multiple: float = OPEN_MULTIPLE) -> Interval:
    """Where an open-ended figure plausibly lies: "more than X" within (X, multiple × X], "less
    than X" within [X / multiple, X); other qualifiers (and negative bounds) keep the hard interval."""
    q = qualifier or "exact"
    v = float(value) * scale_factor(scale)
    if q == "nearly" and v > 0:
        soft = hard.intersection(Interval(v * (1 - NEARLY_SOFT), v))
        return hard if soft.is_empty else soft
    if q not in OPEN_ENDED or q == "among_top" or v <= 0 or multiple <= 1:
        return hard
    band = Interval(v, v * multiple) if q in ("more_than", "at_least") else Interval(v / multiple, v)
    soft = hard.intersection(band)
    return hard if soft.is_empty else soft
