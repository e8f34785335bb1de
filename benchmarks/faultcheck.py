"""Compare a validator's report with the faults a generated package's manifest says it holds.

A finding is identified by (resource, line, field, code). Every expected finding must be
reported exactly there (`missing` lists those that are not), and nothing else may be reported
(`spurious` lists the rest): a benchmark of a validator that misses or invents findings would
measure nothing worth having. Used by benchmarks/run.py at every size and by
tests/test_bench_faults.py at 10k rows.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path


def load_manifest(package_dir) -> dict:
    return json.loads((Path(package_dir) / "manifest.json").read_text(encoding="utf-8"))


def _key(f: dict) -> tuple:
    return (f.get("resource"), f.get("line"), f.get("field"), f.get("code"))


def compare(report: dict, manifest: dict) -> dict:
    """report: kzcn's JSON report as a dict ({"errors", "warnings", ...})."""
    found = Counter(_key(f) for f in [*report.get("errors", []), *report.get("warnings", [])])
    expected = Counter(_key(f) for f in manifest["expected_findings"])
    missing = sorted((expected - found).elements(), key=str)
    spurious = sorted((found - expected).elements(), key=str)
    return {
        "expected": sum(expected.values()),
        "found": sum(found.values()),
        "matched": sum((expected & found).values()),
        "missing": missing,
        "spurious": spurious,
        "exact": not missing and not spurious,
    }


def describe(result: dict, limit: int = 5) -> str:
    """One line for a person: counts, and the first few misses and inventions."""
    text = (f"{result['matched']}/{result['expected']} expected findings at their exact line, field and code; "
            f"{len(result['missing'])} missing, {len(result['spurious'])} spurious")
    if result["missing"]:
        text += "; missing e.g. " + ", ".join(map(str, result["missing"][:limit]))
    if result["spurious"]:
        by_code = Counter(k[3] for k in result["spurious"])
        text += "; spurious by code " + ", ".join(f"{c}: {n}" for c, n in by_code.most_common())
        text += "; e.g. " + ", ".join(map(str, result["spurious"][:limit]))
    return text


def frictionless_agreement(report: dict, manifest: dict) -> dict:
    """How many expected findings frictionless reports on the same row with the same code.

    frictionless's JSON report (`--json`): tasks -> errors with rowNumber, fieldName, type. Its
    row number is our line here (no cell spans lines). It names no field on key errors, so rows
    and codes are compared; our own codes (formula-cell, rule ids) it does not check.
    """
    got = Counter()
    for task in report.get("tasks", []):
        for e in task.get("errors", []):
            got[(task.get("name"), e.get("rowNumber"), e.get("type"))] += 1
    expected = Counter((f["resource"], f["line"], f["code"]) for f in manifest["expected_findings"])
    return {"expected": sum(expected.values()), "reported": sum(got.values()),
            "matched": sum((expected & got).values()),
            "not_reported_by_code": dict(Counter(k[2] for k in (expected - got).elements())),
            "extra": sum((got - expected).values())}
