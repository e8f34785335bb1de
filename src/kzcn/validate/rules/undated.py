"""Dating what a source left undated, so that it can be compared at all.

A rank, a share or a stock stated with no period ("Shandong is our third partner", "China has
invested $27 billion") still refers to some period: the latest one its speaker knew. We read it
as the latest period of a counterpart (a dated row of the same key) that ends within
`window_days` before its reference date — its statement date when the table has one, else its
source's publication date (sources.published) — and not after it. The default window is 366
days: a statement made in September 2023 may speak of 2022 or of the first half of 2023, never
of 2021; of the candidates in the window, the latest period is the one a speaker would quote.
A row with no reference date, or no candidate in the window, stays uncompared (as before).
sources_agree reads undated rows into the periods of its groups; rank_consistent and
part_within_whole pair them with counterparts of the period they are read as (undated_pairs).

Stocks stated as of a date (a portfolio "52 projects worth $21 billion" on 2023-09-04) have no
period either: `as_of` groups rows whose dates lie within its window of each other (see
agreement.py).
"""
from __future__ import annotations

import datetime as _dt

import pandas as pd

from .context import ParamError, na, text

DEFAULT_WINDOW = 366


def _day(x):
    if na(x):
        return None
    try:
        return pd.Timestamp(x).normalize()
    except (TypeError, ValueError):
        return None


def reference_dates(ctx, table: str, frame, lines, date_field: str | None, source_field: str) -> dict[int, tuple]:
    """line -> (date, what it is) for undated rows: statement date, else source publication date."""
    published: dict[str, object] = {}
    sources = None
    if "sources" in ctx.package.table_names:
        sources = ctx.frames.get("sources")
    if sources is not None and "published" in sources.columns and "source_id" in sources.columns:
        for ln in sources.index:
            sid = text(sources.at[ln, "source_id"])
            if sid is not None:
                published[sid] = sources.at[ln, "published"]
    out: dict[int, tuple] = {}
    for ln in lines:
        own = _day(frame.at[ln, date_field]) if date_field and date_field in frame.columns else None
        if own is not None:
            out[ln] = (own, f"its {date_field} {own:%Y-%m-%d}")
            continue
        sid = text(frame.at[ln, source_field]) if source_field in frame.columns else None
        pub = _day(published.get(sid)) if sid else None
        if pub is not None:
            out[ln] = (pub, f"the publication of {sid} on {pub:%Y-%m-%d}")
    return out


def undated_spec(params) -> dict | None:
    spec = params.get("undated")
    if spec is None:
        return None
    if not isinstance(spec, dict):
        raise ParamError("undated must be a mapping: where (the rows it dates), window_days, date, period")
    unknown = set(spec) - {"where", "window_days", "date", "period"}
    if unknown:
        raise ParamError(f"undated has unknown key(s) {', '.join(sorted(unknown))}; allowed: where, window_days, date, period")
    window = spec.get("window_days", DEFAULT_WINDOW)
    if not isinstance(window, int) or window <= 0:
        raise ParamError(f"undated window_days must be a positive whole number of days, found {window!r}")
    period = list(spec.get("period", ["period_start", "period_end"]))
    if len(period) != 2:
        raise ParamError("undated period names two fields: start and end")
    return {"where": spec.get("where"), "window": window, "date": spec.get("date"), "period": period}


def latest_in_window(ref: pd.Timestamp, candidates: dict[int, tuple], window: int):
    """Of candidate (start, end) periods, the latest ending within window days up to ref."""
    lo = ref - _dt.timedelta(days=window)
    inside = [(end, start) for start, end in candidates.values() if end is not None and lo <= end <= ref]
    if not inside:
        return None
    end, start = max(inside, key=lambda p: (p[0], p[1] is not None and -p[1].value))
    return start, end


def undated_pairs(ctx, table: str, frame, params, lines, counterparts, match: list[str]):
    """Pair rows stated without a period with counterparts of the period they are read as.

    lines: the rows that may be undated (both period fields blank); counterparts: the dated rows
    they are compared with; match: the fields a row and a counterpart agree on, periods included.
    Returns ({line: [counterpart lines of its reading's period]}, {line: why it was read so}).
    Nothing when the rule has no `undated` spec."""
    from .selection import lines_of, match_lines, select

    spec = undated_spec(params)
    if spec is None:
        return {}, {}
    p0, p1 = spec["period"]
    if p0 not in match or p1 not in match:
        raise ParamError("undated needs the period fields in match")
    todo = [ln for ln in lines if na(frame.at[ln, p0]) and na(frame.at[ln, p1])]
    if spec["where"]:
        chosen = set(lines_of(select(frame, spec["where"])))
        todo = [ln for ln in todo if ln in chosen]
    refs = reference_dates(ctx, table, frame, todo, spec["date"], params.get("source_field", "source_id"))
    rest = [f for f in match if f not in (p0, p1)]
    near = match_lines(frame, list(refs), counterparts, rest, params.get("wildcards")) if rest else \
        {ln: [c for c in counterparts if c != ln] for ln in refs}
    pairs, why = {}, {}
    for ln, (ref, said) in refs.items():
        periods = {c: (_day(frame.at[c, p0]), _day(frame.at[c, p1])) for c in near.get(ln, [])}
        period = latest_in_window(ref, periods, spec["window"])
        if period is None:
            continue
        pairs[ln] = [c for c, p in periods.items() if p == period]
        why[ln] = (f"undated, read as the period ending {period[1]:%Y-%m-%d} (the latest one ending within "
                   f"{spec['window']} days before {said})")
    return pairs, why
