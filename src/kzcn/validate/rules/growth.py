"""Growth: a stated "2.5 times" or "+30%" agrees with the two values it compares, when both are here.

A growth row names its period and its base period; the values are the rows of the same
basis, scope, flow and commodity for those two periods. "times" is the ratio new / old
(the dataset reads "increased by 2.5 times" as x2.5, as the seed's derived 2021 value does);
a growth in percent is (new / old - 1) x 100.
"""
from __future__ import annotations

from .intervals import Interval, fmt
from .context import ParamError, as_list, text
from .selection import compatible, lines_of, match_lines, select
from .quantities import MAX_CANDIDATES, interval_verdict
from .shares import POINT_TOLERANCE, _point_fits


def growth_matches(frames, params, ctx):
    findings = []
    table = params.get("table")
    match = as_list(params.get("match"))
    period = as_list(params.get("period", ["period_start", "period_end"]))
    base = as_list(params.get("base_period", ["base_period_start", "base_period_end"]))
    if len(period) != 2 or len(base) != 2:
        raise ParamError("period and base_period each name two fields: start and end")
    wildcards = {k: set(as_list(v)) for k, v in (params.get("wildcards") or {}).items()}
    tol = float(params.get("point_tolerance", POINT_TOLERANCE))
    frame = ctx.table(table, [*match, *period, *base, "value", "qualifier", "scale", "unit"])
    if frame is None:
        return findings
    growth_lines = lines_of(select(frame, params.get("growth", {"measure": "growth"})))
    value_lines = lines_of(select(frame, params.get("values", {"measure": "value"})))
    fields = match + period
    current = match_lines(frame, growth_lines, value_lines, fields, params.get("wildcards"))
    before = match_lines(frame, growth_lines, value_lines, fields, params.get("wildcards"),
                         rename={period[0]: base[0], period[1]: base[1]})
    qs = ctx.quantities(table, frame)
    for gl in growth_lines:
        g = qs.get(gl)
        if g is None or g.unit not in ("times", "percent") or gl not in current or gl not in before:
            continue
        results = []
        settled = False  # one pair that fits in interval and in point settles the row
        for cl in current[gl][:MAX_CANDIDATES]:
            for bl in before[gl][:MAX_CANDIDATES]:
                c, b = qs.get(cl), qs.get(bl)
                if c is None or b is None or c.unit != b.unit or cl == bl:
                    continue
                if not all(compatible(text(frame.at[cl, f]), text(frame.at[bl, f]), wildcards.get(f)) for f in wildcards):
                    continue
                point = c.point / b.point if b.point else float("nan")
                ratio = c.interval / b.interval
                if g.unit == "percent":
                    point = (point - 1.0) * 100.0
                    ratio = (ratio - Interval.point(1.0)) * Interval.point(100.0)
                if _point_fits(g, point, tol) and ratio.intersects(g.interval):
                    settled = True  # one pair agreeing in interval and in point settles the row
                    break
                results.append((c, b, ratio, point))
            if settled:
                break
        if settled:
            continue
        if not results:
            continue
        gid = ctx.row_id(table, gl)

        def rows():
            return [gid] + sorted({ctx.row_id(table, x.line) for c, b, *_ in results for x in (c, b)})
        unit = "%" if g.unit == "percent" else " times"

        def said(r):
            c, b, ratio, point = r
            return (f"{ctx.label(table, c.line)} {c.describe()} against {ctx.label(table, b.line)} {b.describe()} "
                    f"gives {ratio}{unit} (stated values give {fmt(point)}{unit})")

        findings.append(interval_verdict(ctx, table, gl, g, results, said, rows(), what=f"growth {g.describe()}{unit}",
                                         mismatch="its values", gives="values", unit=unit))
    return findings
