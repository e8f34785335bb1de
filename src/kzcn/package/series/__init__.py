"""Derived tables: analysis-ready series computed from the curated tables, never curated by hand.

`trade_series` (from trade_volumes) and `indicator_series` (from indicators) hold one preferred
figure per series and period, in base units, with the spread of the statements behind it
(derive, choose). Their columns are defined once, in schemas/<name>.schema.yaml (marked
`derived: true`), like every curated table's. The release writes them as CSVs
(derived/<name>.csv) listed in its datapackage.json; in a source package (a checkout, the
wheel's copy) they are computed on reading, from the same inputs by the same function, so
`kzcn.load("trade_series")` equals the released table of that commit.

Lives in kzcn.package because `kzcn.load` needs it and may import nothing else.
"""
from __future__ import annotations

from .derive import Spec, derive

FOLDER = "derived"
SPECS = {
    "trade_series": Spec(
        name="trade_series", table="trade_volumes", id_field="trade_id", preferred_field="preferred_trade_id",
        key=lambda r: (r.get("reporter_basis", ""), r.get("reporter_scope", ""), r.get("partner_scope", ""),
                       r.get("flow", ""), r.get("commodity_group", ""))
        if all(r.get(k) for k in ("reporter_basis", "reporter_scope", "partner_scope", "flow", "commodity_group"))
        else None),
    "indicator_series": Spec(
        name="indicator_series", table="indicators", id_field="indicator_id",
        preferred_field="preferred_indicator_id",
        key=lambda r: (r.get("indicator", ""), r.get("kz_subdivision") or "KZ", r.get("cn_subdivision") or "CN")
        if r.get("indicator") else None,
        carried=("topic", "subject")),
}
STOCK_DAY = {"indicator_series": "as_of"}  # a stock counted on a day is a one-day period


def schema_path(name: str) -> str:
    return f"schemas/{name}.schema.yaml"


def derivable(package) -> list[str]:
    """Derived tables this package can compute and does not already list (a release lists them)."""
    listed = set(package.table_names)
    return [name for name, spec in SPECS.items()
            if name not in listed and spec.table in listed and (package.root / schema_path(name)).is_file()]


def derived_resource(package, name: str):
    """A Resource for a derived table of a source package: its schema, and a path that holds no file."""
    from ..descriptor import Resource, read_structured
    from ..paths import contain

    schema = read_structured(contain(package.root, schema_path(name), f"{name} schema", package.trusted))
    rel = f"{FOLDER}/{name}.csv"
    return Resource(name=name, path=package.root / rel, relpath=rel, schema=schema,
                    descriptor={"name": name, "path": rel, "schema": schema_path(name), "derived": True,
                                "computed": True})


def derived_rows(package, resource) -> tuple[list[str], list[list[str]]]:
    """The derived table's header and rows as text, in no particular order (callers sort by key)."""
    header = resource.field_names
    return header, derive(package, SPECS[resource.name], header, STOCK_DAY.get(resource.name))
