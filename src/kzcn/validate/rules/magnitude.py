"""Magnitude plausible: a unit slip (million for billion) stands out against comparable rows.

Within a group of comparable rows (same unit, flow, commodity, partner, ...) the figures of
one dataset differ by a small factor; a row 1,000 times off the group's median (log-scale)
is far more likely a slip in the scale column than a fact. Groups need a few rows
(`min_rows`) before a median means anything.
"""
from __future__ import annotations

import math
import statistics

from .intervals import SCALES, fmt
from .context import ParamError, as_list, na, text
from .selection import keys_of, lines_of, select


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
