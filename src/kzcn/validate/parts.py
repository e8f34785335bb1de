"""A table whose rows are not one plain CSV file: several files, or a compressed one.

Several files (`path: [a.csv, b.csv]`) are one table, as the Data Package spec says: the files
are concatenated, and only the first has a header row; every later file is rows only. (The
installed frictionless 5.21 instead drops the first line of every later file as a header: a
spec-conformant second file loses its first row unchecked. We follow the spec; the
conformance tests name the difference. A later file that does start with the header row gets a
`repeated-header` warning, as that row is then read as data.) Each file is read on its own: encoding, line endings
and quoting are checked per file and its findings name it; a file that does not end in a line
break ends its last row there (frictionless joins it to the next file's first line). The rows
are then checked together, so keys (primary, unique, foreign) span every file, and each
finding is moved to its own file and line once every layer has run (locate.py).

A compressed file (`.gz`, `.zip`, `.bz2`, `.xz`, by `compression` or extension) is
decompressed in memory, never past `--max-file-bytes` (kzcn.package.streams), and checked as
the text it holds: lines are those of the decompressed text. `bytes` and `hash` describe the
files as stored (compressed, and concatenated for several files), as frictionless checks them.
The byte and line bounds apply to a resource's files together.
"""
from __future__ import annotations

import dataclasses

from . import catalogue as cat
from .findings import WARNING
from .table import _where, apply_missing, check_parsed


def _raw_checks(res, raws: list, where: dict) -> list:
    """`bytes` and `hash` of the files as stored, concatenated (frictionless: byte-count, hash-count)."""
    from .structure.files import declared_checks

    return declared_checks(res, sum(r if isinstance(r, int) else len(r) for r in raws), lambda: iter(raws), where)


def read_stored(rel: str, path, compression, room: int, where: dict, first: bool = True):
    """(bytes as stored, bytes decompressed) of one file, or (None, a finding); `room` is what the
    limit leaves. Parquet files with an outer compression are read through here too."""
    from ..package.paths import UnsafePath, read_regular
    from ..package.streams import StreamError, decompress
    from ..errors import TargetError

    flag = "--max-file-bytes"
    together = "" if first else " together with the resource's earlier files"
    try:
        raw = read_regular(path, room)
    except UnsafePath as exc:
        return None, cat.make("scheme-error", **where, detail=f"{rel}: {exc}")
    except FileNotFoundError:
        return None, cat.make("scheme-error", **where, detail=f"{rel}: file not found")
    except TargetError:
        return None, cat.make("source-error", line=1, **where, detail=(
            f"{rel}: file is more than {room:,} bytes{together}, over the limit; not read (raise it with {flag})"))
    except OSError as exc:
        return None, cat.make("source-error", **where, detail=f"{rel}: cannot read: {exc.strerror or exc}")
    if compression is None:
        return raw, raw
    try:
        return raw, decompress(raw, compression, rel, room, flag)
    except StreamError as exc:
        return None, cat.make("source-error", line=1, **where, detail=str(exc))


def _repeated_header(p, head, rows_before: int, first: str, where: dict) -> list:
    """A repeated-header warning when a later file's first row is the first file's header."""
    if not head.labels or not p.n_rows:
        return []
    at = int(p.lines.argmin())
    if p.cell_counts[at] != len(head.labels):
        return []
    if any(p.columns[i][at].as_py() not in (head.labels[i], None if head.labels[i] == "" else head.labels[i])
           for i in range(len(head.labels))):
        return []
    return [cat.make("repeated-header", line=int(p.lines[at]), row=int(p.row_numbers[at]) + rows_before,
                     first=first, **where)]


