"""Small packages, cold: where start-up is most of the time, `kzcn validate` beside `frictionless validate`.

On packages under a few MB a validator's time is its start-up (interpreter, imports), so this
part of `make bench` runs each tool as a new process, several times, on two packages: the
curated repository (which has consistency rules, so layer 3 and pandas run too) and a 1 MB
one-resource package with no rules (the fast path: no pandas, no jsonschema). It reports the
median wall time and the CPU time (user + system) of the process: on a shared machine wall time
grows with the load, CPU time much less, so both are shown.

`benchmarks/run.py --small-only` measures this part alone and rewrites only its section of
RESULTS.md (between the markers), leaving the 1M-row results as they are.
"""
from __future__ import annotations

import os
import random
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

START, END = "<!-- small-packages:start -->", "<!-- small-packages:end -->"
TARGET_SECONDS = 0.35
ONE_MB = 1 << 20


def write_one_mb_package(folder: Path) -> Path:
    """A one-resource package of about 1 MB: ids, dates, numbers, words (seeded, so the same bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(2026)
    words = ["Almaty", "Astana", "Urumqi", "Khorgos", "Shymkent", "Lianyungang", "Aktau", "Xian"]
    rows, size, i = ["id,date,city,value,note"], 0, 0
    while size < ONE_MB:
        i += 1
        row = (f"{i},{2020 + i % 6}-{1 + i % 12:02d}-{1 + i % 28:02d},{rng.choice(words)},"
               f"{rng.randrange(1, 10**6) / 100},shipment {rng.randrange(10**5)}")
        rows.append(row)
        size += len(row) + 1
    (folder / "table.csv").write_text("\n".join(rows) + "\n")
    (folder / "datapackage.json").write_text(
        '{"name": "one-mb", "resources": [{"name": "table", "path": "table.csv", "schema": {"fields": ['
        '{"name": "id", "type": "integer", "constraints": {"required": true, "unique": true}}, '
        '{"name": "date", "type": "date"}, {"name": "city", "type": "string"}, '
        '{"name": "value", "type": "number", "constraints": {"minimum": 0}}, {"name": "note", "type": "string"}], '
        '"primaryKey": ["id"]}}]}\n')
    return folder / "datapackage.json"


def _run(cmd: list[str], cwd: Path) -> dict:
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rc": os.waitstatus_to_exitcode(status)}


def measure(kzcn: str, frictionless: str, root: Path, runs: int, log) -> dict:
    """Median wall and CPU seconds per (package, tool), each run a cold process."""
    scratch = Path(tempfile.mkdtemp(prefix="kzcn-small-"))
    one_mb = write_one_mb_package(scratch / "one-mb")
    packages = {"curated repository (10 tables, rules)": (root, "datapackage.yaml"),
                f"1 MB, one resource, no rules ({one_mb.with_name('table.csv').stat().st_size:,} bytes)":
                    (one_mb.parent, "datapackage.json")}
    out = {"runs": runs, "load": _load(), "packages": {}}
    for label, (folder, descriptor) in packages.items():
        row = {}
        for tool, cmd in (("kzcn", [kzcn, "validate", descriptor]), ("frictionless", [frictionless, "validate", descriptor])):
            _run(cmd, folder)  # one warm-up for the file cache; each measured run is still a new process
            got = [_run(cmd, folder) for _ in range(runs)]
            row[tool] = {"wall": statistics.median(g["wall"] for g in got),
                         "cpu": statistics.median(g["cpu"] for g in got), "rcs": sorted({g["rc"] for g in got})}
            log(f"small {label[:30]:30s} {tool:12s} wall {row[tool]['wall']:.2f} s  cpu {row[tool]['cpu']:.2f} s")
        out["packages"][label] = row
    out["load_after"] = _load()
    return out


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def render(small: dict) -> str:
    lines = [START, "## Small packages, cold", "",
             "Each tool as a new process (`kzcn validate DESCRIPTOR`, `frictionless validate DESCRIPTOR`), "
             f"median of {small['runs']} runs after one warm-up; CPU = user + system time of the process. Load "
             f"average {small['load']} before, {small['load_after']} after (2 cores: wall time grows with the "
             "load, CPU time much less). Written by `benchmarks/run.py --small-only` or `make bench`.", "",
             "| package | kzcn wall | kzcn CPU | frictionless wall | frictionless CPU | frictionless / kzcn (wall) |",
             "|---|---|---|---|---|---|"]
    for label, row in small["packages"].items():
        k, f = row["kzcn"], row["frictionless"]
        lines.append(f"| {label} | {k['wall']:.2f} s | {k['cpu']:.2f} s | {f['wall']:.2f} s | {f['cpu']:.2f} s "
                     f"| {f['wall'] / k['wall']:.1f}x |")
    lines += ["", f"Target: a cold `kzcn validate` on a small package in at most {TARGET_SECONDS} s on an idle "
              "machine. The package without rules imports neither pandas nor jsonschema "
              "(kzcn.validate.lazypandas, kzcn.package.schemacheck); the curated repository's rules need "
              "pandas (about 0.4 s of import on its own).", END]
    return "\n".join(lines) + "\n"


def splice(results_md: str, section: str) -> str:
    """RESULTS.md with this section replaced (or added at the end)."""
    if START in results_md and END in results_md:
        head, rest = results_md.split(START, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        return head + section + ("\n" + tail if tail else "")
    return results_md.rstrip("\n") + "\n\n" + section
