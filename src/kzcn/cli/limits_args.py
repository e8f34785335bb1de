"""The command-line flags that raise (or lower) the bounds of kzcn.package.limits.

Shared by the commands that read untrusted files (`validate`, `metrics`, `diff`); each flag's
default is the KZCN_MAX_* environment variable when set, else the documented default.
"""
from __future__ import annotations

FLAGS = (
    ("--max-file-bytes", "file_bytes", "bytes a CSV file (or a zip member) may have"),
    ("--max-fields", "fields", "cells a header row may have"),
    ("--max-lines", "lines", "lines a CSV file may have"),
    ("--max-findings-per-code", "findings_per_code", "findings listed per code per resource; the rest are counted"),
)


def add_limit_arguments(p, which=("file_bytes", "fields", "lines", "findings_per_code")) -> None:
    from ..package.limits import Limits

    for flag, name, help_ in FLAGS:
        if name in which:
            p.add_argument(flag, dest=f"limit_{name}", default=None, metavar="N",
                           help=f"{help_} (default: {getattr(Limits(), name):,})")


def limits_from(args):
    """The limits of this run: the environment's, with the flags given applied."""
    from dataclasses import replace

    from ..package.limits import from_env, positive_int

    base = from_env()
    changes = {}
    for flag, name, _ in FLAGS:
        raw = getattr(args, f"limit_{name}", None)
        if raw is not None:
            changes[name] = positive_int(raw, flag)
    return replace(base, **changes) if changes else base
