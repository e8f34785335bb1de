"""Small packages, cold: where start-up is most of the time, `kzcn validate` beside `frictionless validate`.

On packages under a few MB a validator's time is its start-up (interpreter, imports), so this
part of `make bench` runs each tool as a new process, several times, on two packages: the
curated repository (which has consistency rules, so layer 3 and pandas run too) and a 1 MB
one-resource package with no rules (the fast path: no pandas, no jsonschema). It reports the
median wall time and the CPU time (user + system) of the process: on a shared machine wall time
grows with the load, CPU time much less, so both are shown.

`benchmarks/run.py --small-only` measures this part alone and rewrites only its section of
RESULTS.md (between the markers), leaving the 1M-row results as they are.

Beside the two tools it times two floors with the same interpreter: `python -c pass` (the
interpreter and site) and the imports no `kzcn validate` can do without (numpy, which pyarrow
imports whenever it is installed, pyarrow.compute and pyarrow.csv), so the table says how much
of a cold run is kzcn's own. kzcn is byte-compiled first, as `pip install` leaves it: an
editable checkout under PYTHONDONTWRITEBYTECODE=1 would recompile its modules on every run.
Each run is measured by measure.py (wall and CPU time of that process alone).
"""
from __future__ import annotations

import os
import random
import shutil
import statistics
import tempfile
from pathlib import Path

from measure import process as measure_process
import sections
from tools import compile_kzcn

START, END = sections.markers("small-packages")
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


def _run(cmd: list[str], cwd: Path, env: dict | None = None) -> dict:
    got = measure_process(cmd, cwd, env, Path(os.devnull))
    return {"wall": got["seconds"], "cpu": got["cpu"], "rc": got["rc"]}


FLOOR_IMPORTS = "import numpy, pyarrow, pyarrow.compute, pyarrow.csv"


def _median_of(cmd: list[str], cwd: Path, runs: int, env: dict | None = None) -> dict:
    _run(cmd, cwd, env)  # one warm-up for the file cache; each measured run is still a new process
    got = [_run(cmd, cwd, env) for _ in range(runs)]
    return {"wall": statistics.median(g["wall"] for g in got),
            "cpu": statistics.median(g["cpu"] for g in got), "rcs": sorted({g["rc"] for g in got})}


def floors(kzcn: str, runs: int, log) -> dict:
    """The same interpreter doing nothing, and importing only what every kzcn validate imports."""
    python = str(Path(kzcn).with_name("python"))
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}  # as the kzcn console script sets it
    out = {}
    for label, code in (("python -c pass", "pass"), (f"python -c '{FLOOR_IMPORTS}'", FLOOR_IMPORTS)):
        out[label] = _median_of([python, "-c", code], Path(tempfile.gettempdir()), runs, env)
        log(f"small floor {label[:40]:40s} wall {out[label]['wall']:.2f} s  cpu {out[label]['cpu']:.2f} s")
    return out


def measure(kzcn: str, frictionless: str, root: Path, runs: int, log) -> dict:
    """Median wall and CPU seconds per (package, tool), each run a cold process."""
    compile_kzcn()
    scratch = Path(tempfile.mkdtemp(prefix="kzcn-small-"))
    one_mb = write_one_mb_package(scratch / "one-mb")
    packages = {"curated repository (10 tables, rules)": (root, "datapackage.yaml"),
                f"1 MB, one resource, no rules ({one_mb.with_name('table.csv').stat().st_size:,} bytes)":
                    (one_mb.parent, "datapackage.json")}
    out = {"runs": runs, "load": _load(), "started": sections.now(), "packages": {}}
    for label, (folder, descriptor) in packages.items():
        row = {}
        for tool, cmd in (("kzcn", [kzcn, "validate", descriptor]), ("frictionless", [frictionless, "validate", descriptor])):
            row[tool] = _median_of(cmd, folder, runs)
            log(f"small {label[:30]:30s} {tool:12s} wall {row[tool]['wall']:.2f} s  cpu {row[tool]['cpu']:.2f} s")
        out["packages"][label] = row
    out["floors"] = floors(kzcn, runs, log)
    out["load_after"] = _load()
    shutil.rmtree(scratch, ignore_errors=True)
    return out


_load = sections.load


def render(small: dict) -> str:
    lines = [START, "## Small packages, cold", "",
             "Each tool as a new process (`kzcn validate DESCRIPTOR`, `frictionless validate DESCRIPTOR`), "
             f"median of {small['runs']} runs after one warm-up"
             + (f", measured {small['started']}" if small.get("started") else "")
             + "; CPU = user + system time of the process. Load "
             f"average {small['load']} before, {small['load_after']} after (2 cores: wall time grows with the "
             "load, CPU time much less). Written by `benchmarks/run.py --small-only` or `make bench`.", "",
             "| package | kzcn wall | kzcn CPU | frictionless wall | frictionless CPU | frictionless / kzcn (wall) |",
             "|---|---|---|---|---|---|"]
    for label, row in small["packages"].items():
        k, f = row["kzcn"], row["frictionless"]
        lines.append(f"| {label} | {k['wall']:.2f} s | {k['cpu']:.2f} s | {f['wall']:.2f} s | {f['cpu']:.2f} s "
                     f"| {f['wall'] / k['wall']:.1f}x |")
    if small.get("floors"):
        lines += ["", "Floors, the same interpreter (OPENBLAS_NUM_THREADS=1, as the kzcn command sets it):", "",
                  "| command | wall | CPU |", "|---|---|---|"]
        lines += [f"| `{label}` | {f['wall']:.2f} s | {f['cpu']:.2f} s |" for label, f in small["floors"].items()]
    verdicts = [f"{label.split(' (')[0]}: {row['kzcn']['wall']:.2f} s wall, {row['kzcn']['cpu']:.2f} s CPU, "
                + ("within" if row["kzcn"]["wall"] <= TARGET_SECONDS else "over") + " the target"
                for label, row in small["packages"].items()]
    floor = (small.get("floors") or {}).get(f"python -c '{FLOOR_IMPORTS}'")
    if floor:
        verdicts.append(f"the numpy and pyarrow imports alone (second floor): {floor['cpu']:.2f} s CPU")
    lines += ["", f"Target: a cold `kzcn validate` on a small package in at most {TARGET_SECONDS} s on an idle "
              f"machine. This run: {'; '.join(verdicts)}. On the package without rules, what kzcn adds to "
              "the second floor is its own "
              "modules, argparse and the checks; it imports neither pandas, nor jsonschema, nor yaml, "
              "nor pycountry (tests/test_startup.py), and exits without the interpreter's teardown. The "
              "curated repository's rules need pandas (0.3 to 0.4 s of import on its own) and then spend "
              "most of its time in the rules themselves, row by row in Python.", END]
    return "\n".join(lines) + "\n"


def splice(results_md: str, section: str) -> str:
    return sections.splice(results_md, section, START, END)
