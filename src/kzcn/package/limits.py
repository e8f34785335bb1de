"""The bounds every read of untrusted input stays within, with their defaults and overrides.

A pull request is untrusted input: a few hundred bytes of YAML aliases, a FIFO named as a schema,
a 1 GB file of blank lines or a header of 100,000 columns must end in a clear message, not in a
machine out of memory. Each bound here is checked where the input is read (yamlfast, descriptor,
structure.files, the findings cap, diff), so that memory and time stay proportional to what is
reported. Defaults fit this dataset's scale many times over (the benchmark's 1M-row tables
included); `--max-file-bytes`, `--max-fields` and `--max-findings-per-code` raise them per run,
the KZCN_* environment variables below for every run.

`current()` is the limits of the run in progress: `kzcn.validate(limits=...)` and the commands
set them with `using(...)`; otherwise the defaults with the environment's overrides.
"""
from __future__ import annotations

import contextlib
import contextvars
import os
from dataclasses import dataclass, fields, replace

MIB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Upper bounds on what one run reads; every one can be raised, none switched off silently."""

    file_bytes: int = 1024 * MIB         # a resource's file (CSV); a diff's zip member
    config_bytes: int = 16 * MIB         # a descriptor, schema, rules or resolutions file
    fields: int = 10_000                 # cells in a header row
    lines: int = 20_000_000              # lines of a CSV file (each costs ~150 bytes of row index)
    findings_per_code: int = 1_000       # findings listed per code per resource; the rest are counted
    cell_bytes: int = 16 * MIB           # one cell on the exact path (an unclosed quote stops there)
    yaml_nodes: int = 1_000_000          # YAML nodes once aliases are expanded
    yaml_depth: int = 64                 # YAML nesting


# field -> environment variable that overrides its default
ENV = {
    "file_bytes": "KZCN_MAX_FILE_BYTES",
    "config_bytes": "KZCN_MAX_CONFIG_BYTES",
    "fields": "KZCN_MAX_FIELDS",
    "lines": "KZCN_MAX_LINES",
    "findings_per_code": "KZCN_MAX_FINDINGS_PER_CODE",
    "cell_bytes": "KZCN_MAX_CELL_BYTES",
    "yaml_nodes": "KZCN_MAX_YAML_NODES",
    "yaml_depth": "KZCN_MAX_YAML_DEPTH",
}

_current: contextvars.ContextVar[Limits | None] = contextvars.ContextVar("kzcn_limits", default=None)


def positive_int(text: str, what: str) -> int:
    """A limit given as text (flag or environment): a positive integer, or a UsageError naming it."""
    from ..errors import UsageError

    try:
        value = int(str(text).replace("_", ""))
    except ValueError:
        raise UsageError(f"{what}: {text!r} is not a whole number") from None
    if value < 1:
        raise UsageError(f"{what}: {text!r} must be at least 1")
    return value


def from_env(base: Limits | None = None) -> Limits:
    """The defaults (or `base`) with the KZCN_MAX_* environment variables applied."""
    base = base or Limits()
    changes = {}
    for f in fields(Limits):
        raw = os.environ.get(ENV[f.name])
        if raw:
            changes[f.name] = positive_int(raw, ENV[f.name])
    return replace(base, **changes) if changes else base


def current() -> Limits:
    return _current.get() or from_env()


@contextlib.contextmanager
def using(limits: Limits | None):
    """Make `limits` the current ones inside the block (None: keep what is current)."""
    if limits is None:
        yield current()
        return
    token = _current.set(limits)
    try:
        yield limits
    finally:
        _current.reset(token)


def read_capped(path, limit: int, what: str = "file", raise_with: str | None = None) -> bytes:
    """At most `limit` bytes of a file, or a TargetError naming it when it holds more.

    Reads limit + 1 bytes at most, so /dev/zero or an endless pipe costs no more than the limit.
    `raise_with` is how the message says to raise the limit (default: the config-bytes variable;
    a diff's folder files say --max-file-bytes).
    """
    from ..errors import TargetError

    with open(path, "rb") as fh:
        data = read_at_most(fh, limit)
    if data is None:
        raise TargetError(f"{path}: {what} is over the limit of {limit:,} bytes; not read "
                          f"(raise it with {raise_with or ENV['config_bytes']})")
    return data


def read_at_most(fh, limit: int) -> bytes | None:
    """All of an open binary file if it holds at most `limit` bytes, else None.

    `fh.read(n)` allocates n bytes before reading any, so a 2 GB limit would cost 2 GB for a
    small file; the file's size (fstat) sizes the first read, then the rest comes a few MB at
    a time, so a file that grows, or a device that never ends, still stops at the limit."""
    try:
        size = os.fstat(fh.fileno()).st_size
    except (OSError, AttributeError, ValueError):
        size = 0
    first = fh.read(min(limit, size) + 1)
    if len(first) > limit:
        return None
    if len(first) <= size:
        return first
    parts = [first]
    total = len(first)
    while True:
        part = fh.read(min(limit + 1 - total, 4 * MIB))
        if not part:
            return b"".join(parts)
        total += len(part)
        if total > limit:  # over: nothing is joined, the parts are dropped at once
            return None
        parts.append(part)
