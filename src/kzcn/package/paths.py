"""The one place that decides whether a path a package names may be read, or a name written.

A package arrives in a pull request, so every path in it (a resource's CSV, a schema, a dialect,
the rules file and the resolutions file it names) is hostile until checked: an absolute path,
`..`, `~`, `$VAR` or `file://`, or a symlink out of the package root would make the validator
read /etc/shadow or /proc/self/environ and print its lines into public CI logs; a FIFO would
hang it and a device would read forever. `contain` resolves the path and refuses all of that
before anything is opened, the way frictionless refuses unsafe paths unless told `--trusted`.
`trusted=True` (a person validating their own files) lifts the containment, never the
"regular files only" rule: reading a FIFO or a device is never what anyone meant.

The other way round, names from a package become file names when we write (the expectation
suite of a resource, the release zip named after the package and its version): `check_name`
holds them to the Frictionless name pattern and `inside` checks, after resolving, that a file
we are about to write lies under its output folder.
"""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path, PurePosixPath

from ..errors import TargetError, UsageError

# Frictionless: "a name MUST consist only of lowercase alphanumeric characters plus '.', '-' and '_'"
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
# Semantic versioning 2.0.0 (https://semver.org), anchored.
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
                    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$")
MAX_NAME = 100
_VAR = re.compile(r"\$\w|\$\{|%[^%]+%")


class UnsafePath(TargetError):
    """A path a package names that may not be read: the message names the path and why."""


def show(value) -> str:
    """A value for a message: repr, so a newline or an escape sequence in it stays visible."""
    text = repr(value) if isinstance(value, str) else repr(str(value))
    return text if len(text) <= 200 else text[:197] + "..."


def lexical_problem(rel) -> str | None:
    """Why a path, read as written, is not a relative path inside the package (None: it is)."""
    if not isinstance(rel, str):
        return f"a path must be text, found {type(rel).__name__}"
    if not rel.strip():
        return "the path is empty"
    if "\x00" in rel:
        return "the path contains a NUL character"
    if "://" in rel or rel.lower().startswith("file:"):
        return "a URL is not a local file inside the package"
    if rel.startswith("~"):
        return "a path starting with ~ (a home folder) is outside the package"
    if _VAR.search(rel):
        return "a path naming an environment variable ($VAR, %VAR%) is not expanded"
    if "\\" in rel:
        return "a path with backslashes is not portable; use /"
    if PurePosixPath(rel).is_absolute() or re.match(r"^[A-Za-z]:", rel):
        return "an absolute path is outside the package"
    if ".." in PurePosixPath(rel).parts:
        return "a path with .. may leave the package"
    return None


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def contain(root, rel, what: str = "path", trusted: bool = False) -> Path:
    """`rel` (as a package names it) resolved under `root`; UnsafePath if it may not be read.

    A path that does not exist is returned (the caller reports it as not found); one that
    exists must be a regular file once every symlink is followed.
    """
    root = Path(root)
    problem = lexical_problem(rel) if not trusted else (
        None if isinstance(rel, str) and rel.strip() and "\x00" not in rel else lexical_problem(rel))
    if problem:
        raise UnsafePath(f"{what} {show(rel)}: {problem}; not read (use --trusted for your own files)")
    joined = root / os.path.expanduser(rel) if trusted else root / rel
    try:
        resolved = joined.resolve()
        base = root.resolve()
    except (OSError, RuntimeError) as exc:  # a symlink loop
        raise UnsafePath(f"{what} {show(rel)}: cannot be resolved ({exc}); not read") from None
    if not trusted and not resolved.is_relative_to(base):
        raise UnsafePath(f"{what} {show(rel)}: leads outside the package (a symlink to {show(str(resolved))}); "
                         f"not read (use --trusted for your own files)")
    try:
        st = os.stat(resolved)
    except FileNotFoundError:
        return resolved
    except OSError as exc:
        raise UnsafePath(f"{what} {show(rel)}: cannot be read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise UnsafePath(f"{what} {show(rel)}: is {_kind(st.st_mode)}, not a regular file; not read")
    return resolved


def contained_or_none(root, rel, what: str = "path", trusted: bool = False) -> Path | None:
    """`contain`, or None when the path may not be read (for readers that skip such files)."""
    try:
        return contain(root, rel, what, trusted)
    except UnsafePath:
        return None


def read_regular(path, limit: int | None = None, what: str = "file") -> bytes:
    """A file's bytes, refusing (before a byte is read) anything that is not a regular file.

    Opened without blocking, so a FIFO swapped in after `contain` looked cannot hang the run;
    with `limit`, never more than limit + 1 bytes are read (kzcn.package.limits.read_at_most)
    and a larger file is a TargetError naming it.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnsafePath(f"{path}: is {_kind(st.st_mode)}, not a regular file; not read")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            if limit is None:
                return fh.read()
            from .limits import ENV, read_at_most

            data = read_at_most(fh, limit)
        if data is None:
            from ..errors import TargetError

            raise TargetError(f"{path}: {what} is over the limit of {limit:,} bytes; not read "
                              f"(raise it with {ENV['config_bytes']})")
        return data
    finally:
        os.close(fd)


def check_name(value, what: str) -> str:
    """A name that becomes part of a file name: the Frictionless name pattern, or UsageError."""
    if not isinstance(value, str) or len(value) > MAX_NAME or not NAME.match(value) or value in (".", ".."):
        raise UsageError(f"{what} {show(value)} cannot name a file: it must match {NAME.pattern} "
                         f"(lower-case letters, digits, '.', '-', '_'; at most {MAX_NAME} characters)")
    return value


def check_version(value, what: str = "version") -> str:
    """A version that becomes part of a file name: semantic versioning, or UsageError."""
    if not isinstance(value, str) or len(value) > MAX_NAME or not SEMVER.match(value):
        raise UsageError(f"{what} {show(value)} cannot name a file: it must be a semantic version (1.2.3)")
    return value


def inside(folder, name: str) -> Path:
    """`folder/name`, checked after resolving to lie under `folder`: where every output goes."""
    folder = Path(folder)
    target = folder / name
    base = folder.resolve()
    resolved = target.parent.resolve() / target.name
    if not resolved.is_relative_to(base) or lexical_problem(name):
        raise UsageError(f"{show(str(target))}: would be written outside {folder}; refused")
    return target
