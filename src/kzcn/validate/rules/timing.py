"""Time order: nothing reported happens after its source was published, a period ends on or after
its start, and a cumulative figure (January–July) is not below an earlier cut of the same
series (January–June).

A publication date known only to the month ("2023-09, precision month") may be any day of that
month: an event on 4 September is not after it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .context import ParamError, as_list, na, text
from .selection import keys_of, lines_of, select


def _latest(published: pd.Timestamp, precision: str | None) -> pd.Timestamp:
    if precision == "year":
        return pd.Timestamp(year=published.year, month=12, day=31)
    if precision == "month":
        return (published + pd.offsets.MonthEnd(0)).normalize()
    return published


def _day(ts) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def not_after_publication(frames, params, ctx):
    findings = []
    date = params.get("date")
    if not date:
        raise ParamError("date names the field holding the event's or figure's date")
    src = {"table": "sources", "key": "source_id", "date": "published", "precision": "published_precision",
           **(params.get("source") or {})}
    sfield = params.get("source_field", "source_id")
    sources = ctx.table(src["table"], [src["key"], src["date"], src.get("precision")])
    if sources is None:
        return findings
    published = {}
    for ln in sources.index:
        key, when = text(sources.at[ln, src["key"]]), sources.at[ln, src["date"]]
        if key is None or na(when):
            continue
        prec = text(sources.at[ln, src["precision"]]) if src.get("precision") else None
        published[key] = (pd.Timestamp(when), prec, _latest(pd.Timestamp(when), prec))
    for table in ctx.tables(params):
        frame = ctx.table(table, [date, sfield])
        if frame is None:
            continue
        mask = select(frame, params.get("where"))
        if params.get("unless"):
            mask &= ~select(frame, params["unless"])
        for ln in lines_of(mask):
            when, sid = frame.at[ln, date], text(frame.at[ln, sfield])
            if na(when) or sid not in published:
                continue
            pub, prec, latest = published[sid]
            if pd.Timestamp(when) > latest:
                known = f"{_day(pub)} (precision {prec})" if prec and prec != "day" else _day(pub)
                findings.append(ctx.finding(
                    table, ln, date,
                    f"{date} {_day(when)} is after its source {sid} was published ({known}, so at the latest {_day(latest)})",
                    rows=[ctx.row_id(table, ln)]))
    return findings


def date_order(frames, params, ctx):
    """end >= start on each row (a period, a multi-day event, a base period before its period)."""
    findings = []
    start, end = params.get("start"), params.get("end")
    if not start or not end:
        raise ParamError("start and end name the two date fields to order")
    strict = bool(params.get("strict", False))
    for table in ctx.tables(params):
        frame = ctx.table(table, [start, end])
        if frame is None:
            continue
        selected = select(frame, params.get("where"))
        for ln in _out_of_order(frame, selected, start, end, strict):
            a, b = frame.at[ln, start], frame.at[ln, end]
            if na(a) or na(b):
                continue
            bad = b <= a if strict else b < a
            if bad:
                findings.append(ctx.finding(
                    table, ln, end,
                    f"{end} {_day(b)} is {'not after' if strict else 'before'} {start} {_day(a)}",
                    rows=[ctx.row_id(table, ln)]))
    return findings


def _out_of_order(frame, selected: pd.Series, start: str, end: str, strict: bool) -> list[int]:
    """The selected lines that may be out of order, found column-wise; each is then judged
    cell by cell as before. Two columns that do not compare as a whole (mixed types) fall back
    to every selected line."""
    a, b = frame[start], frame[end]
    try:
        with np.errstate(invalid="ignore"):
            wrong = (b <= a) if strict else (b < a)
        wrong = pd.Series(np.asarray(wrong.fillna(False), dtype=bool), index=frame.index)
    except (TypeError, ValueError):
        return lines_of(selected)
    return lines_of(selected & wrong & a.notna() & b.notna())


def cumulative_not_shrinking(frames, params, ctx):
    """Figures from the same start: a later end may not give a smaller value.

    A row lacking a `match` field is not part of any series, except for the fields listed in
    `optional`, where a blank cell equals a blank cell (a national indicator has no region).
    """
    findings = []
    table = params.get("table")
    match = as_list(params.get("match"))
    optional = set(as_list(params.get("optional")))
    unknown = optional - set(match)
    if unknown:
        raise ParamError(f"optional names field(s) {', '.join(sorted(unknown))} that match does not list")
    start, end = params.get("start", "period_start"), params.get("end", "period_end")
    frame = ctx.table(table, [*match, start, end, "value", "qualifier", "scale", "unit"])
    if frame is None:
        return findings
    lines = lines_of(select(frame, params.get("where")))
    keys = keys_of(frame, lines, [*match, start, "unit"])
    groups: dict[tuple, list[int]] = {}
    for ln in lines:
        if any(v is None for f, v in zip([*match, start, "unit"], keys[ln]) if f not in optional) or na(frame.at[ln, end]):
            continue
        groups.setdefault(keys[ln], []).append(ln)
    qs = ctx.quantities(table, frame, sorted({ln for g in groups.values() if len(g) > 1 for ln in g}))
    for group in groups.values():
        for b in group:
            for a in group:
                qa, qb = qs.get(a), qs.get(b)
                if qa is None or qb is None or not frame.at[a, end] < frame.at[b, end]:
                    continue
                rows = [ctx.row_id(table, a), ctx.row_id(table, b)]
                tail = (f"{ctx.label(table, b)} to {_day(frame.at[b, end])}: {qb.describe()}; "
                        f"{ctx.label(table, a)} to {_day(frame.at[a, end])}: {qa.describe()}")
                if qb.interval.certainly_below(qa.interval):
                    findings.append(ctx.finding(
                        table, b, "value",
                        f"cumulative figure shrinks although its period is longer: {tail}", rows=rows))
                elif qb.point < qa.point:
                    findings.append(ctx.warning(
                        table, b, "value",
                        f"cumulative figure's stated value is below the shorter period's (the qualifiers still allow both): {tail}",
                        rows=rows))
    return findings
