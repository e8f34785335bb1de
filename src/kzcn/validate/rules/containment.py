"""Parts and wholes: a part cannot exceed its whole, and parts that make a whole add up to it.

A part stated without a period ("Shandong's trade reached $2 billion") is read, with `undated`,
as the latest period of its wholes ending within the window before its statement or
publication date (undated.py), as sources_agree and rank_consistent read undated figures.

"25 projects worth $7.3 billion launched" sits inside "52 projects worth more than $21
billion"; Shandong's turnover sits inside Kazakhstan–China turnover of the same period and
basis; exports + imports make turnover. Each check is over intervals: it fails hard only when
no values allowed by the qualifiers satisfy it, and warns when only the stated points clash.
"""
from __future__ import annotations

from .intervals import Interval, fmt
from .context import ParamError, as_list, text
from .selection import lines_of, match_lines, select
from .quantities import Quantity, combos, listing
from .undated import undated_pairs

DEFAULT_MEASURE = {"value": "value", "qualifier": "qualifier", "scale": "scale", "unit": "unit"}
MAX_COMBOS = 256


def _measures(params) -> list[dict]:
    ms = params.get("measures") or [DEFAULT_MEASURE]
    out = []
    for m in as_list(ms):
        if not isinstance(m, dict) or "value" not in m:
            raise ParamError("each measure needs at least 'value' (and qualifier, scale, unit fields)")
        out.append({k: m.get(k) for k in ("value", "qualifier", "scale", "unit")})
    return out


def _fields(params, measures) -> list[str]:
    fs = list(as_list(params.get("match")))
    link = params.get("link") or {}
    fs += [link.get("field"), link.get("key")]
    for m in measures:
        fs += [m["value"], m.get("qualifier"), m.get("scale"), m.get("unit")]
    return [f for f in fs if f]


def _pairs(ctx, frame, params, part_lines, whole_lines) -> dict[int, list[int]]:
    match = as_list(params.get("match"))
    link = params.get("link")
    if not match and not link:
        raise ParamError("say how a part finds its whole: 'link' (field -> key) and/or 'match' (fields)")
    if link:
        if not isinstance(link, dict) or "field" not in link or "key" not in link:
            raise ParamError("link needs 'field' (in the part) and 'key' (in the whole)")
        by_key: dict[str, list[int]] = {}
        for wl in whole_lines:
            k = text(frame.at[wl, link["key"]])
            if k is not None:
                by_key.setdefault(k, []).append(wl)
        pairs = {}
        for pl in part_lines:
            ref = text(frame.at[pl, link["field"]])
            ws = by_key.get(ref, []) if ref is not None else []
            ws = [w for w in ws if w != pl]
            if ws:
                pairs[pl] = ws
        if match:
            allowed = match_lines(frame, list(pairs), whole_lines, match, params.get("wildcards"))
            pairs = {pl: [w for w in ws if w in allowed.get(pl, [])] for pl, ws in pairs.items()}
            pairs = {pl: ws for pl, ws in pairs.items() if ws}
        return pairs
    return match_lines(frame, part_lines, whole_lines, match, params.get("wildcards"))


def _measure_quantities(ctx, table, frame, m, links: dict[int, list[int]]) -> dict:
    """The quantities of measure `m` on every row `links` names: its keys and the lines they map to alike.

    part_within_whole links each part to its wholes, siblings_within_whole (siblings.py) each
    whole to its parts: either way every row on both sides is read, with the measure's fields."""
    lines = sorted(set(links) | {ln for ls in links.values() for ln in ls})
    return ctx.quantities(table, frame, lines, value=m["value"], qualifier=m.get("qualifier"),
                          scale=m.get("scale"), unit=m.get("unit"))


def _same_unit(a: Quantity, b: Quantity) -> bool:
    return a.unit == b.unit


