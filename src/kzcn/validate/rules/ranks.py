"""Ranks: "Shandong is Kazakhstan's third trading partner among Chinese regions" must agree with the
values of the other regions for the same period and basis, when the data has them.

With only some regions in the data, a rank can be refuted only from above: if three regions
certainly trade more than Shandong, it cannot be third. With `complete: true` (the data holds
the whole set), it can also be refuted from below.

Every counterpart: a rank is judged against each of its entity's own values and, for each, each
compatible row of the other entities — never settled because one of them fits. An entity is
certainly above a value when one of its rows of a compatible basis (equal, or one of them a
wildcard such as `unspecified`) certainly is; two named bases are never compared (Chinese customs
and Kazakh statistics differ by a third for the same year). "Among the top N" (among_top) is a
rank in [1, N].

`undated` reads a rank stated without a period as the latest period of its values ending within
the window before its statement or publication date (undated.py), as sources_agree does.
"""
from __future__ import annotations

import math
import statistics

from .context import ParamError, as_list, na, text
from .selection import compatible, lines_of, match_lines, select
from .undated import undated_pairs


def _rank_bounds(rank: float, qualifier: str) -> tuple[float, float]:
    r = round(rank)
    return {
        "exact": (r, r),
        "approximately": (r - 1, r + 1),
        "up_to": (1, r),
        "among_top": (1, r),
        "nearly": (r, r + 1),
        "less_than": (1, r - 1),
        "at_least": (r, math.inf),
        "more_than": (r + 1, math.inf),
    }.get(qualifier, (r, r))


def _peers(ctx, table, frame, params, rank_lines, value_lines, match):
    """rank line -> its candidate value lines (same match fields, or its undated reading's period),
    and line -> why an undated rank was read as that period."""
    peers = match_lines(frame, rank_lines, value_lines, match, params.get("wildcards"))
    dated, why = undated_pairs(ctx, table, frame, params, rank_lines, value_lines, match)
    peers.update(dated)
    return peers, why


def rank_consistent(frames, params, ctx):
    findings = []
    table = params.get("table")
    entity = params.get("entity")
    if not entity:
        raise ParamError("entity names the field that tells the ranked things apart (e.g. partner_scope)")
    match = as_list(params.get("match"))
    complete = bool(params.get("complete", False))
    wildcards = {k: set(as_list(v)) for k, v in (params.get("wildcards") or {}).items()}
    frame = ctx.table(table, [entity, *match, "value", "qualifier", "scale", "unit"])
    if frame is None:
        return findings
    rank_lines = lines_of(select(frame, params.get("rank", {"measure": "rank"})))
    value_mask = select(frame, params.get("values", {"measure": "value"})) & select(frame, params.get("set"))
    value_lines = lines_of(value_mask)
    peers, dated_as = _peers(ctx, table, frame, params, rank_lines, value_lines, match)
    qs = ctx.quantities(table, frame, sorted(set(value_lines)))

    def together(a, b) -> bool:
        """Two value rows speak of one basis: each wildcard field equal or a wildcard on one side."""
        return all(compatible(text(frame.at[a, f]), text(frame.at[b, f]), w) for f, w in wildcards.items())

    for rl in rank_lines:
        rv, rq = frame.at[rl, "value"], text(frame.at[rl, "qualifier"]) or "exact"
        me = text(frame.at[rl, entity])
        if na(rv) or me is None or not peers.get(rl):
            continue
        lo_rank, hi_rank = _rank_bounds(float(rv), rq)
        own = [qs[ln] for ln in peers[rl] if ln in qs and text(frame.at[ln, entity]) == me]
        others: dict[str, list] = {}
        for ln in peers[rl]:
            e = text(frame.at[ln, entity])
            if ln in qs and e != me and e is not None:
                others.setdefault(e, []).append(qs[ln])
        if not own or not others:
            continue
        verdicts = []
        for o in own:
            near = {e: [q for q in rows if together(o.line, q.line)] for e, rows in others.items()}
            near = {e: rows for e, rows in near.items() if rows}
            if not near:
                continue
            above = sorted(e for e, rows in near.items() if any(o.interval.certainly_below(q.interval) for q in rows))
            maybe = [e for e, rows in near.items() if any(not q.interval.certainly_below(o.interval) for q in rows)]
            fits = len(above) + 1 <= hi_rank and (not complete or len(maybe) + 1 >= lo_rank)
            pts_above = sorted(e for e, rows in near.items() if statistics.median(q.point for q in rows) > o.point)
            point_rank = len(pts_above) + 1
            point_ok = (point_rank == round(float(rv))) if complete else point_rank <= hi_rank
            verdicts.append((o, above, maybe, fits, pts_above, point_ok, len(near)))
        if not verdicts:
            continue
        rid = ctx.row_id(table, rl)
        rows = [rid] + sorted({ctx.row_id(table, q.line) for q in own} |
                              {ctx.row_id(table, q.line) for qsx in others.values() for q in qsx})
        undated = f" ({dated_as[rl]})" if rl in dated_as else ""
        failed = [v for v in verdicts if not v[3]]
        if failed:  # every own value must allow the rank, against every compatible row of the others
            o, above, maybe, _, _, _, n = failed[0]
            why = (f"{len(above)} of them certainly above it ({', '.join(above)})" if len(above) + 1 > hi_rank
                   else f"at most {len(maybe)} of them possibly above it")
            findings.append(ctx.finding(
                table, rl, "value",
                f"rank {rq.replace('_', ' ')} {int(float(rv))} of {me}{undated} cannot hold: its value "
                f"{ctx.label(table, o.line)} {o.describe()} compared with {n} other {entity} values of the same "
                f"period and basis has {why}", rows=rows))
        elif not all(v[5] for v in verdicts):
            o, _, _, _, pts_above, _, _ = next(v for v in verdicts if not v[5])
            findings.append(ctx.warning(
                table, rl, "value",
                f"rank {int(float(rv))} of {me}{undated}: by the stated values {len(pts_above)} other {entity} value(s) "
                f"are above its value {ctx.label(table, o.line)} ({', '.join(pts_above)}), so it would rank "
                f"{len(pts_above) + 1}; the qualifiers still allow the rank", rows=rows))
    return findings
