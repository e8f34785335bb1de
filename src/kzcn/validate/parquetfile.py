"""One Parquet file of a resource: opened, bounded, its columns read as the text layer 2 checks.

A Parquet column is typed already, so the first question is whether what is stored is what the
schema declares: an int64 column declared `date` is one `type-error` naming the field (its
cells are not checked one by one: none of them can be a date). A column stored as text is
checked cell by cell like a CSV's. A typed column of a fitting type (integers for `integer` or
`year`; integers, floats or decimals for `number`; dates for `date`; timestamps for `datetime`;
times for `time`; booleans for `boolean`; lists for `array`, structs and maps for `object`;
anything for `any`) is written out as the canonical text of its values, which layer 2 then
checks against the field with its formats reset to the defaults (a stored date has no format).

Internal compression (each column chunk compressed with snappy, gzip, zstd, brotli, lz4 or
none) is Parquet's own and pyarrow decodes every codec it was built with; the pages are bounded
from the footer by their uncompressed size before one is read. An outer compression of the
whole file (`t.parquet.gz`) is decompressed first, in memory and bounded (kzcn.package.streams;
parquet.py says why it is read rather than refused).
"""
from __future__ import annotations

import io
import os
import stat
from dataclasses import dataclass

from . import catalogue as cat

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


def open_file(path, relpath: str, where: dict, limit: int):
    """The open file and its size, or (None, a finding): regular files only, within the limit."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None, cat.make("scheme-error", **where, detail=f"{relpath}: file not found")
    except OSError as exc:
        return None, cat.make("source-error", **where, detail=f"{relpath}: cannot read: {exc.strerror or exc}")
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        return None, cat.make("scheme-error", **where, detail=f"{relpath}: is not a regular file; not read")
    if st.st_size > limit:
        os.close(fd)
        return None, cat.make("source-error", line=1, **where, detail=(
            f"{relpath}: file is {st.st_size:,} bytes, over the limit of {limit:,}; not read "
            f"(raise it with --max-file-bytes)"))
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb"), st.st_size


def plan(fields: list, labels: list, stored, where: dict, pa):
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


def _too_much(relpath: str, what: str, limit: int, where: dict):
    return cat.make("source-error", line=1, **where, detail=(
        f"{relpath}: {what} is over the limit of {limit:,} bytes; not read further (a Parquet bomb? "
        f"raise it with --max-file-bytes)"))


def read_text(relpath: str, pf, width: int, limit: int, where: dict, pa, pc):
    """Every column as text, a row group's batches at a time, or a finding when the text would
    pass `limit` bytes. Pages are bounded from the footer before anything is read; a
    dictionary-encoded column (a 1 MB string repeated a million times is a few bytes of pages)
    is measured before it is decoded; batches hold at most 4M cells, so a wide file's batch of
    fixed-width values stays small."""
    pages = sum(pf.metadata.row_group(g).column(j).total_uncompressed_size
                for g in range(pf.metadata.num_row_groups) for j in range(pf.metadata.num_columns))
    if pages > limit:
        return None, _too_much(relpath, f"its pages ({pages:,} bytes once decompressed)", limit, where)
    columns, total = [[] for _ in range(width)], 0
    rows = max(1, min(BATCH, (1 << 22) // max(width, 1)))
    for batch in pf.iter_batches(batch_size=rows):
        for i in range(width):
            col = batch.column(i)
            if pa.types.is_dictionary(col.type) and (_is_text(col.type.value_type, pa.types)
                                                     or pa.types.is_binary(col.type.value_type)):
                dense = pc.sum(pc.binary_length(col.dictionary).take(col.indices)).as_py() or 0
                if total + dense > limit:
                    return None, _too_much(relpath, "its decoded text", limit, where)
            text = _as_text(col, pa, pc)
            total += text.nbytes
            if total > limit:
                return None, _too_much(relpath, "its decoded text", limit, where)
            columns[i].append(text)
    return columns, None


@dataclass
class Loaded:
    """One Parquet file read: its stored schema, its columns as text, and what stats report."""

    relpath: str
    path: object
    stored: object  # the pyarrow schema as stored
    columns: list  # per column, a list of string arrays
    rows: int
    size: int  # bytes as stored (compressed, for an outer compression)
    row_groups: int
    raw: bytes | None  # the stored bytes when an outer compression made us hold them (for a hash)


def _cannot(relpath: str, where: dict, what: str, exc) -> object:
    return cat.make("source-error", line=1, **where, detail=(
        f"{relpath}: {what}: {str(exc).splitlines()[0] if str(exc) else exc!r}"))


def load_file(relpath: str, path, compression: str | None, room: int, rows_left: int, where: dict):
    """(Loaded, None) or (None, a finding naming the file): one file within `room` bytes (stored
    and decoded), `rows_left` rows and --max-fields columns."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from ..package.limits import current

    limits = current()
    raw = None
    if compression is None:
        fh, size = open_file(path, relpath, where, room)
        if fh is None:
            return None, size
    else:
        from .parts import read_stored

        raw, data = read_stored(relpath, path, compression, room, where)
        if raw is None:
            return None, data
        fh, size = io.BytesIO(data), len(raw)
        del data
    with fh:
        try:
            stored = pq.read_schema(fh)
            fh.seek(0)
            text_columns = [f.name for f in stored if _is_text(f.type, pa.types) or pa.types.is_binary(f.type)]
            pf = pq.ParquetFile(fh, read_dictionary=text_columns)  # kept as dictionaries: measured before decoding
            n, leaves = pf.metadata.num_rows, pf.metadata.num_columns
            stored = pf.schema_arrow
        except Exception as exc:  # noqa: BLE001 - ArrowInvalid, OSError: not Parquet, or a corrupt footer
            return None, _cannot(relpath, where, "cannot be read as Parquet", exc)
        if leaves > limits.fields:
            return None, cat.make("source-error", line=1, **where, detail=(
                f"{relpath}: the file has {leaves:,} columns, over the limit of {limits.fields:,}; "
                f"not read further (raise it with --max-fields)"))
        if n > rows_left:
            together = "" if rows_left == limits.lines else " together with the resource's earlier files"
            return None, cat.make("source-error", line=1, **where, detail=(
                f"{relpath}: the file has {n:,} rows{together}, over the limit of {limits.lines:,}; "
                f"not read further (raise it with --max-lines)"))
        try:
            columns, too_much = read_text(relpath, pf, len(stored.names), room, where, pa, pc)
        except Exception as exc:  # noqa: BLE001 - a corrupt page or row group, an unsupported codec
            columns, too_much = None, _cannot(relpath, where, "a row group cannot be read", exc)
        if columns is None:
            return None, too_much
        groups = pf.metadata.num_row_groups
    return Loaded(relpath, path, stored, columns, n, size, groups, raw), None


def stored_chunks(files: list, where: dict):
    """The files' stored bytes block by block, for a declared hash: held bytes, or the file re-read."""
    for f in files:
        if f.raw is not None:
            yield f.raw
            continue
        fh, _ = open_file(f.path, f.relpath, where, f.size)
        if fh is None:
            return
        with fh:
            yield from iter(lambda: fh.read(1 << 22), b"")
