"""A resource's table as the bytes of one CSV file, for the commands that work on CSV text.

`kzcn build` writes each table as one canonical CSV and `kzcn report` reads each table as CSV
cells; both get the bytes here, so every CSV kind of resource the Data Package spec allows
means the same to them as to `kzcn validate`:

- one CSV file: its bytes;
- a compressed CSV (`.gz`, `.zip`, `.bz2`, `.xz`, by `compression` or extension): decompressed
  through kzcn.package.streams, never past `--max-file-bytes`;
- several files (`path: [a.csv, b.csv]`): one table, the header in the first file only (the
  spec), so the later files' bytes follow the first's, each starting on a line of its own.

What is not CSV text is refused with a NotCsv naming the resource and why (exit 2: the command
cannot do this, the data is not wrong): inline `data` and Parquet files, whose cells have no
written spelling a release could keep byte for byte ("cells are never reinterpreted",
release/csvnorm.py), and remote files (no network).
"""
from __future__ import annotations

from pathlib import PurePosixPath

from ..errors import DataError, UsageError


class NotCsv(UsageError):
    """A resource whose rows are not CSV text: the message names it and says why (exit 2)."""


def is_parquet(res) -> bool:
    """`format: parquet`, or no format and a first file named `.parquet` (`.parquet.gz` too)."""
    from .streams import compression_of, inner_name

    fmt = str(res.descriptor.get("format") or "").lower()
    if fmt:
        return fmt == "parquet"
    inner = inner_name(res.relpath, compression_of(res.relpath, res.descriptor)[0])
    return PurePosixPath(inner.lower()).suffix == ".parquet"


def not_csv(res, command: str) -> str | None:
    """Why `command` cannot take the resource's rows as CSV text, else None."""
    if res.inline:
        return (f"resource {res.name!r} holds its rows inline (`data:`); {command} works on CSV "
                f"files: write the rows to a CSV file and name it in `path` (`kzcn validate` checks it as it is)")
    if is_parquet(res):
        return (f"resource {res.name!r} ({res.relpath}) is Parquet; {command} works on CSV files, "
                f"and a Parquet value has no written spelling to keep: convert it to CSV "
                f"(`kzcn validate` checks it as it is)")
    if "://" in res.relpath:
        return f"resource {res.name!r} ({res.relpath}) is a remote file; it is not fetched (no network)"
    return None


def csv_bytes(res, command: str) -> bytes:
    """The resource's table as one CSV's bytes. NotCsv when it is not CSV text; DataError naming
    the file when a file is missing, unreadable, corrupt or over the limit; UnsafePath passes
    through for the caller to word (the resource is refused)."""
    from .limits import current
    from .paths import UnsafePath
    from .streams import StreamError, compression_of, read_part

    problem = not_csv(res, command)
    if problem:
        raise NotCsv(problem)
    if res.refused:
        raise UnsafePath(res.refused)
    limit = current().file_bytes
    out, used = [], 0
    for k, (rel, path) in enumerate(list(res.parts) or [(res.relpath, res.path)]):
        compression, trouble = compression_of(rel, res.descriptor)
        if trouble:
            raise NotCsv(f"resource {res.name!r}: {trouble}")
        try:
            data = read_part(path, rel, compression, limit - used)
        except StreamError as exc:
            raise DataError(f"{exc} (table {res.name})") from None
        except FileNotFoundError:
            raise DataError(f"{rel}: file not found (table {res.name})") from None
        except OSError as exc:
            raise DataError(f"{rel}: cannot read: {exc.strerror or exc} (table {res.name})") from None
        used += len(data)
        if k > 0:
            if data.startswith(b"\xef\xbb\xbf"):  # a later file's byte-order mark is not a cell's text
                data = data[3:]
            if out[-1] and not out[-1].endswith((b"\n", b"\r")):  # a file's last line ends its row
                out.append(b"\n")
        out.append(data)
    return b"".join(out)
