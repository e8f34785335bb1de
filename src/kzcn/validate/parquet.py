"""Parquet resources (`format: parquet` or `.parquet`), checked from their typed columns.

frictionless reads Parquet only through a plugin; pyarrow reads it here, one row group at a
time. A Parquet column is typed already, so the first question is whether what is stored is
what the schema declares: an int64 column declared `date` is one `type-error` naming the field
(its cells are not checked one by one: none of them can be a date). A column stored as text is
checked cell by cell like a CSV's. A typed column of a fitting type (integers for `integer` or
`year`; integers, floats or decimals for `number`; dates for `date`; timestamps for `datetime`;
times for `time`; booleans for `boolean`; lists for `array`, structs and maps for `object`;
anything for `any`) is written out as the canonical text of its values, which layer 2 then
checks against the field with its formats reset to the defaults (a stored date has no format):
constraints (required, unique, enum, minimum/maximum, length, pattern), primary keys and
foreign keys, to and from CSV resources alike, compare the typed values.

Rows have no lines: `line` is the 1-based data row (the file's first row is 1); `row` is
frictionless's rowNumber for it, one more (frictionless counts the header as row 1).
The file must be a regular file inside the package within `--max-file-bytes`, and its rows and
columns within `--max-lines` and `--max-fields`, checked from the footer before a row is read.
"""
from __future__ import annotations

import os
import stat

from . import catalogue as cat
from .table import _where, check_parsed

BATCH = 65_536
# declared type -> does a stored Arrow type hold values of it (text storage always may)
_FITS = {
    "integer": lambda t, T: T.is_integer(t), "year": lambda t, T: T.is_integer(t),
    "number": lambda t, T: T.is_integer(t) or T.is_floating(t) or T.is_decimal(t),
    "boolean": lambda t, T: T.is_boolean(t), "date": lambda t, T: T.is_date(t),
    "datetime": lambda t, T: T.is_timestamp(t), "time": lambda t, T: T.is_time(t),
    "array": lambda t, T: T.is_list(t) or T.is_large_list(t) or T.is_fixed_size_list(t),
    "object": lambda t, T: T.is_struct(t) or T.is_map(t), "any": lambda t, T: True,
}
DEFAULTS = ("format", "trueValues", "falseValues", "decimalChar", "groupChar", "bareNumber")


def _is_text(t, T) -> bool:
    return T.is_string(t) or T.is_large_string(t)


def _as_text(col, pa, pc):
    """A typed column's values as the canonical text layer 2 reads (null stays null)."""
    T = pa.types
    t = col.type
    if T.is_dictionary(t):
        col, t = col.dictionary_decode(), t.value_type
    if _is_text(t, T):
        return col.cast(pa.string())
    if T.is_boolean(t):
        return pc.if_else(col, "true", "false")
    if T.is_timestamp(t):
        naive = col.cast(pa.timestamp(t.unit)) if t.tz else col
        text = pc.strftime(naive, format="%Y-%m-%dT%H:%M:%S")
        return pc.binary_join_element_wise(text, "Z", "") if t.tz else text
    if T.is_list(t) or T.is_large_list(t) or T.is_fixed_size_list(t) or T.is_struct(t) or T.is_map(t):
        import json

        return pa.array([None if v is None else json.dumps(v, ensure_ascii=False, default=str)
                         for v in col.to_pylist()], pa.string())
    try:
        return col.cast(pa.string())
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        return pa.array([None if v is None else str(v) for v in col.to_pylist()], pa.string())


def _field_for(label: str, i: int, fields: list) -> dict | None:
    for f in fields:
        if f["name"] == label:
            return f
    return fields[i] if i < len(fields) else None


