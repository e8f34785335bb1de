"""Does a row's source_span carry its figure, its scale and its qualifier's wording?

Why: provenance is the one check that catches a slip in a figure with no counterpart: "reached $1.1
billion" does not carry 11, nor 1.1 million, nor "more than 1.1". The reading is a curator's, in
English, and deliberately simple (digits with thousands separators, number words, scale words and
their abbreviations, the usual qualifier phrases); a row whose span it cannot read on the curated
data is not used, so the simplicity costs coverage, never a false inconsistency.
"""
from __future__ import annotations

import re

from .model import SCALES, Number, TableModel

WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "first": 1, "second": 2,
              "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
              "ninth": 9, "tenth": 10})
SCALE_WORDS = {"thousand": "thousand", "million": "million", "mn": "million",
               "mln": "million", "billion": "billion", "bn": "billion",
               "bil": "billion", "bln": "billion"}
NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?|\b(" + "|".join(WORDS) + r")\b", re.I)
AFTER = re.compile(r"\s*(?:-\s*)?([a-z]+)\b", re.I)
QUALIFIER_WORDS = {
    "more_than": r"\b(more than|over|exceed\w*|above|upwards of|in excess of)\b",
    "at_least": r"\b(at least|no less than)\b",
    "less_than": r"\b(less than|under|below|fewer than)\b",
    "up_to": r"\b(up to)\b",
    "approximately": r"\b(about|around|some|approximately|nearly|almost|roughly)\b",
    "nearly": r"\b(nearly|almost|close to|just under)\b",
}


def numbers(span: str):
    """(value, scale word or None, match) for every number the span states."""
    out = []
    for m in NUMBER.finditer(span or ""):
        if m.group(3):
            value = float(WORDS[m.group(3).lower()])
        else:
            value = float(m.group(1).replace(",", "") + (m.group(2) or ""))
        nxt = AFTER.match(span, m.end())
        scale = SCALE_WORDS.get(nxt.group(1).lower()) if nxt else None
        out.append((value, scale, m))
    return out


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1.0)


def carries_value(m: TableModel, row: dict, num: Number, field: str | None = None) -> bool:
    """The span states the number (or `field`, a range's top end, at the number's scale)."""
    try:
        v = abs(float(row[field or num.name]))
    except (KeyError, ValueError):
        return False
    scale = (row.get(num.scale) or "one") if num.scale else "one"
    for n, word, _ in numbers(row.get(m.span, "")):
        if _close(n, v) and (word is None or word == scale):
            return True
        if word and _close(n * SCALES[word], v * SCALES.get(scale, 1.0)):
            return True
    return False


def carries_qualifier(m: TableModel, row: dict, num: Number) -> bool:
    if not num.qualifier:
        return True
    q = row.get(num.qualifier) or "exact"
    span = (row.get(m.span) or "").lower()
    said = {k for k, pattern in QUALIFIER_WORDS.items() if re.search(pattern, span)}
    if q == "exact":
        return not (said - {"approximately", "nearly"})
    return q in said


def carries(m: TableModel, row: dict, num: Number) -> bool:
    top = not num.high or not row.get(num.high) or carries_value(m, row, num, num.high)
    return carries_value(m, row, num) and top and carries_qualifier(m, row, num)


def value_matches(m: TableModel, row: dict, num: Number):
    """The digit matches in the span that state the row's value (for span edits)."""
    try:
        v = abs(float(row[num.name]))
    except (KeyError, ValueError):
        return []
    return [match for n, _, match in numbers(row.get(m.span, "")) if _close(n, v) and not match.group(3)]
