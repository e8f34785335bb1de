"""Typed loading into pandas: `kzcn.load("trade_volumes")` and `kzcn.load_package()`.

Types come from the Table Schema alone (never inference): dates are datetime64, enums are
Categoricals with the schema's categories in order (ordered where the field says
`categoriesOrdered: true`), integers nullable Int64, text the string dtype, columns in schema
order, rows in primary-key order, as the release writes them (kzcn.package.order). A bad cell
stops the load with the file, line and field.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .dtypes import cast_column, enum_of
from ..errors import DataError
from .descriptor import Package, Resource, open_shipped
from .order import sorted_positions

MAX_LISTED = 5


def _package(version, root) -> Package:
    if version is not None:
        from .download import fetch_release  # only when a published version is asked for

        root = fetch_release(version)
    return open_shipped(root)  # the shipped dataset unless a root or version says otherwise


def resource_of(package: Package, name: str) -> Resource:
    """A table of the package, or a derived table (kzcn.package.series) computed from it."""
    if name not in package.table_names:
        from .series import derivable, derived_resource

        if name in derivable(package):
            return derived_resource(package, name)
        from ..errors import UnknownTableError, did_you_mean

        known = package.table_names + derivable(package)
        raise UnknownTableError(f"unknown table {name!r}{did_you_mean(name, known)}; "
                                f"the tables are: {', '.join(known)}")
    return package.resource(name)


def resources_of(package: Package) -> list[Resource]:
    """Every table in descriptor order, then the derived tables the package does not list."""
    from .series import derivable, derived_resource

    return list(package.resources) + [derived_resource(package, n) for n in derivable(package)]


def _computed_raw(package: Package, resource: Resource) -> pd.DataFrame:
    """A derived table's cells, after its inputs load cleanly: a bad cell in trade_volumes stops
    load("trade_series") with that file, line and field, as load("trade_volumes") would."""
    from .series import SPECS, derived_rows

    for name in (SPECS[resource.name].table, "sources"):
        if name in package.table_names:
            typed_frame(package.resource(name), read_raw(package.resource(name)))
    header, rows = derived_rows(package, resource)
    return pd.DataFrame(rows, columns=header, dtype=object).astype(str) if rows else \
        pd.DataFrame({h: pd.Series([], dtype=object) for h in header})


def read_raw(resource: Resource) -> pd.DataFrame:
    """Read a CSV as strings exactly as written (no NA guessing), header checked against the schema."""
    if resource.refused:
        raise DataError(resource.refused)
    fmt = str(resource.descriptor.get("format") or "").lower()
    if resource.inline or fmt == "parquet" or (not fmt and resource.relpath.lower().endswith(".parquet")):
        kind = "inline data" if resource.inline else "a Parquet file"
        raise DataError(f"table {resource.name}: its rows are {kind}; kzcn.load reads CSV files only "
                        f"(`kzcn validate` checks it)")
    files = list(resource.parts) or [(resource.relpath, resource.path)]
    frames = []
    for k, (rel, path) in enumerate(files):  # several files: one table, the header in the first only
        try:
            frames.append(pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8",
                                      **({} if k == 0 else {"header": None, "names": list(frames[0].columns)})))
        except FileNotFoundError:
            raise DataError(f"{rel}: file not found (table {resource.name})") from None
        except pd.errors.EmptyDataError:
            if k == 0:
                raise DataError(f"{rel}: the file is empty (table {resource.name})") from None
        except (UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise DataError(f"{rel}: cannot be read as UTF-8 CSV: {str(exc).splitlines()[0]}; "
                            f"run `kzcn validate` for the exact lines") from None
    raw = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    if len(frames) > 1:  # where each file's rows start, for messages that name the file and its line
        raw.attrs["parts"] = [(rel, len(f), 2 if k == 0 else 1) for k, ((rel, _), f) in enumerate(zip(files, frames))]
    expected = resource.field_names
    if list(raw.columns) != expected:
        raise DataError(f"{resource.relpath}: header {list(raw.columns)} does not match the schema's fields {expected}")
    return raw


def _place(raw: pd.DataFrame, pos: int) -> str:
    """The line of data row `pos` ("line 5"), in its own file when the table has several ("b.csv line 2")."""
    parts = raw.attrs.get("parts")
    if not parts:
        return f"line {pos + 2}"
    for rel, rows, first in parts:
        if pos < rows:
            return f"{rel} line {pos + first}"
        pos -= rows
    return f"line {pos + 2}"


def typed_frame(resource: Resource, raw: pd.DataFrame) -> pd.DataFrame:
    """Cast every column; gather every bad cell before failing so the message is complete."""
    missing_values = resource.schema.get("missingValues", [""])
    problems: list[str] = []
    columns = {}
    for field in resource.schema.get("fields", []):
        name = field["name"]
        values, failures = cast_column(raw[name], field, missing_values)
        for f in failures:
            problems.append(f"{_place(raw, f.position)} field {name}: {f.raw!r} is not a {field.get('type')}")
        enum = enum_of(field)
        if enum is not None:
            col = raw[name]
            bad = ~col.isin(list(enum)) & ~col.isin(missing_values)
            for pos in bad.to_numpy().nonzero()[0]:
                problems.append(f"{_place(raw, pos)} field {name}: {col.iloc[pos]!r} is not one of {list(enum)}")
        columns[name] = values
    if problems:
        shown = "; ".join(problems[:MAX_LISTED])
        more = f" (and {len(problems) - MAX_LISTED} more)" if len(problems) > MAX_LISTED else ""
        where = f"table {resource.name}" if raw.attrs.get("parts") else resource.relpath
        raise DataError(f"{where}: {shown}{more}; run `kzcn validate` for the full report")
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(raw)))
    frame.attrs.update({
        "name": resource.name,
        "title": resource.schema.get("title", resource.descriptor.get("title")),
        "description": resource.schema.get("description", resource.descriptor.get("description")),
        "path": resource.relpath,
        "primary_key": resource.primary_key,
        "fields": {f["name"]: {k: f[k] for k in ("title", "description", "type") if k in f}
                   for f in resource.schema.get("fields", [])},
    })
    return frame


def load_resource(resource: Resource, version: str | None = None, package: Package | None = None) -> pd.DataFrame:
    computed = package is not None and resource.descriptor.get("computed")
    raw = _computed_raw(package, resource) if computed else read_raw(resource)
    frame = typed_frame(resource, raw)  # cast first, so messages give the file's own lines
    order = sorted_positions(raw.to_numpy().tolist(), list(raw.columns), resource.schema)
    if order != list(range(len(raw))):
        attrs = frame.attrs
        frame = frame.iloc[order].reset_index(drop=True)
        frame.attrs = attrs
    frame.attrs["version"] = version
    return frame


def load(name: str, version: str | None = None, root: str | Path | None = None) -> pd.DataFrame:
    """One table as a typed DataFrame; `version=None` is the data shipped with the code.

    The current folder plays no part (a researcher wants the dataset they installed, wherever
    their notebook is); `root` reads another package instead.
    """
    package = _package(version, root)
    frame = load_resource(resource_of(package, name), package.version, package)
    frame.attrs["licenses"] = package.descriptor.get("licenses", [])
    return frame


def load_package(version: str | None = None, root: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Every table, in descriptor order, then the derived ones; the same package as load() reads."""
    package = _package(version, root)
    return {r.name: load_resource(r, package.version, package) for r in resources_of(package)}
