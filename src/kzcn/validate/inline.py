"""Rows inside the descriptor (`data:`), checked like a CSV file's: schema, keys, foreign keys.

The Data Package spec allows a resource's rows inline: an array of arrays whose first row is the
header, or an array of objects keyed by field name. Both become the same rows of text that a
CSV file gives layer 2, so a type, constraint or key means the same; foreign keys run to and
from them like any table.

A JSON (or YAML) value is already typed, which a CSV cell never is. As frictionless reads it: a
`string` field takes strings only (5 in a string field is a type-error), an integer field takes
a whole float (3.0), and `true`/`false` are a boolean field's values whatever its `trueValues`.
Objects are read by the schema's field names (a key no field names is not read, a field with no
key is null), as frictionless reads them; without a schema, by the keys in order of appearance.

There is no file line to name: findings carry the descriptor as their path, no line, and the
row as `data[i]` in the message; `row` is frictionless's rowNumber (arrays: i + 1, the header
being data[0]; objects: i + 2).
"""
from __future__ import annotations

import datetime
import json

from . import catalogue as cat
from .table import _where, check_parsed


def _text(value, fdef: dict | None):
    """A JSON value as the cell text a CSV would hold for it, and whether the type refuses it."""
    kind = (fdef or {}).get("type", "any") if fdef else "any"
    if value is None:
        return None, False
    if isinstance(value, str):
        return value, False
    if kind == "string":  # frictionless: a string field takes strings only
        return (json.dumps(value, default=str) if isinstance(value, (dict, list)) else str(value)), True
    if isinstance(value, bool):
        if kind == "boolean":
            values = fdef.get("trueValues" if value else "falseValues") or ["true" if value else "false"]
            return str(values[0]), False
        return ("true" if value else "false"), False
    if isinstance(value, float):
        return (str(int(value)) if kind == "integer" and value.is_integer() else repr(value)), False
    if isinstance(value, int):
        return str(value), False
    if isinstance(value, (datetime.date, datetime.time)):  # YAML reads 2023-01-01 as a date
        return value.isoformat(), False
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str), False
    return str(value), False


def _refuse(res, where, stats, findings, detail):
    findings.append(cat.make("source-error", **where, detail=f"resource {res.name!r} data: {detail}"))
    return None, findings, stats


def check_inline(res):
    """Layers 1 and 2 (except foreign keys) on a resource whose rows are in its descriptor."""
    import numpy as np
    import pyarrow as pa

    from ..package.limits import current
    from .locate import Inline
    from .structure.parsed import ParsedCsv

    where = _where(res)
    stats = {"path": res.relpath, "rows": 0, "inline": True}
    findings = [cat.make("schema-error", **where, detail=p) for p in res.problems]
    data = res.descriptor.get("data")
    if not isinstance(data, list):
        return _refuse(res, where, stats, findings, f"must be a list of rows (arrays or objects), found "
                       f"{'null' if data is None else type(data).__name__}")
    if not data:
        return _refuse(res, where, stats, findings, "is empty: no header and no rows")
    objects = isinstance(data[0], dict)
    for i, item in enumerate(data):
        if not isinstance(item, dict if objects else list):
            return _refuse(res, where, stats, findings, (
                f"data[{i}] is {'null' if item is None else type(item).__name__}, but data[0] is "
                f"{'an object' if objects else 'an array'}: the rows are all arrays or all objects"))
    limits = current()
    if len(data) > limits.lines:
        return _refuse(res, where, stats, findings, f"{len(data):,} rows, over the limit of {limits.lines:,} "
                       f"(raise it with --max-lines)")
    schema = res.schema if isinstance(res.schema, dict) else {}
    fields = [f for f in (schema.get("fields") or []) if isinstance(f, dict) and isinstance(f.get("name"), str)]
    if objects:
        keys = [f["name"] for f in fields] or list(dict.fromkeys(k for item in data for k in item))
        rows = [[item.get(k) for k in keys] for item in data]
        labels = [k if isinstance(k, str) else str(k) for k in keys]  # YAML keys may be numbers
        first, row_of = 2, 2
    else:
        labels = ["" if c is None else c if isinstance(c, str) else str(c) for c in data[0]]
        rows, first, row_of = data[1:], 1, 2
    width = len(labels)
    if width > limits.fields:
        return _refuse(res, where, stats, findings, f"the header has {width:,} fields, over the limit of "
                       f"{limits.fields:,} (raise it with --max-fields)")
    by_position = fields if not objects or fields else []
    texts = [[None] * len(rows) for _ in range(width)]
    extras: dict = {}
    for j, row in enumerate(rows):
        for i, value in enumerate(row):
            fdef = by_position[i] if i < len(by_position) else None
            text, refused = _text(value, fdef)
            if i < width:
                texts[i][j] = text
            else:
                extras.setdefault(j, []).append("" if text is None else text)
            if refused:
                findings.append(cat.make("type-error", line=j + row_of, row=j + row_of, field=fdef["name"],
                                         field_number=i + 1, cell=value, expected=(
                                             f"text: field {fdef['name']!r} is a string field, and a JSON "
                                             f"{type(value).__name__} is not a string"), **where))
    numbers = np.arange(row_of, row_of + len(rows), dtype=np.int64)
    parsed = ParsedCsv(labels=labels, width=width, columns=[pa.array(t, pa.string()) for t in texts],
                       row_numbers=numbers, lines=numbers.copy(),
                       cell_counts=np.array([len(r) for r in rows], dtype=np.int64) if not objects
                       else np.full(len(rows), width, dtype=np.int64),
                       extras=extras, path_taken="inline", total_lines=len(data) + 1)
    parsed.locate = Inline(path=res.relpath, first=first)
    stats.update(rows=parsed.n_rows, fields=width)
    refused = {(f.row, f.field) for f in findings if f.code == "type-error"}
    check, findings, stats = check_parsed(res, parsed, findings, stats)
    if refused:  # a cell that is not of its type has no constraints to break (frictionless: the same)
        findings = [f for f in findings if not (f.code == "constraint-error" and (getattr(f, "row", None), f.field) in refused)]
    return check, findings, stats
