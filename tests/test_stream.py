"""Streaming validation (kzcn.validate.stream) gives the report the whole-file path gives.

Every package here is validated twice, whole (`chunk_size=0`) and in chunks of a few bytes to a
few kilobytes, and the two JSON reports must be equal byte for byte (the elapsed time aside):
the frictionless conformance cases, the broken copies of the curated package, the curated
package itself, and generated packages with every fault class (benchmarks/generate.py, at a
few thousand rows). Files built here put chunk edges inside quoted multi-line cells, mix line
endings, repeat keys across chunks and cap findings across chunks. Small files, small chunks:
nothing here is large or timed.
"""
from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import bench_modules

from conformance_adapter import load_cases, package_for_case
from kzcn.package.descriptor import open_package
from kzcn.package.limits import Limits
from kzcn.validate.run import validate
from kzcn.validate.stream import parse_size
from kzcn.validate.stream.plan import plan_file
from kzcn.validate.stream.table import check_streamed

ROOT = Path(__file__).resolve().parents[1]


_load = bench_modules.load


generate = _load("generate")
faultcheck = _load("faultcheck")


def report_json(target, chunk_size, limits=None) -> str:
    d = validate(target, chunk_size=chunk_size, limits=limits).to_dict()
    d["stats"].pop("elapsed_seconds")
    return json.dumps(d, indent=1, ensure_ascii=False)


def assert_same(target, sizes, limits=None) -> str:
    whole = report_json(target, 0, limits)
    for size in sizes:
        assert report_json(target, size, limits) == whole, f"chunk size {size} differs from the whole-file report"
    return whole


def streamed_chunks(target, name: str, chunk_size: int) -> int:
    """How many chunks `name` is checked in (0: it falls back to the whole-file path)."""
    from kzcn.validate import budget

    res = next(r for r in open_package(target).resources if r.name == name)
    token = budget.start(1000)
    try:
        done = check_streamed(res, chunk_size)
    finally:
        budget.finish(token)
    if done is None:
        return 0
    size = res.path.stat().st_size
    offset = 3 if res.path.read_bytes().startswith(b"\xef\xbb\xbf") else 0
    return len(plan_file(res.path, size, offset, chunk_size, '"').chunks)


# ---------------------------------------------------------------- packages others wrote

@pytest.mark.parametrize("case", load_cases(), ids=[c["id"] for c in load_cases()])
def test_frictionless_cases_streamed_equal_whole(case, tmp_path):
    assert_same(package_for_case(case, tmp_path / "pkg"), (1, 7, 64))


def _breakers():
    from test_conformance import BROKEN

    return BROKEN


