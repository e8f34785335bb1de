"""Small packages built in a test, run through the real frictionless and through kzcn.

Each side's findings become (code, row, field) tuples: frictionless's `type`, `rowNumber`,
`fieldName` and kzcn's `code`, `row`, `field`. A descriptor error (package-, resource-,
schema-, field-error) has no row and no field name on frictionless's side, so its field is
compared as None on both. Errors only: frictionless has no warnings; kzcn's are asserted by
the tests themselves.
"""
from __future__ import annotations

import json
import warnings
from pathlib import Path

from recording import record

DESCRIPTOR_CODES = {"package-error", "resource-error", "schema-error", "field-error"}
V2 = "https://datapackage.org/profiles/2.0/datapackage.json"
SCHEMA = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}
CSV = b"id,name\n1,a\n2,b\n"


def resource(**more) -> dict:
    return {"name": "data", "path": "data.csv", "schema": SCHEMA, **more}


def build(folder: Path, descriptor: dict, files: dict | None = None, name: str = "datapackage.json") -> Path:
    """The package in `folder`: data.csv (unless `files` says otherwise), the descriptor as JSON."""
    folder.mkdir(parents=True, exist_ok=True)
    for fname, data in {"data.csv": CSV, **(files or {})}.items():
        (folder / fname).write_bytes(data if isinstance(data, bytes) else data.encode())
    path = folder / name
    path.write_text(json.dumps(descriptor, indent=1))
    return path


def _tuple(code, row, field):
    return (code, row, None if code in DESCRIPTOR_CODES else field)


def frictionless(target: Path) -> tuple[bool, list[tuple]]:
    """(valid, errors) from the installed frictionless, as its CLI would validate `target`."""
    warnings.filterwarnings("ignore")
    from frictionless import validate

    import os

    here = os.getcwd()
    os.chdir(target.parent)  # as a user runs it: in the folder, the file by name (an absolute path
    try:                     # to a CSV is "not safe" to frictionless)
        report = validate(target.name)
    finally:
        os.chdir(here)
    out = [_tuple(e.type, None, None) for e in report.errors]
    for task in report.tasks:
        for e in task.errors:
            d = e.to_descriptor()
            out.append(_tuple(d["type"], d.get("rowNumber"), d.get("fieldName")))
    record("frictionless", target, report.valid, out, 0)
    return report.valid, sorted(out, key=_key)


def kzcn(target: Path):
    """(valid, errors, the report) from kzcn.validate on `target`."""
    from kzcn.validate.run import validate

    report = validate(target)
    errors = [_tuple(f.code, getattr(f, "row", None), f.field) for f in report.errors]
    record("kzcn", target, report.valid, errors, 0)
    return report.valid, sorted(errors, key=_key), report


def _key(t):
    return tuple("" if x is None else str(x) for x in t)
