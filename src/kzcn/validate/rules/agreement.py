"""Sources agree: two sources stating the same figure (same measure, scope, flow, commodity and
period) must state figures that agree — every pair of them, not just one.

Conflicts are data, not noise: both rows stay, the rule surfaces each pair, and a curator records
the decision in validation/resolutions.yaml (prefer one row, or both stand).

With `basis` (the reporter-basis field) the figures of one thing on different bases are compared
too, because a figure of one basis says something about the others:

* same basis (and two figures of unspecified basis): the hard intervals must overlap, else a
  finding of the rule's severity; when only the soft bands of open-ended qualifiers clash ("more
  than 32" against 70: intervals.soft_interval), a warning.
* unspecified against the named bases: the figure is one of them, so it must agree with every
  row of at least one named basis; when it fits none, a finding.
* two named bases (Kazakh statistics against Chinese customs, or a third party): they differ, but
  within a plausible factor (`across_bases`, justified in rules.yaml from the curated ratios);
  beyond it, a warning: a third-party figure half the size of both official ones is suspect.

`undated` dates rows with no period through their statement or publication date (undated.py);
`as_of` compares stocks stated on dates within a window of each other; `measures` names the value
columns when a table has several (a portfolio's count and value).
"""
from __future__ import annotations

from .context import ParamError, as_list, text
from .intervals import Interval
from .selection import keys_of, lines_of, select
from .undated import _day, latest_in_window, reference_dates, undated_spec

DEFAULT_MEASURE = {"value": "value", "qualifier": "qualifier", "scale": "scale", "unit": "unit"}


def _measures(params) -> list[dict]:
    out = []
    for m in as_list(params.get("measures")) or [DEFAULT_MEASURE]:
        if not isinstance(m, dict) or "value" not in m or not set(m) <= set(DEFAULT_MEASURE):
            raise ParamError("each measure is a mapping with value and optional qualifier, scale, unit fields")
        out.append(m)
    return out


def _groups(ctx, table, frame, params, key, lines) -> tuple[dict, dict]:
    """key -> lines, and line -> why it was dated (for undated rows read into a period)."""
    require = as_list(params.get("require"))
    keys = keys_of(frame, lines, key)
    groups: dict[tuple, list[int]] = {}
    undated_rows = []
    spec = undated_spec(params)
    for ln in lines:
        if any(text(frame.at[ln, f]) is None for f in require):
            undated_rows.append(ln)
            continue
        groups.setdefault(keys[ln], []).append(ln)
    dated_as: dict[int, str] = {}
    if spec and undated_rows:
        p0, p1 = spec["period"]
        if p0 not in key or p1 not in key:
            raise ParamError("undated needs the period fields in key")
        i0, i1 = key.index(p0), key.index(p1)
        pool = lines_of(select(frame, spec["where"])) if spec["where"] else lines
        pool = set(pool)
        todo = [ln for ln in undated_rows if ln in pool and keys[ln][i0] is None and keys[ln][i1] is None]
        refs = reference_dates(ctx, table, frame, todo, spec["date"], params.get("source_field", "source_id"))
        for ln, (ref, why) in refs.items():
            rest = tuple(v for i, v in enumerate(keys[ln]) if i not in (i0, i1))
            cands = {k: (k[i0], k[i1]) for k in groups
                     if tuple(v for i, v in enumerate(k) if i not in (i0, i1)) == rest}
            period = latest_in_window(ref, {k: (_day(s), _day(e)) for k, (s, e) in cands.items()}, spec["window"])
            if period is None:
                continue
            for k, (s, e) in cands.items():
                if (_day(s), _day(e)) == period:
                    groups[k].append(ln)
                    dated_as[ln] = (f"undated, read as the period ending {period[1]:%Y-%m-%d} (the latest one ending "
                                    f"within {spec['window']} days before {why})")
    return groups, dated_as


