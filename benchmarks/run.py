"""`make bench`: time `kzcn validate` beside frictionless, Great Expectations and a bare pyarrow parse.

Why whole processes: a curator or a CI job runs a command, so start-up, imports and writing the
report count. Each command runs several times (fewer for the slow tools at 1M rows, see RUNS);
the table gives the median, the spread (min-max) and the peak resident memory of the process
(ru_maxrss from wait4, so only that process is counted). Beside the timing, kzcn's JSON report
of every package is checked against the package's manifest: every injected fault at its exact
line, field and code, and no other finding.

Writes benchmarks/RESULTS.md (machine, versions, commands, tables, the targets met or not) and
benchmarks/data/last-run.json (every run's numbers).

    .venv/bin/python benchmarks/run.py              # what `make bench` runs (~10 min on 2 cores)
    .venv/bin/python benchmarks/run.py --quick      # 10k and 100k rows, fewer runs
    .venv/bin/python benchmarks/run.py --streaming-only   # 100 MB, 1 GB, 3 GB files streamed (benchmarks/streaming.py)
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import faultcheck  # noqa: E402
import generate  # noqa: E402
import small  # noqa: E402
import dask_bench  # noqa: E402
import streaming  # noqa: E402

BIN = Path(sys.executable).parent
PY = sys.executable
KZCN = str(BIN / "kzcn")
FRICTIONLESS = str(BIN / "frictionless")
LIMIT_ERRORS = 1_000_000  # frictionless's CLI stops at 1,000 errors by default
TOOLS = ("pyarrow", "kzcn", "frictionless", "gx")
TOOL_NAMES = {"pyarrow": "pyarrow.csv.read_csv (floor)", "kzcn": "kzcn validate",
              "frictionless": "frictionless validate", "gx": "Great Expectations checkpoint"}
# runs per (tool, size): frictionless takes ~45 s and GE ~15 s a run at 1M rows
RUNS = {"pyarrow": {"10k": 5, "100k": 5, "1m": 5},
        "kzcn": {"10k": 5, "100k": 5, "1m": 5},
        "frictionless": {"10k": 3, "100k": 3, "1m": 2},
        "gx": {"10k": 3, "100k": 3, "1m": 2}}
QUICK_RUNS = {"pyarrow": 3, "kzcn": 3, "frictionless": 1, "gx": 1}
REPO_RUNS = 5
PYARROW_CLEAN = "import sys, pyarrow.csv as c; c.read_csv(sys.argv[1])"
# A ragged row stops pyarrow's reader; the faulty files are read skipping them (same parse work).
PYARROW_FAULTY = ("import sys, pyarrow.csv as c; "
                  "c.read_csv(sys.argv[1], parse_options=c.ParseOptions(invalid_row_handler=lambda r: 'skip'))")

TARGETS = {"parse_ratio": 3.0, "frictionless_ratio": 40.0, "memory_ratio": 4.0}


# ----------------------------------------------------------------------------- measuring

def measure(cmd: list[str], cwd: Path, out_path: Path, env: dict) -> dict:
    """Run one command as a whole process: wall seconds, peak RSS (MB) of that process, exit code."""
    with open(out_path, "wb") as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read()[-2000:].decode("utf-8", "replace")
    return {"seconds": seconds, "rss_mb": usage.ru_maxrss / 1024, "rc": proc.returncode, "stderr": tail}


def summarise(runs: list[dict]) -> dict:
    secs = [r["seconds"] for r in runs]
    return {"runs": len(runs), "median": statistics.median(secs), "min": min(secs), "max": max(secs),
            "rss_mb": max(r["rss_mb"] for r in runs), "rcs": sorted({r["rc"] for r in runs}),
            "stderr": next((r["stderr"] for r in runs if r["rc"] not in (0, 1)), "")}


def commands(tool: str, pkg: Path, faulty: bool) -> list[str]:
    descriptor = str(pkg / "datapackage.json")
    if tool == "pyarrow":
        return [PY, "-c", PYARROW_FAULTY if faulty else PYARROW_CLEAN, str(pkg / generate.TRADE_PATH)]
    if tool == "kzcn":
        return [KZCN, "validate", descriptor, "--format", "json", "--max-findings-per-code", "100000000"]  # every fault listed
    if tool == "frictionless":
        return [FRICTIONLESS, "validate", descriptor, "--limit-errors", str(LIMIT_ERRORS), "--json"]
    if tool == "gx":
        return [PY, str(HERE / "gx_check.py"), descriptor]
    raise ValueError(tool)


def expected_rcs(tool: str, faulty: bool) -> set[int]:
    return {0} if tool == "pyarrow" else ({1} if faulty else {0})


# ----------------------------------------------------------------------------- the machine

def _read(path: str) -> str:
    try:
        return Path(path).read_text().strip()
    except OSError:
        return ""


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem_kb = next((int(line.split()[1]) for line in _read("/proc/meminfo").splitlines()
                   if line.startswith("MemTotal")), 0)
    info = {"cpu": cpu, "logical_cpus": os.cpu_count(),
            "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "memory_gb": round(mem_kb / 1024 / 1024, 1), "os": platform.platform(),
            "python": platform.python_version()}
    quota = _read("/sys/fs/cgroup/cpu.max")
    if quota and not quota.startswith("max"):
        q, period = quota.split()
        info["cgroup_cpus"] = round(int(q) / int(period), 2)
    limit = _read("/sys/fs/cgroup/memory.max")
    if limit and limit != "max":
        info["cgroup_memory_gb"] = round(int(limit) / 1024 ** 3, 1)
    return info


def versions() -> dict:
    out = {}
    for dist in ("kzcn-data", "pyarrow", "numpy", "pandas", "frictionless", "great_expectations", "PyYAML"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True)
        if rev.returncode == 0:
            out["kzcn-data commit"] = rev.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")
    except OSError:
        pass
    return out


# ----------------------------------------------------------------------------- the run

def compile_kzcn() -> None:
    """Byte-compile kzcn as `pip install` does for an installed package (the other tools' modules
    are compiled in site-packages; an editable checkout under PYTHONDONTWRITEBYTECODE=1 would
    otherwise recompile kzcn's modules on every run)."""
    import compileall

    import kzcn

    compileall.compile_dir(str(Path(kzcn.__file__).parent), quiet=1)


def run(sizes: list[str], quick: bool, tools: tuple[str, ...], log) -> dict:
    env = {**os.environ, "DVC_NO_ANALYTICS": "1", "GX_ANALYTICS_ENABLED": "False", "PYTHONWARNINGS": "ignore"}
    compile_kzcn()
    results = {"started": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "machine": machine(), "versions": versions(), "packages": {}, "timings": [], "repo": {}}
    scratch = Path(tempfile.mkdtemp(prefix="kzcn-bench-"))
    t0 = time.perf_counter()
    for size in sizes:
        for faulty in (False, True):
            started = time.perf_counter()
            pkg = generate.ensure(size, faulty)
            manifest = faultcheck.load_manifest(pkg)
            name = pkg.name
            results["packages"][name] = {
                "size": size, "rows": manifest["rows"], "variant": manifest["variant"],
                "csv_bytes": manifest["files"][generate.TRADE_PATH]["bytes"],
                "all_csv_bytes": sum(f["bytes"] for f in manifest["files"].values()),
                "expected_findings": len(manifest["expected_findings"]), "fault_rows": manifest["fault_rows"],
                "ready_seconds": round(time.perf_counter() - started, 1)}
            log(f"{name}: ready ({results['packages'][name]['ready_seconds']} s)")
            # read the files once so that no tool pays for the first read from disk
            measure(commands("pyarrow", pkg, faulty), ROOT, scratch / "warm.out", env)
            for tool in tools:
                n = QUICK_RUNS[tool] if quick else RUNS[tool][size]
                runs = []
                for i in range(n):
                    out = scratch / f"{name}.{tool}.{i}.out"
                    runs.append(measure(commands(tool, pkg, faulty), ROOT, out, env))
                    if i == 0 and tool == "kzcn":
                        results["packages"][name]["kzcn_check"] = _check_kzcn(out, manifest)
                    if i == 0 and tool == "frictionless":
                        results["packages"][name]["frictionless_check"] = _check_frictionless(out, manifest)
                    if i == 0 and tool == "gx":
                        results["packages"][name]["gx_summary"] = _gx_summary(out)
                    if i > 0 or tool not in ("kzcn", "frictionless", "gx"):
                        out.unlink(missing_ok=True)
                s = summarise(runs)
                s.update(package=name, size=size, variant=manifest["variant"], tool=tool,
                         command=commands(tool, pkg, faulty), ok=set(s["rcs"]) <= expected_rcs(tool, faulty))
                results["timings"].append(s)
                log(f"  {tool:12s} {s['median']:8.2f} s median of {s['runs']} "
                    f"[{s['min']:.2f}-{s['max']:.2f}]  {s['rss_mb']:7.0f} MB  rc {s['rcs']}")
    # the curated repository, cold (a new process each run)
    for tool, cmd in (("kzcn", [KZCN, "validate", "--format", "json"]),
                      ("frictionless", [FRICTIONLESS, "validate", "datapackage.yaml"])):
        runs = [measure(cmd, ROOT, scratch / "repo.out", env) for _ in range(3 if quick else REPO_RUNS)]
        s = summarise(runs)
        s.update(command=cmd)
        results["repo"][tool] = s
        log(f"repo {tool:12s} {s['median']:8.2f} s median of {s['runs']} [{s['min']:.2f}-{s['max']:.2f}] rc {s['rcs']}")
    for p in scratch.iterdir():
        p.unlink()
    scratch.rmdir()
    results["small"] = small.measure(KZCN, FRICTIONLESS, ROOT, 3 if quick else REPO_RUNS, log)
    if not quick and _has_dask():
        results["dask"] = dask_bench.measure(KZCN, log)
    results["total_seconds"] = round(time.perf_counter() - t0, 1)
    results["quick"] = quick
    return results


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


# ----------------------------------------------------------------------------- RESULTS.md

def _timing(results: dict, package: str, tool: str) -> dict | None:
    return next((t for t in results["timings"] if t["package"] == package and t["tool"] == tool), None)


def _fmt_cmd(cmd: list[str]) -> str:
    out = []
    for part in cmd:
        part = part.replace(str(ROOT) + "/", "").replace(str(BIN) + "/", ".venv/bin/")
        out.append(f'"{part}"' if " " in part or ";" in part else part)
    return " ".join(out)


def targets(results: dict) -> list[dict]:
    """The issue's targets at 1M rows and on the repository, measured side by side in this run."""
    rows = []
    for variant in ("clean", "faulty"):
        name = generate.package_name("1m", variant == "faulty")
        k, p, f = (_timing(results, name, t) for t in ("kzcn", "pyarrow", "frictionless"))
        if k is None:
            continue
        pkg = results["packages"][name]
        if p:
            ratio = k["median"] / p["median"]
            rows.append({"target": f"1M rows {variant}: kzcn within {TARGETS['parse_ratio']:g}x the pyarrow parse",
                         "measured": f"{k['median']:.2f} s / {p['median']:.2f} s = {ratio:.2f}x "
                                     f"(fastest runs: {k['min'] / p['min']:.2f}x)",
                         "met": ratio <= TARGETS["parse_ratio"]})
        if f:
            ratio = f["median"] / k["median"]
            rows.append({"target": f"1M rows {variant}: kzcn at least {TARGETS['frictionless_ratio']:g}x faster than frictionless",
                         "measured": f"{f['median']:.2f} s / {k['median']:.2f} s = {ratio:.1f}x "
                                     f"(fastest runs: {f['min'] / k['min']:.1f}x)",
                         "met": ratio >= TARGETS["frictionless_ratio"]})
        mem = k["rss_mb"] * 1024 * 1024 / pkg["csv_bytes"]
        rows.append({"target": f"1M rows {variant}: kzcn peak memory under {TARGETS['memory_ratio']:g}x the CSV on disk",
                     "measured": f"{k['rss_mb']:.0f} MB / {pkg['csv_bytes'] / 1e6:.0f} MB = {mem:.2f}x",
                     "met": mem < TARGETS["memory_ratio"]})
        check = pkg.get("kzcn_check", {})
        rows.append({"target": f"1M rows {variant}: every injected fault found exactly, nothing spurious",
                     "measured": check.get("describe", check.get("error", "not checked")),
                     "met": bool(check.get("exact"))})
    repo = results.get("repo", {})
    if "kzcn" in repo and "frictionless" in repo:
        k, f = repo["kzcn"]["median"], repo["frictionless"]["median"]
        rows.append({"target": "curated repository, cold: kzcn validate no slower than frictionless validate",
                     "measured": f"{k:.2f} s vs {f:.2f} s ({f / k:.2f}x)", "met": k <= f})
    return rows


def render(results: dict) -> str:
    m, v = results["machine"], results["versions"]
    lines = ["# Benchmark: `kzcn validate` at scale", "",
             "Written by `make bench` (`.venv/bin/python benchmarks/run.py`); do not edit by hand. "
             f"Run of {results['started']}, {results['total_seconds'] / 60:.1f} minutes in all"
             + (" (**--quick**: 10k and 100k rows only, fewer runs)" if results.get("quick") else "") + ".", ""]
    lines += ["## Machine", "",
              f"- CPU: {m['cpu']}; {m['logical_cpus']} logical CPUs, {m['usable_cpus']} usable by this process"
              + (f", cgroup quota {m['cgroup_cpus']} CPUs" if "cgroup_cpus" in m else ""),
              f"- Memory: {m['memory_gb']} GB" + (f" (cgroup limit {m['cgroup_memory_gb']} GB)" if "cgroup_memory_gb" in m else ""),
              f"- OS: {m['os']}; Python {m['python']}", ""]
    lines += ["## Versions", ""] + [f"- {k}: {val}" for k, val in v.items()] + [""]

    lines += ["## Targets", "", "| target | measured | met |", "|---|---|---|"]
    for t in targets(results):
        lines.append(f"| {t['target']} | {t['measured']} | {'**met**' if t['met'] else '**not met**'} |")
    lines += [""]

    lines += ["## Data", "",
              "Generated by `benchmarks/generate.py` (seed {}), shaped like `trade_volumes`: the real Table Schemas "
              "(`value` gets `minimum: 0`), a `sources` and a `people` table for the foreign keys, and the real "
              "per-row rules of `validation/rules.yaml` on trade_volumes ({}). The faulty variant breaks about 1% "
              "of the rows, one fault per row, classes in equal shares: {}. Each expected finding (line, field, code) "
              "is in the package's `manifest.json`.".format(
                  generate.SEED, ", ".join(generate.RULE_IDS), ", ".join(generate.FAULT_CLASSES)), "",
              "| package | trade_volumes rows | CSV on disk | faulty rows | expected findings |", "|---|---|---|---|---|"]
    for name, p in results["packages"].items():
        lines.append(f"| {name} | {p['rows']:,} | {p['csv_bytes'] / 1e6:.1f} MB | {p['fault_rows']:,} | {p['expected_findings']:,} |")
    lines += [""]

    lines += ["## Timings", "",
              "Wall time of the whole process (start-up, imports, reading all three tables, writing the report to a "
              "file); peak memory is the process's maximum resident set (ru_maxrss). Median of the runs, spread "
              "min-max. `x floor` is the median over the pyarrow parse of the same file.", "",
              "| package | tool | runs | median s | spread s | x floor | peak MB | exit |", "|---|---|---|---|---|---|---|---|"]
    for name in results["packages"]:
        floor = _timing(results, name, "pyarrow")
        for tool in TOOLS:
            t = _timing(results, name, tool)
            if t is None:
                continue
            ratio = f"{t['median'] / floor['median']:.1f}" if floor else ""
            flag = "" if t["ok"] else " (unexpected)"
            lines.append(f"| {name} | {TOOL_NAMES[tool]} | {t['runs']} | {t['median']:.2f} | {t['min']:.2f}-{t['max']:.2f} "
                         f"| {ratio} | {t['rss_mb']:.0f} | {','.join(map(str, t['rcs']))}{flag} |")
    lines += [""]
    bad = [t for t in results["timings"] if not t["ok"]]
    for t in bad:
        lines += [f"- {t['package']} {t['tool']} exited {t['rcs']}: `{t['stderr'].strip().splitlines()[-1] if t['stderr'].strip() else ''}`"]
    if bad:
        lines += [""]

    lines += ["## Exactness", "", "kzcn's JSON report against each manifest (first run of each package); frictionless's "
              "JSON report on the same row and code (it checks neither formula cells nor our rules, and names no field "
              "on key errors); Great Expectations counts unexpected values per expectation, not rows or lines.", "",
              "| package | kzcn | frictionless: expected findings it reports | GE: failed expectations, unexpected values |",
              "|---|---|---|---|"]
    for name, p in results["packages"].items():
        k = p.get("kzcn_check", {})
        f = p.get("frictionless_check", {})
        g = p.get("gx_summary", {})
        ktxt = k.get("describe", k.get("error", ""))
        ftxt = (f"{f['matched']:,}/{f['expected']:,} (not reported: {', '.join(f'{c} {n}' for c, n in f['not_reported_by_code'].items()) or 'none'}; "
                f"{f['extra']:,} other errors)") if "matched" in f else f.get("error", "")
        gtxt = f"{g['failed']}/{g['evaluated']}, {g['unexpected']:,}" if "failed" in g else g.get("error", "")
        lines.append(f"| {name} | {ktxt} | {ftxt} | {gtxt} |")
    lines += [""]

    repo = results.get("repo", {})
    if repo:
        lines += ["## The curated repository, cold", "", "A new process per run, in the repository root (the page cache "
                  "is warm; kzcn's modules are byte-compiled first, as `pip install` does, like every other tool's).", "",
                  "| command | runs | median s | spread s | peak MB | exit |", "|---|---|---|---|---|---|"]
        for tool, t in repo.items():
            lines.append(f"| `{_fmt_cmd(t['command'])}` | {t['runs']} | {t['median']:.2f} | {t['min']:.2f}-{t['max']:.2f} "
                         f"| {t['rss_mb']:.0f} | {','.join(map(str, t['rcs']))} |")
        lines += ["", "kzcn checks the cross-table rules of `validation/rules.yaml` as well; frictionless checks "
                  "the schemas and keys only.", ""]

    lines += ["## Commands", "", "Per package (shown for trade-1m-faulty; `-clean` the same, pyarrow without the skip handler):", ""]
    pkg = HERE / "data" / generate.package_name("1m", True)
    for tool in TOOLS:
        lines.append(f"- {TOOL_NAMES[tool]}: `{_fmt_cmd(commands(tool, pkg, True))}`")
    lines += ["", "Runs per package: " + "; ".join(
        f"{TOOL_NAMES[t]} {', '.join(f'{n} at {s}' for s, n in RUNS[t].items())}" for t in TOOLS)
        + ". Fewer runs for frictionless and Great Expectations at 1M rows keep `make bench` well inside a "
        "2-core CI job; their spread is small next to the gaps measured.", "",
        f"- frictionless: its CLI stops at 1,000 errors by default; `--limit-errors {LIMIT_ERRORS:,}` lets it "
        "report every fault, `--json` gives a report to compare with the manifest.",
        "- pyarrow: the floor is parsing the trade_volumes CSV with type inference, nothing checked. A ragged "
        "row makes `read_csv` raise, so on the faulty files it skips them (`invalid_row_handler`).",
        "- Great Expectations: `benchmarks/gx_check.py`, see its docstring: a file-backed context in a temporary "
        "folder (progress bars off), a pandas datasource with a CSV asset per table read as text, suites "
        "compiled from the same schemas and rules, one checkpoint, SUMMARY results.", ""]
    lines += [ENGINE, SCALE_OUT]
    text = "\n".join(lines) + "\n"
    text = small.splice(text, small.render(results["small"])) if results.get("small") else text
    if results.get("streaming"):
        text = streaming.splice(text, streaming.render(results["streaming"]))
    return dask_bench.splice(text, dask_bench.render(results["dask"])) if results.get("dask") else text


def _has_dask() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


ENGINE = """## How `kzcn validate` gets its speed, and what it costs

- One read of the bytes: a numpy scan finds records, quotes, line endings and the line of every
  record; the bytes are then dropped and pyarrow parses the rows from the file, all cells as
  text (so one bad cell never changes how its column is read). On two cores or fewer pyarrow
  parses in one thread: it costs 0.05-0.15 s per million rows and pyarrow then numbers the rows
  it cannot take (ragged), which spares a second pass over the file to find them.
- Every check is a kernel over a whole column (Arrow compute, numpy), in two threads; only
  faulty cells become Python objects. Keys are hashed once; repeated values are found by
  counting codes, not by sorting the column.
- The rules (layer 3) read typed columns converted on first use (a rule reading four columns of
  a million-row table converts four), select rows column-wise and judge the candidate rows cell
  by cell as before; pandas (0.4 s to import) is imported in a second thread while layers 1 and
  2 run.
- The CLI process uses Arrow's jemalloc pool with no decay delay (freed memory goes back to the
  system at once; about 65 MB less at the peak at 1M rows); YAML is parsed by libyaml when PyYAML
  has it (a quarter of a cold run on this repository was YAML), the JSON report is written with
  the C string encoder, byte for byte what `json.dumps(indent=2)` gives.
- Where the 1M-row run still spends its time (one process, clean file, profiled here): Python
  start-up and imports 0.2 s, reading and scanning the bytes 0.25 s, pyarrow's parse of every
  cell as text 0.4-0.5 s (one thread), types and constraints of 24 columns 0.5 s (two threads),
  formula cells 0.1 s, keys, foreign keys and the seven rules 0.2 s, and about 0.3 s more for
  the descriptor, the report, and pandas' import competing for the two cores. The floor it is compared
  with is a start-up (0.2 s) and a two-thread parse with type inference (0.3 s), checking
  nothing: 3x that (1.5 s) leaves 0.6 s after our own start-up, scan and parse, for checks that
  take 0.8 s plus the overheads above. On the faulty file add the 10,769 findings, finding duplicate keys by hashing a
  million ids, and reading the ragged rows one by one (0.6 s). Closing the gap needs the checks
  fused into the parse (a native reader that judges cells as it splits them), not more
  vectorising in Python.
- Cost: none in the reports, which are byte-identical on this repository and on every clean
  package, with one deliberate exception found by this benchmark: a rule requiring a field no
  longer reports "must be filled" for a cell that is filled with a value layer 2 rejects (a
  type or enum error already reported there); before, each such cell was reported twice. The
  price is code: a lazily converted table (`kzcn.validate.run.TypedTable`) beside the DataFrame,
  and a per-column fast path beside each cell-by-cell judgement.
"""


SCALE_OUT = """## When one machine is not enough

Where the time goes today: one pass over the bytes (numpy) to find records, quotes and line
numbers; pyarrow parses the cells as text; every check is a vectorised operation on
an Arrow or numpy column; only faulty cells become Python objects. All of a table is in memory
at once, about 2-4x its CSV size at the peak. So one machine serves tables up to a few GB of CSV;
past that, memory runs out before time does.

What each check needs:
- per cell or per row (encoding, quoting, ragged rows, types, required, enum, bounds, pattern,
  formula cells, and the per-row rules: conditional required, date order): nothing but the
  row, so any split of the file into record-aligned chunks works, each chunk independently;
- line numbers: each chunk needs the count of lines before it (a prefix sum over chunks: a
  first cheap pass, or files already split);
- unique and primary keys: all rows with the same key in one place (hash-partition by key);
- foreign keys: the set of referenced keys (small: broadcast it; large: an anti-join);
- cross-row rules (part within whole, parts add up, shares, growth, ranks, sources agree):
  the rows of one match group together (partition by the match fields).

The engine to use, in order of need:
1. **DuckDB** on one machine past its memory: `read_csv(..., all_varchar=true)` keeps every cell
   as text, `TRY_CAST` and `regexp_full_match` judge cells one by one, `GROUP BY key HAVING
   count(*) > 1` finds duplicates, an anti-join finds unknown foreign keys, and it spills to disk
   and uses every core. Polars' streaming engine (`scan_csv(infer_schema=False)`) is the other
   choice; DuckDB's out-of-core joins and group-bys are the more mature.
2. **Spark** (or Dask) when one machine is not enough at all: the data kept as many CSV (or
   Parquet) files partitioned by period or by source, one task per file for layers 1 and 2, so
   that every line number stays local to its file and exact; keys and cross-row rules as
   shuffles (group by key / by match fields); foreign keys as a broadcast or shuffle anti-join.

What of ours would change: the layer-1 scan would read a file in record-aligned chunks with a
line offset instead of all at once (the quote-parity scan already knows where records end);
`check_cells` is unchanged per chunk (it is already columnar and stateless per cell); key and
foreign-key checks become a group-by and an anti-join in the engine, keeping the first line of
each key to name it in the message; the rule kinds, today pandas code over typed frames, need a
second form as engine expressions (date order and conditional required are filters; part
within whole and parts add up are joins on the match fields). The findings and the report stay
as they are (code, line, field, message), merged and sorted by file and line at the end; at a
billion rows a 1% fault rate is ten million findings, so the JSON report would need to stream
(JSON lines) or summarise by code beyond a limit, which is a change to the published contract.
"""


def _write_section(out: Path, module, measured: dict, raw: str | None, what: str) -> None:
    """Keep a one-part run's measurement (benchmarks/data/RAW) and rewrite only its section of
    RESULTS.md (benchmarks/sections.py), atomically."""
    if raw:
        (HERE / "data").mkdir(exist_ok=True)
        (HERE / "data" / raw).write_text(json.dumps(measured, indent=1) + "\n", encoding="utf-8")
    current = out.read_text(encoding="utf-8") if out.exists() else ""
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(module.splice(current, module.render(measured)), encoding="utf-8")
    os.replace(tmp, out)
    print(f"wrote the {what} section of {out}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="10k and 100k rows, fewer runs")
    ap.add_argument("--sizes", help="comma-separated sizes among " + ", ".join(generate.SIZES))
    ap.add_argument("--tools", default=",".join(TOOLS), help="comma-separated tools among " + ", ".join(TOOLS))
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    ap.add_argument("--small-only", action="store_true",
                    help="measure only the small packages, cold (benchmarks/small.py) and rewrite that section")
    ap.add_argument("--dask-only", action="store_true",
                    help="measure only the Dask engine beside the local one (benchmarks/dask_bench.py) and "
                         "rewrite that section")
    ap.add_argument("--streaming-only", action="store_true",
                    help="measure only streaming validation on large files (benchmarks/streaming.py) and rewrite that section")
    ap.add_argument("--streaming-sizes", default=",".join(streaming.SIZES),
                    help="comma-separated sizes among " + ", ".join(streaming.SIZES))
    ap.add_argument("--render-only", action="store_true",
                    help="rewrite RESULTS.md from benchmarks/data/last-run.json without measuring")
    args = ap.parse_args(argv)
    if args.small_only:
        measured = small.measure(KZCN, FRICTIONLESS, ROOT, REPO_RUNS, lambda m: print(m, flush=True))
        _write_section(args.out, small, measured, None, "small-packages")
        return 0
    if args.dask_only:
        if not _has_dask():
            ap.error("--dask-only needs the extra: pip install 'kzcn-data[dask]'")
        measured = dask_bench.measure(KZCN, lambda m: print(m, flush=True))
        _write_section(args.out, dask_bench, measured, "last-dask-run.json", "Dask")
        return 0 if all(c["same_report"] for c in measured["configs"].values()) else 1
    stream_sizes = [s for s in args.streaming_sizes.split(",") if s]
    if any(s not in streaming.SIZES for s in stream_sizes):
        ap.error(f"unknown streaming size among {args.streaming_sizes}")
    if args.streaming_only:
        measured = streaming.measure(KZCN, measure, HERE / "data", stream_sizes, lambda m: print(m, flush=True))
        _write_section(args.out, streaming, measured, "last-streaming.json", "streaming")
        return 0 if all(r["check"].get("exact") for r in measured["sizes"].values()) else 1
    if args.render_only:
        results = json.loads((HERE / "data" / "last-run.json").read_text(encoding="utf-8"))
        tmp = args.out.with_name(args.out.name + ".tmp")
        tmp.write_text(render(results), encoding="utf-8")
        os.replace(tmp, args.out)
        print(f"wrote {args.out}")
        return 0
    sizes = args.sizes.split(",") if args.sizes else (["10k", "100k"] if args.quick else list(generate.SIZES))
    tools = tuple(t for t in args.tools.split(",") if t)
    unknown = [s for s in sizes if s not in generate.SIZES] + [t for t in tools if t not in TOOLS]
    if unknown:
        ap.error(f"unknown size or tool: {', '.join(unknown)}")
    if "pyarrow" not in tools:
        tools = ("pyarrow", *tools)

    def log(msg):
        print(msg, flush=True)

    results = run(sizes, args.quick, tools, log)
    if not args.quick:
        results["streaming"] = streaming.measure(KZCN, measure, HERE / "data", stream_sizes, log)
    (HERE / "data").mkdir(exist_ok=True)
    raw = HERE / "data" / "last-run.json"
    raw.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    text = render(results)
    kept = dask_bench.section_of(args.out.read_text(encoding="utf-8")) if args.out.exists() else None
    if "dask" not in results and kept:
        text = dask_bench.splice(text, kept)
    kept = streaming.current_section(args.out.read_text(encoding="utf-8")) if args.out.exists() else None
    if not results.get("streaming") and kept:  # a --quick run keeps the last streaming measurement
        text = streaming.splice(text, kept)
    tmp = args.out.with_name(args.out.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, args.out)
    log(f"wrote {args.out} and {raw}")
    for t in targets(results):
        log(f"{'MET    ' if t['met'] else 'NOT MET'} {t['target']}: {t['measured']}")
    failed = [t for t in results["timings"] if not t["ok"]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
