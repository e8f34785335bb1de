"""`--engine dask` gives the single-process engine's report, byte for byte (elapsed time aside).

A real 2-worker LocalCluster (processes, not threads, on 127.0.0.1) is started once for the
module, and every package below is validated by both engines, the Dask one through the
cluster's address (`scheduler=`, what `--scheduler` passes): the curated package, the
frictionless and csvlint conformance cases, every test of the resource conformance modules
(several files, compressed, inline, Parquet: run as they are, with each of their validations
also done by the Dask engine and compared), and generated packages with every fault class of
benchmarks/generate.py, in one file and split into several, with the findings cap and the
line limit crossed by the files together. The command line is checked as a user runs it:
`--workers 2`, `--scheduler`, a bad or unreachable address, and the extra not installed.
"""
from __future__ import annotations

import dataclasses
import json
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import bench_modules

distributed = pytest.importorskip("distributed")
sys.path.insert(0, str(Path(__file__).resolve().parent / "conformance"))  # resource_cases, as pytest puts it

import test_conformance as conformance  # noqa: E402 - the corpus its tests read
import test_resources_compression  # noqa: E402
import test_resources_inline  # noqa: E402
import test_resources_multifile  # noqa: E402
import test_resources_parquet  # noqa: E402
from conformance_adapter import package_for_case  # noqa: E402
from kzcn.errors import UsageError  # noqa: E402
from kzcn.package.limits import current  # noqa: E402
from kzcn.validate import run  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
KZCN = str(Path(sys.executable).parent / "kzcn")
_validate = run.validate


_bench = bench_modules.load


dask_bench = _bench("dask_bench")


def _comparable(text: str) -> str:
    report = json.loads(text)
    assert isinstance(report["stats"].pop("elapsed_seconds"), float)
    return json.dumps(report, ensure_ascii=False)


def same(address, target, **kw):
    """Validate `target` with both engines; assert the JSON reports are the same; the local report."""
    local = _validate(target, **kw)
    remote = _validate(target, engine="dask", scheduler=address, **kw)
    assert _comparable(remote.to_json()) == _comparable(local.to_json())
    return local


def test_curated_package(address):
    report = same(address, ROOT)
    assert report.stats["tables"] and report.stats["layers"]["rules"]["status"] == "ran"


@pytest.mark.parametrize("case", conformance.CASES, ids=[c["id"] for c in conformance.CASES])
def test_frictionless_cases(address, case, tmp_path):
    same(address, package_for_case(case, tmp_path))


def test_csvlint_fixtures(address, tmp_path):
    for entry in conformance.CSVLINT_MANIFEST:
        same(address, conformance._csvlint_package(entry, tmp_path / entry["id"]))


RESOURCE_MODULES = (test_resources_multifile, test_resources_compression, test_resources_inline,
                    test_resources_parquet)
RESOURCE_TESTS = [(m, name) for m in RESOURCE_MODULES for name in dir(m)
                  if name.startswith("test_") and callable(getattr(m, name))
                  and getattr(m, name).__code__.co_varnames[:getattr(m, name).__code__.co_argcount] == ("tmp_path",)]


@pytest.mark.parametrize("module, name", RESOURCE_TESTS,
                         ids=[f"{m.__name__.rsplit('.', 1)[-1]}::{n}" for m, n in RESOURCE_TESTS])
def test_resource_conformance_cases(address, module, name, tmp_path, monkeypatch):
    """The conformance test as it is (its own assertions hold), each validation done twice."""
    calls = []

    def both(target=None, **kw):
        calls.append(target)
        return same(address, target, **kw)

    monkeypatch.setattr(run, "validate", both)
    getattr(module, name)(tmp_path)
    if not calls:
        pytest.skip("the test validates nothing through kzcn.validate.run.validate")


