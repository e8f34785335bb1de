"""Layers 1 and 2 on one table, foreign keys aside: `check_table(resource)`.

Layer 1 reads the file (structure.files: found, declared size, hash and encoding) and splits its
records (structure.parse_csv); layer 2 checks the header, the cells and the keys against the
Table Schema (schema), inferring a schema as frictionless does when none is declared.
A table that cannot be read gives findings and no check; the other tables are still checked.
"""
from __future__ import annotations

from . import catalogue as cat
from .findings import WARNING
from ..package.descriptor import Resource


def _where(res: Resource) -> dict:
    return {"resource": res.name, "path": res.relpath}


def _empty_table(res: Resource):
    """A table with no rows (an empty file): nothing to check, but foreign keys into it find
    nothing, as frictionless reports them."""
    from .schema import check_cells, check_header
    from .structure.parsed import _empty_parsed

    schema = res.schema if isinstance(res.schema, dict) else {}
    fields = [f for f in (schema.get("fields") or []) if isinstance(f, dict) and isinstance(f.get("name"), str)]
    parsed = _empty_parsed(None, len(fields), [], "fast")
    return check_cells(parsed, check_header(None, fields, schema, len(fields), {}), schema, {})


def check_table(res: Resource, chunk_size: int | None = None, referenced: tuple = (), keep: tuple = ()):
    """Layers 1 and 2 (except foreign keys) on one resource: (TableCheck or None, findings, stats).

    A plain CSV file is read here; rows from elsewhere (several files, a compressed file,
    inline `data`, Parquet) come from their own readers (kzcn.validate.resources), which then
    hand their rows to `check_parsed` like a CSV's. A CSV file larger than `chunk_size` bytes is
    checked in chunks (kzcn.validate.stream; `referenced`: the field tuples other tables'
    foreign keys look up in it; `keep`: the fields whose typed rows layer 3 will read), with
    the same findings, its chunks on every core (stream.pool)."""
    from .resources import reader_for

    special = reader_for(res)
    if special is not None:
        return special(res)
    if chunk_size:
        from .stream.table import check_streamed, streamable

        if streamable(res, chunk_size):
            from .stream.pool import thread_mapper

            done = check_streamed(res, chunk_size, referenced, mapper=thread_mapper(), keep=keep)
            if done is not None:
                return done
    from .structure import dialect_of, parse_csv, read_file

    where = _where(res)
    stats = {"path": res.relpath, "rows": 0}
    data, offset, legacy, findings = read_file(res, where, stats)
    findings += [cat.make("schema-error", **where, detail=p) for p in res.problems]
    if data is None:
        return None, findings, stats
    if len(data) <= offset:
        findings.append(cat.make("source-error", line=1, **where, detail=f"{res.relpath}: the file is empty"))
        return _empty_table(res), findings, stats

    dialect, problems = dialect_of(res.descriptor, res.relpath)
    for p in problems:
        findings.append(cat.make("format-error", severity=WARNING, **where, detail=p))
    from ..package.limits import current
    from .structure.bounds import header_too_wide, too_many_lines

    limits = current()
    too_big = (header_too_wide(data, offset, dialect, limits.fields, where, res.relpath)
               or too_many_lines(data, limits.lines, where, res.relpath))
    if too_big is not None:
        findings.append(too_big)
        return None, findings, stats
    schema = res.schema if isinstance(res.schema, dict) else {}
    fields = [f for f in (schema.get("fields") or []) if isinstance(f, dict) and isinstance(f.get("name"), str)]
    apply_missing(dialect, schema)
    holder = [data]
    del data  # parse_csv lets go of the bytes before pyarrow parses (see structure.parse_csv)
    parsed = parse_csv(holder, offset, dialect, len(fields), where, path=None if legacy else res.path)
    findings += parsed.findings
    stats.update(rows=parsed.n_rows, fields=parsed.width, lines=parsed.total_lines, parse=parsed.path_taken)
    return check_parsed(res, parsed, findings, stats)


def apply_missing(dialect, schema: dict) -> None:
    """"" is missing for every field (the default): the parse reads it as null at once, no copies later."""
    fields = [f for f in (schema.get("fields") or []) if isinstance(f, dict) and isinstance(f.get("name"), str)]
    dialect.empty_is_null = all("" in [str(m) for m in (f.get("missingValues", schema.get("missingValues", [""])) or [])]
                                for f in fields) if fields else "" in [str(m) for m in schema.get("missingValues", [""])]


def check_parsed(res: Resource, parsed, findings: list, stats: dict, schema: dict | None = None):
    """Layer 2 on a table's rows, however they were read: (TableCheck or None, findings, stats).

    `schema` replaces the resource's own for the cell checks (a Parquet file's typed columns
    are checked as their canonical text); `findings` so far are extended and returned."""
    from .schema import check_cells, check_header, formula_findings, key_findings, schema_problems

    where = _where(res)
    declared_schema = res.schema if isinstance(res.schema, dict) else {}
    findings += schema_problems(declared_schema, where)
    schema = declared_schema if schema is None else schema
    fields = [f for f in (schema.get("fields") or []) if isinstance(f, dict) and isinstance(f.get("name"), str)]
    declared = bool(fields)
    if parsed.labels == [] and parsed.n_rows == 0:
        findings.append(cat.make("source-error", line=1, **where,
                                 detail=f"{res.relpath}: the file has neither a header nor rows"))
        return _empty_table(res), findings, stats
    if not declared:  # no schema: infer one as frictionless does, and check against it
        from ..package.infer import infer_schema

        schema = {**schema, **infer_schema(parsed, parsed.labels is not None)}
        fields, declared = schema["fields"], True
        stats["schema"] = "inferred"
    dialect_raw = res.descriptor.get("dialect") if isinstance(res.descriptor.get("dialect"), dict) else {}
    header = check_header(parsed.labels, fields, schema, parsed.width, where, declared=declared,
                          ignore_case=dialect_raw.get("caseSensitiveHeader") is False,
                          inferred=stats.get("schema") == "inferred")
    findings += header.findings
    check = check_cells(parsed, header, schema, where)
    findings += check.findings
    check.findings = []
    findings += formula_findings(check, where)
    findings += key_findings(check, schema, where)
    for key, actual in (("rows", parsed.n_rows), ("fields", len(fields) or parsed.width)):
        declared_n = res.descriptor.get(key)
        if isinstance(declared_n, int) and not isinstance(declared_n, bool) and declared_n != actual:
            findings.append(cat.make(f"{key[:-1]}-count", **where, actual=actual, expected=declared_n))
    return check, findings, stats
