"""Foreign keys across tables: `foreign-key` findings and the schema errors that stop them.

Its own module because it is the one check that needs every table at once, so it runs after
all tables have been read (validate/run.py passes every TableCheck). A row whose key is not
entirely blank and has no match in the referenced table is a `foreign-key` finding
(`resource: ""` = the same table); comparison is on typed values, hashed as keys.py does.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import catalogue as cat
from ...package.cast import as_array, to_bool_numpy
from .cells import TableCheck
from .keys import combine
from .vocabulary import as_list


def _common_type(a: pa.DataType, b: pa.DataType):
    if a == b:
        return a
    numeric = (pa.types.is_integer(a) or pa.types.is_floating(a)) and (pa.types.is_integer(b) or pa.types.is_floating(b))
    return pa.float64() if numeric else None


def foreign_key_findings(check: TableCheck, resource_name: str, schema: dict, tables: dict, known: set,
                         where: dict) -> list:
    """foreign-key per row whose key (not entirely blank) has no match in the referenced table.

    `tables` maps table name -> TableCheck; `known` is every table name of the package (a table
    that could not be read is known but absent from `tables`: foreign keys into it are not
    checked, its own finding says why). A table streamed in chunks (kzcn.validate.stream) is
    in `tables` as an object whose `casts` names its columns and whose `key_columns(fields)`
    gives the distinct keys it holds.
    """
    out = []
    parsed = check.parsed
    if parsed.n_rows == 0:
        return out
    for fk in schema.get("foreignKeys") or []:
        found, plan = resolve(fk, check.casts, resource_name, schema, tables, known, where)
        out += found
        if plan is None:
            continue
        fields, ref_name, ref_fields, target = plan
        src = [check.casts[f] for f in fields]
        dst = target_columns(target, ref_fields)
        src_null = np.logical_and.reduce([c.missing | c.bad for c in src])
        dst_all_null = np.logical_and.reduce([c.missing | c.bad for c in dst])
        todo = ~src_null
        if not todo.any():
            continue
        matched = match(src, dst, dst_all_null)
        bad = np.flatnonzero(todo & ~matched)
        if not len(bad):
            continue
        from ..budget import current

        bad = current().first(bad, parsed.lines, where.get("resource"), "foreign-key")
        numbers = {f["name"]: i for i, f in enumerate(check.header.columns) if f is not None}
        texts = [as_array(parsed.columns[numbers[f]]).take(pa.array(bad, pa.int64())).to_pylist() for f in fields]
        for j, p in enumerate(bad):
            out.append(fk_finding(fields, ref_name, ref_fields, resource_name, int(parsed.lines[p]),
                                  int(parsed.row_numbers[p]), [t[j] for t in texts], numbers, where))
    return out


def resolve(fk, casts, resource_name: str, schema: dict, tables: dict, known: set, where: dict):
    """(schema findings, (fields, referenced table name, its fields, the table) or None when this
    foreign key cannot be checked). `casts` names the source's columns."""
    if not isinstance(fk, dict):
        return [], None
    fields = as_list(fk.get("fields"))
    ref = fk.get("reference") or {}
    ref_name = ref.get("resource") or resource_name
    ref_fields = as_list(ref.get("fields"))
    label = ", ".join(fields)
    if not fields or len(fields) != len(ref_fields):
        return [cat.make("schema-error", **where, detail=(
            f"foreign key ({label}) -> {ref_name}({', '.join(ref_fields)}): the two lists of fields differ in length"))], None
    if any(f not in casts for f in fields):
        declared = {f.get("name") for f in schema.get("fields") or []}
        unknown = [f for f in fields if f not in declared]
        if unknown:
            return [cat.make("schema-error", **where, detail=(
                f"foreign key names {', '.join(unknown)}, which {'is' if len(unknown) == 1 else 'are'} not a field"))], None
        return [], None  # a field without a column: reported as missing-label already
    target = tables.get(ref_name)
    if target is None:
        if ref_name not in known:
            return [cat.make("resource-error", **where, detail=(
                f"foreign key ({label}) refers to table {ref_name!r}, which the package does not have"))], None
        return [], None
    if any(f not in target.casts for f in ref_fields):
        missing = [f for f in ref_fields if f not in target.casts]
        return [cat.make("schema-error", **where, detail=(
            f"foreign key ({label}) refers to {ref_name}.{', '.join(missing)}, which is not a column there"))], None
    return [], (fields, ref_name, ref_fields, target)


def target_columns(target, ref_fields: list) -> list:
    """The referenced table's typed columns for `ref_fields` (a streamed table's distinct keys)."""
    own = getattr(target, "key_columns", None)
    return own(ref_fields) if own is not None else [target.casts[f] for f in ref_fields]


def fk_finding(fields: list, ref_name: str, ref_fields: list, resource_name: str, line: int, row: int,
               texts: list, numbers: dict, where: dict):
    """The foreign-key finding of one row whose key (its cells `texts`) matches nothing."""
    label = ", ".join(fields)
    shown = ", ".join(repr(t) if t not in (None, "") else "(blank)" for t in texts)
    if len(fields) == 1:
        detail = (f"{fields[0]} {shown} is not a {ref_fields[0]} of table {ref_name}"
                  + (" (the same table)" if ref_name == resource_name else ""))
    else:
        detail = f"({label}) = ({shown}) matches no ({', '.join(ref_fields)}) of table {ref_name}"
    return cat.make("foreign-key", line=line, row=row, field=label,
                    field_number=(numbers[fields[0]] + 1) if len(fields) == 1 else None, detail=detail, **where)


def match(src: list, dst: list, dst_all_null: np.ndarray) -> np.ndarray:
    """Rows of src whose typed key tuple occurs among dst's (dst rows entirely blank excluded)."""
    n = len(src[0].values)
    keep = ~dst_all_null
    if len(src) == 1:
        a, b = as_array(src[0].values), as_array(dst[0].values)
        typ = _common_type(a.type, b.type)
        if typ is None:
            return np.zeros(n, dtype=bool)
        if a.type != typ:
            a = a.cast(typ)
        if b.type != typ:
            b = b.cast(typ)
        b = b.filter(pa.array(keep))
        return to_bool_numpy(pc.is_in(a, value_set=pc.unique(b)))
    columns = []
    for s, d in zip(src, dst):
        a, b = as_array(s.values), as_array(d.values)
        typ = _common_type(a.type, b.type)
        if typ is None:
            return np.zeros(n, dtype=bool)
        a, b = a.cast(typ), b.cast(typ)
        chunks = (a.chunks if isinstance(a, pa.ChunkedArray) else [a]) + (b.chunks if isinstance(b, pa.ChunkedArray) else [b])
        columns.append(pa.chunked_array(chunks, type=typ))
    codes = combine(columns)
    src_codes, dst_codes = codes[:n], codes[n:][keep]
    return np.isin(src_codes, dst_codes)
