"""Exceptions the package raises on purpose: each carries a message meant for a person.

The command line turns them into an exit code and one clear line, never a traceback.
"""
from __future__ import annotations


class KzcnError(Exception):
    """Base of the errors we raise deliberately; `exit_code` is what the CLI exits with."""

    exit_code = 2


class UsageError(KzcnError):
    """The caller asked for something that does not exist (a table, a version, a file)."""


class TargetError(KzcnError):
    """A package, descriptor or schema could not be read at all."""


class DataError(KzcnError):
    """The data itself is wrong where a typed result was required (load, build)."""

    exit_code = 1


class UnknownTableError(UsageError, KeyError):
    """No table of that name: a KeyError too, as `frame[name]` on an unknown name would be."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class UnknownVersionError(UsageError, ValueError):
    """A data version that is not semantic, or not published: a ValueError too."""


def did_you_mean(name: str, known) -> str:
    """' (did you mean X?)' when a known name is close to `name`, else ''."""
    import difflib

    close = difflib.get_close_matches(str(name), [str(k) for k in known], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
