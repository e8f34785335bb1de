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
