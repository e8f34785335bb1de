"""`kzcn build` and `kzcn report` on packages of every resource kind `kzcn validate` reads.

Several CSV files and compressed CSV files are CSV text: both commands take them as the one
table the spec says they are (all the files' rows, decompressed). Inline `data` and Parquet
have no CSV text to keep: both commands exit 2 with one line naming the resource and why,
never a traceback. A duplicate resource name (a descriptor error) keeps each table's own rows.
Run through the installed command, as a user runs it.
"""
from __future__ import annotations

import gzip
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest


SCHEMA = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


def _package(folder, resources, files):
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        if isinstance(content, bytes):
            (folder / name).write_bytes(content)
        else:
            pq.write_table(content, folder / name)
    (folder / "datapackage.json").write_text(json.dumps({"name": "case", "version": "1.0.0", "resources": resources}))
    return folder


def _csv_kinds(tmp_path):
    """One table of two files, one gzipped table: 3 rows and 2 rows."""
    return _package(tmp_path / "pkg", [
        {"name": "parts", "path": ["a.csv", "b.csv"], "schema": SCHEMA},
        {"name": "packed", "path": "c.csv.gz", "schema": SCHEMA}],
        {"a.csv": b"id,name\n1,a\n2,b", "b.csv": b"3,c\n", "c.csv.gz": gzip.compress(b"id,name\n7,x\n8,y\n")})


def test_build_writes_multi_file_and_compressed_tables_whole(tmp_path, kzcn_cli):
    pkg = _csv_kinds(tmp_path)
    done = kzcn_cli("build", ".", cwd=pkg, env=EPOCH)
    assert done.returncode == 0, done.stderr
    assert "2 tables, 5 rows" in done.stdout
    out = pkg / "build" / "datapackage"
    assert (out / "a.csv").read_bytes() == b"id,name\n1,a\n2,b\n3,c\n"  # b.csv.s rows, after a.csv.s unended last line
    assert (out / "c.csv").read_bytes() == b"id,name\n7,x\n8,y\n"  # decompressed: a release holds plain CSV
    built = json.loads((out / "datapackage.json").read_text())
    assert [(r["name"], r["path"], "compression" in r) for r in built["resources"]] == [
        ("parts", "a.csv", False), ("packed", "c.csv", False)]
    again = kzcn_cli("validate", out / "datapackage.json")
    assert again.returncode == 0, again.stdout  # the built package is valid as written


@pytest.mark.parametrize("command", ["build", "report"])
@pytest.mark.parametrize("kind", ["inline", "parquet", "parquet-files"])
def test_inline_and_parquet_resources_exit_2_with_one_line(tmp_path, command, kind, kzcn_cli):
    table = pa.table({"id": [1], "name": ["a"]})
    resource, files = {
        "inline": ({"name": "t", "data": [["id", "name"], [1, "a"]], "schema": SCHEMA}, {}),
        "parquet": ({"name": "t", "path": "t.parquet", "schema": SCHEMA}, {"t.parquet": table}),
        "parquet-files": ({"name": "t", "path": ["t.parquet", "u.parquet"], "schema": SCHEMA},
                          {"t.parquet": table, "u.parquet": table}),
    }[kind]
    pkg = _package(tmp_path / "pkg", [{"name": "ok", "path": "ok.csv", "schema": SCHEMA}, resource],
                   {"ok.csv": b"id,name\n1,a\n", **files})
    assert kzcn_cli("validate", ".", cwd=pkg).returncode == 0  # the package is valid: the command cannot do it
    done = kzcn_cli(command, ".", cwd=pkg, env=EPOCH)
    assert done.returncode == 2, (done.stdout, done.stderr)
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(f"kzcn {command}: resource 't'") and "Traceback" not in done.stderr
    assert ("inline (`data:`)" if kind == "inline" else "is Parquet") in line
    assert not (pkg / "build" / "datapackage").exists()


def test_build_keeps_each_table_of_a_duplicate_name(tmp_path, kzcn_cli):
    pkg = _package(tmp_path / "pkg", [{"name": "t", "path": "a.csv", "schema": SCHEMA},
                                      {"name": "t", "path": "b.csv", "schema": SCHEMA}],
                   {"a.csv": b"id,name\n1,a\n", "b.csv": b"id,name\n2,b\n3,c\n"})
    done = kzcn_cli("build", ".", cwd=pkg, env=EPOCH)
    assert done.returncode == 0 and "2 tables, 3 rows" in done.stdout and "1 validation error" in done.stdout
    out = pkg / "build" / "datapackage"
    assert (out / "a.csv").read_bytes() == b"id,name\n1,a\n"  # not b.csv's rows under a.csv's name
    assert (out / "b.csv").read_bytes() == b"id,name\n2,b\n3,c\n"


@pytest.mark.slow
def test_report_reads_multi_file_and_compressed_tables_whole(tmp_path, kzcn_cli):
    pkg = _csv_kinds(tmp_path)
    done = kzcn_cli("report", ".", cwd=pkg)
    assert done.returncode == 0, (done.stdout, done.stderr)
    summary = json.loads(next((pkg / "build" / "report").glob("summary*.json")).read_text())
    assert summary["tables"] == {"parts": 3, "packed": 2}
    assert summary["expectations"]["suites_failed"] == []
