"""Stocks: a cumulative count or value ("since 2015", "as of July 2024") does not shrink from one
statement to the next, and does not jump implausibly fast.

A stock is a row that states how much has accumulated up to a date: a portfolio's projects
launched since 2015 (period_start, then the statement date), an indicator such as Chinese
investment accumulated in Kazakhstan. Which rows are stocks is said by data in the rules file's
`where` — an indicator with an `as_of` day, or one of the indicators it declares cumulative
(an any_of selector) — never by a name ending such as _cumulative. Its date is the first filled
of the rule's `as_of` fields (the indicator's own as_of, then period_end), or — when the source
says "currently" and gives no date — the day its source was published. Statements of one series
(the rule's `series` fields; a blank cell there equals a blank cell, so "since an unstated
start" is one series) are ordered by that date. A later statement whose interval lies wholly
below an earlier one's is a finding of the rule's severity; when only the stated points fall,
a warning. The growth check flags a later statement more than `max_factor` times an earlier
one per year between them (compounded beyond a year).

trade_volumes' January–June / January–July cut of one year is timing.cumulative_not_shrinking:
there the series share a start and differ in their end; here the statements differ in their date.
"""
from __future__ import annotations

import pandas as pd

from .containment import _measures
from .context import ParamError, as_list, na, text
from .intervals import fmt
from .quantities import MAX_CANDIDATES
from .selection import keys_of, lines_of, select

DAYS_PER_YEAR = 365.25


def _published(ctx) -> dict[str, pd.Timestamp]:
    sources = ctx.table("sources", ["source_id", "published"])
    if sources is None:
        return {}
    out = {}
    for ln in sources.index:
        sid, when = text(sources.at[ln, "source_id"]), sources.at[ln, "published"]
        if sid is not None and not na(when):
            out[sid] = pd.Timestamp(when)
    return out


def _as_of(ctx, frame, lines, fields, fallback: bool) -> tuple[dict[int, pd.Timestamp], set[int]]:
    """line -> the date a stock is stated as of: the first filled of `fields`, else (if asked)
    the publication date of the row's source; and the lines dated by publication."""
    published = _published(ctx) if fallback else {}
    out, by_publication = {}, set()
    for ln in lines:
        when = next((frame.at[ln, f] for f in fields if not na(frame.at[ln, f])), None)
        if when is None and fallback:
            when = published.get(text(frame.at[ln, "source_id"]))
            by_publication.add(ln)
        if when is not None:
            out[ln] = pd.Timestamp(when)
    return out, by_publication


def _series(ctx, table, params, measures):
    """(frame, as_of, by_publication, groups): the statements of each series in date order, or None."""
    series = as_list(params.get("series"))
    if not series:
        raise ParamError("series must list the fields that make statements one series (programme, status, ...)")
    as_of_fields = as_list(params.get("as_of", ["period_end"]))
    fallback = bool(params.get("or_published", False))
    fields = [*series, *as_of_fields, *(["source_id"] if fallback else [])]
    fields += [f for m in measures for f in m.values() if f]
    frame = ctx.table(table, fields)
    if frame is None:
        return None
    lines = lines_of(select(frame, params.get("where")))
    as_of, by_publication = _as_of(ctx, frame, lines, as_of_fields, fallback)
    keys = keys_of(frame, list(as_of), series)
    groups: dict[tuple, list[int]] = {}
    for ln in as_of:
        groups.setdefault(keys[ln], []).append(ln)
    ordered = [sorted(g, key=lambda ln: (as_of[ln], ln)) for g in groups.values() if len(g) > 1]
    return frame, as_of, by_publication, ordered


def _pairs(ctx, params):
    """(measure, earlier quantity, later quantity, days between) for each ordered pair of a series."""
    measures = _measures(params)
    for t in ctx.tables(params):
        found = _series(ctx, t, params, measures)
        if found is None:
            continue
        frame, as_of, by_publication, groups = found

        def when(ln):
            return as_of[ln], f"as of {as_of[ln]:%Y-%m-%d}" + (" (its source's publication)" if ln in by_publication else "")

        for m in measures:
            lines = sorted({ln for g in groups for ln in g})
            qs = ctx.quantities(t, frame, lines, value=m["value"], qualifier=m.get("qualifier"),
                                scale=m.get("scale"), unit=m.get("unit"))
            for group in groups:
                for j, b in enumerate(group):
                    for a in group[max(0, j - MAX_CANDIDATES):j]:  # bounded on long series
                        qa, qb = qs.get(a), qs.get(b)
                        if qa is None or qb is None or qa.unit != qb.unit or as_of[a] == as_of[b]:
                            continue
                        yield t, m["value"], qa, qb, when(a), when(b)


def _tail(ctx, table, qa, qb, da, db) -> str:
    return (f"{ctx.label(table, qb.line)} {db[1]}: {qb.describe()}; "
            f"{ctx.label(table, qa.line)} {da[1]}: {qa.describe()}")


def stock_not_shrinking(frames, params, ctx):
    """A later statement of a stock is not below an earlier one."""
    findings = []
    for table, field, qa, qb, da, db in _pairs(ctx, params):
        rows = [qa.label, qb.label]
        if qb.interval.certainly_below(qa.interval):
            findings.append(ctx.finding(
                table, qb.line, field,
                f"{field}: a cumulative figure cannot fall from one statement to a later one: "
                f"{_tail(ctx, table, qa, qb, da, db)}", rows=rows))
        elif qb.point < qa.point:
            findings.append(ctx.warning(
                table, qb.line, field,
                f"{field}: the later statement of a cumulative figure states less than the earlier one "
                f"(the qualifiers still allow both): {_tail(ctx, table, qa, qb, da, db)}", rows=rows))
    return findings


def stock_growth_plausible(frames, params, ctx):
    """A later statement of a stock is at most max_factor times an earlier one per year between them."""
    findings = []
    factor = float(params.get("max_factor", 2.0))
    if factor <= 1:
        raise ParamError(f"max_factor must be above 1, found {factor}")
    for table, field, qa, qb, da, db in _pairs(ctx, params):
        days = (db[0] - da[0]).days
        years = max(1.0, days / DAYS_PER_YEAR)
        allowed = factor ** years
        if not qa.point > 0:
            continue
        ratio = qb.point / qa.point
        if ratio <= allowed:
            continue
        certain = qb.interval.lo > allowed * qa.interval.hi
        say = ctx.finding if certain else ctx.warning
        findings.append(say(
            table, qb.line, field,
            f"{field}: a cumulative figure grows {fmt(ratio)} times in {days} days, more than the "
            f"{fmt(allowed)} times allowed ({fmt(factor)} a year)"
            f"{'' if certain else ' as stated (the qualifiers would allow less)'}: {_tail(ctx, table, qa, qb, da, db)}",
            rows=[qa.label, qb.label]))
    return findings
