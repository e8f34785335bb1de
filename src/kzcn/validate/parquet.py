"""Parquet resources (`format: parquet` or `.parquet`), checked from their typed columns.

frictionless reads Parquet only through a plugin; pyarrow reads it here, one file at a time
(parquetfile.py: opening, bounds, the stored types against the declared ones, the columns as
text). The rows then go through the same layer-2 checks as a CSV's: constraints (required,
unique, enum, minimum/maximum, length, pattern), primary keys and foreign keys, to and from CSV
resources alike, compare the typed values.

Several files (`path: [a.parquet, b.parquet]`) are one table, as the spec says of any
multi-file resource. Every Parquet file carries its own column names, so unlike a CSV's later
files each is read whole; they must have the first file's columns, in its order, stored so
that layer 2 checks them the same way (int32 in one file and int64 in the next is fine; a
column whose stored type cannot hold the declared one in one file but can in the next is not
one column, and is a source-error naming the file). Rows number straight through the files, and
each finding is moved to its own file and row there once every layer has run (locate.Parts).

An outer compression (`t.parquet.gz`, or `compression: gz` with `format: parquet`) is read,
not refused: the Data Package compression pattern frictionless follows declares that the
resource's bytes are compressed and that `format` describes them once decompressed, whatever
the format, so a gzipped Parquet file is a valid resource and refusing it would fail a valid
package. It costs memory: Parquet is read from its footer backwards, so the decompressed file
is held whole, never past `--max-file-bytes` (kzcn.package.streams stops there).

Rows have no lines: `line` is the 1-based data row (of its own file, once moved); `row` is
frictionless's rowNumber, one more (frictionless counts the header as row 1), counted
straight through the files as frictionless counts a multi-file stream.
`bytes` and `hash` describe the files as stored (compressed, and concatenated for several).
"""
from __future__ import annotations

from pathlib import PurePosixPath

from . import catalogue as cat
from .table import _where, check_parsed


def _not_parquet(res, rel: str, inner: str) -> str | None:
    """Why one file of a Parquet resource is not Parquet, else None: a resource's files have one format."""
    if str(res.descriptor.get("format") or "").lower() == "parquet":
        return None
    suffix = PurePosixPath(inner.lower()).suffix
    if suffix == ".parquet":
        return None
    return (f"{rel}: a {suffix or 'file without an extension'} file in a Parquet resource; every file of "
            f"a resource has the resource's one format; not checked")


def _same_columns(first, other, plan_first, plan_other) -> str | None:
    """Why a later file is not more rows of the first file's table, else None."""
    if list(other.stored.names) != list(first.stored.names):
        return (f"{other.relpath}: its columns {list(other.stored.names)} are not those of {first.relpath} "
                f"{list(first.stored.names)}; the files of one resource are one table; not checked")
    for (fa, fb) in zip(plan_first[0], plan_other[0]):
        if fa != fb or (fa["name"] in plan_first[1]) != (fb["name"] in plan_other[1]):
            i = first.stored.names.index(fa["name"]) if fa["name"] in first.stored.names else 0
            return (f"{other.relpath}: column {fa['name']!r} is stored as {other.stored.field(i).type}, "
                    f"in {first.relpath} as {first.stored.field(i).type}: one column is checked one way; "
                    f"not checked")
    return None


def _merge(loaded: list, where: dict):
    """The files' rows as one ParsedCsv numbered straight through, and its locator."""
    import numpy as np
    import pyarrow as pa

    from .locate import Parts, Rows
    from .structure.parsed import ParsedCsv

    width = len(loaded[0].stored.names)
    columns = [[a for f in loaded for a in f.columns[i]] for i in range(width)]
    n = sum(f.rows for f in loaded)
    numbers = np.arange(1, n + 1, dtype=np.int64)  # `line`: the data row; `row`: frictionless's rowNumber
    parsed = ParsedCsv(labels=list(loaded[0].stored.names), width=width,
                       columns=[pa.chunked_array(c, type=pa.string()) for c in columns],
                       row_numbers=numbers + 1, lines=numbers, cell_counts=np.full(n, width, dtype=np.int64),
                       path_taken="parquet", total_lines=n)
    if len(loaded) == 1:
        parsed.locate = Rows(path=where["path"])
    else:
        starts = tuple(int(x) for x in np.cumsum([0] + [f.rows for f in loaded[:-1]]))
        parsed.locate = Parts(path=where["path"], starts=starts, relpaths=tuple(f.relpath for f in loaded), word="row")
    return parsed


def check_parquet(res):
    """Layers 1 and 2 (except foreign keys) on a Parquet resource of one file or several."""
    import pyarrow as pa

    from ..package.limits import current
    from ..package.streams import compression_of, inner_name
    from .parquetfile import load_file, plan, stored_chunks
    from .structure.files import declared_checks

    where = _where(res)
    files = list(res.parts) or [(res.relpath, res.path)]
    stats = {"path": res.relpath, "rows": 0, "format": "parquet", **({"files": len(files)} if res.parts else {})}
    findings = [cat.make("schema-error", **where, detail=p) for p in res.problems]
    limits = current()
    schema = res.schema if isinstance(res.schema, dict) else {}
    fields = [f for f in (schema.get("fields") or []) if isinstance(f, dict) and isinstance(f.get("name"), str)]
    loaded, plans, used, rows = [], [], 0, 0
    for rel, path in files:
        here = {**where, "path": rel}
        compression, problem = compression_of(rel, res.descriptor)
        problem = problem or _not_parquet(res, rel, inner_name(rel, compression))
        if problem:
            return None, findings + [cat.make("format-error", **here, detail=problem)], stats
        one, failure = load_file(rel, path, compression, limits.file_bytes - used, limits.lines - rows, here)
        if one is None:
            return None, findings + [failure], stats
        file_plan = plan(fields, list(one.stored.names), one.stored, where, pa)
        if loaded:
            mismatch = _same_columns(loaded[0], one, plans[0], file_plan)
            if mismatch:
                return None, findings + [cat.make("source-error", line=1, **here, detail=mismatch)], stats
        used, rows = used + one.size, rows + one.rows
        loaded.append(one)
        plans.append(file_plan)
    check_fields, unfit, found = plans[0]
    findings += found
    findings += declared_checks(res, used, lambda: stored_chunks(loaded, where), where)
    parsed = _merge(loaded, where)
    stats.update(bytes=used, rows=parsed.n_rows, fields=parsed.width, row_groups=sum(f.row_groups for f in loaded))
    del loaded
    check, findings, stats = check_parsed(res, parsed, findings, stats, schema={**schema, "fields": check_fields})
    if unfit:  # the column's one finding stands for every cell of it
        findings = [f for f in findings if not (f.code == "type-error" and f.field in unfit and f.line is not None)]
    return check, findings, stats
