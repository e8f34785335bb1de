"""Publish a release's files (zip, .sha256, notes) into dist/ as one unit.

The three files live side by side under fixed names (dvc.yaml, the README and `sha256sum -c`
rely on them), so they cannot be swapped in with one rename. Instead, under an exclusive
fcntl lock on dist/.kzcn-release.lock (two releases at once take turns, never mix one build's
zip with the other's checksum):

1. every new file is written and fsynced under a temporary name;
2. each file it replaces is hard-linked to a backup name;
3. a journal naming the files and their backups is written (atomically) — the point of no return;
4. the temporary files are renamed over the final names;
5. the journal is removed — the commit — then the backups.

A release killed between 3 and 5 leaves the journal: the next one to take the lock (a release,
`kzcn registry --update`, or `recover` called by any reader) rolls the files back from the
backups, so a reader holding the lock sees the old set or the new set, never a mix. Disk full
or any OSError: the temporary files are removed, the previous release is intact, and the
message names the file that could not be written.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
from pathlib import Path

from .detzip import slow_hook
from ..atomic import fsync_dir
from ..errors import UsageError

LOCK = ".kzcn-release.lock"
JOURNAL = ".kzcn-release.journal"
CHUNK = 1 << 16


@contextlib.contextmanager
def locked(dist: Path):
    """Hold the release lock of `dist` (exclusive), after repairing a killed release."""
    dist = Path(dist)
    dist.mkdir(parents=True, exist_ok=True)
    fd = os.open(dist / LOCK, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _roll_back(dist)
        yield dist
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def recover(dist: Path) -> None:
    """For readers: wait for a release in progress, undo a killed one; then the set is whole."""
    if Path(dist).is_dir():
        with locked(dist):
            pass


def _roll_back(dist: Path) -> None:
    journal = dist / JOURNAL
    if not journal.is_file():
        return
    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        entries = []
    for entry in entries:
        final, backup = dist / Path(entry["name"]).name, entry.get("backup")
        if backup and (dist / Path(backup).name).exists():
            os.replace(dist / Path(backup).name, final)
        elif not backup:
            final.unlink(missing_ok=True)
    fsync_dir(dist)
    journal.unlink()
    fsync_dir(dist)


def _write_temp(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        for i in range(0, len(data), CHUNK):
            fh.write(data[i:i + CHUNK])
            fh.flush()
            slow_hook()
        os.fsync(fh.fileno())
    os.chmod(path, 0o644)


def publish(files: dict[str, bytes], dist: Path) -> None:
    """Write `files` (name -> bytes) into `dist` as one unit (see the module's docstring)."""
    dist = Path(dist)
    pid = os.getpid()
    temps, backups = [], []
    with locked(dist):
        for stale in list(dist.glob(".*.tmp")) + list(dist.glob(".*.bak")):
            stale.unlink(missing_ok=True)  # left by a killed release; the lock says none is running
        try:
            for name, data in files.items():
                tmp = dist / f".{name}.{pid}.tmp"
                temps.append(tmp)
                _write_temp(tmp, data)
            entries = []
            for name in files:
                final = dist / name
                backup = None
                if final.is_file() and not final.is_symlink():
                    backup = dist / f".{name}.{pid}.bak"
                    os.link(final, backup)
                    backups.append(backup)
                entries.append({"name": name, "backup": backup.name if backup else None})
            tmp_journal = dist / f".{JOURNAL}.{pid}.tmp"
            temps.append(tmp_journal)
            _write_temp(tmp_journal, json.dumps({"files": entries}, indent=1).encode())
            os.replace(tmp_journal, dist / JOURNAL)
            fsync_dir(dist)
        except OSError as exc:
            for p in temps + backups:
                p.unlink(missing_ok=True)
            raise UsageError(f"cannot write {exc.filename or dist}: {exc.strerror or exc}; "
                             f"nothing was published, the previous release in {dist} is intact") from None
        except BaseException:
            for p in temps + backups:
                p.unlink(missing_ok=True)
            raise
        try:
            for name in files:
                os.replace(dist / f".{name}.{pid}.tmp", dist / name)
                slow_hook()
            fsync_dir(dist)
        except OSError as exc:  # the journal is written: put the previous files back
            _roll_back(dist)
            raise UsageError(f"cannot publish {exc.filename or dist}: {exc.strerror or exc}; "
                             f"the previous release in {dist} was put back") from None
        (dist / JOURNAL).unlink()
        fsync_dir(dist)
        for backup in backups:
            backup.unlink(missing_ok=True)
