"""Streaming validation at 100 MB, 1 GB and 3 GB: peak memory, time per GB, every fault found.

Why: `kzcn validate` holds a table in memory whole below the chunk size (32 MiB) and streams it
in chunks above it (kzcn.validate.stream); the claim is memory flat in file size and a report
identical to the whole-file one. This builds packages of a given size from the 100k-row faulty
package of benchmarks/generate.py (1% of rows broken, every fault class): its data rows are
repeated with the figure ids renamed per copy (`tv-0000001` -> `tv003-0000001`), so each copy
has its own faults at known lines (a duplicate id repeats one of its own copy) and no new
ones. The rules file is left out: the per-row rules need the typed table in memory (layer 3),
which streaming does not change; their fault class (figure-period-order) is not expected.

Each package is validated once, as a whole process (`kzcn validate --format json`, default
chunk size, default cap of 1,000 findings per code), with its peak RSS and wall and CPU time
(measure.py: the process's own peak, not this benchmark's, which holds the expected findings).
Flat in file size means the largest file's peak at most FLAT_RATIO times the smallest's. The check: for every code, the total in stats.findings.by_code equals the faults
planted, and the findings listed are exactly the first 1,000 of them by line (line, field,
code), none other (faultcheck.compare_capped).

    .venv/bin/python benchmarks/run.py --streaming-only            # 100MB,1GB,3GB
    .venv/bin/python benchmarks/run.py --streaming-only --streaming-sizes 100MB
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import faultcheck
import generate
from measure import process as measure_process
import sections

START, END = sections.markers("streaming")
SIZES = {"100MB": 100 * 10**6, "1GB": 10**9, "3GB": 3 * 10**9}
BASE_ROWS = 100_000
CAP = 1000
TARGET_RSS_MB = 1024
WHOLE_TOO = "100MB"
FLAT_RATIO = 1.5


def build(out: Path, target_bytes: int, base: Path) -> dict:
    """A package of about `target_bytes` of trade_volumes from copies of `base`; its manifest."""
    manifest = faultcheck.load_manifest(base)
    stamp = out / "stream-manifest.json"
    if stamp.is_file():
        have = json.loads(stamp.read_text(encoding="utf-8"))
        if have.get("target_bytes") == target_bytes and (out / generate.TRADE_PATH).is_file() \
                and (out / generate.TRADE_PATH).stat().st_size == have["bytes"]:
            return have
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(base, out, ignore=shutil.ignore_patterns("trade_volumes.csv", "validation", "manifest.json"))
    text = (base / generate.TRADE_PATH).read_bytes()
    header, body = text.split(b"\n", 1)
    copies = max(1, round((target_bytes - len(header)) / len(body)))
    expected = []
    rule_codes = set(manifest.get("rules") or [])
    tmp = out / (generate.TRADE_PATH + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(header + b"\n")
        for k in range(copies):
            fh.write(body.replace(b"tv-", f"tv{k:03d}-".encode()) if k else body)
            for f in manifest["expected_findings"]:
                if f["code"] in rule_codes:
                    continue
                g = {**f, "line": f["line"] + k * BASE_ROWS}
                if "first_line" in g:
                    g["first_line"] += k * BASE_ROWS
                expected.append(g)
    os.replace(tmp, out / generate.TRADE_PATH)
    meta = {"target_bytes": target_bytes, "bytes": (out / generate.TRADE_PATH).stat().st_size, "copies": copies,
            "rows": copies * BASE_ROWS, "expected_findings": expected}
    stamp.write_text(json.dumps(meta) + "\n", encoding="utf-8")
    return meta


def measure(kzcn: str, data: Path, sizes: list[str], log) -> dict:
    """Build (or reuse) each size's package under `data`, validate it once, check it."""
    base = generate.ensure("100k", True, data)
    out: dict = {"sizes": {}, "cap": CAP, "started": sections.now()}
    for label in sizes:
        pkg = data / f"stream-{label}"
        log(f"streaming {label}: building {pkg}")
        meta = build(pkg, SIZES[label], base)
        report_path = pkg / "report.json"
        cmd = [kzcn, "validate", str(pkg / "datapackage.json"), "--format", "json",
               "--max-file-bytes", str(4 * 10**9), "--max-lines", str(10**8)]
        log(f"streaming {label}: {meta['bytes'] / 1e6:,.0f} MB, {meta['rows']:,} rows")
        load = os.getloadavg()[0]
        run = measure_process(cmd, pkg, dict(os.environ), report_path)
        report = json.loads(report_path.read_text(encoding="utf-8")) if run["rc"] in (0, 1) else {}
        check = faultcheck.compare_capped(report, meta["expected_findings"], CAP) if report else {"exact": False}
        gb = meta["bytes"] / 1e9
        out["sizes"][label] = {"bytes": meta["bytes"], "rows": meta["rows"], "seconds": run["seconds"],
                               "rss_mb": run["rss_mb"], "cpu": run["cpu"], "rc": run["rc"], "seconds_per_gb": run["seconds"] / gb,
                               "load_avg": load, "check": check, "command": " ".join(["kzcn", *cmd[1:]]).replace(str(pkg), f"<{label}>"),
                               "stderr": run["stderr"] if run["rc"] not in (0, 1) else ""}
        log(f"streaming {label}: {run['seconds']:.1f} s, peak RSS {run['rss_mb']:.0f} MB, rc {run['rc']}; "
            f"{faultcheck.describe_capped(check)}")
        if label == WHOLE_TOO:  # the same file read whole, for comparison (larger ones would not fit)
            whole = measure_process(cmd + ["--chunk-size", "0"], pkg, dict(os.environ), pkg / "report-whole.json")
            same = _stripped(pkg / "report-whole.json") == _stripped(report_path)
            out["whole"] = {"label": label, "seconds": whole["seconds"], "rss_mb": whole["rss_mb"], "rc": whole["rc"],
                            "seconds_per_gb": whole["seconds"] / gb, "identical": same}
            log(f"whole-file {label}: {whole['seconds']:.1f} s, peak RSS {whole['rss_mb']:.0f} MB; "
                f"report {'identical' if same else 'DIFFERENT'}")
    return out


