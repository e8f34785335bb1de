"""Atomic outputs: a reader (or a killed writer) sees the old file or folder or the new one, never half.

A file is written to a temporary name beside it, flushed and renamed over the old one. A folder
is written into a temporary folder beside the destination, then swapped in with
renameat2(RENAME_EXCHANGE) where Linux offers it (one atomic step), otherwise with two renames
whose in-between state is repaired by the next run (`recover`). Temporary folders left by a
killed writer are removed once their process is gone.

Every stage writes through here, so it imports nothing from the rest of kzcn.
"""
from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from pathlib import Path


def write_bytes_atomic(path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_text_atomic(path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))

AT_FDCWD = -100
RENAME_EXCHANGE = 2


def _tmp_prefix(dest: Path) -> str:
    return f".{dest.name}.tmp-"


def _old_prefix(dest: Path) -> str:
    return f".{dest.name}.old-"


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(dest: Path) -> None:
    """Undo what a writer killed mid-swap or mid-write left behind."""
    parent = dest.parent
    if not parent.is_dir():
        return
    olds = sorted(p for p in parent.glob(_old_prefix(dest) + "*") if p.is_dir())
    if olds and not dest.exists():
        os.rename(olds[-1], dest)  # killed between the two renames: put the previous one back
        olds = olds[:-1]
    for p in olds:
        shutil.rmtree(p, ignore_errors=True)
    for p in parent.glob(_tmp_prefix(dest) + "*"):
        pid = p.name[len(_tmp_prefix(dest)):].split("-", 1)[0]
        if pid.isdigit() and not pid_alive(int(pid)):
            shutil.rmtree(p, ignore_errors=True)


def make_temp_dir(dest: Path) -> Path:
    """A fresh folder beside `dest` (same file system, so the final rename is atomic)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    recover(dest)
    tmp = Path(tempfile.mkdtemp(prefix=f"{_tmp_prefix(dest)}{os.getpid()}-", dir=dest.parent))
    os.chmod(tmp, 0o755)  # mkdtemp makes it private; the result is an ordinary folder
    return tmp


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries, so a rename in it survives a crash (release.publish uses it too)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False when the system cannot (then the caller falls back)."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EPERM, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def swap_into_place(tmp: Path, dest: Path) -> None:
    """Make `tmp` the new `dest`; the previous `dest` is deleted only after the swap."""
    for path in tmp.rglob("*"):
        if path.is_file():
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
    if dest.exists():
        if _exchange(tmp, dest):
            fsync_dir(dest.parent)
            shutil.rmtree(tmp)
            return
        old = dest.parent / f"{_old_prefix(dest)}{os.getpid()}"
        os.rename(dest, old)
        os.rename(tmp, dest)
        fsync_dir(dest.parent)
        shutil.rmtree(old)
    else:
        os.rename(tmp, dest)
        fsync_dir(dest.parent)


def output_problem(path, inputs=(), folder: bool = False) -> str | None:
    """Why `path` may not be written as an output (None: it may), checked before the run writes.

    An output never goes through a symlink, never replaces a device, a FIFO or a socket (writing
    /dev/sda or blocking on a pipe), and never replaces an input of the same run (the descriptor,
    a CSV, the rules or resolutions it reads): compared after resolving and by inode, so a hard
    link or a `./x/../` spelling is caught too. `folder`: the output is a folder, not a file.
    """
    import stat

    p = Path(path)
    if p.is_symlink():
        return "is a symlink; refusing to write through it"
    try:
        st = os.stat(p)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        return f"cannot be checked: {exc.strerror or exc}"
    if st is not None:
        if stat.S_ISDIR(st.st_mode) and not folder:
            return "is a folder; give a file name"
        if not stat.S_ISDIR(st.st_mode) and folder:
            return "exists and is not a folder"
        if not (stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode)):
            return "is a device, FIFO or socket, not a regular file"
    resolved = p.resolve()
    ids = set()
    for i in inputs:
        i = Path(i)
        if folder and (i.resolve() == resolved or i.resolve().is_relative_to(resolved)) and st is not None:
            return f"holds {i}, an input of this run"
        if i.resolve() == resolved:
            return "is an input of this run"
        try:
            s = os.stat(i)
            ids.add((s.st_dev, s.st_ino))
        except OSError:
            pass
    if st is not None and not folder and (st.st_dev, st.st_ino) in ids:
        return "is an input of this run (a hard link to it)"
    return None


MARKER = ".kzcn-output"  # in every folder a kzcn command made: the only folders it replaces


def ownership_problem(dest) -> str | None:
    """Why `dest` may not be replaced (None: it is absent, empty, or a folder we made)."""
    dest = Path(dest)
    if not dest.exists():
        return None
    if not dest.is_dir() or dest.is_symlink():
        return "exists and is not a folder"
    if (dest / MARKER).is_file() or not any(dest.iterdir()):
        return None
    return f"exists and was not written by kzcn (no {MARKER} in it); it is never replaced"


def mark(folder) -> None:
    """Claim a folder as ours, so a later run may replace it (and nothing else)."""
    (Path(folder) / MARKER).write_text("written by kzcn; a later run replaces this folder whole\n")


class TempFolders:
    """Several output folders under `base`, each written into a marked temporary folder beside
    it and swapped in by `commit` only when all are complete; on any failure the temporary
    folders are removed and the previous outputs stay as they were."""

    def __init__(self, base, names) -> None:
        self.base = Path(base)
        self.names = tuple(names)
        self._temps: dict[str, Path] = {}

    def __enter__(self) -> "TempFolders":
        self.base.mkdir(parents=True, exist_ok=True)
        for name in self.names:
            self._temps[name] = tmp = make_temp_dir(self.base / name)
            mark(tmp)
        return self

    def __getitem__(self, name: str) -> Path:
        return self._temps[name]

    def items(self):
        return self._temps.items()

    def commit(self) -> None:
        for name in self.names:
            swap_into_place(self._temps[name], self.base / name)
        self._temps = {name: self.base / name for name in self.names}
        self._committed = True

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None and not getattr(self, "_committed", False):
            for tmp in self._temps.values():
                if tmp.name.startswith("."):
                    shutil.rmtree(tmp, ignore_errors=True)


def write_failure(exc: OSError, fallback) -> str:
    """The message for an output that could not be written: which file, why, what survived."""
    name = exc.filename or fallback
    return (f"cannot write {name}: {exc.strerror or exc}; nothing was replaced, "
            f"the previous outputs are intact")
