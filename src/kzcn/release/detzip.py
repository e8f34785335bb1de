"""Zip archives with the same bytes on every machine (reading them back is kzcn.package.archive).

Same inputs, same bytes: entries sorted by name, every date 1980-01-01 00:00 (the earliest a
zip can hold), mode 0644, no compression (DEFLATE output differs between zlib builds, and the
published sha256 must match everywhere), no extra fields, no comment.
"""
from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

from ..atomic import MARKER

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
        if path.is_file() and not path.is_symlink() and path.name != MARKER:
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
