"""`--workers N`: the LocalCluster's workers get their share of the cores for Arrow, not one.

distributed spawns its workers with OMP_NUM_THREADS=1, which pyarrow takes as its CPU count;
cluster.client_for gives each of N workers cores // N (at least 1). Checked in the real worker
processes of a cluster the engine starts.
"""
from __future__ import annotations

import os

import pytest

pytest.importorskip("distributed")

from kzcn.validate.engines.cluster import client_for, worker_env  # noqa: E402


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def _arrow_threads() -> tuple:
    import pyarrow

    return os.environ.get("OMP_NUM_THREADS"), pyarrow.cpu_count()


def test_the_share_is_the_cores_divided_among_the_workers():
    cores = _cores()
    assert worker_env(1)["OMP_NUM_THREADS"] == str(cores)
    assert worker_env(cores * 4) == {k: "1" for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")}
    assert int(worker_env(2)["OMP_NUM_THREADS"]) == max(1, cores // 2)


def test_a_lone_worker_sees_every_core():
    with client_for(1, None) as client:
        seen = list(client.run(_arrow_threads).values())
    assert seen == [(str(_cores()), _cores())]
