"""The shape of a Table Schema and a resource, checked once where they are read.

A descriptor comes from a pull request, so `primaryKey: 5`, `constraints: "required"` or
`missingValues: 5` must be a schema-error naming the property, never a TypeError three layers
further in. `clean_schema` and `clean_resource` check the type of every property the tools read
and drop a property of the wrong type (the check it drives is then skipped), returning the
problems in words. A well-formed schema comes back as the very same object, so what is
built and released from it does not change by a byte.
"""
from __future__ import annotations

TEXT, FLAG, WHOLE, LIST, MAPPING, SCALAR = "text", "true or false", "a whole number", "a list", "a mapping", "a value"

CONSTRAINTS = {"required": FLAG, "unique": FLAG, "enum": LIST, "minLength": WHOLE, "maxLength": WHOLE,
               "pattern": TEXT, "minimum": SCALAR, "maximum": SCALAR, "exclusiveMinimum": SCALAR,
               "exclusiveMaximum": SCALAR, "jsonSchema": MAPPING}
FIELD = {"name": TEXT, "type": TEXT, "format": TEXT, "title": TEXT, "description": TEXT, "constraints": MAPPING,
         "missingValues": "a list of texts", "trueValues": "a list of texts", "falseValues": "a list of texts",
         "decimalChar": TEXT, "groupChar": TEXT, "bareNumber": FLAG, "categories": LIST}
SCHEMA = {"fields": LIST, "primaryKey": "a field name or a list of them", "foreignKeys": LIST,
          "missingValues": "a list of texts", "title": TEXT, "description": TEXT}
RESOURCE = {"encoding": TEXT, "format": TEXT, "compression": TEXT, "hash": TEXT, "bytes": WHOLE, "rows": WHOLE,
            "fields": WHOLE, "title": TEXT, "description": TEXT, "mediatype": TEXT}


def _is(value, kind: str) -> bool:
    if kind == TEXT:
        return isinstance(value, str)
    if kind == FLAG:
        return isinstance(value, bool)
    if kind == WHOLE:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == LIST:
        return isinstance(value, list)
    if kind == MAPPING:
        return isinstance(value, dict)
    if kind == SCALAR:
        return isinstance(value, (str, int, float)) and not isinstance(value, bool)
    if kind == "a list of texts":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "a field name or a list of them":
        return isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
    return True


def _typename(value) -> str:
    return "null" if value is None else type(value).__name__


def _checked(obj: dict, spec: dict, where: str, problems: list) -> dict:
    """`obj` without the properties of the wrong type (the same object if none is)."""
    bad = [k for k, kind in spec.items() if k in obj and not _is(obj[k], kind)]
    for k in bad:
        problems.append(f"{where}{k} must be {spec[k]}, found {_typename(obj[k])}; ignored")
    return {k: v for k, v in obj.items() if k not in bad} if bad else obj


def _field(f, i: int, problems: list):
    if not isinstance(f, dict):
        problems.append(f"field {i} must be a mapping, found {_typename(f)}; ignored")
        return None
    name = f.get("name")
    if not isinstance(name, str) or not name:
        problems.append(f"field {i} has no name (found {_typename(name)}); ignored")
        return None
    out = _checked(f, FIELD, f"field {name!r}: ", problems)
    cons = out.get("constraints")
    if isinstance(cons, dict):
        checked = _checked(cons, CONSTRAINTS, f"field {name!r}: constraint ", problems)
        if checked is not cons:
            out = {**out, "constraints": checked}
    return out


def _foreign_key(fk, i: int, problems: list) -> bool:
    names = "a field name or a list of them"
    ref = fk.get("reference") if isinstance(fk, dict) else None
    ok = (isinstance(fk, dict) and _is(fk.get("fields"), names) and isinstance(ref, dict)
          and _is(ref.get("fields"), names) and isinstance(ref.get("resource", ""), str))
    if not ok:
        problems.append(f"foreignKeys item {i} must be a mapping with fields and a reference "
                        f"{{resource, fields}} (texts or lists of texts); ignored")
    return ok


def clean_schema(schema) -> tuple[dict, list[str]]:
    """(the schema with every property of the wrong type dropped, the problems in words)."""
    problems: list[str] = []
    if not isinstance(schema, dict):
        return {"fields": []}, [f"the schema must be a mapping, found {_typename(schema)}"]
    out = _checked(schema, SCHEMA, "", problems)
    fields = out.get("fields")
    if isinstance(fields, list):
        cleaned = [_field(f, i, problems) for i, f in enumerate(fields, start=1)]
        if any(c is None or c is not f for c, f in zip(cleaned, fields)):
            out = {**out, "fields": [c for c in cleaned if c is not None]}
    fks = out.get("foreignKeys")
    if isinstance(fks, list):
        kept = [fk for i, fk in enumerate(fks, start=1) if _foreign_key(fk, i, problems)]
        if len(kept) != len(fks):
            out = {**out, "foreignKeys": kept}
    return out, problems


def clean_resource(res: dict) -> tuple[dict, list[str]]:
    """(the resource descriptor without properties of the wrong type, the problems in words)."""
    problems: list[str] = []
    return _checked(res, RESOURCE, "resource property ", problems), problems
