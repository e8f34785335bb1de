"""Reading one file of a diff side within the size cap: a zip member, a file of a folder.

`kzcn diff` compares archives and folders anyone can hand it, so a member is never inflated
whole on trust: the size the archive declares is checked before anything is read, and at
most limit + 1 bytes are read whatever it declares (`--max-file-bytes`, kzcn.package.limits).
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import TargetError


def member_limit() -> int:
    from ..package.limits import current

    return current().file_bytes


def read_member(zf: zipfile.ZipFile, name: str, where: str) -> bytes:
    """One member's bytes, streamed from the archive and never more than the limit.

    Both sizes are checked: the size the archive declares (before anything is inflated) and
    the bytes actually read (at most limit + 1), so a 4 MB zip holding a 4 GB member costs
    the limit, not 4 GB, whatever its header claims."""
    limit = member_limit()
    info = zf.getinfo(name)
    if info.file_size > limit:
        raise TargetError(f"{where}: member {name} declares {info.file_size:,} bytes, over the limit of "
                          f"{limit:,}; not read (raise it with --max-file-bytes)")
    try:
        from ..package.limits import read_at_most

        with zf.open(info) as fh:  # no fileno: read in steps, never more than limit + 1
            data = read_at_most(fh, limit)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise TargetError(f"{where}: member {name} cannot be read: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - zlib.error, NotImplementedError (compression method)
        raise TargetError(f"{where}: member {name} cannot be read: {type(exc).__name__}: {exc}") from None
    if data is None:
        raise TargetError(f"{where}: member {name} holds more than the limit of {limit:,} bytes "
                          f"(its header declares {info.file_size:,}); not read (raise it with --max-file-bytes)")
    return data


def read_file(p: Path) -> bytes:
    """A file of a package folder, no more than the limit."""
    from ..package.limits import read_capped

    return read_capped(p, member_limit(), "file", "--max-file-bytes")
