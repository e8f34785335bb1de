"""Conditional requirements: what a Table Schema's `required` cannot say.

"derivation is required when derived is true", "a growth names its base period", "a value
carries its qualifier", "a trade row states a value": each is a selector (when) and the
fields that must then be filled.
"""
from __future__ import annotations

from .context import ParamError, as_list
from .ruletable import blank
from .selection import lines_of, select


def _describe(when) -> str:
    if not when:
        return "on every row"
    parts = []
    for f, cond in when.items():
        if isinstance(cond, dict) and "present" in cond:
            parts.append(f"{f} is {'filled' if cond['present'] else 'blank'}")
        elif isinstance(cond, dict):
            parts.append(f"{f} matches {cond}")
        elif isinstance(cond, list):
            parts.append(f"{f} is one of {', '.join(map(str, cond))}")
        else:
            parts.append(f"{f} is {str(cond).lower() if isinstance(cond, bool) else cond}")
    return "when " + " and ".join(parts)


def conditional_required(frames, params, ctx):
    findings = []
    require = as_list(params.get("require"))
    if not require:
        raise ParamError("require lists the fields that must be filled")
    when = params.get("when")
    for table in ctx.tables(params):
        frame = ctx.table(table, require)
        if frame is None:
            continue
        mask = select(frame, when)
        for field in require:
            empty = mask & blank(frame, field)  # a cell layer 2 rejected is wrong, not missing
            for ln in lines_of(empty):
                findings.append(ctx.finding(table, ln, field, f"{field} must be filled {_describe(when)}",
                                            rows=[ctx.row_id(table, ln)]))
    return findings