def test_enough_resource_cases_are_compared():
    assert len(RESOURCE_TESTS) >= 20
    assert any(m is test_resources_multifile for m, _ in RESOURCE_TESTS)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A faulty generated package (every fault class), in one file and split into four."""
    gen = dask_bench.generate
    base = tmp_path_factory.mktemp("gen")
    single = base / "single"
    manifest = gen.generate(single, 4000, faulty=True)
    assert all(manifest["faults_by_class"].get(c) for c in gen.FAULT_CLASSES), manifest["faults_by_class"]
    multi = dask_bench.multifile_package(base / "multi", 4000, 4, faulty=True, rules=True)
    return single / "datapackage.json", multi


def test_generated_faulty_package_in_one_file(address, generated):
    report = same(address, generated[0])
    assert not report.valid and len(report.stats["findings"]["by_code"]) >= 9


def test_generated_faulty_package_in_four_files(address, generated):
    report = same(address, generated[1])
    assert report.stats["tables"]["trade_volumes"]["files"] == 4
    paths = {f.path for f in report.findings if f.resource == "trade_volumes" and f.line is not None}
    assert len(paths) == 4  # every file has faults, each finding names its own file


def _task_prefixes(address) -> set:
    from distributed import Client

    with Client(address, set_as_default=False) as client:
        return set(client.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.task_prefixes)))


@pytest.mark.parametrize("cap", [1000, 2])
def test_a_large_file_is_streamed_with_its_chunks_as_tasks(address, generated, cap):
    """Above the chunk size a file is checked chunk by chunk on the cluster (keyshuffle.chunk_bundle,
    its keys compared per hash partition there: test_engine_shuffle.py), its chunks' findings
    merged on the driver: the report is the one-process report, streamed or read whole, with
    the findings cap counted the same across chunks."""
    limits = dataclasses.replace(current(), **{"findings_per_code": cap})
    size = (generated[0].parent / dask_bench.generate.TRADE_PATH).stat().st_size
    chunk = size // 12
    whole = _validate(generated[0], limits=limits, chunk_size=0)
    local = same(address, generated[0], limits=limits, chunk_size=chunk)  # dask and local, both streamed
    assert _comparable(local.to_json()) == _comparable(whole.to_json())
    assert {"chunk_bundle", "partition_repeats"} <= _task_prefixes(address)
    assert not whole.valid and (cap > 100 or whole.stats["findings"]["truncated"])


def test_the_findings_cap_counts_the_same(address, generated):
    capped = dataclasses.replace(current(), **{"findings_per_code": 3})
    report = same(address, generated[1], limits=capped)
    assert report.stats["findings"]["truncated"]


def test_a_line_limit_crossed_by_the_files_together(address, generated):
    """Each file alone fits the line limit, the four together do not: the parallel reads cannot
    know it, so the files are read again in turn, and the finding is the one-process one."""
    files = sorted((generated[1].parent / "datasets" / "trade_volumes").glob("*.csv"))
    longest = max(p.read_bytes().count(b"\n") for p in files)
    tight = dataclasses.replace(current(), **{"lines": longest + 10})
    report = same(address, generated[1], limits=tight)
    assert any("leaves after the resource's earlier files" in f.message for f in report.findings)


def test_parallel_reads_are_taken_when_they_agree(generated):
    from kzcn.package.descriptor import open_package
    from kzcn.validate.parts import parallel_parts_agree, read_part, setup_parts

    res = open_package(generated[1]).resource("trade_volumes")
    setup = setup_parts(res)
    lim = current()
    parts = [read_part(res, setup, k, setup.width, lim.file_bytes, lim.lines) for k in range(len(setup.files))]
    assert parallel_parts_agree(setup, parts)
    assert not parallel_parts_agree(setup, [*parts[:1], dataclass_replace(parts[1], failed=True), *parts[2:]])


def dataclass_replace(part, **kw):
    import dataclasses

    return dataclasses.replace(part, **kw)


def test_only_key_columns_come_back_without_rules(address, generated, tmp_path):
    from kzcn.package.descriptor import open_package
    from kzcn.validate.engines.slim import key_fields

    need = key_fields(open_package(generated[0]))
    assert need["trade_volumes"] == {"source_id", "speaker_id"} and "source_id" in need["sources"]
    norules = tmp_path / "norules"
    dask_bench.multifile_package(norules, 2000, 3, faulty=True, rules=False)
    report = same(address, norules / "datapackage.json")
    assert report.stats["layers"]["rules"]["file"] is None
    assert any(f.code == "foreign-key" for f in report.findings)


# ------------------------------------------------------------------ the command line


def _cli(*args, cwd=None, env=None, timeout=300):
    return subprocess.run([KZCN, "validate", *args], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=timeout)


def test_cli_workers_starts_a_local_cluster(generated):
    local = _cli(str(generated[1]), "--format", "json")
    remote = _cli(str(generated[1]), "--format", "json", "--engine", "dask", "--workers", "2")
    assert (remote.returncode, local.returncode) == (1, 1), remote.stderr
    assert _comparable(remote.stdout) == _comparable(local.stdout)


def test_cli_scheduler_uses_the_running_cluster(address):
    local = _cli(str(ROOT), "--format", "json")
    remote = _cli(str(ROOT), "--format", "json", "--engine", "dask", "--scheduler", address)
    assert (remote.returncode, local.returncode) == (0, 0), remote.stderr
    assert _comparable(remote.stdout) == _comparable(local.stdout)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _one_line_exit_2(proc, *words):
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for w in words:
        assert w in lines[0], lines[0]


def test_an_unreachable_scheduler_exits_2(tmp_path):
    addr = f"tcp://127.0.0.1:{_closed_port()}"
    _one_line_exit_2(_cli(str(ROOT), "--engine", "dask", "--scheduler", addr), addr, "cannot connect")


@pytest.mark.parametrize("addr", ["nonsense", "tcp://", "tcp://127.0.0.1:notaport", " "])
def test_a_bad_address_exits_2(addr):
    _one_line_exit_2(_cli(str(ROOT), "--engine", "dask", "--scheduler", addr), "--scheduler")


def test_a_port_that_is_not_dask_exits_2():
    """Something answers on the port, with bytes that are not Dask's protocol."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    port = server.getsockname()[1]
    stop = threading.Event()

    def serve():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.sendall(b"\xff" * 64 + b"HTTP/1.1 400 Bad Request\r\n\r\n")
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        proc = _cli(str(ROOT), "--engine", "dask", "--scheduler", f"tcp://127.0.0.1:{port}")
    finally:
        stop.set()
        thread.join()
        server.close()
    _one_line_exit_2(proc, "cannot connect")


