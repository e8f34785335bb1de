"""What each validator said about each corpus package, for benchmarks/conformance.py.

The corpus helpers (corpus.py, resource_cases.py) call `record` with the verdict and the errors
they compare, on both sides. In a test run nothing listens and `record` does nothing; the
benchmark script installs a sink and runs the same tests, so its per-case table is built from
the very packages and comparisons the tests assert on: one source of truth.
"""
from __future__ import annotations

from pathlib import Path

SINK = None  # callable(side, target, valid, found, codes) while benchmarks/conformance.py runs the tests


def record(side: str, target, valid: bool, found: list, code_at: int) -> None:
    """`side` ("frictionless" or "kzcn") judged the package at `target`: its verdict and the
    findings the helper compares (tuples whose item `code_at` is the code)."""
    if SINK is not None:
        SINK(side, Path(target), bool(valid), sorted(map(repr, found)), [t[code_at] for t in found])
