"""Shared test helpers: the repository root, a copy of the package to break, and the real CLI."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KZCN = str(Path(sys.executable).with_name("kzcn"))


@pytest.fixture
def repo_root() -> Path:
    return ROOT


@pytest.fixture
def package_copy(tmp_path) -> Path:
    """A scratch copy of the curated package (descriptor, schemas, datasets, validation rules)."""
    dest = tmp_path / "pkg"
    dest.mkdir()
    shutil.copy2(ROOT / "datapackage.yaml", dest / "datapackage.yaml")
    for folder in ("schemas", "datasets", "validation"):
        if (ROOT / folder).exists():
            shutil.copytree(ROOT / folder, dest / folder)
    return dest


def run_kzcn(*args, cwd=ROOT, env=None, input=None, timeout=600) -> subprocess.CompletedProcess:
    """Run the installed `kzcn` command as a user would, capturing text output.

    It runs in `cwd`, this checkout unless a test says otherwise: with no TARGET, kzcn works on
    the package around its current folder, so a test must not depend on where pytest started.
    """
    full_env = {**os.environ, "DVC_NO_ANALYTICS": "1", **(env or {})}
    return subprocess.run([KZCN, *map(str, args)], cwd=cwd, env=full_env, input=input,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def kzcn_cli():
    return run_kzcn


@pytest.fixture(scope="module")
def address():
    """A real Dask cluster for one test module: 2 worker processes (not threads) on 127.0.0.1,
    no dashboard; its scheduler's address, what `--scheduler` takes. Needs the dask extra."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        assert len(cluster.workers) == 2
        yield cluster.scheduler_address
