"""`check_streamed(res, chunk_size)`: layers 1 and 2 on one large CSV file, chunk by chunk.

The same findings, stats and order as table.check_table on the whole file, in memory bounded
by the chunk size (and the key partitions), not the file. Returns None when the file is not
one this path can prove exact (see the package docstring); table.check_table then reads it whole.
"""
from __future__ import annotations

import os

from .. import catalogue as cat
from ..findings import WARNING

PARTITION_CHUNKS = 1      # one key partition per chunk's worth of file: a partition holds about one chunk's keys
MAX_PARTITIONS = 64


def streamable(res, chunk_size: int | None) -> bool:
    """Whether `res` is a plain local CSV file with a schema, larger than the chunk size."""
    from ..structure.files import _declared_encoding, format_problem

    if not chunk_size or res.refused or res.inline or res.parts or "://" in res.relpath:
        return False
    if format_problem(res) or _declared_encoding(res):
        return False
    schema = res.schema if isinstance(res.schema, dict) else {}
    if not any(isinstance(f, dict) and isinstance(f.get("name"), str) for f in schema.get("fields") or []):
        return False  # no schema: one is inferred from the whole table
    try:
        return res.path.is_file() and not res.path.is_symlink() and res.path.stat().st_size > chunk_size
    except OSError:
        return False


def _blocks(path, size: int):
    with open(path, "rb") as fh:
        while True:
            block = fh.read(1 << 22)
            if not block:
                break
            yield block


def referenced_fields(package_resources, name: str) -> tuple:
    """The field tuples of `name` that any table's foreign keys refer to."""
    from ..schema.vocabulary import as_list

    out = []
    for other in package_resources:
        schema = other.schema if isinstance(other.schema, dict) else {}
        for fk in schema.get("foreignKeys") or []:
            if isinstance(fk, dict) and ((fk.get("reference") or {}).get("resource") or other.name) == name:
                ref = tuple(as_list((fk.get("reference") or {}).get("fields")))
                if ref and ref not in out:
                    out.append(ref)
    return tuple(out)


def _chunks_of(values) -> list:
    return list(values.chunks) if hasattr(values, "chunks") else [values]


def kept_rows(parts: list, rows: int):
    """The chunks' typed rows for layer 3 as one table: {"lines", "columns": {name: (values,
    missing)}}; None when they cannot be joined (layer 3 then reads the file whole)."""
    import numpy as np
    import pyarrow as pa

    if not parts:
        return {"lines": np.zeros(0, dtype=np.int64), "columns": {}} if rows == 0 else None
    names = set(parts[0]["columns"])
    if any(set(p["columns"]) != names for p in parts):
        return None
    try:
        columns = {name: (pa.chunked_array([c for p in parts for c in _chunks_of(p["columns"][name][0])]).combine_chunks(),
                          np.concatenate([p["columns"][name][1] for p in parts])) for name in names}
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    return {"lines": np.concatenate([p["lines"] for p in parts]), "columns": columns}