def _open(res, where, limit):
    """The open file and its size, or (None, a finding): regular files only, within the limit."""
    try:
        fd = os.open(res.path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None, cat.make("scheme-error", **where, detail=f"{res.relpath}: file not found")
    except OSError as exc:
        return None, cat.make("source-error", **where, detail=f"{res.relpath}: cannot read: {exc.strerror or exc}")
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        return None, cat.make("scheme-error", **where, detail=f"{res.relpath}: is not a regular file; not read")
    if st.st_size > limit:
        os.close(fd)
        return None, cat.make("source-error", line=1, **where, detail=(
            f"{res.relpath}: file is {st.st_size:,} bytes, over the limit of {limit:,}; not read "
            f"(raise it with --max-file-bytes)"))
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb"), st.st_size


def _file_checks(res, fh, size, where) -> list:
    """`bytes` and `hash` the descriptor declares, of the file as stored (read block by block)."""
    from .structure.files import declared_checks

    def chunks():
        fh.seek(0)
        yield from iter(lambda: fh.read(1 << 22), b"")
        fh.seek(0)

    return declared_checks(res, size, chunks, where)


def _plan(fields: list, labels: list, stored, where: dict, pa):
    """(the fields layer 2 checks the columns' text against, the fields whose stored type cannot
    hold the declared one, their type-errors): one finding per unfit column."""
    T = pa.types
    check_fields, unfit, found = [], set(), []
    for f in fields:
        i = labels.index(f["name"]) if f["name"] in labels else fields.index(f)
        t = stored.field(i).type if i < len(labels) else None
        if t is not None and T.is_dictionary(t):
            t = t.value_type
        kind = f.get("type", "string")
        if t is None or _is_text(t, T) or (kind not in _FITS and kind != "string"):
            check_fields.append(f)  # text: every cell checked as a CSV cell is
        elif kind in _FITS and _FITS[kind](t, T):
            check_fields.append({k: v for k, v in f.items() if k not in DEFAULTS})
        else:
            unfit.add(f["name"])
            check_fields.append(f)
            found.append(cat.make("type-error", field=f["name"], field_number=i + 1, **where, msg=(
                f"the column is stored as {t} but field {f['name']!r} is declared {kind}: "
                f"no {t} value is a {kind}; its cells are not checked one by one")))
    return check_fields, unfit, found


def _too_much(res, what: str, limit: int, where: dict):
    return cat.make("source-error", line=1, **where, detail=(
        f"{res.relpath}: {what} is over the limit of {limit:,} bytes; not read further (a Parquet bomb? "
        f"raise it with --max-file-bytes)"))


def _read_text(res, pf, width: int, limit: int, where: dict, pa, pc):
    """Every column as text, a row group's batches at a time, or a finding when the text would
    pass `limit` bytes. Pages are bounded from the footer before anything is read; a
    dictionary-encoded column (a 1 MB string repeated a million times is a few bytes of pages)
    is measured before it is decoded; batches hold at most 4M cells, so a wide file's batch of
    fixed-width values stays small."""
    pages = sum(pf.metadata.row_group(g).column(j).total_uncompressed_size
                for g in range(pf.metadata.num_row_groups) for j in range(pf.metadata.num_columns))
    if pages > limit:
        return None, _too_much(res, f"its pages ({pages:,} bytes once decompressed)", limit, where)
    columns, total = [[] for _ in range(width)], 0
    rows = max(1, min(BATCH, (1 << 22) // max(width, 1)))
    for batch in pf.iter_batches(batch_size=rows):
        for i in range(width):
            col = batch.column(i)
            if pa.types.is_dictionary(col.type) and (_is_text(col.type.value_type, pa.types)
                                                     or pa.types.is_binary(col.type.value_type)):
                dense = pc.sum(pc.binary_length(col.dictionary).take(col.indices)).as_py() or 0
                if total + dense > limit:
                    return None, _too_much(res, "its decoded text", limit, where)
            text = _as_text(col, pa, pc)
            total += text.nbytes
            if total > limit:
                return None, _too_much(res, "its decoded text", limit, where)
            columns[i].append(text)
    return columns, None


def check_parquet(res):
    """Layers 1 and 2 (except foreign keys) on a Parquet resource."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from ..package.limits import current
    from .locate import Rows
    from .structure.parsed import ParsedCsv

    where = _where(res)
    stats = {"path": res.relpath, "rows": 0, "format": "parquet"}
    findings = [cat.make("schema-error", **where, detail=p) for p in res.problems]
    limits = current()
    fh, size = _open(res, where, limits.file_bytes)
    if fh is None:
        return None, findings + [size], stats
    with fh:
        try:
            stored = pq.read_schema(fh)
            fh.seek(0)
            text_columns = [f.name for f in stored if _is_text(f.type, pa.types) or pa.types.is_binary(f.type)]
            pf = pq.ParquetFile(fh, read_dictionary=text_columns)  # kept as dictionaries: measured before decoding
            n, leaves = pf.metadata.num_rows, pf.metadata.num_columns
            stored = pf.schema_arrow
        except Exception as exc:  # noqa: BLE001 - ArrowInvalid, OSError: not Parquet, or a corrupt footer
            return None, findings + [cat.make("source-error", line=1, **where, detail=(
                f"{res.relpath}: cannot be read as Parquet: {str(exc).splitlines()[0] if str(exc) else exc!r}"))], stats
        if leaves > limits.fields:
            return None, findings + [cat.make("source-error", line=1, **where, detail=(
                f"{res.relpath}: the file has {leaves:,} columns, over the limit of {limits.fields:,}; "
                f"not read further (raise it with --max-fields)"))], stats
        if n > limits.lines:
            return None, findings + [cat.make("source-error", line=1, **where, detail=(
                f"{res.relpath}: the file has {n:,} rows, over the limit of {limits.lines:,}; "
                f"not read further (raise it with --max-lines)"))], stats
        findings += _file_checks(res, fh, size, where)
        schema = res.schema if isinstance(res.schema, dict) else {}
        fields = [f for f in (schema.get("fields") or []) if isinstance(f, dict) and isinstance(f.get("name"), str)]
        labels = list(stored.names)
        width = len(labels)
        check_fields, unfit, found = _plan(fields, labels, stored, where, pa)
        findings += found
        try:
            columns, too_much = _read_text(res, pf, width, limits.file_bytes, where, pa, pc)
        except Exception as exc:  # noqa: BLE001 - a corrupt page or row group
            columns, too_much = None, cat.make("source-error", line=1, **where, detail=(
                f"{res.relpath}: a row group cannot be read: {str(exc).splitlines()[0] if str(exc) else exc!r}"))
        if columns is None:
            return None, findings + [too_much], stats
    numbers = np.arange(1, n + 1, dtype=np.int64)  # `line`: the data row; `row`: frictionless's rowNumber
    parsed = ParsedCsv(labels=labels, width=width,
                       columns=[pa.chunked_array(c, type=pa.string()) for c in columns],
                       row_numbers=numbers + 1, lines=numbers, cell_counts=np.full(n, width, dtype=np.int64),
                       path_taken="parquet", total_lines=n)
    parsed.locate = Rows(path=res.relpath)
    stats.update(bytes=size, rows=n, fields=width, row_groups=pf.metadata.num_row_groups)
    check, findings, stats = check_parsed(res, parsed, findings, stats, schema={**schema, "fields": check_fields})
    if unfit:  # the column's one finding stands for every cell of it
        findings = [f for f in findings if not (f.code == "type-error" and f.field in unfit and f.line is not None)]
    return check, findings, stats