@pytest.mark.slow
@pytest.mark.parametrize("breaker", _breakers(), ids=[b.__name__ for b in _breakers()])
def test_broken_copies_of_the_curated_package_streamed_equal_whole(breaker, tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    shutil.copy2(ROOT / "datapackage.yaml", pkg / "datapackage.yaml")
    for folder in ("schemas", "datasets"):
        shutil.copytree(ROOT / folder, pkg / folder)
    breaker(pkg)
    assert_same(pkg / "datapackage.yaml", (1500,))


def test_the_curated_package_streamed_equals_whole():
    whole = assert_same(ROOT, (2048,))
    assert json.loads(whole)["valid"]
    assert streamed_chunks(ROOT, "trade_volumes", 2048) > 3


# ---------------------------------------------------------------- generated faults

@pytest.fixture(scope="module")
def faulty(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("stream") / "trade-3k-faulty"
    generate.generate(out, 3_000, faulty=True)
    return out


def test_generated_faults_streamed_equal_whole_and_exact(faulty):
    whole = assert_same(faulty, (20_000, 2_000))
    assert streamed_chunks(faulty, "trade_volumes", 2_000) > 200
    result = faultcheck.compare(json.loads(whole), faultcheck.load_manifest(faulty))
    assert result["exact"], faultcheck.describe(result)


def test_the_findings_cap_holds_across_chunks(faulty):
    limits = Limits(findings_per_code=1)
    whole = json.loads(assert_same(faulty, (3_333,), limits))
    truncated = whole["stats"]["findings"]["truncated"]
    assert truncated["type-error"] > 0 and truncated["unique-error"] > 0 and truncated["foreign-key"] > 0
    listed = [f for f in whole["errors"] if f["code"] == "type-error" and f["line"] is not None]
    assert len(listed) == 1


# ---------------------------------------------------------------- files built here

def _package(folder: Path, csv: bytes, schema: dict, more: list | None = None, files: dict | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data.csv").write_bytes(csv)
    for name, data in (files or {}).items():
        (folder / name).write_bytes(data)
    resources = [{"name": "data", "path": "data.csv", "schema": schema}, *(more or [])]
    (folder / "datapackage.json").write_text(json.dumps({"name": "case", "resources": resources}))
    return folder


SCHEMA = {"fields": [{"name": "id", "type": "integer", "constraints": {"unique": True}},
                     {"name": "note", "type": "string"},
                     {"name": "score", "type": "number", "constraints": {"minimum": 0}},
                     {"name": "parent", "type": "integer"}],
          "primaryKey": ["id"],
          "foreignKeys": [{"fields": ["parent"], "reference": {"resource": "", "fields": ["id"]}}]}


def _multiline_rows(n: int, rng: random.Random, faults: dict) -> tuple[bytes, list[tuple[int, str]]]:
    """Rows whose notes span 1 to 5 lines, quoted; faults planted at known lines."""
    out, expected, line = [b"id,note,score,parent\n"], [], 2
    for i in range(1, n + 1):
        note = "\n".join(f"part {k} of {i}, \"quoted\"" for k in range(rng.randint(1, 5)))
        score, ident, parent = f"{rng.random() * 100:.2f}", str(i), str(rng.randint(1, 9))  # rows 1-9 are clean
        kind = faults.get(i)
        if kind == "type":
            score = "lots"
            expected.append((line, "type-error"))
        elif kind == "minimum":
            score = "-1"
            expected.append((line, "constraint-error"))
        elif kind == "duplicate":
            ident = str(1 + i % 9)
            expected += [(line, "unique-error"), (line, "primary-key")]
        elif kind == "foreign":
            parent = str(10 * n + i)
            expected.append((line, "foreign-key"))
        cell = '"' + note.replace('"', '""') + '"'
        out.append(f"{ident},{cell},{score},{parent}\n".encode())
        line += note.count("\n") + 1
    return b"".join(out), expected


def test_chunk_edges_inside_multiline_cells_give_exact_lines(tmp_path):
    rng = random.Random(7)
    kinds = ["type", "minimum", "duplicate", "foreign"]
    faults = {i: kinds[i % 4] for i in rng.sample(range(10, 600), 60)}
    data, expected = _multiline_rows(600, rng, faults)
    pkg = _package(tmp_path / "ml", data, SCHEMA)
    chunk = 997
    # the nominal edges (every `chunk` bytes) fall inside quoted cells: the plan moves them
    plan = plan_file(pkg / "data.csv", len(data), 0, chunk, '"')
    inside = sum(1 for c in plan.chunks[:-1] if data[:c.start + chunk].count(b'"') % 2 == 1)
    assert inside > 5
    for c in plan.chunks[1:]:
        assert data[:c.start].count(b'"') % 2 == 0 and data[c.start - 1:c.start] == b"\n"
        assert c.line == data[:c.start].count(b"\n") + 1
    whole = json.loads(assert_same(pkg, (chunk, 64, 5000)))
    got = sorted((f["line"], f["code"]) for f in whole["errors"])
    assert got == sorted(expected)
    assert streamed_chunks(pkg, "data", chunk) == len(plan.chunks) > 20


def test_composite_keys_and_a_referenced_streamed_table(tmp_path):
    rows = ["a,b,v"] + [f"{i % 37},{i // 37},{i}" for i in range(2000)]
    rows[500] = "3,0,dup"          # repeats (3, 0) of line 5
    rows[900] = ",7,blank part"     # part of the key blank
    rows[1300] = ",,all blank"      # the whole key blank
    child = ["a,b"] + [f"{i % 37},{i % 50}" for i in range(1500)]
    schema = {"fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "integer"},
                         {"name": "v", "type": "string"}], "primaryKey": ["a", "b"]}
    child_schema = {"fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "integer"}],
                    "foreignKeys": [{"fields": ["a", "b"], "reference": {"resource": "data", "fields": ["a", "b"]}}]}
    pkg = _package(tmp_path / "ck", "\n".join(rows).encode() + b"\n", schema,
                   [{"name": "child", "path": "child.csv", "schema": child_schema}],
                   {"child.csv": "\r\n".join(child).encode() + b"\r\n"})
    whole = json.loads(assert_same(pkg, (300, 2500)))
    codes = {(f["resource"], f["code"]) for f in whole["errors"]}
    assert ("data", "primary-key") in codes and ("child", "foreign-key") in codes
    assert streamed_chunks(pkg, "data", 300) > 10 and streamed_chunks(pkg, "child", 300) > 10


def test_mixed_endings_bom_blank_and_ragged_rows_across_chunks(tmp_path):
    lines = [f"{i},n{i},{i}.5,1" for i in range(1, 1200)]
    lines[400] = ""                       # an empty line
    lines[650] = "651,short"              # too few cells
    lines[800] = "801,long,1,1,extra,more"  # too many
    lines[1000] = ",,,"                    # blank row
    body = "id,note,score,parent\n" + "\n".join(lines[:900]) + "\r\n" + "\r\n".join(lines[900:]) + "\r\n"
    pkg = _package(tmp_path / "mx", b"\xef\xbb\xbf" + body.encode(), SCHEMA)
    whole = json.loads(assert_same(pkg, (256, 1000, 4096)))
    assert {"mixed-line-endings", "byte-order-mark", "blank-row", "extra-cell", "missing-cell"} <= {
        f["code"] for f in whole["errors"] + whole["warnings"]}
    assert streamed_chunks(pkg, "data", 256) > 10


def test_stray_quotes_in_one_chunk_and_a_late_unclosed_quote(tmp_path):
    lines = [f'{i},"n{i}",{i},1' for i in range(1, 1500)]
    lines[700] = '701,n"701,3,1'          # a stray quote: that chunk takes the exact path
    pkg = _package(tmp_path / "sq", ("id,note,score,parent\n" + "\n".join(lines) + "\n").encode(), SCHEMA)
    whole = json.loads(assert_same(pkg, (512, 3000)))
    assert any(f["code"] == "stray-quote" for f in whole["warnings"] + whole["errors"])
    lines[1400] = '1401,"never closed,3,1'
    pkg = _package(tmp_path / "uq", ("id,note,score,parent\n" + "\n".join(lines) + "\n").encode(), SCHEMA)
    assert_same(pkg, (512, 3000))  # the chunk's last record may run on: the file is read whole
    assert streamed_chunks(pkg, "data", 512) == 0


def test_bytes_that_are_not_utf8_late_in_the_file_fall_back(tmp_path):
    lines = [f"{i},n{i},{i},1" for i in range(1, 1500)]
    data = ("id,note,score,parent\n" + "\n".join(lines) + "\n").encode()
    data = data[:-40] + b"\xe9" + data[-39:]
    pkg = _package(tmp_path / "u8", data, SCHEMA)
    whole = json.loads(assert_same(pkg, (512,)))
    assert any(f["code"] == "encoding-error" for f in whole["errors"])
    assert streamed_chunks(pkg, "data", 512) == 0


def test_declared_hash_bytes_and_rows_are_checked_when_streamed(tmp_path):
    lines = [f"{i},n{i},{i},1" for i in range(1, 800)]
    data = ("id,note,score,parent\n" + "\n".join(lines) + "\n").encode()
    pkg = _package(tmp_path / "hb", data, SCHEMA)
    desc = json.loads((pkg / "datapackage.json").read_text())
    desc["resources"][0].update(hash="md5:" + "0" * 32, bytes=len(data) + 1, rows=5)
    (pkg / "datapackage.json").write_text(json.dumps(desc))
    whole = json.loads(assert_same(pkg, (400,)))
    assert {"hash-count", "byte-count", "row-count"} <= {f["code"] for f in whole["errors"]}
    assert streamed_chunks(pkg, "data", 400) > 5


# ---------------------------------------------------------------- the settings and the line format

def test_chunk_sizes_read_as_people_write_them():
    assert parse_size("64MB") == 64_000_000 and parse_size("512KiB") == 524_288 and parse_size("1.5GB") == 1_500_000_000
    assert parse_size(4096) == 4096
    for bad in ("", "12XB", "-1", "0", "MB"):
        with pytest.raises(ValueError):
            parse_size(bad)


def _kzcn(*args, cwd):
    return subprocess.run([str(Path(sys.executable).with_name("kzcn")), "validate", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def test_jsonl_lists_the_reports_findings_then_a_summary(faulty):
    out = _kzcn(".", "--format", "jsonl", "--chunk-size", "4KB", cwd=faulty)
    assert out.returncode == 1, out.stderr
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert lines[-1]["summary"] is True and lines[-1]["valid"] is False
    found = lines[:-1]
    report = json.loads(_kzcn(".", "--format", "json", cwd=faulty).stdout)
    assert sorted(map(json.dumps, found)) == sorted(map(json.dumps, report["errors"] + report["warnings"]))
    assert lines[-1]["stats"]["findings"] == report["stats"]["findings"]


def test_a_bad_chunk_size_is_a_usage_error(faulty):
    out = _kzcn(".", "--chunk-size", "lots", cwd=faulty)
    assert out.returncode == 2 and "--chunk-size" in out.stderr and "Traceback" not in out.stderr


# ---------------------------------------------------------------- the unit of work another engine maps over

def _findings(done) -> list:
    check, findings, stats = done
    return [f.to_dict() for f in findings], stats


def test_chunks_checked_in_other_processes_and_any_order_give_the_same_table(faulty):
    """check_chunk is a pure function of picklable specs: run in two worker processes (as a
    cluster would), or computed last chunk first, the merged table is the same."""
    from concurrent.futures import ProcessPoolExecutor

    from kzcn.validate import budget

    res = next(r for r in open_package(faulty).resources if r.name == "trade_volumes")

    def run(mapper):
        token = budget.start(1000)
        try:
            return _findings(check_streamed(res, 20_000, (), mapper=mapper))
        finally:
            budget.finish(token)

    def backwards(fn, specs):
        specs = list(specs)
        done = {s.index: fn(s) for s in reversed(specs)}
        return [done[s.index] for s in specs]

    here = run(map)
    assert here[0] and here[1]["rows"] == 3000
    assert run(backwards) == here
    with ProcessPoolExecutor(2) as pool:
        assert run(pool.map) == here


def test_equal_typed_values_share_a_partition():
    import pyarrow as pa

    from kzcn.validate.stream.material import partition_of

    for a, b in ((pa.array([0.0, float("nan"), 1.5]), pa.array([-0.0, float("nan"), 1.5])),
                 (pa.array(["tv-1", "", None, "é" * 70]), pa.array(["tv-1", "", None, "é" * 70])),
                 (pa.array([1, 2**62, None], pa.int64()), pa.array([1, 2**62, None], pa.int64()))):
        assert (partition_of([a], 64) == partition_of([b], 64)).all()
    texts = pa.array([f"id-{i}" for i in range(10_000)])
    spread = partition_of([texts], 16)
    assert len(set(spread.tolist())) == 16  # unequal values spread over the partitions
    assert partition_of([texts, texts], 16).tolist() != spread.tolist()


def test_the_public_api_takes_the_chunk_size_and_hands_findings_on(faulty):
    import kzcn

    got: list = []
    streamed = kzcn.validate(faulty, chunk_size="8KB", on_findings=got.extend).to_dict()
    whole = kzcn.validate(faulty, chunk_size=0).to_dict()
    for d in (streamed, whole):
        d["stats"].pop("elapsed_seconds")
    assert streamed == whole
    listed = [f.to_dict() for f in got]
    assert sorted(map(json.dumps, listed)) == sorted(map(json.dumps, whole["errors"] + whole["warnings"]))
