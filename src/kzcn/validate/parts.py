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


def check_parts(res):
    """Layers 1 and 2 (except foreign keys) on a multi-file or compressed resource."""
    from ..package.limits import current
    from ..package.streams import compression_of, inner_name
    from .structure import dialect_of, parse_csv
    from .structure.bounds import header_too_wide, too_many_lines
    from .structure.files import decode_text, format_problem

    where = _where(res)
    files = list(res.parts) or [(res.relpath, res.path)]
    stats = {"path": res.relpath, "rows": 0, **({"files": len(files)} if res.parts else {})}
    findings = [cat.make("schema-error", **where, detail=p) for p in res.problems]
    limits = current()
    dialect, problems = dialect_of(res.descriptor, inner_name(res.relpath, compression_of(res.relpath, res.descriptor)[0]))
    findings += [cat.make("format-error", severity=WARNING, **where, detail=p) for p in problems]
    schema = res.schema if isinstance(res.schema, dict) else {}
    width = len([f for f in (schema.get("fields") or []) if isinstance(f, dict) and isinstance(f.get("name"), str)])
    apply_missing(dialect, schema)
    raws, parsed, relpaths, used, lines_left, rows_before = [], [], [], 0, limits.lines, 0
    for k, (rel, path) in enumerate(files):
        here = {**where, "path": rel}
        compression, problem = compression_of(rel, res.descriptor)
        problem = problem or format_problem(res, inner_name(rel, compression))
        if problem:
            return None, findings + [cat.make("format-error", **here, detail=problem)], stats
        raw, data = read_stored(rel, path, compression, limits.file_bytes - used, here, first=k == 0)
        if raw is None:
            return None, findings + [data], stats
        used += len(data)
        raws.append(raw if res.descriptor.get("hash") else len(raw))  # the bytes are kept only for a hash
        del raw
        data, offset, _, found = decode_text(res, data, here)
        findings += found
        if data is None:
            return None, findings, stats
        too_big = ((header_too_wide(data, offset, dialect, limits.fields, here, rel) if k == 0 else None)
                   or too_many_lines(data, lines_left, here, rel))
        if too_big is not None:
            if k > 0 and too_big.message.startswith(f"{rel}: the file has"):  # the bound is the files' together
                too_big = dataclasses.replace(too_big, message=too_big.message.replace(
                    f"over the limit of {lines_left:,}", f"over the {lines_left:,} the limit of "
                    f"{limits.lines:,} leaves after the resource's earlier files"))
            return None, findings + [too_big], stats
        lines_left -= data.count(b"\n")
        part_dialect = dialect if k == 0 else dataclasses.replace(dialect, header=False)
        if k > 0 and len(data) <= offset:
            continue  # an empty later file adds no rows
        if k == 0 and len(data) <= offset:
            findings.append(cat.make("source-error", line=1, **here, detail=f"{rel}: the file is empty"))
            from .table import _empty_table

            return _empty_table(res), findings, stats
        p = parse_csv([data], offset, part_dialect, parsed[0].width if parsed else width, here, path=None)
        del data
        if k > 0:
            findings += _repeated_header(p, parsed[0], rows_before, relpaths[0], here)
        rows_before += p.n_rows + (1 if p.labels is not None else 0)
        parsed.append(p)
        relpaths.append(rel)
    findings += _raw_checks(res, raws, where)
    del raws
    merged = _merge(parsed, relpaths, where)
    findings += merged.findings
    merged.findings = []
    stats.update(bytes=used, rows=merged.n_rows, fields=merged.width, lines=merged.total_lines,
                 parse=merged.path_taken)
    check, findings, stats = check_parsed(res, merged, findings, stats)
    return check, findings, stats
