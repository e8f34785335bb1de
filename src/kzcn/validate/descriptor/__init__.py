"""Layer 0: the descriptor itself, before any data is read — its profile, then what no profile can say.

Frictionless validates a package's metadata before its data; `kzcn validate TARGET` serves other
people's packages, so it checks the same: the descriptor against the official Data Package /
Table Schema profile it declares, v1 or v2 (profile.py), then the semantic rules a JSON Schema
cannot express (two resources of one name). Keys naming missing fields or resources, unknown
types and constraints are found where the schema is read (kzcn.validate.schema.problems,
foreign_keys), with the same codes.

Unlike frictionless, a faulty descriptor does not stop the run: every resource that can still be
read is checked (a faulty resource affects only itself), so one report shows everything.
`merge` drops the per-table shape findings that repeat a profile finding on the same property.
"""
from __future__ import annotations

from collections import Counter

from .. import catalogue as cat
from ..findings import WARNING

DESCRIPTOR_CODES = {"package-error", "resource-error", "schema-error", "field-error"}


def descriptor_findings(package) -> list:
    """Findings about the package's descriptor and its schemas (never about the data)."""
    from ...package.profiles import choose
    from ...package.tabletarget import is_table_file
    from .profile import package_findings, schema_findings

    if is_table_file(package.descriptor_path):  # `kzcn validate data.csv`: the descriptor is ours
        return []
    relpath = package.descriptor_path.name
    chosen = choose(package.descriptor)
    out = []
    if chosen.note:
        out.append(cat.make("package-error", severity=WARNING, path=relpath, pointer="/$schema"
                            if "$schema" in package.descriptor else "/profile", detail=chosen.note))
    out += package_findings(package, chosen, relpath)
    out += schema_findings(package, chosen, relpath)
    out += _duplicate_names(package, relpath)
    if not out:
        return out
    from .marks import with_lines  # each pointer's line in the file, for editors and CI annotations

    return with_lines(out, package)


def _duplicate_names(package, relpath: str) -> list:
    listed = package.descriptor.get("resources")
    names = [r.get("name") for r in listed if isinstance(r, dict) and isinstance(r.get("name"), str)] \
        if isinstance(listed, list) else []
    repeated = sorted(n for n, k in Counter(names).items() if k > 1)
    if not repeated:
        return []
    return [cat.make("package-error", path=relpath, pointer="/resources",
                     detail=f"names of the resources are not unique: {', '.join(repeated)} "
                            f"(each resource needs its own name) at /resources")]


def merge(descriptor: list, tables: list, package) -> list:
    """Table findings minus the shape problems a profile finding already reports, plus the profile's.

    The schema reader (kzcn.package.shape, validate.schema.problems) reports the faults it must
    work around; where the profile has reported a fault of the same resource and field, its
    finding (with the pointer) stands for both."""
    if not descriptor:
        return tables
    fields = {(f.resource, f.field) for f in descriptor if f.field is not None}
    by_resource = {f.resource for f in descriptor if f.code in ("schema-error", "field-error")}
    shape = {(r.name, p) for r in package.resources for p in r.problems}
    kept = []
    for f in tables:
        if f.code in DESCRIPTOR_CODES and f.line is None:
            if f.field is not None and (f.resource, f.field) in fields:
                continue
            if (f.resource, f.message) in shape and f.resource in by_resource:
                continue
        kept.append(f)
    return descriptor + kept
