"""A streamed file on a real 2-worker LocalCluster (processes): its keys as a shuffle.

The generated faulty package of benchmarks/generate.py, with repeated keys and foreign keys
that match nothing added all over trade_volumes (each repeat's first occurrence in another
chunk, most of the time) and notes cells that run over several lines: validated whole in one
process, streamed in one process, and streamed on the cluster, the three JSON reports must be
the same, with the findings cap at 1000 and at 2. On the cluster the repeats are compared by
one task per hash partition and the foreign keys by one task per chunk, and what the chunk
tasks hand the driver holds no key table. A second package has a two-field primary key, a
unique integer field and a foreign key into its own table (its referenced keys are a streamed
table's), with blank key cells.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import random
from pathlib import Path

import pytest

import bench_modules

distributed = pytest.importorskip("distributed")

from kzcn.package.limits import current  # noqa: E402
from kzcn.validate import run  # noqa: E402
from kzcn.validate.engines import shuffle  # noqa: E402

dask_bench = bench_modules.load("dask_bench")
gen = dask_bench.generate
REPEATS, ORPHANS = 40, 40


def _rewrite(path: Path, seed: int) -> tuple[set, set]:
    """Repeated trade_ids, unknown source_ids and multi-line notes spread over the file;
    (the repeated ids, the unknown source ids)."""
    rng = random.Random(seed)
    text = path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    tid, sid, notes = header.index("trade_id"), header.index("source_id"), header.index("notes")
    whole = [k for k, r in enumerate(body) if len(r) == len(header)]
    repeated, orphans = set(), set()
    for k in rng.sample(whole, REPEATS):  # a later row takes the id of a row far before or after it
        other = body[rng.choice(whole)]
        body[k][tid] = other[tid]
        repeated.add(other[tid])
    for n, k in enumerate(rng.sample(whole, ORPHANS)):
        body[k][sid] = f"src-9{n:04d}"
        orphans.add(body[k][sid])
    for k in rng.sample(whole, 60):
        body[k][notes] = "first line of a note,\nthen a second, \"quoted\"\nand a third"
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows([header, *body])
    path.write_text(out.getvalue(), encoding="utf-8")
    return repeated, orphans


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    base = tmp_path_factory.mktemp("shuffle")
    gen.generate(base, 6000, faulty=True)
    repeated, orphans = _rewrite(base / gen.TRADE_PATH, 15)
    return base / "datapackage.json", repeated, orphans


def _comparable(report) -> str:
    data = json.loads(report.to_json())
    assert isinstance(data["stats"].pop("elapsed_seconds"), float)
    return json.dumps(data, ensure_ascii=False)


def _task_prefixes(address) -> set:
    from distributed import Client

    with Client(address, set_as_default=False) as client:
        return set(client.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.task_prefixes)))


class _Watched(shuffle._Chunks):
    """The engine's own mapper, recording what each chunk task handed the driver."""

    seen: list = []

    def __call__(self, fn, specs):
        for result in super().__call__(fn, specs):
            _Watched.seen.append(result)
            yield result


def _three_ways(address, target, limits, chunk: int, monkeypatch):
    """Whole, streamed and streamed on the cluster (its chunk results watched): the three
    reports must be one; the cluster's report."""
    whole = run.validate(target, limits=limits, chunk_size=0)
    local = run.validate(target, limits=limits, chunk_size=chunk)
    _Watched.seen = []
    monkeypatch.setattr(shuffle, "_Chunks", _Watched)
    remote = run.validate(target, limits=limits, chunk_size=chunk, engine="dask", scheduler=address)
    assert _comparable(local) == _comparable(whole)
    assert _comparable(remote) == _comparable(whole)
    return remote


@pytest.mark.parametrize("cap", [1000, 2])
def test_the_shuffle_gives_the_one_process_report(address, faulty, cap, monkeypatch):
    target, repeated, orphans = faulty
    limits = dataclasses.replace(current(), **{"findings_per_code": cap})
    size = (target.parent / gen.TRADE_PATH).stat().st_size
    sources = (target.parent / "datasets" / "sources.csv").stat().st_size
    chunk = min(size // 16, sources - 1)  # sources is streamed too: its keys come from its chunks
    remote = _three_ways(address, target, limits, chunk, monkeypatch)

    counts = remote.stats["findings"]["by_code"]
    assert counts["foreign-key"] >= ORPHANS and counts["primary-key"] >= len(repeated)
    assert counts["unique-error"] >= len(repeated)
    listed = [f for f in remote.findings if f.code == "foreign-key" and f.line is not None]
    assert len(listed) == min(cap, counts["foreign-key"])
    if cap == 2:
        assert remote.stats["findings"]["truncated"]
    else:
        assert {f.message.split("'")[1] for f in listed} >= orphans
        assert {f.message.split("'")[1] for f in remote.findings if f.code == "unique-error"} >= repeated

    assert remote.stats["tables"]["trade_volumes"]["bytes"] > 16 * chunk - 16
    assert len(_Watched.seen) > 16  # trade_volumes' chunks and sources'
    assert all(not r.keys and not r.foreign for r in _Watched.seen)  # no key table came to the driver
    prefixes = _task_prefixes(address)
    assert {"chunk_bundle", "partition_repeats", "unmatched"} <= prefixes, prefixes



def _composite_package(folder: Path, rows: int, seed: int) -> Path:
    """One table with a two-field primary key, a unique integer field and a foreign key into
    its own unique field: repeats and orphans spread over the file, some keys left blank."""
    rng = random.Random(seed)
    lines = ["region,seq,code,parent,note"]
    for k in range(rows):
        region, seq, code = f"r{k % 7}", k // 7, 1000 + k
        if rng.random() < 0.01:  # a repeat of an earlier or later (region, seq)
            j = rng.randrange(rows)
            region, seq = f"r{j % 7}", j // 7
        if rng.random() < 0.01:
            code = 1000 + rng.randrange(rows)
        parent = "" if k == 0 or rng.random() < 0.05 else str(1000 + rng.randrange(k))
        if rng.random() < 0.01:
            parent = str(10 ** 7 + k)  # matches no code
        note = '"two\nlines"' if rng.random() < 0.02 else "plain"
        lines.append(f"{region},{'' if rng.random() < 0.003 else seq},{code},{parent},{note}")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "items.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    schema = {"fields": [{"name": "region", "type": "string"}, {"name": "seq", "type": "integer"},
                         {"name": "code", "type": "integer", "constraints": {"unique": True}},
                         {"name": "parent", "type": "integer"}, {"name": "note", "type": "string"}],
              "primaryKey": ["region", "seq"],
              "foreignKeys": [{"fields": "parent", "reference": {"resource": "", "fields": "code"}}]}
    descriptor = {"name": "composite", "resources": [{"name": "items", "path": "items.csv", "schema": schema}]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder / "datapackage.json"


@pytest.mark.parametrize("cap", [1000, 2])
def test_a_two_field_key_and_a_key_into_its_own_table(address, tmp_path, cap, monkeypatch):
    target = _composite_package(tmp_path / "pkg", 20000, 7)
    limits = dataclasses.replace(current(), **{"findings_per_code": cap})
    chunk = (target.parent / "items.csv").stat().st_size // 10
    remote = _three_ways(address, target, limits, chunk, monkeypatch)
    assert len(_Watched.seen) >= 10 and all(not r.keys and not r.foreign for r in _Watched.seen)
    counts = remote.stats["findings"]["by_code"]
    assert counts["primary-key"] > 100 and counts["unique-error"] > 100 and counts["foreign-key"] > 100, counts
