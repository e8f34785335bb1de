"""Figures in base units, computed exactly: "$1.1 billion" is 1100000000, never 1100000000.0000002.

A curated value keeps the source's spelling and its scale word; a series compares figures
across scales, so it needs them in one unit. Decimal arithmetic on the cell text keeps the
result exact, and one canonical spelling (no exponent, no trailing zeros) keeps the derived
CSV's bytes the same on every machine.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

MAX_EXPONENT = 30  # beyond 10^30 (or below 10^-30) no trade figure lies; a hostile "1e999999999" stops here
SCALES = {"one": 0, "thousand": 3, "ten_thousand": 4, "million": 6, "hundred_million": 8,
          "billion": 9, "trillion": 12}


def base_units(text: str, scale: str) -> Decimal | None:
    """The cell `text` times its `scale`; None when either is missing, not a number, or beyond
    any plausible figure (a row the series then leaves out; `kzcn validate` reports the cell)."""
    if not text or scale not in SCALES:
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or (value and not -MAX_EXPONENT <= value.adjusted() <= MAX_EXPONENT):
        return None  # never spelt out digit by digit: a billion-digit integer would hang the build
    return value.scaleb(SCALES[scale])


def spell(value: Decimal | None) -> str:
    """Plain decimal notation without trailing zeros; '' for None."""
    if value is None:
        return ""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")
