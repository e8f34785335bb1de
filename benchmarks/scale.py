"""The timed runs on generated packages (10k, 100k, 1M rows, clean and faulty) and on the repository.

Why whole processes: a curator or a CI job runs a command, so start-up, imports and writing the
report count. Each command runs several times (tools.RUNS); the summary is the median, the
spread (min-max), the CPU time and the peak resident memory of the process (measure.py, which
counts that process and its children only, not this one). The tools run side by side in one
loop per package, so the ratios compare runs under the same load. Beside the timing, kzcn's
JSON report of every package is checked against the package's manifest: every injected fault at
its exact line, field and code, and no other finding; frictionless's and GE's are summarised.
"""
from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

import faultcheck
import generate
import measure
import tools


def summarise(runs: list[dict]) -> dict:
    secs = [r["seconds"] for r in runs]
    return {"runs": len(runs), "median": statistics.median(secs), "min": min(secs), "max": max(secs),
            "cpu": statistics.median(r["cpu"] for r in runs),
            "rss_mb": max(r["rss_mb"] for r in runs), "rcs": sorted({r["rc"] for r in runs}),
            "stderr": next((r["stderr"] for r in runs if r["rc"] not in (0, 1)), "")}


def _package_facts(pkg: Path, manifest: dict, size: str, ready_seconds: float) -> dict:
    return {"size": size, "rows": manifest["rows"], "variant": manifest["variant"],
            "csv_bytes": manifest["files"][generate.TRADE_PATH]["bytes"],
            "all_csv_bytes": sum(f["bytes"] for f in manifest["files"].values()),
            "expected_findings": len(manifest["expected_findings"]), "fault_rows": manifest["fault_rows"],
            "ready_seconds": round(ready_seconds, 1)}


def run_packages(sizes: list[str], quick: bool, names: tuple[str, ...], env: dict, log) -> tuple[dict, list]:
    """Generate (or reuse) each package and time every tool on it; (packages, timings)."""
    packages, timings = {}, []
    scratch = Path(tempfile.mkdtemp(prefix="kzcn-bench-"))
    try:
        for size in sizes:
            for faulty in (False, True):
                started = time.perf_counter()
                pkg = generate.ensure(size, faulty)
                manifest = faultcheck.load_manifest(pkg)
                name = pkg.name
                packages[name] = _package_facts(pkg, manifest, size, time.perf_counter() - started)
                log(f"{name}: ready ({packages[name]['ready_seconds']} s)")
                # read the files once so that no tool pays for the first read from disk
                measure.process(tools.commands("pyarrow", pkg, faulty), tools.ROOT, env, scratch / "warm.out")
                for tool in names:
                    n = tools.QUICK_RUNS[tool] if quick else tools.RUNS[tool][size]
                    cmd = tools.commands(tool, pkg, faulty)
                    runs = []
                    for i in range(n):
                        out = scratch / f"{name}.{tool}.{i}.out"
                        runs.append(measure.process(cmd, tools.ROOT, env, out))
                        if i == 0 and tool in CHECKERS:
                            key, check = CHECKERS[tool]
                            packages[name][key] = check(out, manifest)
                        out.unlink(missing_ok=True)
                    s = summarise(runs)
                    s.update(package=name, size=size, variant=manifest["variant"], tool=tool, command=cmd,
                             ok=set(s["rcs"]) <= tools.expected_rcs(tool, faulty))
                    timings.append(s)
                    log(f"  {tool:12s} {s['median']:8.2f} s median of {s['runs']} "
                        f"[{s['min']:.2f}-{s['max']:.2f}]  {s['rss_mb']:7.0f} MB  rc {s['rcs']}")
    finally:
        for p in scratch.iterdir():
            p.unlink()
        scratch.rmdir()
    return packages, timings


def run_repo(runs: int, env: dict, log) -> dict:
    """The curated repository, cold: a new process per run, in the repository root."""
    out = {}
    with tempfile.TemporaryDirectory(prefix="kzcn-bench-repo-") as scratch:
        for tool, cmd in tools.REPO_COMMANDS:
            s = summarise([measure.process(cmd, tools.ROOT, env, Path(scratch) / "repo.out") for _ in range(runs)])
            s.update(command=cmd)
            out[tool] = s
            log(f"repo {tool:12s} {s['median']:8.2f} s median of {s['runs']} [{s['min']:.2f}-{s['max']:.2f}] rc {s['rcs']}")
    return out


def _check_kzcn(out: Path, manifest: dict) -> dict:
    try:
        report = json.loads(out.read_text(encoding="utf-8"))
    except ValueError as exc:
        return {"exact": False, "error": f"kzcn's output is not JSON: {exc}"}
    result = faultcheck.compare(report, manifest)
    result["describe"] = faultcheck.describe(result)
    result["missing"], result["spurious"] = result["missing"][:20], result["spurious"][:20]
    result["elapsed_in_process"] = report.get("stats", {}).get("elapsed_seconds")
    return result


def _check_frictionless(out: Path, manifest: dict) -> dict:
    try:
        report = json.loads(out.read_text(encoding="utf-8"))
    except ValueError as exc:
        return {"error": f"frictionless's output is not JSON: {exc}"}
    return faultcheck.frictionless_agreement(report, manifest)


def _gx_summary(out: Path) -> dict:
    try:
        s = json.loads(out.read_text(encoding="utf-8"))
    except ValueError as exc:
        return {"error": f"output is not JSON: {exc}"}
    return {k: s[k] for k in ("success", "evaluated", "failed", "unexpected", "exceptions")}


# tool -> (the key its first run's check is kept under, the check of its output)
CHECKERS = {"kzcn": ("kzcn_check", _check_kzcn),
            "frictionless": ("frictionless_check", _check_frictionless),
            "gx": ("gx_summary", lambda out, manifest: _gx_summary(out))}
