"""Chunks on every core (stream.pool) and the rules on a streamed table (frames.KeptTable).

The local engine checks a large file's chunks in threads and hands their results on in chunk
order; a streamed table that the rules read keeps, from its chunks, the typed rows of the
fields the rules file names, so layer 3 does not read the file a second time. Both must leave
the report exactly as the whole-file path gives it.
"""
from __future__ import annotations

import json
import threading
import time

import numpy as np
import pytest

import bench_modules
from kzcn.package.descriptor import open_package
from kzcn.package.limits import Limits, current, using
from kzcn.validate import budget, run
from kzcn.validate.frames import KeptTable, TypedTable, fields_rules_read
from kzcn.validate.run import validate
from kzcn.validate.stream.pool import thread_mapper
from kzcn.validate.stream.table import check_streamed
from kzcn.validate.table import check_table

generate = bench_modules.load("generate")


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    out = tmp_path_factory.mktemp("parallel") / "trade-4k-faulty"
    generate.generate(out, 4_000, faulty=True)
    return out


def _report(target, chunk_size) -> dict:
    d = validate(target, chunk_size=chunk_size).to_dict()
    d["stats"].pop("elapsed_seconds")
    return d


# ---------------------------------------------------------------- the ordered thread map

def test_results_come_in_chunk_order_however_the_chunks_finish():
    def slow_first(n):
        time.sleep(0.05 if n % 3 == 0 else 0)
        return n * n

    assert list(thread_mapper(2)(slow_first, range(10))) == [n * n for n in range(10)]


def test_no_more_chunks_than_ahead_are_in_flight():
    live, peak, lock = [0], [0], threading.Lock()

    def task(n):
        with lock:
            live[0] += 1
            peak[0] = max(peak[0], live[0])
        time.sleep(0.01)
        return n

    out = []
    for n in thread_mapper(2, ahead=3)(task, range(12)):
        with lock:
            live[0] -= 1  # a result handed on is no longer held
        out.append(n)
    assert out == list(range(12))
    assert peak[0] <= 3


def test_each_chunk_sees_the_runs_limits():
    seen = []
    with using(Limits(findings_per_code=7)):
        for value in thread_mapper(2)(lambda _: current().findings_per_code, range(4)):
            seen.append(value)
    assert seen == [7, 7, 7, 7]


def test_a_failing_chunk_raises_in_the_caller():
    def task(n):
        if n == 2:
            raise ValueError("chunk 2")
        return n

    with pytest.raises(ValueError, match="chunk 2"):
        list(thread_mapper(2)(task, range(6)))


# ---------------------------------------------------------------- the rules on a streamed table

def test_the_rules_fields_are_found_in_the_rules_file(faulty):
    res = next(r for r in open_package(faulty).resources if r.name == "trade_volumes")
    names = [f["name"] for f in res.schema["fields"]]
    kept = fields_rules_read(faulty / "validation" / "rules.yaml", res)
    # the generated rules read these (benchmarks/generate.py copies the per-row rules)
    assert {"value", "unit", "scale", "derived", "derivation", "measure", "period_start", "period_end"} <= set(kept)
    assert res.schema["primaryKey"] in kept or set(res.schema["primaryKey"]) <= set(kept)  # the primary key
    assert set(kept) < set(names)  # not every field: the rest are not read
    assert fields_rules_read(None, res) == ()


def test_streamed_rules_read_the_kept_rows_not_the_file_again(faulty, monkeypatch):
    whole = _report(faulty, 0)
    reads = []
    real = run._whole_frame
    monkeypatch.setattr(run, "_whole_frame", lambda res, cap: reads.append(res.name) or real(res, cap))
    streamed = _report(faulty, 20_000)
    assert streamed == whole
    assert whole["stats"]["layers"]["rules"]["findings"] > 0  # the rules found what the generator planted
    assert reads == []


def test_a_column_the_chunks_did_not_keep_comes_from_the_whole_table(faulty):
    res = next(r for r in open_package(faulty).resources if r.name == "trade_volumes")
    token = budget.start(1000)
    try:
        streamed = check_streamed(res, 20_000, (), keep=("value", "period_start"))[0]
        whole_check = check_table(res)[0]
    finally:
        budget.finish(token)
    whole = TypedTable(whole_check, res)
    built = []
    table = KeptTable(streamed.kept, res, lambda: built.append(1) or TypedTable(whole_check, res))
    assert table.index.equals(whole.index)
    for name in ("value", "period_start"):
        assert table.column(name).equals(whole.column(name))
        assert table.unreadable_lines(name) == whole.unreadable_lines(name)
    assert built == []
    other = next(f["name"] for f in res.schema["fields"] if f["name"] not in ("value", "period_start"))
    assert table.column(other).equals(whole.column(other))
    assert built == [1]
    frame = table.to_frame()
    assert frame.equals(whole.to_frame())
    assert frame.attrs["unreadable"] == whole.to_frame().attrs["unreadable"]
    assert built == [1]  # the whole table is read once


def test_chunks_in_threads_give_the_one_thread_table(faulty):
    res = next(r for r in open_package(faulty).resources if r.name == "trade_volumes")
    outs = []
    for mapper in (map, thread_mapper(2), thread_mapper(3, ahead=5)):
        token = budget.start(1000)
        try:
            check, findings, stats = check_streamed(res, 9_000, (), mapper=mapper, keep=("value",))
        finally:
            budget.finish(token)
        outs.append((json.dumps([f.to_dict() for f in findings], sort_keys=True), stats,
                     check.kept["lines"].tolist(), check.kept["columns"]["value"][0].to_pylist(),
                     np.asarray(check.kept["columns"]["value"][1]).tolist()))
    assert outs[0] == outs[1] == outs[2]
    assert len(json.loads(outs[0][0])) > 0
