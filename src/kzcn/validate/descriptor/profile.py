"""The descriptor against its official profile: findings with frictionless's codes and a JSON pointer.

The package descriptor is checked against the package profile it declares (kzcn.package.profiles)
with each resource's `schema` set aside, and every schema (inline, or the file it names) against
the Table Schema profile of the same version, so a fault inside a schema is reported once,
with the pointer into the file that holds it. Whether a descriptor conforms is decided by
kzcn.package.schemacheck (fast to import); only when it does not is `jsonschema` imported to
find and word the errors.

The code follows where the faulty property sits, as frictionless reports it: in a field of a
schema `field-error`, elsewhere in a schema `schema-error`, in a resource `resource-error`,
else `package-error`. A `oneOf`/`anyOf` failure (a field must be one of fifteen typed shapes)
is worded from the branch that fits best: the one whose `type` matches, else the one with the
fewest faults; a field whose type matches no branch is "field type X is not supported".
"""
from __future__ import annotations

from .. import catalogue as cat

PLACEHOLDER = "schema.json"  # stands for a resource's schema while the package profile is checked


def _pointer(parts) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _validator(schema: dict, draft4: bool):
    from jsonschema import Draft4Validator, Draft7Validator

    return (Draft4Validator if draft4 else Draft7Validator)(schema)


def _branches(error) -> dict:
    out: dict = {}
    for sub in error.context or ():
        out.setdefault(sub.relative_schema_path[0], []).append(sub)
    return out


def _type_miss(errors, depth: int) -> bool:
    """Whether a branch fails on the instance's own `type` property (a field of another type)."""
    return any(e.validator == "enum" and len(e.absolute_path) == depth + 1 and e.absolute_path[-1] == "type"
               for e in errors)


def _leaves(error) -> list[tuple[tuple, str]]:
    """(path, message) of the faults to report for one jsonschema error."""
    if error.validator not in ("oneOf", "anyOf") or not error.context:
        return [(tuple(error.absolute_path), error.message)]
    depth = len(error.absolute_path)
    branches = _branches(error)
    instance = error.instance
    if (isinstance(instance, dict) and isinstance(instance.get("type"), str)
            and all(_type_miss(errs, depth) for errs in branches.values())
            and any(_type_miss(errs, depth) for errs in branches.values())):
        return [(tuple(error.absolute_path) + ("type",), f"field type {instance['type']!r} is not supported")]
    fits = [errs for errs in branches.values() if not _type_miss(errs, depth)] or list(branches.values())
    fewest = min(len(errs) for errs in fits)
    best = [errs for errs in fits if len(errs) == fewest]
    if len(best) > 1 and all(e.validator == "required" for errs in best for e in errs):
        needs = " or ".join(" and ".join(repr(n) for n in _missing(errs)) for errs in best)
        return [(tuple(error.absolute_path), f"{_short(instance)} needs {needs}")]
    if len(best) > 1 and all(len(errs) == 1 and errs[0].validator == "type" and errs[0].path == best[0][0].path
                             for errs in best):
        kinds = " or ".join(repr(errs[0].validator_value) for errs in best)
        return [(tuple(best[0][0].absolute_path), f"{_short(best[0][0].instance)} is not of type {kinds}")]
    out = []
    for sub in best[0]:
        out += _leaves(sub)
    return out


def _missing(errors) -> list[str]:
    return [e.message.split("'")[1] if e.message.count("'") >= 2 else e.message for e in errors]


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _code(parts: tuple, in_schema: bool, document=None) -> str:
    """frictionless's code for a fault at `parts` (relative to the package, or to a schema): an item
    of `resources` that is not even a mapping is the package's fault, not a resource's."""
    if in_schema:
        return "field-error" if len(parts) >= 2 and parts[0] == "fields" else "schema-error"
    if len(parts) >= 2 and parts[0] == "resources":
        item = _at(document, parts[:2])
        return "resource-error" if isinstance(item, dict) or document is None else "package-error"
    return "package-error"