@pytest.mark.parametrize("args, words", [
    (["--workers", "2"], "need --engine dask"),
    (["--engine", "dask", "--workers", "0"], "at least 1"),
    (["--engine", "dask", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "not both"),
])
def test_engine_usage_errors_exit_2(args, words):
    _one_line_exit_2(_cli(str(ROOT), *args), words)


def test_without_the_extra_it_says_what_to_install():
    """distributed made unimportable in the process (as where the extra is not installed)."""
    code = ("import sys; sys.modules['distributed'] = None; from kzcn.cli import main; "
            f"sys.exit(main(['validate', {str(ROOT)!r}, '--engine', 'dask']))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    _one_line_exit_2(proc, "pip install 'kzcn-data[dask]'")


def test_the_library_checks_its_arguments():
    with pytest.raises(UsageError, match="not known"):
        _validate(ROOT, engine="spark")
    with pytest.raises(UsageError, match="need --engine dask"):
        _validate(ROOT, workers=2)


def test_the_default_engine_imports_no_dask(generated):
    """Neither `kzcn validate` nor `kzcn.validate()` imports dask or distributed (start-up time)."""
    code = ("import sys, kzcn; from kzcn.cli import main; rc = main(['validate', sys.argv[1]]); "
            "kzcn.validate(sys.argv[1]); "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')); "
            "print(bad); sys.exit(0 if rc == 1 and not bad else 3)")
    proc = subprocess.run([sys.executable, "-c", code, str(generated[0])], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout[-500:] + proc.stderr[-500:]
