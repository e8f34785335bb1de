"""The derived tables of a release (trade_series, indicator_series): computed, then checked.

kzcn.package.series computes them from the curated tables and validation/resolutions.yaml;
here each becomes a canonical CSV under derived/ (csvnorm: sorted by primary key, one byte
form), and is validated against its own Table Schema (layers 1 and 2, the same checks a
curated table gets) before it may enter the build: a derived table that breaks its schema is
a bug in the derivation, and a release must not carry it.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from . import csvnorm
from ..errors import DataError


@dataclass(frozen=True)
class DerivedTable:
    name: str
    relpath: str
    schema: dict
    data: bytes
    rows: int
    derived_from: tuple[str, ...]


def compute(package, check_schema: bool = True) -> list[DerivedTable]:
    """Every derived table the package can compute, as canonical CSV bytes, checked against its
    schema when `check_schema` (the build asks for it when the data validated: from invalid data
    a derived table may be invalid too, and `kzcn release` refuses that build anyway)."""
    from ..package.series import derivable, derived_resource, derived_rows

    out = []
    for name in derivable(package):
        resource = derived_resource(package, name)
        header, rows = derived_rows(package, resource)
        table = csvnorm.Table(header=header, rows=rows)
        data = csvnorm.to_bytes(header, csvnorm.sort_rows(table, resource.schema))
        if check_schema:
            check(resource, data)
        schema = {k: v for k, v in resource.schema.items() if k not in ("derived", "derivedFrom")}
        out.append(DerivedTable(name=name, relpath=resource.relpath, schema=schema, data=data, rows=len(rows),
                                derived_from=tuple(resource.schema.get("derivedFrom") or ())))
    return out


def check(resource, data: bytes) -> None:
    """Layers 1 and 2 on the derived CSV; any error stops the build, naming line and field."""
    from ..validate.findings import ERROR
    from ..validate.table import check_table

    with tempfile.TemporaryDirectory(prefix="kzcn-derived-") as tmp:
        path = Path(tmp) / Path(resource.relpath).name
        path.write_bytes(data)
        _table, findings, _stats = check_table(replace(resource, path=path))
    errors = [f for f in findings if getattr(f, "severity", ERROR) == ERROR]
    if errors:
        shown = "; ".join(f"line {f.line} field {f.field}: {f.code}: {f.message}" for f in errors[:5])
        raise DataError(f"{resource.relpath} (derived table) does not match its schema "
                        f"{resource.descriptor.get('schema')}: {shown}")
