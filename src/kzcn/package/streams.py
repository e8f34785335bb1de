"""The bytes of one file of a resource, decompressed when it is compressed, never past a bound.

A resource's data may be one file, several files read as one table (`path: [a.csv, b.csv]`),
or a compressed file (`.gz`, `.zip`, `.bz2`, `.xz`, by `compression` or by its extension), as
the Data Package spec and frictionless allow. Everything here comes from a pull request, so a
decompression bomb (a few KB that expand to terabytes), a truncated stream, a zip of many
members or with a member named `../x` are answers, not crashes: `read_part` decompresses as a
stream and stops at `limit` + 1 bytes of output, whatever the archive claims, and every
failure is a `StreamError` whose message names the file and what is wrong with it.

Only the bytes live here; what they mean as a table is kzcn.validate's business. The file
itself is opened as every package file is (a regular file, no more than `limit` + 1 bytes).
"""
from __future__ import annotations

import io
from pathlib import Path, PurePosixPath

CHUNK = 4 << 20
# what `compression` may say, and the extension that implies it
COMPRESSIONS = {"gz": "gz", "gzip": "gz", "zip": "zip", "bz2": "bz2", "bzip2": "bz2", "xz": "xz", "lzma": "xz"}
EXTENSIONS = {".gz": "gz", ".zip": "zip", ".bz2": "bz2", ".xz": "xz"}
UNSUPPORTED = {".zst": "zstd", ".zstd": "zstd", ".lz4": "lz4", ".7z": "7z", ".tgz": "tar"}


class StreamError(Exception):
    """A file whose bytes cannot be had: the message names it and says why (a source-error)."""


class TooBig(StreamError):
    """More bytes than the limit: decompressed output or the file itself."""


def compression_of(relpath: str, descriptor: dict) -> tuple[str | None, str | None]:
    """(the compression a file is read with or None, a problem in words or None).

    `compression` in the descriptor wins; otherwise the extension implies it (`a.csv.gz`), as
    frictionless infers it. `compression: no` (or none) reads the file as it is.
    """
    declared = descriptor.get("compression")
    if isinstance(declared, str) and declared:
        key = declared.strip().lower()
        if key in ("no", "none", "false"):
            return None, None
        if key in COMPRESSIONS:
            return COMPRESSIONS[key], None
        return None, f"compression {declared!r} is not one this validator reads (gz, zip, bz2, xz); not checked"
    suffix = PurePosixPath(relpath.lower()).suffix
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix], None
    if suffix in UNSUPPORTED:
        return None, (f"{relpath}: {UNSUPPORTED[suffix]} compression is not one this validator reads "
                      f"(gz, zip, bz2, xz); not checked")
    return None, None


def inner_name(relpath: str, compression: str | None) -> str:
    """The file's name without its compression extension: what says its format (`a.tsv.gz` -> `a.tsv`)."""
    if compression is None:
        return relpath
    for ext, kind in EXTENSIONS.items():
        if kind == compression and relpath.lower().endswith(ext):
            return relpath[: -len(ext)]
    return relpath


def _bounded_read(fh, limit: int, relpath: str, flag: str) -> bytes:
    """All of a decompressing stream, CHUNK bytes at a time, or TooBig at limit + 1 bytes."""
    parts, total = [], 0
    while True:
        part = fh.read(min(CHUNK, limit + 1 - total))
        if not part:
            return b"".join(parts)
        total += len(part)
        if total > limit:
            parts.clear()
            raise TooBig(f"{relpath}: decompressed, the file is more than {limit:,} bytes, over the limit; "
                         f"read no further (a decompression bomb? raise it with {flag})")
        parts.append(part)


def _zip_member(raw: bytes, relpath: str, limit: int, flag: str) -> bytes:
    import zipfile

    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        members = [m for m in zf.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise StreamError(f"{relpath}: not a readable zip archive ({exc})") from None
    if len(members) != 1:
        shown = ", ".join(repr(m.filename) for m in members[:5]) + (", ..." if len(members) > 5 else "")
        raise StreamError(f"{relpath}: the zip holds {len(members):,} files ({shown or 'none'}); a resource "
                          f"reads exactly one: zip each file on its own, or list them in `path`")
    member = members[0]
    name = member.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if not name or name.startswith(("/", "\\")) or ".." in parts or ":" in name or "\x00" in name:
        raise StreamError(f"{relpath}: the zip member's name {name[:200]!r} is not a plain relative file name "
                          f"(absolute, .. or a drive); not read")
    if member.flag_bits & 0x1:
        raise StreamError(f"{relpath}: the zip member {name[:200]!r} is encrypted; not read")
    if member.file_size > limit:
        raise TooBig(f"{relpath}: its zip member {name[:200]!r} declares {member.file_size:,} bytes, over the "
                     f"limit of {limit:,}; not read (raise it with {flag})")
    try:
        with zf.open(member) as fh:
            return _bounded_read(fh, limit, relpath, flag)
    except TooBig:
        raise
    except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, ValueError, RuntimeError) as exc:
        raise StreamError(f"{relpath}: its zip member {name[:200]!r} cannot be decompressed ({exc})") from None
    except Exception as exc:  # noqa: BLE001 - zlib.error, lzma.LZMAError, bz2 errors: all "corrupt"
        raise StreamError(f"{relpath}: its zip member {name[:200]!r} cannot be decompressed ({exc})") from None


def decompress(raw: bytes, compression: str, relpath: str, limit: int, flag: str = "--max-file-bytes") -> bytes:
    """The decompressed bytes of a file's `raw` bytes, never more than `limit` (TooBig past it).

    gzip, bz2 and xz are read as streams of concatenated members, as their command-line tools
    read them; a zip must hold exactly one file. A truncated or corrupt stream is a StreamError.
    """
    if compression == "zip":
        return _zip_member(raw, relpath, limit, flag)
    import bz2
    import gzip
    import lzma

    opener = {"gz": gzip.GzipFile, "bz2": bz2.BZ2File, "xz": lzma.LZMAFile}[compression]
    try:
        with opener(fileobj=io.BytesIO(raw), mode="rb") if compression == "gz" else opener(io.BytesIO(raw)) as fh:
            return _bounded_read(fh, limit, relpath, flag)
    except TooBig:
        raise
    except EOFError:
        raise StreamError(f"{relpath}: the {compression} stream ends before it is complete (a truncated file?)") from None
    except Exception as exc:  # noqa: BLE001 - gzip.BadGzipFile, OSError, zlib.error, lzma.LZMAError: corrupt
        raise StreamError(f"{relpath}: not a readable {compression} stream ({str(exc) or type(exc).__name__})") from None


def read_part(path: Path, relpath: str, compression: str | None, limit: int, flag: str = "--max-file-bytes") -> bytes:
    """One file of a resource: its bytes, decompressed, at most `limit` of either.

    The file is opened as a package file (regular files only, UnsafePath otherwise) and read no
    further than `limit` + 1 bytes; FileNotFoundError and OSError pass through for the caller
    to word. Decompression stops at `limit` + 1 bytes of output (TooBig)."""
    from .paths import UnsafePath, read_regular
    from ..errors import TargetError

    try:
        raw = read_regular(path, limit)
    except UnsafePath:
        raise
    except TargetError:
        raise TooBig(f"{relpath}: file is more than {limit:,} bytes, over the limit; not read "
                     f"(raise it with {flag})") from None
    if compression is None:
        return raw
    return decompress(raw, compression, relpath, limit, flag)
