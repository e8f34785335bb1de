"""The three ways of running layers 1 and 2 give one report: whole, streamed, and on Dask.

Each package is validated four times: in this process reading every file whole
(`chunk_size=0`), in this process streamed in chunks of a few bytes (so every file of more than
a line is cut, its chunks checked on every core), on a real 2-worker Dask LocalCluster
(processes) whole, and on it streamed (each chunk a task). The four JSON reports must be equal,
the elapsed time aside: on the frictionless conformance cases and on a generated package with
every fault class of benchmarks/generate.py, with the default findings cap and with a cap of 2.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import bench_modules

distributed = pytest.importorskip("distributed")
sys.path.insert(0, str(Path(__file__).resolve().parent / "conformance"))

import test_conformance as conformance  # noqa: E402 - the corpus its tests read
from conformance_adapter import package_for_case  # noqa: E402
from kzcn.package.limits import Limits  # noqa: E402
from kzcn.validate.run import validate  # noqa: E402

generate = bench_modules.load("generate")


def _json(report) -> str:
    d = report.to_dict()
    d["stats"].pop("elapsed_seconds")
    return json.dumps(d, ensure_ascii=False, indent=1)


def four_ways(address, target, chunk: int, limits=None) -> str:
    whole = _json(validate(target, chunk_size=0, limits=limits))
    ways = {
        "streamed": validate(target, chunk_size=chunk, limits=limits),
        "dask whole": validate(target, engine="dask", scheduler=address, chunk_size=0, limits=limits),
        "dask streamed": validate(target, engine="dask", scheduler=address, chunk_size=chunk, limits=limits),
    }
    for name, report in ways.items():
        assert _json(report) == whole, f"{name} differs from one process reading whole"
    return whole


@pytest.mark.parametrize("case", conformance.CASES, ids=[c["id"] for c in conformance.CASES])
def test_frictionless_cases(address, case, tmp_path):
    four_ways(address, package_for_case(case, tmp_path / "pkg"), chunk=16)


@pytest.fixture(scope="module")
def faulty(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("agree") / "trade-3k-faulty"
    manifest = generate.generate(out, 3_000, faulty=True)
    assert all(manifest["faults_by_class"].get(c) for c in generate.FAULT_CLASSES)
    return out


@pytest.mark.parametrize("cap", [None, 2])
def test_every_fault_class(address, faulty, cap):
    limits = Limits(findings_per_code=cap) if cap else None
    report = json.loads(four_ways(address, faulty, chunk=40_000, limits=limits))
    assert not report["valid"]
    by_code = report["stats"]["findings"]["by_code"]
    assert {"type-error", "primary-key", "foreign-key", "constraint-error"} <= set(by_code)
    if cap:
        assert report["stats"]["findings"]["truncated"]


def test_the_rules_read_a_streamed_tables_kept_rows_on_dask_too(address, faulty, monkeypatch):
    """The chunk tasks hand back the typed rows of the fields the rules name, as in one process:
    layer 3 on the driver does not read the file again (run._whole_frame is not reached)."""
    from kzcn.validate import run

    reads = []
    real = run._whole_frame
    monkeypatch.setattr(run, "_whole_frame", lambda res, cap: reads.append(res.name) or real(res, cap))
    report = validate(faulty, engine="dask", scheduler=address, chunk_size=40_000)
    assert report.stats["layers"]["rules"]["findings"] > 0
    assert reads == []