def _at(document, parts: tuple):
    for p in parts:
        try:
            document = document[p]
        except (KeyError, IndexError, TypeError):
            return None
    return document


def errors(instance, schema: dict, draft4: bool) -> list[tuple[tuple, str]]:
    """Every fault of `instance` under `schema`, as (path, message), in document order."""
    found = []
    raw = list(_validator(schema, draft4).iter_errors(instance))
    mistyped = {tuple(e.absolute_path) for e in raw if e.validator == "type"}
    for error in raw:  # a value of the wrong type: what else fails at the same place follows from it
        if error.validator != "type" and tuple(error.absolute_path) in mistyped:
            continue
        found += _leaves(error)
    return sorted(found, key=lambda pm: [str(p) for p in pm[0]])


def conforms(instance, schema: dict, draft4: bool) -> bool:
    from ...package.schemacheck import Unsupported, conforms as fast

    try:
        return fast(instance, schema, draft4)
    except Unsupported:  # a keyword the fast evaluator does not know: ask jsonschema
        return not any(True for _ in _validator(schema, draft4).iter_errors(instance))


def package_findings(package, chosen, relpath: str) -> list:
    """The package descriptor (schemas set aside) against its package profile."""
    from ...package.profiles import load

    descriptor = package.descriptor
    resources = descriptor.get("resources")
    if isinstance(resources, list):
        resources = [({**r, "schema": PLACEHOLDER} if isinstance(r, dict) and isinstance(r.get("schema"), (dict, str))
                      else r) for r in resources]
        descriptor = {**descriptor, "resources": resources}
    profile = load(chosen.package)
    if conforms(descriptor, profile, chosen.draft4):
        return []
    out = []
    for parts, message in errors(descriptor, profile, chosen.draft4):
        if package.trusted and len(parts) >= 3 and parts[0] == "resources" and parts[2] == "path":
            continue  # --trusted: paths out of the package (.., absolute) are the person's own choice
        code = _code(parts, False, descriptor)
        resource = _resource_name(package, parts) if code == "resource-error" else None
        out.append(cat.make(code, resource=resource, path=relpath, pointer=_pointer(parts),
                            detail=f"{message} at {_pointer(parts) or '/'}"))
    return out


def schema_findings(package, chosen, relpath: str) -> list:
    """Each resource's schema against the Table Schema profile, pointers into the file holding it."""
    from ...package.profiles import load

    profile = load(chosen.schema)
    out = []
    listed = package.descriptor.get("resources")
    for i, res in zip(_positions(package), package.resources):
        raw = res.raw_schema
        if not isinstance(raw, dict) or conforms(raw, profile, chosen.draft4):
            continue
        ref = listed[i].get("schema")
        inline = not isinstance(ref, str)
        prefix = ("resources", i, "schema") if inline else ()
        for parts, message in errors(raw, profile, chosen.draft4):
            code = _code(parts, True)
            field = _field_name(raw, parts) if code == "field-error" else None
            number = parts[1] + 1 if code == "field-error" and isinstance(parts[1], int) else None
            pointer = _pointer(prefix + parts)
            out.append(cat.make(code, resource=res.name, path=relpath if inline else ref, field=field,
                                field_number=number, pointer=pointer, detail=f"{message} at {pointer or '/'}"))
    return out


def _positions(package) -> list[int]:
    """The index in the descriptor's `resources` of each resource read (non-mappings are skipped)."""
    listed = package.descriptor.get("resources")
    return [j for j, r in enumerate(listed) if isinstance(r, dict)] if isinstance(listed, list) else []


def _resource_name(package, parts: tuple) -> str | None:
    by_index = dict(zip(_positions(package), package.resources))
    res = by_index.get(parts[1])
    return res.name if res is not None else None


def _field_name(schema: dict, parts: tuple) -> str | None:
    fields = schema.get("fields")
    i = parts[1]
    if isinstance(fields, list) and isinstance(i, int) and i < len(fields) and isinstance(fields[i], dict):
        name = fields[i].get("name")
        return name if isinstance(name, str) else None
    return None
