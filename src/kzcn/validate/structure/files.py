"""Layer 1 on a resource's file as a whole, before any record is split.

Whether the file can be read at all (a local CSV file that exists), the size and hash the
descriptor declares, and its encoding: a declared legacy encoding is converted to UTF-8 with a
warning, then the bytes are checked as UTF-8 (encoding.py). What comes out is the text's bytes
and where the text starts, which is what `parse_csv` takes.
"""
from __future__ import annotations

import codecs
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from .. import catalogue as cat
from .encoding import check_encoding

if TYPE_CHECKING:
    from ...package.descriptor import Resource

CSV_FORMATS = {"csv", "tsv", "txt"}
HASHES = {"md5", "sha1", "sha256", "sha512"}


def _file_checks(res: Resource, data: bytes, where: dict) -> list:
    return declared_checks(res, len(data), lambda: (data,), where)


def declared_checks(res: Resource, size: int, chunks, where: dict) -> list:
    """bytes and hash the descriptor declares (frictionless: byte-count, hash-count), of the
    file(s) as stored: `size` bytes, whose content `chunks()` yields block by block (called only
    when a supported hash is declared), so one check serves a CSV in memory, the files of a
    multi-file resource and a Parquet file read from disk."""
    out = []
    declared = res.descriptor.get("bytes")
    if isinstance(declared, int) and not isinstance(declared, bool) and declared != size:
        out.append(cat.make("byte-count", **where, actual=size, expected=declared))
    declared = res.descriptor.get("hash")
    if isinstance(declared, str) and declared:
        algo, _, digest = declared.partition(":") if ":" in declared else ("md5", "", declared)
        algo = algo.lower()
        if algo not in HASHES:
            out.append(cat.make("schema-error", **where, detail=f"hash algorithm {algo!r} is not supported "
                                f"(use one of {', '.join(sorted(HASHES))}); the hash is not checked"))
        else:
            h = hashlib.new(algo)
            for block in chunks():
                h.update(block)
            if h.hexdigest() != digest.lower():
                out.append(cat.make("hash-count", **where, algorithm=algo, actual=h.hexdigest(), expected=digest))
    return out


def _declared_encoding(res: Resource) -> str | None:
    enc = res.descriptor.get("encoding")
    if not isinstance(enc, str) or not enc:
        return None
    try:
        name = codecs.lookup(enc).name
    except LookupError:
        return enc
    return None if name in ("utf-8", "utf-8-sig") else name


def format_problem(res: Resource, relpath: str | None = None) -> str | None:
    """Why a file is not read as CSV (another format), else None. `relpath` is the file's name
    without its compression extension (`a.csv.gz` is read as `a.csv`)."""
    shown = relpath or res.relpath
    rel = shown.lower()
    if "://" in rel:
        return None
    fmt = str(res.descriptor.get("format") or "").lower()
    suffix = Path(rel).suffix.lstrip(".")
    if fmt and fmt not in CSV_FORMATS:
        return f"{shown}: format {fmt!r} is not CSV; not checked"
    if not fmt and suffix and suffix not in CSV_FORMATS:
        return f"{shown}: a .{suffix} file is not CSV; not checked"
    return None


def read_file(res: Resource, where: dict, stats: dict) -> tuple[bytes | None, int, str | None, list]:
    """One resource's file, checked as a whole: (its bytes as UTF-8, where the text starts, the
    legacy encoding it declares or None, findings). The bytes are None when the file is not read
    on (remote, not CSV, missing or unreadable, not text in its encoding); stats["bytes"] is its size."""
    from ...package.paths import UnsafePath

    if res.refused:  # a path out of the package, a FIFO, a device: named, never opened
        return None, 0, None, [cat.make(getattr(res, "refused_code", "scheme-error"), **where, detail=res.refused)]
    if "://" in res.relpath:
        return None, 0, None, [cat.make("scheme-error", **where, detail=(
            f"{res.relpath}: remote files are not fetched (no network); not checked"))]
    problem = format_problem(res)
    if problem:
        return None, 0, None, [cat.make("format-error", **where, detail=problem)]
    from ...package.limits import current
    from .bounds import read_bounded

    try:
        data, too_big = read_bounded(res.path, res.relpath, current().file_bytes, where)
    except UnsafePath as exc:
        return None, 0, None, [cat.make("scheme-error", **where, detail=f"{res.relpath}: {exc}")]
    except FileNotFoundError:
        return None, 0, None, [cat.make("scheme-error", **where, detail=f"{res.relpath}: file not found")]
    except OSError as exc:
        return None, 0, None, [cat.make("source-error", **where,
                                        detail=f"{res.relpath}: cannot read: {exc.strerror or exc}")]
    if too_big is not None:
        return None, 0, None, [too_big]
    stats["bytes"] = len(data)
    findings = _file_checks(res, data, where)
    data, offset, legacy, more = decode_text(res, data, where)
    return data, offset, legacy, findings + more


def decode_text(res: Resource, data: bytes, where: dict, line: int | None = 1):
    """A file's bytes as UTF-8 text: (bytes or None when they are not text, where the text
    starts, the legacy encoding the resource declares or None, findings)."""
    findings: list = []
    legacy = _declared_encoding(res)
    if legacy:  # what the bytes really are decides (structure.declared)
        from .declared import read_declared

        data, found = read_declared(data, legacy, str(res.descriptor.get("encoding")), where)
        findings += found
        if data is None:
            return None, 0, legacy, findings
    offset, enc_findings, fatal = check_encoding(data, where)
    findings += enc_findings
    if fatal:
        return None, 0, legacy, findings
    return data, offset, legacy, findings
