"""One preferred figure per series and period, with the spread of the statements behind it.

A series is a table's value figures (measure `value`) grouped by what they measure: the key a
Spec names, which always ends with the unit and the period. Only reported outcomes enter
(a forecast is not a statement of what happened) and only dated ones: a period with both
ends, or for a stock (indicators) the day it is counted on, its `as_of` or the `period_end` of
a period that only ends, as a one-day period; a figure without them has no place on a time axis. Values are in base
units (kzcn.package.series.amounts); `low` and `high` are the lowest and highest stated value
(a range's `value_high` included) of the statements, not the intervals their qualifiers imply:
the preferred figure keeps its own qualifier for that. The choice itself is
kzcn.package.series.choose.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import amounts
from .choose import choose
from .inputs import day, prefer_decisions, read_rows, sources_by_id
from .periods import period_label
from ..descriptor import Package


@dataclass(frozen=True)
class Spec:
    """How one derived table is made from one curated table."""

    name: str                       # the derived table
    table: str                      # the curated table it is derived from
    id_field: str                   # that table's row id
    preferred_field: str            # the derived column naming the preferred row
    key: Callable[[dict], tuple | None]  # the series key (without unit and period), None: not a series row
    carried: tuple[str, ...] = ()   # columns copied from the preferred row after the key


def period_of(row: dict, stock_day: str | None = None) -> tuple | None:
    start, end = day(row.get("period_start", "")), day(row.get("period_end", ""))
    if start and end and start <= end:
        return start, end
    if stock_day and not row.get("period_start"):
        # a stock is counted on one day: its as_of, or a period that only ends (accumulated up to then)
        at = day(row.get(stock_day, "")) or day(row.get("period_end", ""))
        if at and (not row.get("period_end") or day(row["period_end"]) == at):
            return at, at
    return None


def _series_rows(package: Package, spec: Spec, stock_day: str | None):
    groups: dict[tuple, list[dict]] = {}
    for row in read_rows(package.resource(spec.table)):
        if row.get("measure") != "value" or row.get("estimate", "reported") != "reported":
            continue
        if not row.get(spec.id_field) or amounts.base_units(row.get("value", ""), row.get("scale", "")) is None:
            continue
        key, period = spec.key(row), period_of(row, stock_day)
        if key is None or period is None or not row.get("unit"):
            continue
        groups.setdefault((*key, row["unit"], *period), []).append(row)
    return groups


def derive(package: Package, spec: Spec, header: list[str], stock_day: str | None = None) -> list[list[str]]:
    """The derived table's rows as text cells in `header` order (the schema's fields)."""
    sources = sources_by_id(package)
    prefers = prefer_decisions(package, spec.table)
    out = []
    for key, group in _series_rows(package, spec, stock_day).items():
        choice = choose(group, spec.id_field, sources, prefers)
        row = choice.row
        stated = []
        for r in choice.candidates:
            for cell in ("value", "value_high"):
                v = amounts.base_units(r.get(cell, ""), r.get("scale", ""))
                if v is not None:
                    stated.append(v)
        *series_key, unit, start, end = key
        cells = dict(zip(spec_key_names(spec, header), series_key))
        cells.update({
            "unit": unit, "period_start": start.isoformat(), "period_end": end.isoformat(),
            "period_label": period_label(start, end),
            "value": amounts.spell(amounts.base_units(row["value"], row["scale"])),
            "value_high": amounts.spell(amounts.base_units(row.get("value_high", ""), row["scale"])),
            "qualifier": row.get("qualifier", ""),
            "derived": "true" if row.get("derived", "").lower() == "true" else "false",
            spec.preferred_field: row[spec.id_field], "preferred_by": choice.by,
            "source_id": row.get("source_id", ""), "n_statements": str(len(choice.candidates)),
            "low": amounts.spell(min(stated)), "high": amounts.spell(max(stated)),
        })
        for name in spec.carried:
            cells[name] = row.get(name, "")
        out.append([cells.get(name, "") for name in header])
    return out


def spec_key_names(spec: Spec, header: list[str]) -> list[str]:
    """The key columns, in header order: the fields before `unit`."""
    return header[: header.index("unit")]
