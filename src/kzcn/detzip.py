"""Zip archives with the same bytes on every machine, and extraction that cannot escape its folder.

Same inputs, same bytes: entries sorted by name, every date 1980-01-01 00:00 (the earliest a
zip can hold), mode 0644, no compression (DEFLATE output differs between zlib builds, and the
published sha256 must match everywhere), no extra fields, no comment.

Extraction refuses absolute names, `..`, drive letters, symlinks and anything else that would
land outside the target folder ("zip slip"), before writing a single file.
"""
from __future__ import annotations

import hashlib
import os
import stat
import time
import zipfile
from pathlib import Path, PurePosixPath

from .errors import DataError

FIXED_DATE = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644
SLOW_HOOK = "KZCN_TEST_SLOW_WRITES"


def slow_hook() -> None:
    """Test hook: with KZCN_TEST_SLOW_WRITES=<seconds>, pause between files so a test can kill a
    build or release while it writes (and check the previous one survives). Never set otherwise."""
    delay = os.environ.get(SLOW_HOOK)
    if delay:
        time.sleep(float(delay))


def files_under(folder: Path, prefix: str = "") -> dict[str, Path]:
    """Every regular file below `folder` as {archive name: path}; names use '/' and `prefix`."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            out[prefix + path.relative_to(folder).as_posix()] = path
    return out


def write_zip(fh, entries: dict[str, bytes]) -> None:
    """Write `entries` (name -> bytes) to an open binary file, deterministically."""
    with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_STORED) as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = FILE_MODE << 16
            info.create_system = 3  # unix, so the mode above is read as such everywhere
            zf.writestr(info, entries[name])


def sha256_file(path: Path) -> str:
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
