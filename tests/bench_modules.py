"""The benchmark scripts (benchmarks/*.py) as modules for tests: one loader for every test that
reuses a benchmark's generator, checker, measuring or rendering (generate, faultcheck,
dask_bench, measure, run, targets, ...), so a test checks the same code `make bench` runs, not
a copy."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def load(name: str):
    """benchmarks/NAME.py, imported once as bench_NAME (the benchmarks folder on sys.path, as the
    scripts expect when run)."""
    key = f"bench_{name}"
    if key in sys.modules:
        return sys.modules[key]
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(key, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[key] = module
    spec.loader.exec_module(module)
    return module
