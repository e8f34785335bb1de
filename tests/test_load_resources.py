"""kzcn.load on resources that are not one CSV file: several files are one table (the header in
the first only, as `kzcn validate` reads them); a compressed CSV loads; inline data and Parquet
are refused with a message, never read as something they are not."""
from __future__ import annotations

import gzip
import json

import pytest

import kzcn
from kzcn.errors import DataError

SCHEMA = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}], "primaryKey": ["id"]}


def _package(folder, resource, files):
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [{"name": "t", "schema": SCHEMA,
                                                                                          **resource}]}))
    return folder


def test_several_files_load_as_one_table(tmp_path):
    root = _package(tmp_path, {"path": ["a.csv", "b.csv", "c.csv"]},
                    {"a.csv": b"id,name\n1,x\n", "b.csv": b"2,y\n3,z\n", "c.csv": b"4,w\n"})
    frame = kzcn.load("t", root=root)
    assert frame["id"].tolist() == [1, 2, 3, 4] and frame["name"].tolist() == ["x", "y", "z", "w"]


def test_a_bad_cell_in_a_later_file_names_that_file_and_its_line(tmp_path):
    root = _package(tmp_path, {"path": ["a.csv", "b.csv"]}, {"a.csv": b"id,name\n1,x\n", "b.csv": b"2,y\nfoo,z\n"})
    with pytest.raises(DataError, match="b.csv line 2 field id: 'foo'"):
        kzcn.load("t", root=root)


def test_a_compressed_csv_loads(tmp_path):
    root = _package(tmp_path, {"path": "t.csv.gz"}, {"t.csv.gz": gzip.compress(b"id,name\n1,x\n2,y\n")})
    assert kzcn.load("t", root=root)["id"].tolist() == [1, 2]


@pytest.mark.parametrize("resource,needle", [({"data": [["id", "name"], [1, "x"]]}, "inline data"),
                                             ({"path": "t.parquet"}, "a Parquet file")])
def test_inline_and_parquet_are_refused_by_name(tmp_path, resource, needle):
    root = _package(tmp_path, resource, {})
    with pytest.raises(DataError, match=needle):
        kzcn.load("t", root=root)
