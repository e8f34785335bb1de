"""A resource's `schema`: inline, a file in the package, or something that cannot be read.

A schema that cannot be read is that resource's problem, never the package's: the other
resources are still checked, and the run ends with exit 1 and a finding, not exit 2. Three
ways a schema cannot be read, each worded for what to do about it:

- remote (`schema: https://…`): nothing is fetched (validation runs offline and a pull request
  must not make CI download things), so "remote schema not fetched; run with a local copy";
- missing, or not a readable YAML/JSON mapping: a `schema-error` naming the file;
- outside the package (`..`, an absolute path, a symlink out, a FIFO): a `scheme-error`, as for
  every path a package names (kzcn.package.paths).

The resource's data is then not read: without its schema there is nothing to hold it to, and a
schema inferred in its place would report the inference's guesses as the data's faults.
"""
from __future__ import annotations

from dataclasses import dataclass

REMOTE_SCHEMES = ("http://", "https://", "ftp://", "ftps://", "s3://", "gs://")


@dataclass(frozen=True)
class SchemaRef:
    """What a resource's `schema` property gave: the mapping read (None if none), or why not."""

    schema: dict | None
    refused: str | None = None
    code: str = "scheme-error"


def is_remote(value: str) -> bool:
    return value.strip().lower().startswith(REMOTE_SCHEMES)


def read_schema(root, value, what: str, trusted: bool) -> SchemaRef:
    """The resource's schema as a mapping (inline or read from its file), or the refusal."""
    from ..errors import TargetError
    from .descriptor import read_structured
    from .paths import UnsafePath, contain

    if value is None or isinstance(value, dict):
        return SchemaRef(value)
    if not isinstance(value, str):
        return SchemaRef(None, f"{what} must be a path or a mapping, found {type(value).__name__}", "schema-error")
    if is_remote(value):
        return SchemaRef(None, f"{what} {value!r}: remote schema not fetched (no network); run with a local copy",
                         "schema-error")
    try:
        path = contain(root, value, what, trusted)
    except UnsafePath as exc:
        return SchemaRef(None, str(exc), "scheme-error")
    if not path.exists():
        return SchemaRef(None, f"{what} {value!r}: file not found; the resource is not checked", "schema-error")
    try:
        return SchemaRef(read_structured(path))
    except TargetError as exc:
        return SchemaRef(None, f"{what} {value!r}: {_short(str(exc), str(path))}; the resource is not checked",
                         "schema-error")


def _short(message: str, path: str) -> str:
    """A TargetError's message without the absolute path the reference already names."""
    for prefix in (f"{path}:", f"{path}"):
        if message.startswith(prefix):
            return message[len(prefix):].strip(" :")
    return message
