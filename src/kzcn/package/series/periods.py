"""A period's label as people write it: `2023`, `2023-H1`, `2023-Q1`, `2023-03`, `2023-01/08`.

Analysts group and plot by these, so a label says exactly which days the figure covers and no
two periods share one: a whole year, half-year, quarter, month, a run of whole months within
one year, a single day, and otherwise the ISO 8601 day range `2023-01-15/2023-02-10`.
"""
from __future__ import annotations

import calendar
from datetime import date


def _month_end(d: date) -> bool:
    return d.day == calendar.monthrange(d.year, d.month)[1]


def period_label(start: date, end: date) -> str:
    if start == end:
        return start.isoformat()
    if start.year == end.year and start.day == 1 and _month_end(end) and start <= end:
        year, first, last = start.year, start.month, end.month
        if first == 1 and last == 12:
            return f"{year}"
        if (first, last) in ((1, 6), (7, 12)):
            return f"{year}-H{1 if first == 1 else 2}"
        if first % 3 == 1 and last == first + 2:
            return f"{year}-Q{(first + 2) // 3}"
        if first == last:
            return f"{year}-{first:02d}"
        return f"{year}-{first:02d}/{last:02d}"
    return f"{start.isoformat()}/{end.isoformat()}"
