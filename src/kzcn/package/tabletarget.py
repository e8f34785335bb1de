"""`kzcn validate data.csv`: a bare table file is a one-resource package, as frictionless reads it.

`frictionless validate file.csv` validates the file as a resource with a schema inferred from
its contents; so do we: the file becomes the one resource of a package rooted in its folder,
without a schema (kzcn.package.infer infers it, the validator checks against it). The
descriptor is ours, not the user's, so it is not held to the Data Package profile.
"""
from __future__ import annotations

import re
from pathlib import Path

TABLE_SUFFIXES = (".csv", ".tsv")


def is_table_file(path: Path) -> bool:
    return Path(path).suffix.lower() in TABLE_SUFFIXES


def resource_name(path: Path) -> str:
    """The file's stem as a Data Package name (lowercase letters, digits, . - _), as frictionless names it."""
    name = re.sub(r"[^a-z0-9._-]+", "-", Path(path).stem.lower()).strip("-")
    return name or "table"


def table_descriptor(path: Path) -> dict:
    """The descriptor of a package holding only this file (no schema: it is inferred)."""
    name = resource_name(path)
    return {"name": name, "resources": [{"name": name, "path": Path(path).name}]}