def _stripped(path: Path) -> dict | None:
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    d["stats"].pop("elapsed_seconds", None)
    return d


def render(results: dict) -> str:
    rows = results.get("sizes", {})
    lines = [START, "## Streaming: peak memory and time on large files", "",
             "`.venv/bin/python benchmarks/run.py --streaming-only` (also part of `make bench`); "
             "benchmarks/streaming.py says how the files are made. One run each, default chunk size (32 MiB), "
             f"default cap ({results.get('cap', CAP):,} findings per code per resource), no rules file"
             + (f"; measured {results['started']}" if results.get("started") else "") + ".", "",
             "| file | rows | wall time | time per GB | peak RSS | RSS / file | faults counted | first 1,000 per code listed exactly |",
             "|---|---|---|---|---|---|---|---|"]
    for label, r in rows.items():
        c = r["check"]
        lines.append(f"| {label} ({r['bytes'] / 1e6:,.0f} MB) | {r['rows']:,} | {r['seconds']:.1f} s | "
                     f"{r['seconds_per_gb']:.1f} s | {r['rss_mb']:,.0f} MB | {r['rss_mb'] * 2**20 / r['bytes']:.2f} | "
                     f"{'all ' + format(c.get('expected', 0), ',') if c.get('counted') else 'NO'} | "
                     f"{'yes' if c.get('exact') else 'NO: ' + faultcheck.describe_capped(c)} |")
    whole = results.get("whole")
    if whole:
        r = rows.get(whole["label"], {})
        lines += ["", f"The {whole['label']} file read whole (`--chunk-size 0`), for comparison: {whole['seconds']:.1f} s "
                  f"({whole['seconds_per_gb']:.1f} s per GB), peak RSS {whole['rss_mb']:,.0f} MB "
                  f"(streamed: {r.get('seconds', 0):.1f} s, {r.get('rss_mb', 0):,.0f} MB); the two JSON reports are "
                  f"{'identical (elapsed time aside)' if whole['identical'] else 'DIFFERENT'}."]
    loads = [r["load_avg"] for r in rows.values() if "load_avg" in r]
    if loads or results.get("note"):
        lines += ["", results.get("note") or (f"Load average (1 min) when each run started: "
                                               f"{', '.join(f'{x:.1f}' for x in loads)} on {os.cpu_count()} cores.")]
    lines += ["", "Targets:"]
    one = rows.get("1GB")
    if one:
        met = one["rss_mb"] <= TARGET_RSS_MB
        lines.append(f"- peak RSS ≤ 1 GB on the 1 GB file: **{'met' if met else 'not met'}** ({one['rss_mb']:,.0f} MB).")
    flat = flat_in_size(rows)
    if flat:
        lines.append(f"- flat in file size (largest peak at most {FLAT_RATIO:g}x the smallest): "
                     f"**{'met' if flat[0] else 'not met'}** ({flat[1]}). The smallest file is a few chunks of 32 MiB, "
                     "one per core checked at once; beyond that the peak is those chunks' parse and checks, one more "
                     "waiting to be merged, and one key partition.")
    exact = all_exact(rows)
    lines.append(f"- every fault counted and the first {results.get('cap', CAP):,} per code reported at their exact "
                 f"line, field and code: **{'met' if exact else 'not met'}**.")
    lines += ["", "Commands: " + "; ".join(f"`{r['command']}`" for r in rows.values()), END, ""]
    return "\n".join(lines)


def flat_in_size(rows: dict) -> tuple[bool, str] | None:
    """(flat, what was measured) over the sizes measured, smallest file first; None under two sizes."""
    if len(rows) < 2:
        return None
    ordered = sorted(rows.values(), key=lambda r: r["bytes"])
    rss = [r["rss_mb"] for r in ordered]
    sizes = [r["bytes"] for r in ordered]
    return (max(rss) <= FLAT_RATIO * min(rss),
            f"peak RSS {min(rss):,.0f}–{max(rss):,.0f} MB for files of {sizes[0] / 1e6:,.0f}–{sizes[-1] / 1e6:,.0f} MB; "
            f"from the {sizes[-2] / 1e6:,.0f} MB file to the {sizes[-1] / 1e6:,.0f} MB one, {rss[-2]:,.0f} -> {rss[-1]:,.0f} MB")


def all_exact(rows: dict) -> bool:
    """Every size's faults all counted, and the first CAP per code listed at their line, field, code."""
    return bool(rows) and all(r["check"].get("exact") and r["check"].get("counted") for r in rows.values())


def splice(results_md: str, section: str) -> str:
    return sections.splice(results_md, section, START, END)


def current_section(results_md: str) -> str | None:
    return sections.section_of(results_md, START, END)