def _verdict(ctx, table, line, field, rows, fits, agrees, impossible, strained):
    """The one finding of a part-and-whole check on a row, or None when it passes.

    `fits` are the candidates (wholes, sums of parts) that values the qualifiers allow can
    satisfy; `agrees(fits)` says whether the stated points satisfy it too. Nothing fits: a
    finding of the rule's severity, worded by `impossible()`. Something fits, but only through
    the qualifiers' leeway: a warning, worded by `strained(fits)`. Each wording is made only
    when it is said.
    """
    if not fits:
        return ctx.finding(table, line, field, impossible(), rows=rows)
    if not agrees(fits):
        return ctx.warning(table, line, field, strained(fits), rows=rows)
    return None


def _fitting(frame, part: Quantity, wholes: list[Quantity], wildcards) -> list[Quantity]:
    """The wholes a part fits in, judged against every whole of its own basis.

    A part of a named basis (kz_statistics) with wholes of that basis must fit each of them: a
    whole of unspecified basis, or of a part of another scope, never excuses it (a part above its
    own basis's whole is a slip however many other wholes it fits). Otherwise — a part of
    unspecified basis, or one with no whole of its own basis — one whole that fits is enough,
    as the unspecified side may be of any basis. Empty when the part fails."""
    fits = [w for w in wholes if part.interval.possibly_at_most(w.interval)]
    fields = {f: set(as_list(v)) for f, v in (wildcards or {}).items() if f in frame.columns}
    if not fields:
        return fits
    label = tuple(text(frame.at[part.line, f]) for f in fields)
    if any(v is None or v in fields[f] for f, v in zip(fields, label)):
        return fits
    own = [w for w in wholes if tuple(text(frame.at[w.line, f]) for f in fields) == label]
    if own and len([w for w in own if w in fits]) < len(own):
        return []
    return fits


def part_within_whole(frames, params, ctx):
    """Every part (selected rows) lies within each whole it is matched or linked to."""
    findings = []
    measures = _measures(params)
    for table in ctx.tables(params):
        frame = ctx.table(table, _fields(params, measures))
        if frame is None:
            continue
        part_lines = lines_of(select(frame, params.get("part")))
        whole_lines = lines_of(select(frame, params.get("whole")))
        pairs = _pairs(ctx, frame, params, part_lines, whole_lines)
        dated, why = ({}, {}) if params.get("link") else undated_pairs(
            ctx, table, frame, params, [p for p in part_lines if p not in pairs], whole_lines,
            as_list(params.get("match")))
        pairs.update(dated)
        for m in measures:
            qs = _measure_quantities(ctx, table, frame, m, pairs)
            for pl, wls in pairs.items():
                part = qs.get(pl)
                wholes = [qs[w] for w in wls if w in qs and part is not None and _same_unit(part, qs[w])]
                if part is None or not wholes:
                    continue
                rows = [ctx.row_id(table, pl)] + [ctx.row_id(table, w.line) for w in wholes]
                fits = _fitting(frame, part, wholes, params.get("wildcards"))
                whole_txt = listing(wholes, lambda w: f"{ctx.label(table, w.line)} {w.describe()}")
                if pl in why:
                    whole_txt += f"; the part is {why[pl]}"
                found = _verdict(
                    ctx, table, pl, m["value"], rows, fits,
                    agrees=lambda fits: any(part.point <= w.point for w in fits),
                    impossible=lambda: (
                        f"{m['value']} {part.describe()} cannot lie within its whole " + listing(
                            [w for w in wholes if not part.interval.possibly_at_most(w.interval)],
                            lambda w: f"{ctx.label(table, w.line)} {w.describe()}")
                        + (f" (every whole of its own basis must hold it; also compared: {whole_txt})"
                           if any(part.interval.possibly_at_most(w.interval) for w in wholes) else
                           (f"; the part is {why[pl]}" if pl in why else ""))
                        + ": even the smallest value the part allows exceeds the largest the whole allows"),
                    strained=lambda fits: (
                        f"{m['value']} {fmt(part.point)} exceeds its whole's stated {fmt(max(w.point for w in fits))} "
                        f"({whole_txt}); the qualifiers still allow both ({part.describe()})"))
                if found is not None:
                    findings.append(found)
    return findings


