"""Faults in the schema descriptor itself, found before any cell is read.

Its own module because these findings are about the schema, not the data: a field without a
name, an unknown type, a constraint that does not exist or does not apply to its type, a field
named twice, a primaryKey naming no field. Each is reported once, with frictionless's code: a
fault of one field is a `field-error`, of the schema as a whole a `schema-error`; the check it
would have driven is then skipped (field.py reads the same vocabulary to skip it).
"""
from __future__ import annotations

from .. import catalogue as cat
from ...package.cast import KNOWN_TYPES, ftype
from .vocabulary import ALL_CONSTRAINTS, allowed_constraints, as_list


def schema_problems(schema: dict, where: dict) -> list:
    """Faults in the schema itself that make a check impossible (reported, then skipped)."""
    out = []
    names = []
    for i, f in enumerate(schema.get("fields") or [], start=1):
        if not isinstance(f, dict) or not isinstance(f.get("name"), str):
            out.append(cat.make("field-error", field_number=i, **where, detail=f"field {i} of the schema has no name"))
            continue
        names.append(f["name"])
        t = ftype(f)
        if t not in KNOWN_TYPES:
            out.append(cat.make("field-error", field=f["name"], field_number=i, **where,
                                detail=f"field {f['name']!r} has an unknown type {t!r}; its cells are not type-checked"))
        cons = f.get("constraints") or {}
        if not isinstance(cons, dict):
            out.append(cat.make("field-error", field=f["name"], field_number=i, **where,
                                detail=f"field {f['name']!r}: constraints must be a mapping"))
            continue
        allowed = allowed_constraints(t)
        for name in cons:
            if name not in ALL_CONSTRAINTS:
                out.append(cat.make("field-error", field=f["name"], field_number=i, **where,
                                    detail=f"field {f['name']!r}: unknown constraint {name!r} is ignored"))
            elif name not in allowed and name != "jsonSchema":
                out.append(cat.make("field-error", field=f["name"], field_number=i, **where,
                                    detail=f"field {f['name']!r}: constraint {name!r} does not apply to type {t!r}; ignored"))
    from collections import Counter

    dup = sorted(n for n, k in Counter(names).items() if k > 1)  # linear: a schema may have 100,000 fields
    if dup:
        out.append(cat.make("schema-error", **where, detail=f"the schema names fields more than once: {', '.join(dup)}"))
    for key in as_list(schema.get("primaryKey")):
        if key not in names:
            out.append(cat.make("schema-error", **where, detail=f"primaryKey names {key!r}, which is not a field"))
    return out
