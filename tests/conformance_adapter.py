"""Run our validator and the real frictionless on the conformance cases, in comparable terms.

Our `validate()` takes a data package; frictionless's own tests often validate a bare resource
(a CSV, maybe a schema, options). `package_for_case` writes the smallest package that means the
same thing into a temporary folder: the CSV copied beside a datapackage.json whose one resource
carries the schema (inline) and the declared bytes/hash/rows/encoding. A CSV without a schema
stays without one: our validator infers it the way frictionless does (kzcn.package.infer).
`schema_sync` is frictionless's legacy spelling of `fieldsMatch: partial`.

Findings on both sides become (code, rowNumber, fieldNumber) tuples: frictionless's coordinates,
which our findings carry as `row` and `field_number` (beside `line`, the editor line).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

CONFORMANCE = Path("/work/shared/conformance")
FRICTIONLESS = CONFORMANCE / "frictionless"
CSVLINT = CONFORMANCE / "csvlint"

ROW_LEVEL = {"blank-row", "primary-key", "foreign-key", "duplicate-row"}
# frictionless's order inside one row (table/row.py, then the integrity checks)
RANK = {"type-error": 0, "constraint-error": 0, "blank-row": 0, "extra-cell": 1, "missing-cell": 2,
        "unique-error": 3, "primary-key": 4, "foreign-key": 5}
ROW_TAG = {"blank-row", "extra-cell", "missing-cell", "type-error", "constraint-error", "unique-error",
           "primary-key", "foreign-key", "duplicate-row", "ascii-value"}


def load_cases() -> list[dict]:
    return json.loads((FRICTIONLESS / "expected.json").read_text())["cases"]


def package_for_case(case: dict, tmp: Path) -> Path:
    """A datapackage.json meaning what the case validates; returns the descriptor path."""
    v = case["validate"]
    if v["kind"] == "package":
        return FRICTIONLESS / v["descriptor"]
    tmp.mkdir(parents=True, exist_ok=True)
    if "descriptor" in v:
        src = FRICTIONLESS / v["descriptor"]
        resource = json.loads(src.read_text())
        shutil.copy(src.parent / resource["path"], tmp / Path(resource["path"]).name)
        resource["path"] = Path(resource["path"]).name
    else:
        csv_path = FRICTIONLESS / v["path"]
        shutil.copy(csv_path, tmp / csv_path.name)
        resource = {"name": "case", "path": csv_path.name}
        if "schema" in v:
            resource["schema"] = json.loads((FRICTIONLESS / v["schema"]).read_text())
        elif "schema_inline" in v:
            resource["schema"] = v["schema_inline"]
        if v.get("schema_sync"):
            resource["schema"]["fieldsMatch"] = "partial"
        for key in ("encoding", "bytes", "hash", "rows"):
            if key in v:
                resource[key] = v[key]
    descriptor = tmp / "datapackage.json"
    descriptor.write_text(json.dumps({"name": "case", "resources": [resource]}, indent=1))
    return descriptor


def ours(descriptor: Path) -> list[tuple]:
    """Our findings of layers 1-2 on a package, as frictionless-style tuples in frictionless order."""
    from kzcn.validate.run import validate

    report = validate(descriptor)
    names = [r["name"] for r in json.loads(descriptor.read_text()).get("resources", [])]
    out = []
    for f in report.findings:
        if f.rule is not None:
            continue
        task = names.index(f.resource) + 1 if f.resource in names else 0
        field_number = None if f.code in ROW_LEVEL else getattr(f, "field_number", None)
        out.append((task, f.code, getattr(f, "row", None), field_number))
    out.sort(key=lambda t: (t[0], t[2] or 0, RANK.get(t[1], 9), t[3] or 0))
    return [t[1:] for t in out]


def pick_and_limit(found: list[tuple], v: dict) -> list[tuple]:
    """Apply a case's pick_errors / limit_errors to a list in frictionless order."""
    picks = v.get("pick_errors")
    if picks:
        found = [f for f in found if any(f[0] == p or (p == "#row" and f[0] in ROW_TAG) for p in picks)]
    if "limit_errors" in v:
        found = found[: v["limit_errors"]]
    return found


def frictionless_live(case: dict) -> list[tuple]:
    """Run the installed frictionless on a case exactly as its upstream test does (baseline only)."""
    from frictionless import Checklist, Detector, Package, Resource, Schema

    v = case["validate"]
    opts = {}
    if "limit_errors" in v:
        opts["limit_errors"] = v["limit_errors"]
    checklist = Checklist(pick_errors=v["pick_errors"]) if v.get("pick_errors") else None
    base = str(FRICTIONLESS)
    if v["kind"] == "package":
        target = Package(str(FRICTIONLESS / v["descriptor"]))
    elif "descriptor" in v:
        target = Resource(json.loads((FRICTIONLESS / v["descriptor"]).read_text()),
                          basepath=str((FRICTIONLESS / v["descriptor"]).parent))
    else:
        kw = {"basepath": base}
        if "schema" in v:
            kw["schema"] = Schema.from_descriptor(json.loads((FRICTIONLESS / v["schema"]).read_text()))
        if "schema_inline" in v:
            kw["schema"] = Schema.from_descriptor(v["schema_inline"])
        if v.get("schema_sync"):
            kw["detector"] = Detector(schema_sync=True)
        for key in ("encoding", "bytes", "hash", "rows"):
            if key in v:
                kw[key] = v[key]
        target = Resource(path=v["path"], **kw)
    report = target.validate(checklist, **opts) if checklist else target.validate(**opts)
    out = []
    for task in report.tasks:
        for err in task.errors:
            d = err.to_descriptor()
            out.append((d["type"], d.get("rowNumber"), d.get("fieldNumber")))
    return out