def parts_add_up(frames, params, ctx):
    """A whole (turnover) equals the signed sum of its parts (exports, imports) within tolerance."""
    parts_spec = params.get("parts")
    if not isinstance(parts_spec, list) or len(parts_spec) < 2:
        raise ParamError("parts must list at least two selectors, e.g. [{where: {flow: export}}, {where: {flow: import}}]")
    findings = []
    tol = float(params.get("point_tolerance", 0.02))
    m = {**DEFAULT_MEASURE, **(params.get("measure") or {})}
    match = as_list(params.get("match"))
    if not match:
        raise ParamError("match must list the fields a part shares with its whole (basis, scope, period, ...)")
    for table in ctx.tables(params):
        frame = ctx.table(table, [*match, m["value"], m["qualifier"], m["scale"], m["unit"]])
        if frame is None:
            continue
        whole_lines = lines_of(select(frame, params.get("whole")))
        per_part = []
        for spec in parts_spec:
            if not isinstance(spec, dict):
                raise ParamError("each part is a mapping with 'where' and optional 'sign' (1 or -1)")
            sign = spec.get("sign", 1)
            if sign not in (1, -1):
                raise ParamError(f"a part's sign must be 1 or -1, found {sign!r}")
            plines = lines_of(select(frame, spec.get("where")))
            per_part.append((sign, match_lines(frame, whole_lines, plines, match, params.get("wildcards"))))
        everything = set(whole_lines) | {ln for _, mp in per_part for ls in mp.values() for ln in ls}
        qs = ctx.quantities(table, frame, sorted(everything), value=m["value"], qualifier=m["qualifier"],
                            scale=m["scale"], unit=m["unit"])
        for wl in whole_lines:
            whole = qs.get(wl)
            if whole is None:
                continue
            options = []
            for sign, mp in per_part:
                opts = [qs[ln] for ln in mp.get(wl, []) if ln in qs and qs[ln].unit == whole.unit]
                options.append([(sign, q) for q in opts])
            if not all(options):
                continue
            sums = []
            for i, combo in enumerate(combos(*options)):
                if i >= MAX_COMBOS:
                    break
                total = Interval.point(0.0)
                point = 0.0
                for sign, q in combo:
                    total = total + q.interval if sign == 1 else total - q.interval
                    point += sign * q.point
                sums.append((combo, total, point))
            rows = [ctx.row_id(table, wl)] + sorted({ctx.row_id(table, q.line) for opt in options for _, q in opt})

            def said(combo):
                return " ".join(f"{'+' if s == 1 else '-'} {ctx.label(table, q.line)} {q.describe()}"
                                for s, q in combo).lstrip("+ ")

            def impossible():
                combo, total, point = sums[0]
                return (f"{m['value']} {whole.describe()} cannot equal the sum of its parts {said(combo)} "
                        f"= {total.show(whole.factor)}{'' if whole.scale == 'one' else ' ' + whole.scale}")

            def strained(ok):
                combo, total, point = min(ok, key=lambda s: abs(s[2] - whole.point))
                return (f"{m['value']} stated {fmt(whole.point / whole.factor)} but its parts {said(combo)} add up to "
                        f"{fmt(point / whole.factor)} (off by more than {fmt(tol * 100)}%); the qualifiers still allow both")

            found = _verdict(
                ctx, table, wl, m["value"], rows, [s for s in sums if s[1].intersects(whole.interval)],
                agrees=lambda ok: any(whole.interval.contains(s[2]) or abs(s[2] - whole.point) <= tol * abs(whole.point)
                                      for s in ok),
                impossible=impossible, strained=strained)
            if found is not None:
                findings.append(found)
    return findings
