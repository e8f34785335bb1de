"""Resolutions pinned to the values they were decided on.

A resolution in validation/resolutions.yaml settles a finding by rule and rows. Without more, a
slip made later in a resolved row (41 billion retyped as 410) stays hidden behind the decision
made for 41. So an entry may record `values: {row_id: "41 billion USD"}`: the figure of each row
as it was when the decision was made. When a row's figure differs from its pin, the resolution
no longer covers the finding: the finding is reported again, with a warning at the resolution
naming the row, the value it was made for and the value the row has now. An entry without
`values` matches by rule and rows alone, as before (pinning is recommended; `python -m
kzcn.validate.rules.pin` fills them in).

A row's figure, as pinned: the cells of its number fields (value, value_high, item_count,
capacity, ...) and of what qualifies them (scale, unit, qualifier, and the statistical basis), in
schema order, blanks left out, numbers written without float noise ("cn_customs 41 billion USD
exact", "52 21 billion USD more_than" for a portfolio of more than 52 projects worth $21 billion).
Why the qualifier and basis too: a decision rests on what each row claims, and "more than 41" or
the same 41 on another basis is another claim (a basis relabelled to `unspecified` turns a
decided cross-basis pair into a same-basis conflict the decision never weighed). The same text is computed by the tool and by the check, from the typed frame,
so "1.10" and "1.1" in the CSV are the same figure.
"""
from __future__ import annotations

import math

from .context import na, text

FIGURE_TYPES = ("number", "integer")
COMPANIONS = ("scale", "unit", "qualifier", "_basis")


def figure_fields(resource) -> list[str]:
    """The fields that make a row's figure: numbers, their scale, unit and qualifier, and the
    basis, in schema order (a date's qualifier, such as date_qualifier, qualifies no figure)."""
    out = []
    for f in resource.schema.get("fields", []):
        if not isinstance(f, dict) or not isinstance(f.get("name"), str):
            continue
        name = f["name"]
        if f.get("type") in FIGURE_TYPES or (name.endswith(COMPANIONS) and not name.startswith("date")):
            out.append(name)
    return out


def _cell(x) -> str | None:
    if na(x):
        return None
    if isinstance(x, bool):
        return str(x).lower()
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        v = float(x)
        if math.isnan(v) or math.isinf(v):
            return None
        return str(int(v)) if v.is_integer() and abs(v) < 1e18 else repr(v)
    return text(x)


def figure_text(frame, fields: list[str], line: int) -> str:
    """The row's figure as a resolution pins it (see the module docstring)."""
    cells = (_cell(frame.at[line, f]) for f in fields if f in frame.columns)
    return " ".join(c for c in cells if c)


def row_figures(package, frames: dict, table: str, row_ids) -> dict[str, str | None]:
    """row id -> its figure text now; None when the table, the row or a figure field is missing."""
    out: dict[str, str | None] = {r: None for r in row_ids}
    if table not in getattr(package, "table_names", ()) or frames.get(table) is None:
        return out
    resource = package.resource(table)
    frame = frames[table]
    keys = resource.primary_key
    fields = figure_fields(resource)
    if not keys or not fields or any(k not in frame.columns for k in keys):
        return out
    wanted = set(row_ids)
    for ln in frame.index:
        rid = "/".join(text(frame.at[ln, k]) or "?" for k in keys)
        if rid in wanted and out[rid] is None:
            out[rid] = figure_text(frame, fields, ln)
    return out


def changed_pins(package, frames: dict, resolution) -> list[tuple[str, str, str | None]]:
    """(row, pinned text, text now) for each pinned row whose figure is no longer what it was."""
    pins = resolution.values or {}
    if not pins:
        return []
    now = row_figures(package, frames, resolution.table, list(pins))
    return [(row, pinned, now[row]) for row, pinned in pins.items() if _norm(now[row]) != _norm(pinned)]


def _norm(s: str | None) -> str | None:
    return None if s is None else " ".join(str(s).split())
