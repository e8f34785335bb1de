"""A file whose descriptor declares a legacy encoding (`encoding: ISO-8859-1`): what it really is.

Many published packages carry `encoding: ISO-8859-1` (or cp1252) copied from a template, while
their files are plain ASCII or UTF-8. Judged by the bytes:

- plain ASCII: the same text in every ASCII-compatible encoding, so the declaration changes
  nothing and nothing is reported;
- valid UTF-8 with non-ASCII characters: the declaration is wrong (read as ISO-8859-1, "é"
  becomes "Ã©"); the warning says so and names the fix, the declaration, never the file; the
  file is read as the UTF-8 it is;
- anything else: read as declared, with a warning that readers ignoring the declaration will
  misread its non-ASCII characters.
"""
from __future__ import annotations

import codecs

from .. import catalogue as cat
from ..findings import WARNING

_ASCII = bytes(range(128))


def ascii_compatible(encoding: str) -> bool:
    """Whether the encoding reads ASCII bytes as ASCII (latin-1, cp1252, cp1251 do; UTF-16 does not)."""
    try:
        return _ASCII.decode(encoding) == _ASCII.decode("ascii")
    except (UnicodeDecodeError, LookupError):
        return False


def _first_non_ascii(text: str) -> tuple[int, str]:
    for i, ch in enumerate(text):
        if ord(ch) > 127:
            return text.count("\n", 0, i) + 1, ch
    return 1, ""


def read_declared(data: bytes, legacy: str, declared: str, where: dict) -> tuple[bytes | None, list]:
    """(the file's text as UTF-8 bytes, or None when it cannot be read as declared; findings)."""
    name = codecs.lookup(legacy).name if _known(legacy) else legacy
    if ascii_compatible(legacy) and data.isascii():
        return data, []
    if ascii_compatible(legacy):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None:
            line, ch = _first_non_ascii(text)
            misread = ch.encode("utf-8").decode(legacy, "replace")
            return data, [cat.make("encoding-error", severity=WARNING, line=line, **where, detail=(
                f"the descriptor declares encoding {declared}, but the file is UTF-8: its non-ASCII characters "
                f"are valid UTF-8 (the first, {ch!r} on line {line}, would read as {misread!r} in {name}); the "
                f"declaration is wrong: set encoding to utf-8 or remove it. The file was read as UTF-8"))]
    try:
        text = data.decode(legacy)
    except (UnicodeDecodeError, LookupError) as exc:
        return None, [cat.make("encoding-error", **where, detail=(
            f"the file cannot be read as its declared encoding {declared}: {exc}"))]
    n = sum(1 for ch in text if ord(ch) > 127)
    return text.encode("utf-8"), [cat.make("encoding-error", severity=WARNING, line=1, **where, detail=(
        f"the file is read as its declared encoding {name}; a reader that ignores the declaration (a "
        f"spreadsheet, pandas by default) would misread its {n:,} non-ASCII characters"))]


def _known(encoding: str) -> bool:
    try:
        codecs.lookup(encoding)
        return True
    except LookupError:
        return False
