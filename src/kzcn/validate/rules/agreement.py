"""Sources agree: two sources stating the same figure (same measure, scope, basis, flow, commodity
and period) must state intervals that overlap.

Conflicts are data, not noise: both rows stay, the rule surfaces the pair, and a curator
records the decision in validation/resolutions.yaml (prefer one row, or both stand). Figures on
different reporter bases (Kazakh statistics vs Chinese customs) are not the same figure — the key
includes the basis, so that known gap is never reported as a conflict.
"""
from __future__ import annotations

from .context import ParamError, as_list, text
from .selection import keys_of, lines_of, select


def sources_agree(frames, params, ctx):
    findings = []
    key = as_list(params.get("key"))
    if not key:
        raise ParamError("key lists the fields that make two rows the same figure (measure, basis, scope, period, ...)")
    require = as_list(params.get("require"))
    source = params.get("source_field", "source_id")
    for table in ctx.tables(params):
        frame = ctx.table(table, [*key, *require, source, "value", "qualifier", "scale", "unit"])
        if frame is None:
            continue
        lines = lines_of(select(frame, params.get("where")))
        keys = keys_of(frame, lines, key)
        groups: dict[tuple, list[int]] = {}
        for ln in lines:
            if any(text(frame.at[ln, f]) is None for f in require):
                continue
            groups.setdefault(keys[ln], []).append(ln)
        qs = ctx.quantities(table, frame, sorted({ln for g in groups.values() if len(g) > 1 for ln in g}))
        for k, group in groups.items():
            if len(group) < 2:
                continue
            group = sorted(group)
            for j_pos, j in enumerate(group):
                for i in group[:j_pos]:
                    a, b = qs.get(i), qs.get(j)
                    if a is None or b is None or a.unit != b.unit:
                        continue
                    sa, sb = text(frame.at[i, source]), text(frame.at[j, source])
                    if sa == sb:
                        continue
                    if a.interval.intersects(b.interval):
                        continue
                    what = ", ".join(f"{f}={_show(v)}" for f, v in zip(key, k) if v is not None)
                    findings.append(ctx.finding(
                        table, j, "value",
                        f"sources disagree on the same figure ({what}): {ctx.label(table, j)} from {sb} says "
                        f"{b.describe()}, {ctx.label(table, i)} from {sa} says {a.describe()}; the intervals do not overlap. "
                        f"Record the decision (prefer one row, or both_stand) in the resolutions file",
                        rows=[ctx.row_id(table, i), ctx.row_id(table, j)]))
    return findings


def _show(v) -> str:
    if hasattr(v, "strftime"):
        return v.strftime("%Y-%m-%d")
    return str(v)
