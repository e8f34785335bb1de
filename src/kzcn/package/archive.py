"""Reading release archives: their sha256, and extraction that cannot escape its folder.

Extraction refuses absolute names, `..`, drive letters, symlinks and anything else that would
land outside the target folder ("zip slip"), before writing a single file. It lives with the
package reader because loading a published version (`kzcn.load(name, version=...)`) needs it;
writing deterministic zips is the release stage's job (kzcn.release.detzip).
"""
from __future__ import annotations

import hashlib
import os
import stat
import zipfile
from pathlib import Path, PurePosixPath

from ..errors import DataError


def sha256_file(path: Path) -> str:
    """A file's sha256, read 1 MiB at a time: the one digest downloads and the registry compare."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _safe_name(name: str, archive: str) -> PurePosixPath:
    norm = name.replace("\\", "/")
    p = PurePosixPath(norm)
    if norm.startswith("/") or not p.parts or ".." in p.parts or ":" in p.parts[0]:
        raise DataError(f"{archive}: entry {name!r} would be written outside the target folder; refusing to extract")
    return p


def check_members(zf: zipfile.ZipFile, archive: str) -> list[zipfile.ZipInfo]:
    """The archive's entries, after refusing any that could escape the folder or is a link."""
    members = zf.infolist()
    for info in members:
        _safe_name(info.filename, archive)
        mode = info.external_attr >> 16
        if mode and stat.S_ISLNK(mode):
            raise DataError(f"{archive}: entry {info.filename!r} is a symbolic link; refusing to extract")
    return members


def safe_extract(archive: Path, dest: Path) -> None:
    """Extract every entry of `archive` under `dest`, refusing the whole archive if one is unsafe."""
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataError(f"{archive}: not a readable zip archive: {exc}") from None
    with zf:
        members = check_members(zf, str(archive))
        root = dest.resolve()
        for info in members:
            target = (root / _safe_name(info.filename, str(archive))).resolve()
            if root != target and root not in target.parents:
                raise DataError(f"{archive}: entry {info.filename!r} would be written outside "
                                f"the target folder; refusing to extract")
        for info in members:
            target = root / _safe_name(info.filename, str(archive))
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as out:
                while block := src.read(1 << 20):
                    out.write(block)
            os.chmod(target, 0o644)
