"""Small packages of every resource kind, run through the real frictionless and through kzcn.

Each test of tests/conformance/test_resources_*.py builds its package in a temporary folder
(files, compressed files, inline data, Parquet written with pyarrow), then compares the two
validators in frictionless's own coordinates: per resource, (code, rowNumber, fieldNumber),
and the verdict. Where the two differ, the test says so with the difference spelled out and
who is right per the Data Package spec; everything else must be equal.
"""
from __future__ import annotations

import json
import warnings
from pathlib import Path

from recording import record

ROW_LEVEL = {"blank-row", "primary-key", "foreign-key"}
FILE_LEVEL = {"byte-count", "hash-count", "row-count", "field-count"}


def write(folder: Path, resources: list, files: dict | None = None) -> Path:
    """A datapackage.json with `resources`, and `files` (name -> bytes, or a pyarrow Table
    written as Parquet) beside it; the descriptor's path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in (files or {}).items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, (bytes, bytearray)):
            target.write_bytes(content)
        else:
            import pyarrow.parquet as pq

            pq.write_table(content, target, row_group_size=2)  # several row groups even for tiny tables
    descriptor = folder / "datapackage.json"
    descriptor.write_text(json.dumps({"name": "case", "resources": resources}, indent=1))
    return descriptor


def theirs(descriptor: Path) -> tuple[bool, list[tuple]]:
    """The installed frictionless on the package: (valid, sorted (resource, code, row, field))."""
    from frictionless import Package

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = Package(str(descriptor)).validate()
    out = []
    for task in report.tasks:
        for err in task.errors:
            d = err.to_descriptor()
            out.append((task.name, d["type"], d.get("rowNumber"), d.get("fieldNumber")))
    record("frictionless", descriptor, report.valid, out, 1)
    return report.valid, sorted(out, key=_key)


def ours(descriptor: Path):
    """kzcn on the package: (valid, sorted (resource, code, row, field) of layers 1-2, the report)."""
    from kzcn.validate.run import validate

    report = validate(descriptor)
    out = []
    for f in report.findings:
        if f.rule is not None:
            continue
        number = None if f.code in ROW_LEVEL else getattr(f, "field_number", None)
        out.append((f.resource, f.code, getattr(f, "row", None), number))
    record("kzcn", descriptor, report.valid, out, 1)
    return report.valid, sorted(out, key=_key), report


def _key(t):
    return tuple(-1 if x is None else x for x in t)


def located(report, resource: str | None = None) -> list[tuple]:
    """(code, path, line, field) of each finding of layers 1-2, as the JSON report gives them."""
    return sorted(((f.code, f.path, f.line, f.field) for f in report.findings
                   if f.rule is None and (resource is None or f.resource == resource)), key=_key)


def shift_rows(found: list[tuple], after: int, by: int) -> list[tuple]:
    """The tuples with rowNumber beyond `after` moved by `by` (how two numberings of one stream differ)."""
    return sorted(((r, c, (n + by if n is not None and n > after else n), f) for r, c, n, f in found), key=_key)