def _as_of_split(ctx, table, frame, group, as_of, source, dated_as):
    """Split a group into the pairs whose as-of dates lie within the window of each other.

    `field` may list several date fields: the first filled one is the row's date (an indicator's
    own `as_of`, else its period_end). With `or_published`, a stock stated with no date at all
    ("China has invested $27 billion") is dated by its source's publication (undated.py)."""
    fields, window = as_list(as_of["field"]), as_of["window_days"]
    days = {ln: next((d for d in (_day(frame.at[ln, f]) for f in fields) if d is not None), None) for ln in group}
    if as_of.get("or_published"):
        missing = [ln for ln, d in days.items() if d is None]
        for ln, (when, why) in reference_dates(ctx, table, frame, missing, None, source).items():
            days[ln] = when
            dated_as[ln] = f"undated, read as of {why}"
    return lambda i, j: days[i] is not None and days[j] is not None and abs((days[i] - days[j]).days) <= window


def sources_agree(frames, params, ctx):
    findings = []
    key = as_list(params.get("key"))
    if not key:
        raise ParamError("key lists the fields that make two rows the same figure (measure, basis, scope, period, ...)")
    source = params.get("source_field", "source_id")
    basis = params.get("basis")
    unspecified = set(as_list(params.get("unspecified", ["unspecified"])))
    across = params.get("across_bases")
    if across is not None and (not isinstance(across, (int, float)) or across <= 1):
        raise ParamError(f"across_bases is the factor two named bases may differ by, above 1; found {across!r}")
    as_of = params.get("as_of")
    if as_of is not None and (not isinstance(as_of, dict) or not {"field", "window_days"} <= set(as_of)
                              or not set(as_of) <= {"field", "window_days", "or_published"}):
        raise ParamError("as_of is a mapping of field (the date a stock is stated on, or a list: the first filled), "
                         "window_days and optionally or_published")
    key = [f for f in key if f != basis]
    measures = _measures(params)
    for table in ctx.tables(params):
        fields = [*key, source, *(basis and [basis] or []), *(as_list(as_of["field"]) if as_of else [])]
        fields += [m[k] for m in measures for k in m]
        frame = ctx.table(table, fields)
        if frame is None:
            continue
        lines = lines_of(select(frame, params.get("where")))
        groups, dated_as = _groups(ctx, table, frame, params, key, lines)
        for m in measures:
            members = sorted({ln for g in groups.values() if len(g) > 1 for ln in g})
            qs = ctx.quantities(table, frame, members, value=m["value"], qualifier=m.get("qualifier"),
                                scale=m.get("scale"), unit=m.get("unit"))
            for k, group in groups.items():
                if len(group) < 2:
                    continue
                near = _as_of_split(ctx, table, frame, group, as_of, source, dated_as) if as_of else (lambda i, j: True)
                what = ", ".join(f"{f}={_show(v)}" for f, v in zip(key, k) if v is not None)
                findings += _compare(ctx, table, frame, sorted(group), qs, m["value"], source, basis, unspecified,
                                     across, near, what, dated_as)
    return findings


