"""The tools `make bench` compares, the exact command of each, and how many runs each gets.

Why one module: the commands are run by scale.py, shown in RESULTS.md by results_md.py, and the
run counts are both what is done and what the page says was done; one source for each.
"""
from __future__ import annotations

import sys
from pathlib import Path

import generate

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
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
REPO_COMMANDS = (("kzcn", [KZCN, "validate", "--format", "json"]),
                 ("frictionless", [FRICTIONLESS, "validate", "datapackage.yaml"]))


def commands(tool: str, pkg: Path, faulty: bool) -> list[str]:
    """The command that times `tool` on the generated package `pkg`."""
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
    """Exit codes that mean the tool ran as it should (a validator exits 1 on faulty data)."""
    return {0} if tool == "pyarrow" else ({1} if faulty else {0})


def fmt_cmd(cmd: list[str]) -> str:
    """A command as RESULTS.md shows it: paths relative to the repository and the venv."""
    out = []
    for part in cmd:
        part = part.replace(str(ROOT) + "/", "").replace(str(BIN) + "/", ".venv/bin/")
        out.append(f'"{part}"' if " " in part or ";" in part else part)
    return " ".join(out)


def compile_kzcn() -> None:
    """Byte-compile kzcn as `pip install` does for an installed package (the other tools' modules
    are compiled in site-packages; an editable checkout under PYTHONDONTWRITEBYTECODE=1 would
    otherwise recompile kzcn's modules on every run)."""
    import compileall

    import kzcn

    compileall.compile_dir(str(Path(kzcn.__file__).parent), quiet=1)
