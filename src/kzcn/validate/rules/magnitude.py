"""Magnitude plausible: a unit slip (million for billion) stands out against comparable rows.

Within a group of comparable rows (same unit, flow, commodity, partner, ...) the figures of
one dataset differ by a small factor; a row 1,000 times off the group's median (log-scale)
is far more likely a slip in the scale column than a fact. Groups need a few rows
(`min_rows`) before a median means anything.

That catches only a thousandfold slip. series_magnitude catches the common one, a ×10 typo or a
decimal point in the wrong place, by comparing each figure with its counterparts in the same
series (same measure, basis, scopes, flow, commodity group, unit): the neighbouring periods of
the same length, and other sources or bases for the same period (or, for stocks and targets
stated on a date, statements within a window of days).
"""
from __future__ import annotations

import math
import statistics

from .intervals import SCALES, fmt
from .context import ParamError, as_list, na, text
from .selection import keys_of, lines_of, select
from .agreement import _measures
from .undated import _day


def magnitude_plausible(frames, params, ctx):
    findings = []
    group_by = as_list(params.get("group_by"))
    orders = float(params.get("orders", 2.5))
    min_rows = int(params.get("min_rows", 3))
    vf, sf = params.get("value", "value"), params.get("scale", "scale")
    if orders <= 0 or min_rows < 3:
        raise ParamError("orders must be positive and min_rows at least 3 (a median of two says nothing)")
    for table in ctx.tables(params):
        frame = ctx.table(table, [*group_by, vf, sf])
        if frame is None:
            continue
        lines = lines_of(select(frame, params.get("where")))
        keys = keys_of(frame, lines, group_by)
        groups: dict[tuple, list[tuple[int, float]]] = {}
        for ln in lines:
            v = frame.at[ln, vf]
            if na(v) or float(v) == 0 or math.isinf(float(v)) or math.isnan(float(v)):
                continue
            scale = SCALES.get(text(frame.at[ln, sf]) or "one")
            if scale is None or any(x is None for x in keys[ln]):
                continue
            groups.setdefault(keys[ln], []).append((ln, math.log10(abs(float(v)) * scale)))
        for key, members in groups.items():
            if len(members) < min_rows:
                continue
            median = statistics.median(m[1] for m in members)
            for ln, lg in members:
                off = lg - median
                if abs(off) >= orders:
                    what = ", ".join(f"{f}={v}" for f, v in zip(group_by, key))
                    factor = 10 ** abs(off)
                    findings.append(ctx.finding(
                        table, ln, sf,
                        f"{fmt(float(frame.at[ln, vf]))} {text(frame.at[ln, sf]) or 'one'} is about {fmt(factor, 2)} times "
                        f"{'below' if off < 0 else 'above'} the median {fmt(10 ** median, 3)} of {len(members)} comparable rows "
                        f"({what}): a slip of scale (million for billion)?",
                        rows=[ctx.row_id(table, ln)]))
    return findings


# ---- the same series: neighbouring periods, other sources ------------------------------------------

SERIES_FACTOR = 5.0


def _pair_kind(frame, i, j, period, date, across, window, neighbours=True):
    """'same period', 'neighbouring period', 'near date' or None: whether rows i and j are counterparts."""
    if period:
        s0, e0, s1, e1 = (_day(frame.at[x, f]) for x in (i, j) for f in period)
        if None in (s0, e0, s1, e1):
            return None
        if (s0, e0) == (s1, e1):
            return "same period"
        if not neighbours or any(text(frame.at[i, f]) != text(frame.at[j, f]) for f in across):
            return None
        la, lb = (e0 - s0).days + 1, (e1 - s1).days + 1
        gap = abs((s0 - s1).days)
        if abs(la - lb) <= 0.03 * max(la, lb) and 0 < gap <= window:
            return "neighbouring period"
        return None
    d0, d1 = _day(frame.at[i, date]), _day(frame.at[j, date])
    if d0 is None or d1 is None or abs((d0 - d1).days) > window or (d0 != d1 and not neighbours):
        return None
    if d0 != d1 and any(text(frame.at[i, f]) != text(frame.at[j, f]) for f in across):
        return None
    return "same date" if d0 == d1 else "near date"


