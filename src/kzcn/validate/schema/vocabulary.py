"""The Table Schema words layer 2 knows: which constraints apply to which field type.

Kept apart because two modules read the same table: problems.py reports a constraint the type
does not support (once, as a schema-error) and field.py then skips it, so the two must agree.
`as_list` reads the descriptor properties that may be one name or a list (primaryKey,
foreign key fields).
"""
from __future__ import annotations

SUPPORTED = {
    "string": {"required", "unique", "pattern", "enum", "minLength", "maxLength"},
    "integer": {"required", "unique", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"},
    "number": {"required", "unique", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"},
    "date": {"required", "unique", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"},
    "datetime": {"required", "unique", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"},
    "year": {"required", "unique", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"},
    "boolean": {"required", "enum"},
}
ALL_CONSTRAINTS = {"required", "unique", "pattern", "enum", "minLength", "maxLength", "minimum", "maximum",
                   "exclusiveMinimum", "exclusiveMaximum", "jsonSchema"}
LENGTH_TYPES = {"string", "array", "object", "list", "geojson"}


def allowed_constraints(t: str) -> set:
    """The constraints checked on a field of type `t` (an unlisted type gets the generic ones)."""
    return SUPPORTED.get(t, {"required", "unique", "enum", "minLength", "maxLength"})


def as_list(v) -> list:
    if v is None:
        return []
    return [v] if isinstance(v, str) else list(v)
