"""The frames the quality report looks at: every table read as far as it can be, never refused.

`kzcn.load` stops at the first bad cell, which is right for a researcher and wrong for a report
whose job is to show what is broken. Here a CSV is read with the csv module (so each row keeps
the line an editor shows, even after a quoted cell that spans lines), then each column the
schema knows is cast cell by cell with kzcn.package.dtypes: a cell that is not of its type becomes
missing (the validator reports it), enum columns stay plain text so that a value outside the
set reaches the expectation that should catch it. The index is the line number.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field

import pandas as pd

from ..errors import DataError
from ..package.dtypes import cast_column, enum_of
from ..package.descriptor import Resource


@dataclass
class TableRead:
    """One table as the report sees it; `frame` is None only when the file could not be read."""

    name: str
    path: str
    frame: pd.DataFrame | None
    header: list[str] = field(default_factory=list)
    problem: str | None = None

    @property
    def rows(self) -> int:
        return 0 if self.frame is None else len(self.frame)


def read_lines(resource: Resource) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, rows and the line each row starts on (1-based, as an editor counts)."""
    import io

    from ..package.tablebytes import csv_bytes

    # several files or a compressed one: one CSV's bytes; inline or Parquet: NotCsv (exit 2)
    with io.StringIO(csv_bytes(resource, "kzcn report").decode("utf-8-sig"), newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        rows, lines = [], []
        previous_end = reader.line_num
        for row in reader:
            if row:  # blank rows are the validator's to report
                rows.append(row)
                lines.append(previous_end + 1)
            previous_end = reader.line_num
    return header, rows, lines


def _typed_column(raw: pd.Series, fdef: dict, missing_values) -> pd.Series:
    missing = raw.isin(list(missing_values))
    if fdef.get("type", "string") == "string" or enum_of(fdef) is not None:
        return raw.where(~missing).astype(pd.StringDtype())
    values, _failures = cast_column(raw, fdef, missing_values)
    return values


def header_difference(header: list[str], fields: list[str]) -> str:
    """The header's difference from the schema's fields, short enough for a table cell."""
    missing = [f for f in fields if f not in header]
    extra = [h for h in header if h not in fields]
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing))
    if extra:
        parts.append("not in the schema " + ", ".join(extra))
    if not parts:
        parts.append("columns out of the schema's order" if len(set(header)) == len(header) else "duplicate labels")
    return "header differs from the schema: " + "; ".join(parts)


def read_table(resource: Resource) -> TableRead:
    """Read and type one table for the report; problems become a note, not an exception."""
    if resource.refused:  # outside the package, a FIFO, a device: never opened
        return TableRead(resource.name, resource.relpath, None, problem=resource.refused)
    try:
        header, rows, lines = read_lines(resource)
    except FileNotFoundError:
        return TableRead(resource.name, resource.relpath, None, problem="file not found")
    except DataError as exc:  # missing, corrupt or too big: the validator names it
        return TableRead(resource.name, resource.relpath, None, problem=str(exc))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return TableRead(resource.name, resource.relpath, None, problem=f"cannot be read as UTF-8 CSV: {exc}")
    width = len(header)
    cells = [(r + [""] * width)[:width] for r in rows]
    raw = pd.DataFrame(cells, columns=pd.Index(header), dtype=object) if width else pd.DataFrame(index=range(len(rows)))
    missing_values = resource.schema.get("missingValues", [""])
    if not isinstance(missing_values, list):
        missing_values = [""]
    missing_values = [str(m) for m in missing_values]
    by_name = {f["name"]: f for f in resource.schema.get("fields", []) if isinstance(f, dict) and isinstance(f.get("name"), str)}
    columns = {}
    for i, name in enumerate(header):
        if name in columns:  # a duplicate label: keep the first, the validator names it
            continue
        column = raw.iloc[:, i].astype(str).reset_index(drop=True)
        fdef = by_name.get(name)
        columns[name] = _typed_column(column, fdef, missing_values) if fdef else column.astype(pd.StringDtype())
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(cells)))
    frame.index = pd.Index(lines, name="line")
    problem = None
    if header != resource.field_names:
        problem = header_difference(header, resource.field_names)
    return TableRead(resource.name, resource.relpath, frame, header=header, problem=problem)


def derived_frames(package) -> dict[str, pd.DataFrame]:
    """The derived tables (trade_series, ...) the package can compute, typed like the others.

    Computed by kzcn.package.series from whatever the curated files hold (a row it cannot read
    is left out, never fatal), so the report's charts show exactly what the release will ship."""
    from ..package.series import derivable, derived_resource, derived_rows

    out = {}
    for name in derivable(package):
        resource = derived_resource(package, name)
        header, rows = derived_rows(package, resource)
        raw = pd.DataFrame(rows, columns=pd.Index(header), dtype=object)
        by_name = {f["name"]: f for f in resource.schema.get("fields", [])}
        columns = {h: _typed_column(raw[h].astype(str).reset_index(drop=True), by_name[h], [""]) for h in header}
        frame = pd.DataFrame(columns, index=pd.RangeIndex(len(rows)))
        pk = resource.primary_key
        out[name] = frame.sort_values(pk, kind="stable").reset_index(drop=True) if len(frame) else frame
    return out
