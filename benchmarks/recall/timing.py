"""The time families as ground truth: dates in order, nothing reported after its source appeared.

Why apart from families.py: these look at one row at a time (and its source's publication date),
not at relations between rows. The dates a row must not place after publication are found on the
curated data: a date field that is never after its source's publication on any reported (not
forecast) row is such a date (a period's end, a statement date); one that often is (a target's
deadline) is not.
"""
from __future__ import annotations

from .model import TableModel


def date_order(m: TableModel, rows, ctx):
    out = set()
    checks = [(s, e) for s, e in m.pairs.values()]
    if "base_period" in m.pairs and "period" in m.pairs:
        checks.append((m.pairs["base_period"][0], m.pairs["period"][0]))
    for i, r in enumerate(rows):
        for s, e in checks:
            strict = s.startswith("base_period")
            if r.get(s) and r.get(e) and (r[s] >= r[e] if strict else r[s] > r[e]):
                out.add((f"{s} after {e}", frozenset((i,))))
    return out


def publication_dates(m: TableModel, rows, ctx):
    """Date fields that, on the curated data, never fall after the source's publication."""
    src = m.source_fk[0]
    return [d for d in m.dates
            if any(r.get(d) for r in rows)
            and all(r.get(d) <= ctx["published"].get(r.get(src), "9999") for r in rows
                    if r.get(d) and m.reported(r))]


def not_after_publication(m: TableModel, rows, ctx):
    out, src = set(), m.source_fk[0]
    for d in ctx["publication_fields"][m.name]:
        for i, r in enumerate(rows):
            if r.get(d) and m.reported(r) and r[d] > ctx["published"].get(r.get(src), "9999"):
                out.add((f"{d} after publication", frozenset((i,))))
    return out