def _merge(parsed: list, relpaths: list, where: dict):
    """The files' rows as one ParsedCsv: rows numbered straight through, lines one after another
    (file k's line 1 follows file k-1's last), and a locate.Parts to move findings back."""
    import numpy as np
    import pyarrow as pa

    from .locate import Parts
    from .structure.parsed import ParsedCsv

    head = parsed[0]
    width = head.width
    starts, line0, row0, index0 = [], 0, 0, 0
    rows, lines, counts, extras, findings, columns = [], [], [], {}, [], [[] for _ in range(width)]
    for p in parsed:
        starts.append(line0)
        rows.append(p.row_numbers + row0)
        lines.append(p.lines + line0)
        counts.append(p.cell_counts)
        extras.update({index0 + k: v for k, v in p.extras.items()})
        findings += p.findings
        for i in range(width):
            col = p.columns[i] if i < len(p.columns) else pa.nulls(p.n_rows, pa.string())
            columns[i] += col.chunks if isinstance(col, pa.ChunkedArray) else [col]
        span = max(int(p.total_lines), int(p.lines.max()) if p.n_rows else 0, 1)
        line0 += span
        row0 += p.n_rows + (1 if p.labels is not None else 0)
        index0 += p.n_rows
    merged = ParsedCsv(labels=head.labels, width=width,
                       columns=[pa.chunked_array(c, type=pa.string()) for c in columns],
                       row_numbers=np.concatenate(rows).astype(np.int64), lines=np.concatenate(lines).astype(np.int64),
                       cell_counts=np.concatenate(counts).astype(np.int64), extras=extras, findings=findings,
                       path_taken="+".join(sorted({p.path_taken for p in parsed})), total_lines=line0)
    if len(parsed) > 1:
        merged.locate = Parts(path=where["path"], starts=tuple(starts), relpaths=tuple(relpaths))
    return merged


@dataclasses.dataclass
class Setup:
    """What every file of a resource is read with: worked out once, before any file is read."""

    where: dict
    files: list
    stats: dict
    findings: list
    dialect: object
    width: int


@dataclasses.dataclass
class Part:
    """One file read, decoded and parsed (layer 1) on its own: `stop` is the finding that ends
    the resource (check None) and `empty` a file with no text; `raw` the stored bytes when a
    hash is declared (else their count); `used`, `lf` and `lines` what the limits count."""

    rel: str
    findings: list
    stop: object = None
    empty: bool = False
    raw: object = 0
    raw_len: int = 0
    used: int = 0
    lf: int = 0
    lines: int = 0
    parsed: object = None
    failed: bool = False


def setup_parts(res) -> Setup:
    from ..package.streams import compression_of, inner_name
    from .structure import dialect_of

    where = _where(res)
    files = list(res.parts) or [(res.relpath, res.path)]
    stats = {"path": res.relpath, "rows": 0, **({"files": len(files)} if res.parts else {})}
    findings = [cat.make("schema-error", **where, detail=p) for p in res.problems]
    dialect, problems = dialect_of(res.descriptor, inner_name(res.relpath, compression_of(res.relpath, res.descriptor)[0]))
    findings += [cat.make("format-error", severity=WARNING, **where, detail=p) for p in problems]
    schema = res.schema if isinstance(res.schema, dict) else {}
    width = len([f for f in (schema.get("fields") or []) if isinstance(f, dict) and isinstance(f.get("name"), str)])
    apply_missing(dialect, schema)
    return Setup(where, files, stats, findings, dialect, width)


def read_part(res, setup: Setup, k: int, width: int, room: int, lines_left: int) -> Part:
    """Layer 1 on file k of a resource, given the bytes and lines the limits leave it.

    One file's work depends on the others only through `width` (the first file's header),
    `room` and `lines_left`; so the Dask engine reads the files as parallel tasks with the whole
    limits and checks afterwards (`parallel_parts_agree`) that reading them in turn would have
    done the same, and reads them in turn (`check_parts`) where it would not."""
    from ..package.limits import current
    from ..package.streams import compression_of, inner_name
    from .structure import parse_csv
    from .structure.bounds import header_too_wide, too_many_lines
    from .structure.files import decode_text, format_problem

    rel, path = setup.files[k]
    here = {**setup.where, "path": rel}
    compression, problem = compression_of(rel, res.descriptor)
    problem = problem or format_problem(res, inner_name(rel, compression))
    if problem:
        return Part(rel, [], stop=cat.make("format-error", **here, detail=problem), failed=True)
    raw, data = read_stored(rel, path, compression, room, here, first=k == 0)
    if raw is None:
        return Part(rel, [], stop=data, failed=True)
    part = Part(rel, [], raw=raw if res.descriptor.get("hash") else len(raw), raw_len=len(raw), used=len(data))
    del raw
    data, offset, _, part.findings = decode_text(res, data, here)
    if data is None:
        part.failed = True
        return part
    limits = current()
    too_big = ((header_too_wide(data, offset, setup.dialect, limits.fields, here, rel) if k == 0 else None)
               or too_many_lines(data, lines_left, here, rel))
    if too_big is not None:
        if k > 0 and too_big.message.startswith(f"{rel}: the file has"):  # the bound is the files' together
            too_big = dataclasses.replace(too_big, message=too_big.message.replace(
                f"over the limit of {lines_left:,}", f"over the {lines_left:,} the limit of "
                f"{limits.lines:,} leaves after the resource's earlier files"))
        part.stop, part.failed = too_big, True
        return part
    part.lf = data.count(b"\n")
    part.lines = part.lf + data.count(b"\r") - data.count(b"\r\n")  # as too_many_lines counts them
    if len(data) <= offset:
        part.empty = True
        return part
    part_dialect = setup.dialect if k == 0 else dataclasses.replace(setup.dialect, header=False)
    part.parsed = parse_csv([data], offset, part_dialect, width, here, path=None)
    return part


