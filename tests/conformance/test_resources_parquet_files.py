"""Parquet resources of several files, and Parquet compressed inside (codecs) or outside (`.gz`),
beside the real frictionless (its parquet plugin).

Two differences, each asserted on both sides:
- several Parquet files (`path: [a.parquet, b.parquet]`): frictionless's Parquet reader opens
  the resource's first file only, so faults in the later files are never seen and the package
  is VALID. The spec reads the files as one table; so do we, and what we report equals what
  frictionless reports on the same rows written as one file. frictionless is wrong here.
- an outer compression (`t.parquet.gz`): frictionless hands the compressed bytes to pyarrow and
  reports a source-error on a valid file; the compression pattern says `format` describes the
  bytes once decompressed, so we decompress and check the table, which then equals
  frictionless's report on the file uncompressed. frictionless is wrong here.
"""
from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import lzma
import zipfile

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from resource_cases import located, ours, theirs, write

SCHEMA = {"fields": [{"name": "id", "type": "integer", "constraints": {"required": True}},
                     {"name": "name", "type": "string", "constraints": {"maxLength": 2}}], "primaryKey": ["id"]}
A = pa.table({"id": pa.array([1, 2], pa.int64()), "name": ["x", "y"]})
B = pa.table({"id": pa.array([3, 1, None], pa.int64()), "name": ["zzz", "w", "v"]})  # long name, repeated id, null id
CLEAN_B = pa.table({"id": pa.array([3, 4], pa.int32()), "name": ["z", "w"]})  # int32 here, int64 in A: one column


def _bytes(table: pa.Table, **options) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf, **options)
    return buf.getvalue()


def _table(paths, **more):
    return [{"name": "t", "path": paths, "schema": SCHEMA, **more}]


def test_errors_in_the_second_parquet_file_are_found(tmp_path):
    """frictionless's Parquet reader opens the first file only: VALID with faults in b.parquet. The spec
    reads the files as one table, as we do; ours equals frictionless on the same rows as one file."""
    pkg = write(tmp_path / "two", _table(["a.parquet", "b.parquet"]), {"a.parquet": A, "b.parquet": B})
    valid, got, report = ours(pkg)
    # frictionless reads a.parquet only: VALID, exactly its verdict on a.parquet alone
    first_only = write(tmp_path / "first", _table("a.parquet"), {"a.parquet": A})
    assert theirs(pkg) == theirs(first_only) == (True, [])
    # ours is frictionless's on the same rows as one file, rows numbered straight through
    one = write(tmp_path / "one", _table("ab.parquet"), {"ab.parquet": pa.concat_tables([A, B])})
    assert valid is False and got == theirs(one)[1]
    assert located(report) == [("constraint-error", "b.parquet", 1, "name"), ("constraint-error", "b.parquet", 3, "id"),
                               ("primary-key", "b.parquet", 2, "id"), ("primary-key", "b.parquet", 3, "id")]
    dup = next(f for f in report.findings if f.code == "primary-key" and f.line == 2)
    assert "row 1 of a.parquet" in dup.message  # the earlier row is in the other file, and says so
    stats = report.stats["tables"]["t"]
    assert (stats["files"], stats["rows"], stats["format"]) == (2, 5, "parquet")


def test_a_clean_multi_file_parquet_table_is_valid_with_int32_beside_int64(tmp_path):
    pkg = write(tmp_path, _table(["a.parquet", "b.parquet"]), {"a.parquet": A, "b.parquet": CLEAN_B})
    assert ours(pkg)[:2] == (True, []) == theirs(pkg)


def test_a_later_file_with_other_columns_is_named(tmp_path):
    other = pa.table({"id": pa.array([3], pa.int64()), "title": ["z"]})
    pkg = write(tmp_path, _table(["a.parquet", "b.parquet"]), {"a.parquet": A, "b.parquet": other})
    valid, got, report = ours(pkg)
    assert valid is False and [c for _, c, _, _ in got] == ["source-error"]
    [f] = report.errors
    assert f.path == "b.parquet" and "['id', 'title'] are not those of a.parquet ['id', 'name']" in f.message


def test_a_column_stored_unfit_in_one_file_only_is_named(tmp_path):
    dates = {"fields": [{"name": "day", "type": "date"}]}
    a = pa.table({"day": pa.array([pa.scalar(0, pa.date32()).as_py()], pa.date32())})
    b = pa.table({"day": pa.array([20200101], pa.int64())})
    pkg = write(tmp_path, [{"name": "t", "path": ["a.parquet", "b.parquet"], "schema": dates}],
                {"a.parquet": a, "b.parquet": b})
    valid, _, report = ours(pkg)
    [f] = report.errors
    assert valid is False and (f.code, f.path) == ("source-error", "b.parquet")
    assert "stored as int64, in a.parquet as date32[day]" in f.message


def test_a_csv_file_in_a_parquet_resource_is_a_format_error(tmp_path):
    pkg = write(tmp_path, _table(["a.parquet", "b.csv"]), {"a.parquet": A, "b.csv": b"3,z\n"})
    valid, got, report = ours(pkg)
    assert valid is False and [(c, f.path) for (_, c, _, _), f in zip(got, report.errors)] == [("format-error", "b.csv")]
    assert "a .csv file in a Parquet resource" in report.errors[0].message


