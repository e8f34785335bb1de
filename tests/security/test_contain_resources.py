"""Hostile inputs for the readers of multi-file, compressed, inline and Parquet resources.

Each test builds the attack in a temp folder and runs the installed `kzcn validate` as CI would,
under a memory rlimit: a decompression bomb stops at --max-file-bytes with one source-error and
exit 1, costing about the limit, not the bomb; a zip with `../` member names or many members
is refused with a message that says so and nothing is written anywhere; a multi-file path
leaving the package is a scheme-error and the file out there is never read; a truncated or
corrupt stream is a source-error naming the file. Never a traceback.
"""
from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import os
import zipfile

import pytest

from bounds_helpers import run_kzcn as run_bounded
from conftest import assert_clean_exit, leaked, run_kzcn, snapshot, write_package

SCHEMA = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}
EXPANDED = 256 << 20  # what each bomb holds once decompressed
LIMIT = 1_000_000     # --max-file-bytes in the bomb tests


def _members(compress, total: int = EXPANDED) -> bytes:
    """`total` bytes of "0" after a CSV header, as concatenated compressed members (gzip, bzip2
    and xz readers read every member in turn): one 8 MiB block compressed once, repeated."""
    block = compress(b"0" * (8 << 20))
    return compress(b"id,name\n") + block * (total // (8 << 20))


def _bomb(kind: str) -> bytes:
    if kind in ("gz", "bz2", "xz"):
        return _members({"gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress}[kind])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        with zf.open("t.csv", "w", force_zip64=True) as fh:
            fh.write(b"id,name\n")
            block = b"0" * (8 << 20)
            for _ in range(EXPANDED // len(block)):
                fh.write(block)
    return buf.getvalue()


def _refused(pkg, tmp, needle: str, code: str = "source-error"):
    before = snapshot(tmp)
    done = run_kzcn("validate", pkg, "--format", "json")
    assert_clean_exit(done, (1,))
    report = json.loads(done.stdout)
    # a path the Data Package profile forbids (`..`, absolute, not a string) is also a resource-error
    # pointing at it (kzcn.validate.descriptor); the refusal itself is the finding asserted here
    errors = [e for e in report["errors"]
              if not (e["code"] == "resource-error" and "/resources/0/path" in e["message"])]
    assert [e["code"] for e in errors] == [code], report["errors"]
    assert needle in errors[0]["message"], errors[0]["message"]
    assert not leaked(done, pkg), leaked(done, pkg)
    assert snapshot(tmp) == before  # nothing extracted, nothing written
    return report


@pytest.mark.parametrize("kind", ["gz", "bz2", "xz", "zip"])
def test_a_decompression_bomb_stops_at_the_file_limit(tmp_path, kind):
    name = f"t.csv.{kind}"
    packed = _bomb(kind)
    assert len(packed) < EXPANDED // 100  # a bomb: a hundred times smaller than what it expands to
    (tmp_path / name).write_bytes(packed)
    write_package(tmp_path, [{"name": "t", "path": name, "schema": SCHEMA}])
    r = run_bounded("validate", tmp_path, "--format", "json", "--max-file-bytes", str(LIMIT), cwd=tmp_path,
                    mem_mb=1000, timeout=300)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    errors = r.json()["errors"]
    assert [e["code"] for e in errors] == ["source-error"]
    assert name in errors[0]["message"] and f"{LIMIT:,}" in errors[0]["message"]
    assert "--max-file-bytes" in errors[0]["message"]
    assert r.peak_mb < EXPANDED / (1 << 20)  # the limit and the interpreter: less than what the bomb holds


def test_a_zip_member_named_out_of_the_package_is_not_read(sandbox):
    pkg, _, tmp = sandbox
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../outside/evil.csv", "id,name\n1,x\n")
    (pkg / "t.csv.zip").write_bytes(buf.getvalue())
    write_package(pkg, [{"name": "t", "path": "t.csv.zip", "schema": SCHEMA}])
    _refused(pkg, tmp, "'../outside/evil.csv' is not a plain relative file name")
    assert not (tmp / "outside" / "evil.csv").exists()


@pytest.mark.parametrize("member", ["/etc/passwd", "C:/x.csv", "a/../../b.csv"])
def test_absolute_and_climbing_zip_member_names_are_refused(sandbox, member):
    pkg, _, tmp = sandbox
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(member, "id,name\n1,x\n")
    (pkg / "t.csv.zip").write_bytes(buf.getvalue())
    write_package(pkg, [{"name": "t", "path": "t.csv.zip", "schema": SCHEMA}])
    _refused(pkg, tmp, "not a plain relative file name")


def test_a_zip_of_many_members_is_one_error_naming_the_count(sandbox):
    pkg, _, tmp = sandbox
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i in range(20_000):
            zf.writestr(f"part{i}.csv", "id,name\n1,x\n")
    (pkg / "t.csv.zip").write_bytes(buf.getvalue())
    write_package(pkg, [{"name": "t", "path": "t.csv.zip", "schema": SCHEMA}])
    report = _refused(pkg, tmp, "the zip holds 20,000 files")
    assert len(report["errors"][0]["message"]) < 400  # five names shown, not twenty thousand


def test_a_zip_member_declaring_more_than_the_limit_is_not_decompressed(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("t.csv", b"id,name\n" + b"1,x\n" * 500_000)
    (tmp_path / "t.csv.zip").write_bytes(buf.getvalue())
    write_package(tmp_path, [{"name": "t", "path": "t.csv.zip", "schema": SCHEMA}])
    r = run_bounded("validate", tmp_path, "--format", "json", "--max-file-bytes", "100000", cwd=tmp_path)
    assert r.returncode == 1 and "declares 2,000,008 bytes, over the limit of 100,000" in r.json()["errors"][0]["message"]


@pytest.mark.parametrize("paths", [["t.csv", "../outside/secret.csv"], ["t.csv", "/etc/passwd"],
                                   ["t.csv", "~/secret.csv"], ["t.csv", 5], ["t.csv", "https://example.org/x.csv"], []])
def test_a_multi_file_path_leaving_the_package_refuses_the_resource(sandbox, paths):
    pkg, _, tmp = sandbox
    write_package(pkg, [{"name": "t", "path": paths, "schema": SCHEMA}])
    report = _refused(pkg, tmp, "not read" if paths else "the list of files is empty", code="scheme-error")
    assert report["stats"]["rows"] == 0  # not even the first file is checked alone


def test_a_multi_file_part_that_is_a_symlink_out_is_refused(sandbox):
    pkg, secret, tmp = sandbox
    os.symlink(secret, pkg / "b.csv")
    write_package(pkg, [{"name": "t", "path": ["t.csv", "b.csv"], "schema": SCHEMA}])
    _refused(pkg, tmp, "leads outside the package", code="scheme-error")


def test_a_multi_file_part_that_is_a_fifo_is_refused_unopened(sandbox):
    pkg, _, tmp = sandbox
    os.mkfifo(pkg / "b.csv")
    write_package(pkg, [{"name": "t", "path": ["t.csv", "b.csv"], "schema": SCHEMA}])
    _refused(pkg, tmp, "FIFO", code="scheme-error")  # a FIFO opened for reading would hang the run


def test_multi_file_byte_limit_counts_the_files_together(tmp_path):
    for name in ("a.csv", "b.csv", "c.csv"):
        (tmp_path / name).write_bytes(b"id,name\n" if name == "a.csv" else b"1,x\n" * 10_000)
    write_package(tmp_path, [{"name": "t", "path": ["a.csv", "b.csv", "c.csv"], "schema": SCHEMA}])
    r = run_bounded("validate", tmp_path, "--format", "json", "--max-file-bytes", "60000", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    message = r.json()["errors"][0]["message"]
    assert message.startswith("c.csv:") and "together with the resource's earlier files" in message


@pytest.mark.parametrize("name,content,needle", [
    ("t.csv.xz", lzma.compress(b"id,name\n" + b"1,x\n" * 1000)[:-30], "xz"),
    ("t.csv.gz", gzip.compress(b"id,name\n" + b"1,x\n" * 1000, mtime=0)[:-12], "gz stream ends before it is complete"),
    ("t.csv.bz2", bz2.compress(b"id,name\n1,x\n")[:20], "bz2"),
    ("t.csv.gz", b"not gzip at all", "not a readable gz stream"),
    ("t.csv.zip", b"PK\x03\x04 broken", "not a readable zip archive"),
])
def test_truncated_and_corrupt_streams_are_named(sandbox, name, content, needle):
    pkg, _, tmp = sandbox
    (pkg / name).write_bytes(content)
    write_package(pkg, [{"name": "t", "path": name, "schema": SCHEMA}])
    report = _refused(pkg, tmp, needle)
    assert report["errors"][0]["path"] == name


def test_inline_data_is_bounded_like_a_header(tmp_path):
    write_package(tmp_path, [{"name": "t", "data": [[f"c{i}" for i in range(50)], list(range(50))]}])
    r = run_bounded("validate", tmp_path, "--format", "json", "--max-fields", "10", cwd=tmp_path)
    assert r.returncode == 1 and "the header has 50 fields, over the limit of 10" in r.json()["errors"][0]["message"]


def test_a_parquet_file_over_the_limit_or_out_of_the_package(sandbox):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pkg, secret, tmp = sandbox
    pq.write_table(pa.table({"id": list(range(50_000))}), pkg / "big.parquet")
    os.symlink(secret, pkg / "out.parquet")
    write_package(pkg, [{"name": "big", "path": "big.parquet", "schema": {"fields": [{"name": "id", "type": "integer"}]}},
                        {"name": "out", "path": "out.parquet"}])
    before = snapshot(tmp)
    done = run_kzcn("validate", pkg, "--format", "json", "--max-file-bytes", "10000")
    assert_clean_exit(done, (1,))
    errors = {e["resource"]: e for e in json.loads(done.stdout)["errors"]}
    assert errors["big"]["code"] == "source-error" and "over the limit of 10,000" in errors["big"]["message"]
    assert errors["out"]["code"] == "scheme-error" and "leads outside the package" in errors["out"]["message"]
    assert not leaked(done, pkg) and snapshot(tmp) == before


def test_a_parquet_dictionary_bomb_is_measured_before_it_is_decoded(tmp_path):
    # a few hundred bytes: one 1 MiB string, dictionary-encoded, in 4,000 rows: 4 GiB of text
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    big = pa.DictionaryArray.from_arrays(pa.array(np.zeros(4000, dtype=np.int32)), pa.array(["x" * (1 << 20)]))
    pq.write_table(pa.table({"s": big}), tmp_path / "t.parquet", compression="zstd")
    assert (tmp_path / "t.parquet").stat().st_size < 10_000
    write_package(tmp_path, [{"name": "t", "path": "t.parquet"}])
    # 2.5 GB of address space: Arrow's jemalloc pool reserves more than it touches (under 1.5 GB it
    # cannot start its threads), and decoding the 4 GiB would still fail under it
    r = run_bounded("validate", tmp_path, "--format", "json", cwd=tmp_path, mem_mb=2500)
    assert r.returncode == 1, r.stderr
    error = r.json()["errors"][0]
    assert error["code"] == "source-error" and "its decoded text is over the limit of 1,073,741,824 bytes" in error["message"]
    assert r.peak_mb < 400  # not the 4 GiB it decodes to, nor the 1 GiB limit


def test_parquet_pages_over_the_limit_are_refused_from_the_footer(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"n": pa.array(range(200_000), pa.int64())}), tmp_path / "t.parquet", compression="zstd")
    write_package(tmp_path, [{"name": "t", "path": "t.parquet"}])
    r = run_bounded("validate", tmp_path, "--format", "json", "--max-file-bytes", "1000000", cwd=tmp_path)
    assert r.returncode == 1 and "its pages (" in r.json()["errors"][0]["message"]


def test_multi_file_line_limit_counts_the_files_together(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"id,name\n" + b"1,x\n" * 30)
    (tmp_path / "b.csv").write_bytes(b"2,y\n" * 30)
    write_package(tmp_path, [{"name": "t", "path": ["a.csv", "b.csv"], "schema": SCHEMA}])
    r = run_bounded("validate", tmp_path, "--format", "json", "--max-lines", "50", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    message = r.json()["errors"][0]["message"]
    assert message.startswith("b.csv: the file has 30 lines") and "the limit of 50 leaves after" in message