def parallel_parts_agree(setup: Setup, parts: list) -> bool:
    """Whether files read each with the whole limits (and the schema's width) are what reading
    them in turn gives: none failed, each fits in what the earlier ones leave, and later files
    were parsed with the first file's width."""
    from ..package.limits import current

    limits = current()
    used, lines_left = 0, limits.lines
    for k, part in enumerate(parts):
        room = limits.file_bytes - used
        if part.failed or part.raw_len > room or part.used > room or part.lines > lines_left:
            return False
        if k > 0 and part.parsed is not None and part.parsed.width != parts[0].parsed.width:
            return False
        if k == 0 and part.empty:
            return False
        used += part.used
        lines_left -= part.lf
    return True


def check_parts(res):
    """Layers 1 and 2 (except foreign keys) on a multi-file or compressed resource."""
    from ..package.limits import current

    setup = setup_parts(res)
    limits = current()
    parts, used, lines_left = [], 0, limits.lines
    for k in range(len(setup.files)):
        width = parts[0].parsed.width if parts else setup.width
        part = read_part(res, setup, k, width, limits.file_bytes - used, lines_left)
        if part.failed:
            so_far = _joined(setup, parts)[0]
            return None, so_far + part.findings + ([part.stop] if part.stop is not None else []), setup.stats
        used += part.used
        lines_left -= part.lf
        if part.empty and k == 0:
            setup.findings += part.findings
            setup.findings.append(cat.make("source-error", line=1, **{**setup.where, "path": part.rel},
                                           detail=f"{part.rel}: the file is empty"))
            from .table import _empty_table

            return _empty_table(res), setup.findings, setup.stats
        parts.append(part)
    return finish_parts(res, setup, parts)


def _joined(setup: Setup, parts: list) -> tuple[list, list, list, list]:
    """(findings, parsed files, their paths, stored bytes) of the files read so far, in file order."""
    findings, where = list(setup.findings), setup.where
    parsed, relpaths, rows_before, raws = [], [], 0, []
    for k, part in enumerate(parts):
        findings += part.findings
        raws.append(part.raw)
        if part.empty:
            continue  # an empty later file adds no rows
        p = part.parsed
        if k > 0:
            findings += _repeated_header(p, parsed[0], rows_before, relpaths[0], {**where, "path": part.rel})
        rows_before += p.n_rows + (1 if p.labels is not None else 0)
        parsed.append(p)
        relpaths.append(part.rel)
    return findings, parsed, relpaths, raws


def finish_parts(res, setup: Setup, parts: list):
    """The files' rows as one table, then layer 2 on it: (TableCheck or None, findings, stats)."""
    findings, parsed, relpaths, raws = _joined(setup, parts)
    stats, where = setup.stats, setup.where
    findings += _raw_checks(res, raws, where)
    del raws
    merged = _merge(parsed, relpaths, where)
    findings += merged.findings
    merged.findings = []
    stats.update(bytes=sum(part.used for part in parts), rows=merged.n_rows, fields=merged.width,
                 lines=merged.total_lines, parse=merged.path_taken)
    return check_parsed(res, merged, findings, stats)
