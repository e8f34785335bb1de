"""Compressed resources (.gz, .zip, .bz2, .xz; `compression` declared or implied by the
extension): kzcn beside the real frictionless, which reads all four.

The same faulty CSV is compressed each way: both validators must give the same verdict and the
same (code, row, field), and ours names the compressed file with the line of the decompressed
text. `bytes` and `hash` are of the file as stored (compressed), in both. One difference: a zip
holding more than one file is an error for us and frictionless reads its first member silently
(the other members' rows go unchecked; which member is "first" is an accident of the archive).
"""
from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import lzma
import zipfile

import pytest

from resource_cases import located, ours, theirs, write

SCHEMA = {"fields": [{"name": "id", "type": "integer", "constraints": {"required": True}},
                     {"name": "name", "type": "string", "constraints": {"enum": ["x", "y", "z"]}}],
          "primaryKey": ["id"]}
FAULTY = b"id,name\n1,x\nfoo,y\n1,z\n4,w\n5\n"
CLEAN = b"id,name\n1,x\n2,y\n"


def _zip(data: bytes, *more: tuple[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data.csv", data)
        for name, content in more:
            zf.writestr(name, content)
    return buf.getvalue()


COMPRESS = {"gz": gzip.compress, "zip": _zip, "bz2": bz2.compress, "xz": lzma.compress}


@pytest.mark.parametrize("kind", sorted(COMPRESS))
def test_each_compression_finds_what_frictionless_finds(tmp_path, kind):
    name = f"data.csv.{kind}"
    pkg = write(tmp_path, [{"name": "t", "path": name, "schema": SCHEMA}], {name: COMPRESS[kind](FAULTY)})
    valid, got, report = ours(pkg)
    assert (valid, got) == theirs(pkg)
    assert valid is False
    assert located(report) == [("constraint-error", name, 5, "name"), ("missing-cell", name, 6, "name"),
                               ("primary-key", name, 3, "id"), ("primary-key", name, 4, "id"),
                               ("type-error", name, 3, "id")]


@pytest.mark.parametrize("kind", sorted(COMPRESS))
def test_a_clean_compressed_file_is_valid_in_both(tmp_path, kind):
    name = f"data.csv.{kind}"
    packed = COMPRESS[kind](CLEAN)
    pkg = write(tmp_path, [{"name": "t", "path": name, "schema": SCHEMA, "bytes": len(packed),
                            "hash": "sha256:" + hashlib.sha256(packed).hexdigest()}], {name: packed})
    assert ours(pkg)[:2] == theirs(pkg) == (True, [])


def test_declared_compression_on_a_plain_name(tmp_path):
    pkg = write(tmp_path, [{"name": "t", "path": "data.bin", "format": "csv", "compression": "gz", "schema": SCHEMA}],
                {"data.bin": gzip.compress(FAULTY)})
    valid, got, _ = ours(pkg)
    assert (valid, got) == theirs(pkg) and valid is False


def test_the_declared_size_is_the_compressed_files(tmp_path):
    packed = gzip.compress(CLEAN)
    pkg = write(tmp_path, [{"name": "t", "path": "d.csv.gz", "schema": SCHEMA, "bytes": len(CLEAN)}], {"d.csv.gz": packed})
    valid, got, _ = ours(pkg)
    assert (valid, got) == theirs(pkg)
    assert [c for _, c, _, _ in got] == ["byte-count"]


def test_every_file_of_a_multi_file_resource_may_be_compressed(tmp_path):
    # the multi-file difference (frictionless drops each later file's first line) applies:
    # b's first row is clean, so only the numbering after it differs
    from resource_cases import shift_rows

    files = {"a.csv.gz": gzip.compress(b"id,name\n1,x\n2,y\n"), "b.csv.xz": lzma.compress(b"3,z\nfoo,x\n1,y\n")}
    pkg = write(tmp_path, [{"name": "t", "path": ["a.csv.gz", "b.csv.xz"], "schema": SCHEMA}], files)
    valid, got, report = ours(pkg)
    fl_valid, fl = theirs(pkg)
    assert valid is False and fl_valid is False and got == shift_rows(fl, after=3, by=1)
    assert located(report) == [("primary-key", "b.csv.xz", 2, "id"), ("primary-key", "b.csv.xz", 3, "id"),
                               ("type-error", "b.csv.xz", 2, "id")]


def test_a_zip_of_two_files_is_an_error_frictionless_lets_through(tmp_path):
    packed = _zip(CLEAN, ("more.csv", b"id,name\nbad,q\n"))
    pkg = write(tmp_path, [{"name": "t", "path": "d.csv.zip", "schema": SCHEMA}], {"d.csv.zip": packed})
    valid, got, report = ours(pkg)
    assert valid is False and [c for _, c, _, _ in got] == ["source-error"]
    assert "holds 2 files" in report.findings[0].message and "'more.csv'" in report.findings[0].message
    assert theirs(pkg) == (True, [])  # frictionless read data.csv only; more.csv's bad row is unseen


def test_a_compression_nobody_reads_is_a_format_error(tmp_path):
    pkg = write(tmp_path, [{"name": "t", "path": "d.csv.zst", "schema": SCHEMA}], {"d.csv.zst": b"(\xb5/\xfd"})
    valid, got, report = ours(pkg)
    assert valid is False and [c for _, c, _, _ in got] == ["format-error"]
    assert "zstd" in report.findings[0].message
