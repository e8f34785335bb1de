"""Does a descriptor conform to a JSON Schema profile? A yes/no answer, fast to import and to run.

`kzcn validate` checks every descriptor against the official Data Package profiles
(kzcn.package.profiles). The `jsonschema` library gives the exact errors with their paths, but
importing it costs 0.2-0.9 s here, more than the whole validation of a small package. The
profiles use only a dozen keywords (type, enum, required, properties, items, oneOf, anyOf,
pattern, minItems, minProperties, minimum, uniqueItems; no $ref), so this module evaluates
exactly those and answers whether the descriptor conforms; only a descriptor that does not
conform pays for `jsonschema`, which then words the errors (kzcn.validate.descriptor).

Exactness is the contract: the same verdict as jsonschema's validator of the profile's draft
(tests/conformance/test_descriptor_profiles.py compares them on every case and on mutations).
A keyword this module does not know raises `Unsupported`, so a future profile that uses one
falls back to jsonschema instead of being half-checked. `format` is an annotation here, as in
jsonschema without a format checker.
"""
from __future__ import annotations

import re
from functools import lru_cache

ANNOTATIONS = {"title", "description", "propertyOrder", "examples", "examples:", "context", "options", "$schema",
               "default", "format", "hidden", "notes", "item", "$id", "id", "definitions"}


class Unsupported(ValueError):
    """The profile uses a keyword this evaluator does not implement."""


def _is_type(value, name: str, draft4: bool) -> bool:
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if isinstance(value, bool):
        return False
    if name == "number":
        return isinstance(value, (int, float))
    if name == "integer":
        if isinstance(value, int):
            return True
        return not draft4 and isinstance(value, float) and value.is_integer()
    return False


def equal(a, b) -> bool:
    """JSON equality: 1 == 1.0, but true is not 1; lists and objects compared member by member."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _key(v):
    """A hashable stand-in with JSON equality (a 100,000-value enum must not cost n² comparisons)."""
    if isinstance(v, bool):
        return ("b", v)
    if isinstance(v, (int, float)):
        return ("n", v)  # 1 and 1.0 hash alike, as JSON wants
    if isinstance(v, str) or v is None:
        return ("s", v)
    if isinstance(v, list):
        return ("l", tuple(_key(x) for x in v))
    if isinstance(v, dict):
        return ("d", frozenset((k, _key(x)) for k, x in v.items()))
    return ("o", repr(v))


def _unique(items: list) -> bool:
    return len({_key(v) for v in items}) == len(items)


@lru_cache(maxsize=256)
def _pattern(text: str):
    return re.compile(text)


_DISCRIMINATED: dict = {}


def _candidates(branches: list, value) -> list:
    """The branches of a oneOf/anyOf that `value` can match, judged by its `type` property alone.

    A Table Schema field is one of fifteen shapes, one per type, each with `type: {enum: [...]}`;
    a field whose `type` is not in a branch's enum fails that branch whatever else it holds, so
    only the others are evaluated. Exact: a branch without such an enum is always a candidate."""
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        return branches
    entry = _DISCRIMINATED.get(id(branches))
    if entry is None or entry[0] is not branches:
        table: dict = {}
        always = []
        for i, sub in enumerate(branches):
            enum = ((sub.get("properties") or {}).get("type") or {}).get("enum") if isinstance(sub, dict) else None
            if isinstance(enum, list) and all(isinstance(e, str) for e in enum) and set(sub.get("properties", {})
                                                                                        .get("type", {})) <= {
                    "enum", *ANNOTATIONS}:
                for e in enum:
                    table.setdefault(e, []).append(i)
            else:
                always.append(i)
        entry = (branches, table, always)
        _DISCRIMINATED[id(branches)] = entry
    _, table, always = entry
    picked = sorted(set(table.get(value["type"], ())) | set(always))
    return [branches[i] for i in picked]


def conforms(value, schema: dict, draft4: bool = False) -> bool:
    """Whether `value` is valid under `schema` (see the module docstring for the keywords)."""
    for key, rule in schema.items():
        if key in ANNOTATIONS:
            continue
        if key == "type":
            names = rule if isinstance(rule, list) else [rule]
            if not any(_is_type(value, n, draft4) for n in names):
                return False
        elif key == "enum":
            if not any(equal(value, option) for option in rule):
                return False
        elif key == "required":
            if isinstance(value, dict) and any(k not in value for k in rule):
                return False
        elif key == "properties":
            if isinstance(value, dict):
                for name, sub in rule.items():
                    if name in value and not conforms(value[name], sub, draft4):
                        return False
        elif key == "items":
            if isinstance(value, list):
                if isinstance(rule, list):
                    if not all(conforms(v, s, draft4) for v, s in zip(value, rule)):
                        return False
                elif not all(conforms(v, rule, draft4) for v in value):
                    return False
        elif key == "oneOf":
            if sum(1 for sub in _candidates(rule, value) if conforms(value, sub, draft4)) != 1:
                return False
        elif key == "anyOf":
            if not any(conforms(value, sub, draft4) for sub in _candidates(rule, value)):
                return False
        elif key == "pattern":
            if isinstance(value, str) and not _pattern(rule).search(value):
                return False
        elif key == "minItems":
            if isinstance(value, list) and len(value) < rule:
                return False
        elif key == "minProperties":
            if isinstance(value, dict) and len(value) < rule:
                return False
        elif key == "minimum":
            if _is_type(value, "number", draft4) and value < rule:
                return False
        elif key == "uniqueItems":
            if rule and isinstance(value, list) and not _unique(value):
                return False
        else:
            raise Unsupported(key)
    return True