def _compare(ctx, table, frame, group, qs, vfield, source, basis, unspecified, across, near, what, dated_as):
    out = []
    src = {ln: text(frame.at[ln, source]) for ln in group}
    bas = {ln: (text(frame.at[ln, basis]) if basis else None) for ln in group}

    def said(ln):
        extra = f", {dated_as[ln]}" if ln in dated_as else ""
        on = f" on basis {bas[ln]}" if basis else ""
        return f"{ctx.label(table, ln)} from {src[ln]}{on} says {qs[ln].describe()}{extra}"

    def rid(*lns):
        return [ctx.row_id(table, x) for x in lns]

    pairs = [(i, j) for jp, j in enumerate(group) for i in group[:jp]
             if i in qs and j in qs and qs[i].unit == qs[j].unit and src[i] != src[j] and near(i, j)]
    wide = []  # pairs of two named bases further apart than across_bases
    for i, j in pairs:
        a, b = qs[i], qs[j]
        same = bas[i] == bas[j]
        if same:
            if not a.interval.intersects(b.interval):
                out.append(ctx.finding(table, j, vfield, f"sources disagree on the same figure ({what}): {said(j)}, "
                                       f"{said(i)}; the intervals do not overlap. Record the decision (prefer one row, "
                                       f"or both_stand) in the resolutions file", rows=rid(i, j)))
            elif not a.band.intersects(b.band):
                out.append(ctx.warning(table, j, vfield, f"sources barely agree on the same figure ({what}): {said(j)}, "
                                       f"{said(i)}; only an open-ended qualifier read without limit reconciles them "
                                       f"(its plausible band is {_band(a, b)})", rows=rid(i, j)))
        elif across and bas[i] not in unspecified and bas[j] not in unspecified:
            widened = a.band * Interval(1.0 / across, float(across))
            if not widened.intersects(b.band):
                wide.append((i, j))
    out += _beyond_band(ctx, table, wide, vfield, across, what, said, rid)
    if basis:
        out += _unspecified_fits(ctx, table, group, qs, vfield, src, bas, unspecified, near, what, said, rid)
    return out


def _beyond_band(ctx, table, wide, vfield, across, what, said, rid):
    """One warning per row that stands apart from the rows of other bases (the row in most such
    pairs first), rather than one per pair: a single outlier is one finding."""
    out = []
    left = list(wide)
    while left:
        count: dict[int, int] = {}
        for i, j in left:
            count[i] = count.get(i, 0) + 1
            count[j] = count.get(j, 0) + 1
        row = max(count, key=lambda ln: (count[ln], ln))
        mine = [p for p in left if row in p]
        others = sorted(o for p in mine for o in p if o != row)
        left = [p for p in left if row not in p]
        out.append(ctx.warning(table, row, vfield, f"two bases differ by more than the plausible factor {across} "
                               f"({what}): {said(row)}; but " + "; ".join(said(o) for o in others), rows=rid(row, *others)))
    return out


def _unspecified_fits(ctx, table, group, qs, vfield, src, bas, unspecified, near, what, said, rid):
    """A figure of unspecified basis must agree with every row of at least one named basis."""
    out = []
    for u in group:
        if u not in qs or bas[u] not in unspecified:
            continue
        named: dict[str, list[int]] = {}
        for ln in group:
            if ln in qs and bas[ln] not in unspecified and src[ln] != src[u] and qs[ln].unit == qs[u].unit and near(u, ln):
                named.setdefault(bas[ln], []).append(ln)
        if not named:
            continue
        hard = [b for b, lns in named.items() if all(qs[u].interval.intersects(qs[x].interval) for x in lns)]
        others = sorted(x for lns in named.values() for x in lns)
        listing = "; ".join(said(x) for x in others)
        if not hard:
            out.append(ctx.finding(table, u, vfield, f"a figure of unspecified basis agrees with no named basis "
                                   f"({what}): {said(u)}; but {listing}. Record the decision in the resolutions file",
                                   rows=rid(u, *others)))
        elif not any(all(qs[u].band.intersects(qs[x].band) for x in named[b]) for b in hard):
            out.append(ctx.warning(table, u, vfield, f"a figure of unspecified basis agrees with a named basis "
                                   f"({', '.join(sorted(hard))}) only through an open-ended qualifier read without "
                                   f"limit ({what}): {said(u)}; {listing}", rows=rid(u, *others)))
    return out


def _band(a, b) -> str:
    """The soft band that made the difference, in words: '(32, 48] billion for more than 32'."""
    q = a if a.band != a.interval else b
    scale = "" if q.scale in (None, "one") else " " + q.scale
    return f"{q.band.show(q.factor)}{scale} for {q.qualifier.replace('_', ' ')} {q.value:g}"


def _show(v) -> str:
    if hasattr(v, "strftime"):
        return v.strftime("%Y-%m-%d")
    return str(v)
