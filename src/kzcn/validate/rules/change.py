"""Absolute change: a stated "+$2.8 billion year on year" or "-150,421 tonnes" agrees with the two
values it is the difference of, when both are here.

growth.py judges relative change (times, percent); a change stated in the values' own unit (a
currency, tonnes, TEU) is the difference new - old instead, so it has its own kind. A change row
is a growth row (measure growth) whose unit is neither times nor percent; its values are the rows
of the same `match` fields for its period and its base period, in the same unit. A change may be
negative, so its interval is not clipped to the values' domain. Every pair of values is judged:
none reconciles with the stated change — a finding of the rule's severity; some pairs do and
others do not, or only the qualifiers' leeway reconciles them — a warning naming the pairs.
"""
from __future__ import annotations

from .context import text
from .growth import growth_params, period_values
from .intervals import fmt
from .quantities import MAX_CANDIDATES, listing
from .selection import compatible, lines_of, select

RELATIVE_UNITS = ("times", "percent")
POINT_TOLERANCE = 0.02


def change_matches(frames, params, ctx):
    findings = []
    match, period, base, wildcards = growth_params(params)
    tol = float(params.get("point_tolerance", POINT_TOLERANCE))
    for table in ctx.tables(params):
        frame = ctx.table(table, [*match, *period, *base, "value", "qualifier", "scale", "unit"])
        if frame is None:
            continue
        change_lines = lines_of(select(frame, params.get("change", {"measure": "growth"})))
        value_lines = lines_of(select(frame, params.get("values", {"measure": "value"})))
        current, before = period_values(frame, change_lines, value_lines, match, period, base, params.get("wildcards"))
        stated = ctx.quantities(table, frame, [ln for ln in change_lines if ln in current and ln in before], clip=False)
        values = ctx.quantities(table, frame, sorted({ln for d in (current, before) for ls in d.values() for ln in ls}))
        for gl, g in stated.items():
            if g.unit in RELATIVE_UNITS or g.unit is None:
                continue
            results = []
            for cl in current[gl][:MAX_CANDIDATES]:
                for bl in before[gl][:MAX_CANDIDATES]:
                    c, b = values.get(cl), values.get(bl)
                    if c is None or b is None or cl == bl or not (c.unit == b.unit == g.unit):
                        continue
                    if not all(compatible(text(frame.at[cl, f]), text(frame.at[bl, f]), wildcards.get(f))
                               for f in wildcards):
                        continue
                    implied = c.interval - b.interval
                    point = c.point - b.point
                    fits = implied.intersects(g.interval)
                    close = g.interval.contains(point) or abs(point - g.point) <= tol * abs(g.point)
                    results.append((c, b, implied, point, fits, close))
            if not results:
                continue
            found = _verdict(ctx, table, g, results)
            if found is not None:
                findings.append(found)
    return findings


def _verdict(ctx, table, g, results):
    scale = "" if g.scale == "one" else f" {g.scale}"

    def said(r):
        c, b, implied, point = r[:4]
        return (f"{ctx.label(table, c.line)} {c.describe()} minus {ctx.label(table, b.line)} {b.describe()} "
                f"is {implied.show(g.factor)}{scale} (stated values: {fmt(point / g.factor)}{scale})")

    rows = [g.label] + sorted({x.label for r in results for x in r[:2]})
    bad = [r for r in results if not r[4]]
    if len(bad) == len(results):
        return ctx.finding(table, g.line, "value",
                           f"change {g.describe()} is not the difference of its values: {listing(bad, said)}", rows=rows)
    if bad:
        return ctx.warning(table, g.line, "value",
                           f"change {g.describe()} agrees with some of its values but not with {listing(bad, said)}",
                           rows=rows)
    if not any(r[5] for r in results):
        best = min(results, key=lambda r: abs(r[3] - g.point))
        return ctx.warning(table, g.line, "value",
                           f"change {g.describe()}: only the qualifiers' leeway reconciles it with its values: {said(best)}",
                           rows=rows)
    return None