def test_bytes_and_hash_are_of_the_files_as_stored(tmp_path):
    a, b = _bytes(A), _bytes(CLEAN_B)
    digest = "sha256:" + hashlib.sha256(a + b).hexdigest()
    pkg = write(tmp_path, _table(["a.parquet", "b.parquet"], bytes=len(a + b), hash=digest), {"a.parquet": a, "b.parquet": b})
    assert ours(pkg)[:2] == (True, [])
    wrong = write(tmp_path / "wrong", _table(["a.parquet", "b.parquet"], bytes=len(a), hash="sha256:" + "0" * 64),
                  {"a.parquet": a, "b.parquet": b})
    assert sorted(c for _, c, _, _ in ours(wrong)[1]) == ["byte-count", "hash-count"]


@pytest.mark.parametrize("direction", ["csv-to-parquet-files", "parquet-files-to-csv"])
def test_foreign_keys_across_csv_and_multi_file_parquet(tmp_path, direction):
    pschema = {"fields": [{"name": "id", "type": "integer"}], "primaryKey": ["id"]}
    cschema = {"fields": [{"name": "ref", "type": "integer"}],
               "foreignKeys": [{"fields": "ref", "reference": {"resource": "parent", "fields": "id"}}]}
    if direction == "csv-to-parquet-files":  # ref 4 is in the parent's second file, 9 nowhere
        resources = [{"name": "parent", "path": ["p1.parquet", "p2.parquet"], "schema": pschema},
                     {"name": "child", "path": "c.csv", "schema": cschema}]
        files = {"p1.parquet": pa.table({"id": [1, 2]}), "p2.parquet": pa.table({"id": [3, 4]}), "c.csv": b"ref\n4\n9\n"}
        bad = ("child", "c.csv", 3)
    else:  # the bad reference is in the child's second file
        resources = [{"name": "parent", "path": "p.csv", "schema": pschema},
                     {"name": "child", "path": ["c1.parquet", "c2.parquet"], "schema": cschema}]
        files = {"p.csv": b"id\n1\n2\n3\n", "c1.parquet": pa.table({"ref": [1, 2]}), "c2.parquet": pa.table({"ref": [3, 9]})}
        bad = ("child", "c2.parquet", 2)
    pkg = write(tmp_path, resources, files)
    valid, got, report = ours(pkg)
    [fk] = [f for f in report.findings if f.code == "foreign-key"]
    assert valid is False and (fk.resource, fk.path, fk.line) == bad and "'9'" in fk.message
    assert [g[1] for g in got] == ["foreign-key"]


@pytest.mark.parametrize("codec", ["snappy", "gzip", "zstd", "brotli", "lz4", "none"])
def test_every_internal_codec_reads_as_frictionless_reads_it(tmp_path, codec):
    pkg = write(tmp_path, _table("b.parquet"), {"b.parquet": _bytes(B, compression=codec)})
    assert pq.ParquetFile(tmp_path / "b.parquet").metadata.row_group(0).column(0).compression == {"none": "UNCOMPRESSED"}.get(codec, codec.upper())
    valid, got, report = ours(pkg)
    assert (valid, got) == theirs(pkg)
    assert valid is False and [c for _, c, _, _ in got] == ["constraint-error", "constraint-error", "primary-key"]


def _zip(data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("b.parquet", data)
    return buf.getvalue()


OUTER = {"gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress, "zip": _zip}


@pytest.mark.parametrize("ext", sorted(OUTER))
def test_an_outer_compression_is_read_through_the_stream(tmp_path, ext):
    """frictionless hands the compressed bytes to pyarrow: a source-error on a valid file. `format`
    describes the bytes once decompressed (the compression pattern): ours equals frictionless on the
    file uncompressed."""
    plain = write(tmp_path / "plain", _table("b.parquet"), {"b.parquet": _bytes(B)})
    packed = OUTER[ext](_bytes(B))
    pkg = write(tmp_path / "packed", _table(f"b.parquet.{ext}"), {f"b.parquet.{ext}": packed})
    valid, got, report = ours(pkg)
    assert (valid, [g[1:] for g in got]) == (theirs(plain)[0], [g[1:] for g in theirs(plain)[1]])
    assert {f.path for f in report.findings} == {f"b.parquet.{ext}"}
    fl_valid, fl = theirs(pkg)  # frictionless reads the compressed bytes as Parquet
    assert fl_valid is False and [c for _, c, _, _ in fl] == ["source-error"]
    declared = write(tmp_path / "declared", _table("b.bin", format="parquet", compression=ext, bytes=len(packed)),
                     {"b.bin": packed})
    assert [g[1:] for g in ours(declared)[1]] == [g[1:] for g in got]  # `bytes` is of the file as stored


def test_an_outer_compression_that_is_corrupt_or_too_big_is_a_source_error(tmp_path):
    from kzcn.package.limits import Limits, using

    pkg = write(tmp_path, _table("b.parquet.gz"), {"b.parquet.gz": gzip.compress(_bytes(B))[:-20]})
    valid, _, report = ours(pkg)
    assert valid is False and [f.code for f in report.errors] == ["source-error"]
    assert "b.parquet.gz" in report.errors[0].message
    big = write(tmp_path / "big", _table("b.parquet.gz"), {"b.parquet.gz": gzip.compress(_bytes(B) + b"\0" * 100_000)})
    with using(Limits(file_bytes=50_000)):
        valid, _, report = ours(big)
    assert valid is False and "over the limit" in report.errors[0].message