def series_magnitude(frames, params, ctx):
    """A figure a power of ten off the same series (a ×10 typo, a million for a billion) stands out
    against its counterparts: the same series in a neighbouring period, or another source (or basis,
    the fields in `across`) for the same period. The curated year-to-year and cross-basis ratios
    stay below 4.7, so a ratio of `factor` (5) or more is a slip until a curator says otherwise."""
    findings = []
    series = as_list(params.get("series"))
    across = as_list(params.get("across"))
    period = as_list(params.get("period"))
    date = params.get("date")
    factor = float(params.get("factor", SERIES_FACTOR))
    window = int(params.get("window_days", 366))
    neighbours = bool(params.get("neighbours", True))
    if factor <= 1 or window <= 0:
        raise ParamError("factor must be above 1 and window_days positive")
    if bool(period) == bool(date) or (period and len(period) != 2):
        raise ParamError("give either period (two fields: start, end) or date (one field), not both")
    for table in ctx.tables(params):
        measures = _measures(params)
        fields = [*series, *across, *period, *([date] if date else [])] + [m[k] for m in measures for k in m]
        frame = ctx.table(table, fields)
        if frame is None:
            continue
        lines = lines_of(select(frame, params.get("where")))
        keys = keys_of(frame, lines, series)
        groups: dict[tuple, list[int]] = {}
        for ln in lines:
            groups.setdefault(keys[ln], []).append(ln)  # a blank cell is a value here: both blank, same series
        for m in measures:
            qs = ctx.quantities(table, frame, lines, value=m["value"], qualifier=m.get("qualifier"),
                                scale=m.get("scale"), unit=m.get("unit"), clip=False)
            for key, group in groups.items():
                findings += _series_group(ctx, table, frame, sorted(l for l in group if l in qs), qs, m["value"],
                                          series, key, period, date, across, window, factor, neighbours)
    return findings


def _series_group(ctx, table, frame, group, qs, vfield, series, key, period, date, across, window, factor, neighbours):
    clashes: dict[int, list] = {}
    agree: dict[int, int] = {}
    logs: dict[int, list[float]] = {}  # log10 of this row over each counterpart
    for jp, j in enumerate(group):
        for i in group[:jp]:
            a, b = qs[i], qs[j]
            if a.unit != b.unit or a.point == 0 or b.point == 0 or (a.point > 0) != (b.point > 0):
                continue
            how = _pair_kind(frame, i, j, period, date, across, window, neighbours)
            if how is None:
                continue
            ratio = abs(b.point / a.point)
            logs.setdefault(i, []).append(-math.log10(ratio))
            logs.setdefault(j, []).append(math.log10(ratio))
            if max(ratio, 1 / ratio) >= factor:
                clashes.setdefault(i, []).append((j, how, 1 / ratio))
                clashes.setdefault(j, []).append((i, how, ratio))
            else:
                agree[i] = agree.get(i, 0) + 1
                agree[j] = agree.get(j, 0) + 1
    findings = []
    done: set[frozenset] = set()
    # The suspect of a clash: the row with more clashes than agreeing counterparts, then the one
    # further (in median log ratio) from all its counterparts; of a lone pair, the later row.
    order = sorted(clashes, key=lambda ln: (agree.get(ln, 0) - len(clashes[ln]),
                                            -abs(statistics.median(logs[ln])), -ln))
    what = ", ".join(f"{f}={v}" for f, v in zip(series, key))
    for ln in order:
        todo = [(o, how, r) for o, how, r in clashes[ln] if frozenset((ln, o)) not in done]
        if not todo:
            continue
        for o, *_ in todo:
            done.add(frozenset((ln, o)))
        said = "; ".join(f"{fmt(r, 3)} times {ctx.label(table, o)} {qs[o].describe()} ({how})" for o, how, r in todo)
        findings.append(ctx.finding(
            table, ln, vfield,
            f"{qs[ln].describe()} is {said} of the same series ({what}): a slip of a power of ten or of scale "
            f"(million for billion)? Correct it, or record the decision in the resolutions file",
            rows=[ctx.row_id(table, ln)] + [ctx.row_id(table, o) for o, *_ in todo]))
    return findings
