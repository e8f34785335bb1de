"""Qualifier + stated value -> interval, and interval arithmetic (property tests with hypothesis)."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kzcn.validate.rules.intervals import INF, Interval, _close, domain, implied_interval, rounding_unit, stated_interval


@pytest.mark.parametrize("value, unit", [(1.1, 0.1), (7.3, 0.1), (548, 1), (0.7369, 1e-4), (40, 10), (2, 1),
                                         (200000, 1e5), (24.05, 0.01), (14036771456.92, 0.01), (-8.4, 0.1)])
def test_rounding_unit_is_the_last_stated_digit(value, unit):
    assert math.isclose(rounding_unit(value), unit)


def test_the_design_examples():
    share = implied_interval(6, "more_than", "one", domain("percent", "share"))
    assert (share.lo, share.hi, share.lo_open, share.hi_open) == (6, 100, True, False)          # (6, 100]
    plain = stated_interval(1.1, "exact")
    assert math.isclose(plain.lo, 1.05) and math.isclose(plain.hi, 1.15) and not plain.lo_open and plain.hi_open
    about = stated_interval(1.1, "approximately")                                             # one unit each side
    assert math.isclose(about.lo, 1.0) and math.isclose(about.hi, 1.2)
    assert stated_interval(150, "at_least") == Interval(150, INF, False, True)
    assert stated_interval(35, "up_to") == Interval(-INF, 35, True, False)
    assert stated_interval(35, "less_than") == Interval(-INF, 35, True, True)
    bn = implied_interval(1.1, "exact", "billion")
    mn = implied_interval(1100, "exact", "million")
    assert bn.intersects(mn) and math.isclose(bn.lo, 1.05e9)
    # the seed: 1.1 / 13.6 (H1 2023, $ billion) is "more than 6%"
    ratio = implied_interval(1.1, "exact", "billion") / implied_interval(13.6, "exact", "billion") * Interval.point(100)
    assert ratio.intersects(share) and not ratio.intersects(implied_interval(9, "more_than", "one"))


def test_adjacent_rounding_bands_do_not_overlap_but_nested_ones_do():
    assert not stated_interval(41).intersects(stated_interval(42))   # [40.5, 41.5) vs [41.5, 42.5)
    assert stated_interval(41).intersects(stated_interval(40))        # 40 -> [35, 45)
    assert stated_interval(6, "more_than").intersects(stated_interval(6.1))
    assert not stated_interval(6, "more_than").intersects(stated_interval(6, "up_to"))
    assert stated_interval(6, "at_least").intersects(stated_interval(6, "up_to"))


def test_unknown_qualifier_and_scale_are_refused():
    with pytest.raises(ValueError):
        stated_interval(1, "roughly")
    with pytest.raises(ValueError):
        implied_interval(1, "exact", "lakh")


def test_reciprocal_and_division_by_an_interval_holding_zero():
    assert Interval(-1, 2).reciprocal() == Interval.everything()
    r = Interval(0, 2, True, False).reciprocal()
    assert (r.lo, r.hi, r.lo_open, r.hi_open) == (0.5, INF, False, True)
    n = Interval(-4, -2).reciprocal()
    assert math.isclose(n.lo, -0.5) and math.isclose(n.hi, -0.25)


# ---- properties --------------------------------------------------------------------------------------

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def intervals(draw, positive=False):
    a, b = draw(finite), draw(finite)
    if positive:
        a, b = abs(a) + 1e-3, abs(b) + 1e-3
    lo, hi = min(a, b), max(a, b)
    return Interval(lo, hi, draw(st.booleans()) and lo < hi, draw(st.booleans()) and lo < hi)


@st.composite
def member(draw, iv: Interval):
    t = draw(st.floats(min_value=0, max_value=1))
    x = iv.lo + t * (iv.hi - iv.lo)
    x = min(max(x, iv.lo), iv.hi)
    assume(iv.contains(x))
    return x


def in_closure(iv: Interval, x: float) -> bool:
    """x within the interval's closure, allowing a few ulps for the different rounding paths."""
    slack = 8 * float(np.spacing(max(abs(x), abs(iv.lo) if math.isfinite(iv.lo) else 0,
                                     abs(iv.hi) if math.isfinite(iv.hi) else 0, 1e-300)))
    return iv.lo - slack <= x <= iv.hi + slack


@given(st.data(), intervals(), intervals())
def test_sum_and_difference_hold_every_result(data, a, b):
    x, y = data.draw(member(a)), data.draw(member(b))
    assert in_closure(a + b, x + y)
    assert in_closure(a - b, x - y)


@given(st.data(), intervals(), intervals())
def test_product_holds_every_result(data, a, b):
    x, y = data.draw(member(a)), data.draw(member(b))
    assert in_closure(a * b, x * y)


@given(st.data(), intervals(), intervals(positive=True))
def test_ratio_holds_every_result(data, a, b):
    x, y = data.draw(member(a)), data.draw(member(b))
    assert in_closure(a / b, x / y)


@given(intervals(), intervals())
def test_intersects_is_symmetric_and_agrees_with_intersection(a, b):
    assert a.intersects(b) == b.intersects(a)
    if a.intersects(b):
        i = a.intersection(b)
        assert i.lo <= i.hi
    else:
        assert a.certainly_below(b) or b.certainly_below(a)


@given(st.data(), intervals(), intervals())
def test_common_member_means_intersecting(data, a, b):
    # Bounds within float noise count as touching (intervals._close), so a member within a few ulps
    # of an open bound of b does not make them intersect: 1e6 - 1e-10 against (1e6, ...] is noise.
    x = data.draw(member(a))
    near_open = (b.lo_open and _close(x, b.lo)) or (b.hi_open and _close(x, b.hi))
    if b.contains(x) and not near_open:
        assert a.intersects(b)


@given(st.decimals(min_value=-10**6, max_value=10**6, places=3, allow_nan=False, allow_infinity=False),
       st.sampled_from(["exact", "approximately", "at_least", "up_to"]))
def test_a_stated_value_lies_in_its_own_interval(value, qualifier):
    v = float(value)
    assert stated_interval(v, qualifier).contains(v)


@given(st.decimals(min_value=-10**6, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["more_than", "less_than"]))
def test_strict_bounds_exclude_the_stated_value(value, qualifier):
    v = float(value)
    iv = stated_interval(v, qualifier)
    assert not iv.contains(v) and iv.contains(v + 1 if qualifier == "more_than" else v - 1)


@given(st.integers(min_value=1, max_value=99999), st.integers(min_value=0, max_value=3), st.floats(-0.49, 0.49))
def test_every_value_that_rounds_to_the_stated_figure_is_inside(digits, decimals, jitter):
    stated = digits / 10 ** decimals
    unit = rounding_unit(stated)
    true_value = stated + jitter * unit
    assert stated_interval(stated, "exact").contains(true_value)
    assert stated_interval(stated, "approximately").contains(stated + 2 * jitter * unit)
