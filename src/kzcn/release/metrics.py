"""The pipeline's validate stage: run the validator, keep its JSON report, write DVC metrics.

Shape of every stage: load inputs, process, save outputs, one entry point (`run`).
The stage records findings instead of failing on them, so `dvc metrics show/diff` can tell
what a change did even when it broke the data; `kzcn release` is the gate that refuses data
with errors. Metrics: rows per table, findings by severity, by code and by rule.

The report kept here goes into the release, so it must have the same bytes for the same
data: statistics that measure the run rather than the data (timings) are dropped, and so is
the absolute path of the descriptor (`stats.descriptor`), which names the machine and folder
the run happened in; `stats.package` keeps the descriptor's name.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_text_atomic
from .csvnorm import parse_csv
from ..errors import DataError, TargetError, UsageError
from ..package.descriptor import Package, open_package

SEVERITIES = ("error", "warning")
_WHERE_RUN = ("descriptor",)  # top-level stats that say where a run happened, not what the data is
_VOLATILE = ("seconds", "elapsed", "duration", "timing", "timings", "started", "finished", "timestamp",
             "started_at", "finished_at", "wall_time", "cpu_time")


def _is_volatile(key: str) -> bool:
    k = key.lower()
    return k in _VOLATILE or k.endswith(("_seconds", "_elapsed", "_duration", "_ms", "_timestamp"))


def stable(value):
    """A copy of report statistics without run-dependent entries (timings), recursively."""
    if isinstance(value, dict):
        return {k: stable(v) for k, v in value.items() if not _is_volatile(str(k))}
    if isinstance(value, list):
        return [stable(v) for v in value]
    return value


def stable_report(report: dict) -> dict:
    out = dict(report)
    stats = stable(report.get("stats", {}))
    out["stats"] = {k: v for k, v in stats.items() if k not in _WHERE_RUN} if isinstance(stats, dict) else stats
    return out


def check_report_shape(report, where: str) -> dict:
    """The published contract {"valid", "errors", "warnings", "stats"}; anything else is refused."""
    if not isinstance(report, dict) or not {"valid", "errors", "warnings"} <= set(report):
        raise DataError(f"{where}: not a kzcn validation report (expected keys valid, errors, warnings, stats)")
    return report


def run_validator(root: Path | None, trusted: bool = False) -> dict:
    """The validator's report on the package at `root`, as the JSON contract, made stable."""
    try:
        from ..validate.run import validate
    except ImportError as exc:
        raise UsageError(f"the validator (kzcn.validate) is not available: {exc}") from None
    return stable_report(validate(root, trusted=trusted).to_dict())


def read_report(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: validation report not found; run `kzcn metrics` (the validate stage) first") from None
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot read the validation report: {exc}") from None
    return stable_report(check_report_shape(data, str(path)))


def row_counts(package: Package) -> dict[str, int]:
    """Data rows per table as a CSV reader counts them (quoted line breaks are one row)."""
    from ..package.tablebytes import csv_bytes

    counts = {}
    for r in package.resources:
        try:
            counts[r.name] = len(parse_csv(csv_bytes(r, "kzcn metrics"), r.relpath).rows)
        except (OSError, DataError, TargetError, UsageError):  # unreadable, or not CSV text (NotCsv)
            counts[r.name] = -1  # unreadable: the report says why
    return counts


def compute_metrics(report: dict, rows: dict[str, int]) -> dict:
    findings = list(report.get("errors", [])) + list(report.get("warnings", []))
    by_severity = Counter(f.get("severity", "error") for f in findings)
    by_code = Counter(f.get("code", "?") for f in findings)
    by_rule = Counter(f["rule"] for f in findings if f.get("rule"))
    return {
        "valid": bool(report.get("valid")),
        "rows": dict(rows),
        "rows_total": sum(n for n in rows.values() if n > 0),
        "findings": {s: by_severity.get(s, 0) for s in SEVERITIES},
        "by_code": dict(sorted(by_code.items())),
        "by_rule": dict(sorted(by_rule.items())),
    }


@dataclass(frozen=True)
class StageOutputs:
    report: dict
    metrics: dict
    descriptor: Path | None = None  # the descriptor read, absolute (for the command's summary line)


def load_inputs(target, trusted: bool = False) -> Package:
    return open_package(target, trusted=trusted)


def process(package: Package) -> StageOutputs:
    report = run_validator(package.descriptor_path, trusted=package.trusted)
    return StageOutputs(report=report, metrics=compute_metrics(report, row_counts(package)),
                        descriptor=package.descriptor_path.resolve())


def save_outputs(outputs: StageOutputs, report_path: Path, metrics_path: Path) -> None:
    write_text_atomic(report_path, json.dumps(outputs.report, indent=2, ensure_ascii=False) + "\n")
    write_text_atomic(metrics_path, json.dumps(outputs.metrics, indent=2, ensure_ascii=False) + "\n")


def run(target=None, report_path=None, metrics_path=None, trusted: bool = False) -> StageOutputs:
    """The validate stage: report and metrics for the package at `target` (default: the package
    around the current folder); outputs default to build/ beside its descriptor."""
    from ..atomic import output_problem, write_failure
    from ..validate.run import input_files

    package = load_inputs(target, trusted)
    base = package.root / "build"
    report_path = Path(report_path or base / "validation" / "report.json")
    metrics_path = Path(metrics_path or base / "metrics.json")
    inputs = input_files(package)
    for path in (report_path, metrics_path):
        problem = output_problem(path, inputs)
        if problem:
            raise UsageError(f"{path}: refusing to overwrite it: it {problem}")
    outputs = process(package)
    try:
        save_outputs(outputs, report_path, metrics_path)
    except OSError as exc:
        raise UsageError(write_failure(exc, report_path)) from None
    return outputs
