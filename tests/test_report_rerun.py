"""`make` twice: the report stage replaces the folders its previous run wrote.

The Great Expectations run starts its project folder afresh, which once removed the ownership
marker that lets the next run replace gx/ — so a second `dvc repro` refused its own output.
"""
from __future__ import annotations

import pytest

from release_helpers import copy_package, kzcn


@pytest.mark.slow
def test_a_second_report_replaces_what_the_first_wrote(tmp_path):
    pkg = copy_package(tmp_path / "pkg")
    for _ in range(2):
        done = kzcn("report", pkg, "--output", pkg / "build", "--exit-zero", check=False)
        assert done.returncode == 0, done.stderr
    for name in ("gx", "report", "expectations"):
        assert (pkg / "build" / name / ".kzcn-output").is_file(), name
