"""The 0.3.0 vocabulary, used only where it means something: a range's top end lies above its low
end, and a qualifier (or any value) that only makes sense under a condition appears only there.

Why a kind of its own: the intervals of intervals.py take a stated range and `among_top` at their
word, so a slip in them ("$27–28 million" typed as value 28, value_high 27; "among the top five"
on a trade value in dollars) would silently widen an interval instead of being named. Both are
checks of one row, before any comparison with other rows:

- range_ordered: value_high, when stated, is above value (an error naming both). A top end with no
  low end is named too: a range is read from its value.
- implies: the rows matching `when` also match `then` (a selector); without `then`, no row may
  match `when` at all. `among_top` ("among the top N", a rank in [1, N]) is a rank's qualifier:
  on a trade or indicator figure it needs measure rank, elsewhere unit rank; a count of projects
  is never a rank.
"""
from __future__ import annotations

import math

from .context import ParamError, as_list, na, text
from .intervals import fmt
from .selection import lines_of, select, selector_fields

DEFAULT_RANGE = {"value": "value", "high": "value_high"}


def _ranges(params) -> list[dict]:
    out = []
    for m in as_list(params.get("measures")) or [DEFAULT_RANGE]:
        if not isinstance(m, dict) or not isinstance(m.get("value"), str) or not isinstance(m.get("high"), str):
            raise ParamError(f"each measure names its two ends as {{value: ..., high: ...}}, found {m!r}")
        unknown = set(m) - {"value", "high"}
        if unknown:
            raise ParamError(f"a range measure takes value and high, not {', '.join(sorted(unknown))}")
        out.append(m)
    return out


def _number(x) -> float | None:
    if na(x):
        return None
    v = float(x)
    return None if math.isnan(v) or math.isinf(v) else v


def range_ordered(frames, params, ctx):
    """value_high above value on every row stating both; a value_high alone is named too."""
    findings = []
    measures = _ranges(params)
    for table in ctx.tables(params):
        frame = ctx.table(table, [f for m in measures for f in (m["value"], m["high"])])
        if frame is None:
            continue
        for ln in lines_of(select(frame, params.get("where"))):
            for m in measures:
                low, high = _number(frame.at[ln, m["value"]]), _number(frame.at[ln, m["high"]])
                if high is None:
                    continue
                rid = ctx.row_id(table, ln)
                if low is None:
                    findings.append(ctx.finding(
                        table, ln, m["high"],
                        f"{rid}: {m['high']} {fmt(high, 12)} is stated without {m['value']}: a range is written "
                        f"with its low end in {m['value']} and its top end in {m['high']}", rows=[rid]))
                elif not high > low:
                    findings.append(ctx.finding(
                        table, ln, m["high"],
                        f"{rid}: {m['high']} {fmt(high, 12)} is not above {m['value']} {fmt(low, 12)}: a range's "
                        f"top end lies above its low end (\"$27–28 million\" is {m['value']} 27, {m['high']} 28)"
                        + ("; a single figure leaves " + m["high"] + " empty" if high == low else ""),
                        rows=[rid]))
    return findings


def _describe(where: dict) -> str:
    """A selector in words: 'measure rank', 'unit rank or percent'."""
    parts = []
    for field, cond in where.items():
        if isinstance(cond, list):
            parts.append(f"{field} {' or '.join(map(str, cond))}")
        elif isinstance(cond, dict):
            parts.append(f"{field} {', '.join(f'{k} {v}' for k, v in cond.items())}")
        else:
            parts.append(f"{field} {cond}")
    return " and ".join(parts)


def implies(frames, params, ctx):
    """Rows matching `when` match `then` too; with no `then`, no row may match `when`."""
    findings = []
    when, then = params.get("when"), params.get("then")
    if not isinstance(when, dict) or not when:
        raise ParamError("when is the selector of the rows the condition is about, e.g. {qualifier: among_top}")
    if then is not None and (not isinstance(then, dict) or not then):
        raise ParamError("then is the selector those rows must also match, e.g. {measure: rank}")
    field = params.get("field") or next(iter(when))
    for table in ctx.tables(params):
        frame = ctx.table(table, [*selector_fields(when), *selector_fields(then), field])
        if frame is None:
            continue
        chosen = select(frame, when) & select(frame, params.get("where"))
        bad = chosen & ~select(frame, then) if then else chosen
        for ln in lines_of(bad):
            rid = ctx.row_id(table, ln)
            said = ", ".join(f"{f} {text(frame.at[ln, f]) or '(blank)'}" for f in selector_fields(then))
            need = (f"only meaningful with {_describe(then)}, and this row has {said}" if then
                    else "never meaningful in this table")
            findings.append(ctx.finding(table, ln, field, f"{rid}: {_describe(when)} is {need}", rows=[rid]))
    return findings
