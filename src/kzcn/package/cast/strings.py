"""Text-backed fields whose values are the text itself: strings with their formats, and `any`.

A string column keeps its text as its values; only the formats `email`, `uri`, `uuid` and
`binary` judge a cell at all (simple patterns and a strict base64 decode, where frictionless
uses the `validators`/`rfc3986` packages), and `any`/`list` accept every cell. These are the
cheapest readers, used both cell by cell and through the per-distinct-text cast.
"""
from __future__ import annotations

import base64
import re

from .fields import fformat

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+$")
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")


def _read_string(field):
    fmt = fformat(field)

    def read(cell):
        if not isinstance(cell, str):
            return None
        if fmt == "email":
            return cell if _EMAIL_RE.match(cell) else None
        if fmt == "uri":
            return cell if _URI_RE.match(cell) else None
        if fmt == "uuid":
            return cell if _UUID_RE.match(cell) else None
        if fmt == "binary":
            try:
                base64.b64decode(cell, validate=True)
            except ValueError:
                return None
        return cell
    return read


def why_not_uri(cell: str) -> str:
    """What is wrong with a cell that is not a URI, in words a curator can act on."""
    if cell != cell.strip():
        return "it has whitespace at its start or end"
    for i, ch in enumerate(cell):
        if ch.isspace():
            what = "a space" if ch == " " else f"a whitespace character {ch!r}"
            return f"it contains {what} at character {i + 1} (a URI has none: write a space as %20)"
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", cell):
        return "it has no scheme (such as https:) at its start"
    return "it has nothing after its scheme"


def _read_any(field):
    return lambda cell: cell