def check_streamed(res, chunk_size: int, referenced: tuple = (), mapper=map, keep: tuple = ()):
    """(StreamedCheck, findings, stats), or None: read this file whole instead.

    `mapper(check_chunk, specs)` runs the chunks and yields their results in chunk order
    (default: one after the other, here; pool.thread_mapper: on every core); a distributed
    engine passes its own (the specs and results are plain picklable data). `keep`: the field
    names whose typed rows the chunks hand back for layer 3 (the StreamedCheck's `kept`), so
    the rules need not read the file again for them."""
    import tempfile

    from ...package.limits import current as limits_now
    from ..budget import current
    from ..schema import schema_problems
    from ..schema.vocabulary import as_list
    from ..structure import dialect_of
    from ..structure.bounds import header_too_wide, lines_over
    from ..structure.encoding import BOM, check_encoding
    from ..structure.files import declared_checks
    from ..table import _where
    from .chunk import ChunkSpec, check_chunk
    from .keys import StreamedCheck, repeat_findings
    from .merge import Merger
    from .plan import plan_file

    limits = limits_now()
    size = os.stat(res.path).st_size
    if size > limits.file_bytes:
        return None  # the whole-file path reports it, unread
    dialect, problems = dialect_of(res.descriptor, res.relpath)
    if not dialect.fast or not dialect.header:
        return None
    with open(res.path, "rb") as fh:
        head = fh.read(4)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    where = _where(res)
    stats = {"path": res.relpath, "rows": 0, "bytes": size}
    findings = declared_checks(res, size, lambda: _blocks(res.path, size), where)
    offset, enc, _ = check_encoding(BOM if head.startswith(BOM) else b"", where)
    findings += enc
    findings += [cat.make("schema-error", **where, detail=p) for p in res.problems]
    for p in problems:
        findings.append(cat.make("format-error", severity=WARNING, **where, detail=p))
    plan = plan_file(res.path, size, offset, chunk_size, dialect.quote)
    if isinstance(plan, str):
        return None
    from ..structure.exact import _quote_anomalies

    header_text = plan.header.decode("utf-8", "replace")
    if dialect.quote and dialect.quote in header_text and _quote_anomalies(header_text, dialect.delimiter, dialect.quote):
        return None
    too_big = (header_too_wide(plan.header, 0, dialect, limits.fields, where, res.relpath)
               or lines_over(plan.lines, limits.lines, where, res.relpath))
    if too_big is not None:
        return None  # reported by the whole-file path, which stops at once as here
    schema = res.schema
    fields = [f for f in schema.get("fields") or [] if isinstance(f, dict) and isinstance(f.get("name"), str)]
    findings += schema_problems(schema, where)
    budget = current()
    partitions = max(1, min(MAX_PARTITIONS, -(-size // (PARTITION_CHUNKS * chunk_size))))
    keys = [(f["name"],) for f in fields if (f.get("constraints") or {}).get("unique")]
    pk = tuple(as_list(schema.get("primaryKey")))
    if pk and pk not in keys:
        keys.append(pk)
    foreign = tuple((i, tuple(as_list(fk.get("fields")))) for i, fk in enumerate(schema.get("foreignKeys") or [])
                    if isinstance(fk, dict) and as_list(fk.get("fields")))
    raw = res.descriptor.get("dialect") if isinstance(res.descriptor.get("dialect"), dict) else {}
    folder = tempfile.mkdtemp(prefix="kzcn-stream-")
    merger = Merger(where, budget.cap, partitions, folder)
    numbers = None
    typed: list = []
    specs = (ChunkSpec(path=str(res.path), index=rng.index, start=rng.start, end=rng.end, line=rng.line,
                       header=plan.header, header_lines=plan.header_lines, dialect=dialect, schema=schema,
                       where=where, ignore_case=raw.get("caseSensitiveHeader") is False, cap=budget.cap,
                       partitions=partitions, keys=tuple(keys), foreign=foreign, referenced=referenced,
                       keep=tuple(keep))
             for rng in plan.chunks)
    try:
        for result in mapper(check_chunk, specs):
            if result.fallback:
                merger.spill.close()
                import shutil

                shutil.rmtree(folder, ignore_errors=True)
                return None
            if numbers is None:
                numbers = result.numbers
            if result.typed is not None:
                typed.append(result.typed)
                result.typed = None
            merger.add(result)
    except BaseException:
        merger.spill.close()
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        raise
    check = StreamedCheck(merger, numbers or {}, folder)
    check.kept = kept_rows(typed, merger.rows) if keep else None
    ending = merger.endings_finding()
    if ending is not None:
        findings.append(ending)
    stats.update(rows=merger.rows, fields=merger.width, lines=merger.lines, parse="exact" if merger.exact else "fast")
    merger.capped.add(repeat_findings(merger, schema, numbers or {}, where, budget.cap))
    for key, actual in (("rows", merger.rows), ("fields", len(fields) or merger.width)):
        declared_n = res.descriptor.get(key)
        if isinstance(declared_n, int) and not isinstance(declared_n, bool) and declared_n != actual:
            findings.append(cat.make(f"{key[:-1]}-count", **where, actual=actual, expected=declared_n))
    findings += merger.capped.findings()
    for key, n in merger.capped.dropped.items():
        budget.drop(key[0], key[1], n, merger.capped.severity.get(key))
    return check, findings, stats
