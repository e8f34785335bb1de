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


def compare_capped(report: dict, expected_findings: list, cap: int) -> dict:
    """A report listing at most `cap` findings per (resource, code), the rest counted.

    Every planted fault must be counted (stats.findings.by_code equals the planted count per
    code, nothing more), and the findings listed with a line must be exactly the first `cap`
    planted per (resource, code) by line: same line, field and code, none missing, none other."""
    listed = Counter(_key(f) for f in [*report.get("errors", []), *report.get("warnings", [])]
                     if f.get("line") is not None)
    by_code = (report.get("stats") or {}).get("findings", {}).get("by_code", {})
    planted = Counter(f["code"] for f in expected_findings)
    groups: dict = {}
    for f in expected_findings:
        groups.setdefault((f.get("resource"), f["code"]), []).append(f)
    first = Counter()
    for items in groups.values():
        items.sort(key=lambda f: (f["line"], f.get("field") or ""))
        first.update(_key(f) for f in items[:cap])
    missing = sorted((first - listed).elements(), key=str)
    spurious = sorted((listed - first).elements(), key=str)
    counted = dict(sorted(by_code.items())) == dict(sorted(planted.items()))
    return {"expected": sum(planted.values()), "listed_expected": sum(first.values()),
            "matched": sum((first & listed).values()), "missing": missing, "spurious": spurious,
            "counted": counted, "by_code": by_code, "planted": dict(planted),
            "exact": counted and not missing and not spurious}


def describe_capped(result: dict, limit: int = 5) -> str:
    if "matched" not in result:
        return "no report"
    text = (f"{result['expected']:,} faults planted, by_code {'equal' if result['counted'] else 'DIFFERENT'}; "
            f"{result['matched']:,}/{result['listed_expected']:,} first-per-code at their exact line, field and code; "
            f"{len(result['missing'])} missing, {len(result['spurious'])} spurious")
    if not result["counted"]:
        text += f"; reported {result['by_code']} planted {result['planted']}"
    if result["missing"]:
        text += "; missing e.g. " + ", ".join(map(str, result["missing"][:limit]))
    if result["spurious"]:
        text += "; spurious e.g. " + ", ".join(map(str, result["spurious"][:limit]))
    return text
