"""benchmarks/conformance.py: the corpus's per-case table is built from the tests' own runs.

Run as a user runs it (a subprocess), on two cases of the corpus: one where both validators
agree, one where they differ, whose stated reason must be the corpus's own words (here the
comment in the test), not a retyped summary.
"""
from __future__ import annotations

import inspect
import subprocess
import sys

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # not from conftest: ambiguous beside tests/security's

sys.path.insert(0, str(ROOT / "tests" / "conformance"))
import test_resources_compression as compression  # noqa: E402


def test_the_table_quotes_the_corpus_and_marks_agreement(tmp_path):
    out = tmp_path / "CONFORMANCE.md"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "conformance.py"), "--out", str(out),
                           "-k", "zip_of_two_files or clean_parquet_table_is_valid_in_both"],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = {line.split(" | ")[0].strip("| "): line for line in out.read_text().splitlines() if line.startswith("| test_")}
    assert set(rows) == {"test_a_zip_of_two_files_is_an_error_frictionless_lets_through",
                         "test_a_clean_parquet_table_is_valid_in_both"}
    clean = rows["test_a_clean_parquet_table_is_valid_in_both"].split(" | ")
    assert clean[2:6] == ["VALID", "VALID", "equal", "passed |"]
    zipped = rows["test_a_zip_of_two_files_is_an_error_frictionless_lets_through"].split(" | ")
    assert zipped[2:4] == ["VALID", "INVALID: source-error"]
    source = inspect.getsource(compression.test_a_zip_of_two_files_is_an_error_frictionless_lets_through)
    comment = source.split("# ", 1)[1].splitlines()[0]
    assert zipped[4] == f"differs: {comment}"
    assert "**2 cases**: 2 through both validators, 1 equal, 1 stated differences" in out.read_text()
