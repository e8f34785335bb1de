"""Siblings within their whole: the parts of one whole, taken together, fit within it.

part_within_whole checks each part alone; this adds the parts up. "52 projects" with "25
launched since 2015" and "6 scheduled for 2023" is possible; with "40 launched" and "20
scheduled" it is not, though each part alone fits. Parts are rows linked to their whole
(`link`: parent_id -> key, and `match` fields they share with it). Statements that repeat the
same part (siblings equal on the `distinct` fields, e.g. the same status said twice) are
alternatives, not addends: the smallest of them counts. The sum is over intervals: a finding of
the rule's severity only when even the smallest values the parts allow exceed the largest the
whole allows; a warning when only the stated points do.
"""
from __future__ import annotations

from .containment import _fields, _measure_quantities, _measures, _pairs
from .context import ParamError, as_list
from .intervals import Interval, fmt
from .quantities import listing
from .selection import keys_of, lines_of, select


def siblings_within_whole(frames, params, ctx):
    findings = []
    if not params.get("link"):
        raise ParamError("link (field -> key) says which whole each part belongs to")
    measures = _measures(params)
    distinct = as_list(params.get("distinct"))
    for table in ctx.tables(params):
        frame = ctx.table(table, [*_fields(params, measures), *distinct])
        if frame is None:
            continue
        part_lines = lines_of(select(frame, params.get("part")))
        whole_lines = lines_of(select(frame, params.get("whole")))
        children: dict[int, list[int]] = {}
        for pl, wls in _pairs(ctx, frame, params, part_lines, whole_lines).items():
            for wl in wls:
                children.setdefault(wl, []).append(pl)
        keys = keys_of(frame, sorted({pl for ps in children.values() for pl in ps}), distinct)
        for m in measures:
            qs = _measure_quantities(ctx, table, frame, m, children)
            for wl, pls in children.items():
                whole = qs.get(wl)
                if whole is None:
                    continue
                smallest: dict[tuple, object] = {}
                for pl in pls:
                    q = qs.get(pl)
                    if q is None or q.unit != whole.unit:
                        continue
                    k = keys[pl] if distinct else (pl,)
                    if k not in smallest or (q.interval.lo, q.point) < (smallest[k].interval.lo, smallest[k].point):
                        smallest[k] = q
                parts = sorted(smallest.values(), key=lambda q: q.line)
                if len(parts) < 2:
                    continue  # one part alone is part_within_whole's to check
                total = Interval.point(0.0)
                for q in parts:
                    total = total + q.interval
                point = sum(q.point for q in parts)
                said = listing(parts, lambda q: f"{ctx.label(table, q.line)} {q.describe()}", limit=4)
                rows = [ctx.row_id(table, wl)] + [q.label for q in parts]
                scale = "" if whole.scale == "one" else f" {whole.scale}"
                if not total.possibly_at_most(whole.interval):
                    findings.append(ctx.finding(
                        table, wl, m["value"],
                        f"{m['value']} {whole.describe()} cannot hold its {len(parts)} parts together: they add up "
                        f"to at least {fmt(total.lo / whole.factor)}{scale} ({said})", rows=rows))
                elif point > whole.point:
                    findings.append(ctx.warning(
                        table, wl, m["value"],
                        f"{m['value']} stated {fmt(whole.point / whole.factor)}{scale} but its {len(parts)} parts add up "
                        f"to {fmt(point / whole.factor)}{scale}; the qualifiers still allow both ({said})", rows=rows))
    return findings
