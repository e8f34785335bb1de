"""Growth: a stated "2.5 times" or "+30%" agrees with the two values it compares, when both are here.

A growth row names its period and its base period; the values are the rows of the same
basis, scope, flow and commodity for those two periods. "times" is the ratio new / old
(the dataset reads "increased by 2.5 times" as x2.5, as the seed's derived 2021 value does);
a growth in percent is (new / old - 1) x 100.

Every counterpart (counterparts.py): the growth must agree with every pair of values of its own
basis; a value of unspecified basis never excuses a named-basis growth, and an unspecified growth
fails when no basis's values agree with it.
"""
from __future__ import annotations

from .intervals import Interval, fmt
from .context import ParamError, as_list
from .counterparts import basis_label, judge, own_label
from .selection import lines_of, match_lines, select
from .quantities import MAX_CANDIDATES
from .shares import POINT_TOLERANCE, _point_fits


def growth_params(params) -> tuple[list[str], list[str], list[str], dict[str, set]]:
    """A growth rule's `match` fields, period and base-period fields, and wildcards.

    A change (change.py) is a growth row in the values' own unit: both kinds read these
    parameters, and fail on a malformed period, the same way, so the reading lives here once."""
    match = as_list(params.get("match"))
    period = as_list(params.get("period", ["period_start", "period_end"]))
    base = as_list(params.get("base_period", ["base_period_start", "base_period_end"]))
    if len(period) != 2 or len(base) != 2:
        raise ParamError("period and base_period each name two fields: start and end")
    wildcards = {k: set(as_list(v)) for k, v in (params.get("wildcards") or {}).items()}
    return match, period, base, wildcards


def period_values(frame, lines, value_lines, match, period, base, wild) -> tuple[dict, dict]:
    """For each growth (or change) line, the value lines of its period and of its base period.

    Both agree with it on `match`; the base-period values are those whose period is the growth's
    base period. `wild` is the rule's raw `wildcards` parameter, as match_lines reads it."""
    fields = match + period
    current = match_lines(frame, lines, value_lines, fields, wild)
    before = match_lines(frame, lines, value_lines, fields, wild, rename={period[0]: base[0], period[1]: base[1]})
    return current, before


def growth_matches(frames, params, ctx):
    findings = []
    table = params.get("table")
    match, period, base, wildcards = growth_params(params)
    tol = float(params.get("point_tolerance", POINT_TOLERANCE))
    frame = ctx.table(table, [*match, *period, *base, "value", "qualifier", "scale", "unit"])
    if frame is None:
        return findings
    growth_lines = lines_of(select(frame, params.get("growth", {"measure": "growth"})))
    value_lines = lines_of(select(frame, params.get("values", {"measure": "value"})))
    current, before = period_values(frame, growth_lines, value_lines, match, period, base, params.get("wildcards"))
    qs = ctx.quantities(table, frame)
    basis = list(wildcards)
    for gl in growth_lines:
        g = qs.get(gl)
        if g is None or g.unit not in ("times", "percent") or gl not in current or gl not in before:
            continue
        groups: dict[tuple, list] = {}
        for cl in current[gl][:MAX_CANDIDATES]:
            for bl in before[gl][:MAX_CANDIDATES]:
                c, b = qs.get(cl), qs.get(bl)
                if c is None or b is None or c.unit != b.unit or cl == bl:
                    continue
                label = basis_label(frame, (cl, bl), basis, wildcards)
                if label is None:
                    continue  # two named bases: never a growth
                point = c.point / b.point if b.point else float("nan")
                ratio = c.interval / b.interval
                if g.unit == "percent":
                    point = (point - 1.0) * 100.0
                    ratio = (ratio - Interval.point(1.0)) * Interval.point(100.0)
                groups.setdefault(label, []).append((c, b, ratio, point))
        if not groups:
            continue
        gid = ctx.row_id(table, gl)
        rows = [gid] + sorted({ctx.row_id(table, x.line) for rs in groups.values() for c, b, *_ in rs for x in (c, b)})
        unit = "%" if g.unit == "percent" else " times"

        def said(r, unit=unit):
            c, b, ratio, point = r
            return (f"{ctx.label(table, c.line)} {c.describe()} against {ctx.label(table, b.line)} {b.describe()} "
                    f"gives {ratio}{unit} (stated values give {fmt(point)}{unit})")

        found = judge(ctx, table, gl, g, groups, own_label(frame, gl, basis, wildcards), said, rows,
                      what=f"growth {g.describe()}{unit}", mismatch="its values", unit=unit,
                      point_fits=lambda st, p: _point_fits(st, p, tol))
        if found is not None:
            findings.append(found)
    return findings
