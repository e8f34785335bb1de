"""One row order everywhere: by primary key, numbers as numbers, ties in file order.

The release writes every table sorted this way (kzcn.release.csvnorm), so `kzcn.load(name)`
sorts the same way: a frame loaded from the curated files and one loaded from the release
made at that commit are equal, row for row.
"""
from __future__ import annotations

NUMERIC_TYPES = ("integer", "number", "year")


def key_part(value: str, numeric: bool):
    """Sort numbers as numbers and text as text; blanks last, unparseable numbers after numbers."""
    if value == "":
        return (2, 0.0, "")
    if numeric:
        try:
            return (0, float(value), value)
        except ValueError:
            return (1, 0.0, value)
    return (0, 0.0, value)


def primary_key_columns(header: list[str], schema: dict) -> list[tuple[int, bool]]:
    """(column index, numeric?) of each primary-key field present in `header`."""
    pk = schema.get("primaryKey") or []
    pk = [pk] if isinstance(pk, str) else list(pk)
    types = {f.get("name"): f.get("type", "string") for f in schema.get("fields", []) if isinstance(f, dict)}
    return [(header.index(name), types.get(name) in NUMERIC_TYPES) for name in pk if name in header]


def sorted_positions(rows: list[list[str]], header: list[str], schema: dict) -> list[int]:
    """Positions of `rows` in primary-key order (stable); no primary key -> file order."""
    idx = primary_key_columns(header, schema)
    if not idx:
        return list(range(len(rows)))

    def key(pos):
        row = rows[pos]
        return tuple(key_part(row[i] if i < len(row) else "", numeric) for i, numeric in idx)

    return sorted(range(len(rows)), key=key)
