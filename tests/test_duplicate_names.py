"""Two resources of one name: a descriptor error, but each keeps its own stats in the report.

The JSON report's `stats.tables` is keyed by resource name; a duplicate used to overwrite the
first resource's numbers (and `rows` summed only the survivor). Keys stay the names wherever
they are unique, so the JSON of an ordinary package is unchanged.
"""
from __future__ import annotations

import json

from kzcn.package.names import resource_keys


def _package(folder, names):
    folder.mkdir(parents=True, exist_ok=True)
    resources = []
    for i, name in enumerate(names):
        (folder / f"f{i}.csv").write_bytes(b"id\n" + b"".join(b"%d\n" % k for k in range(i + 1)))
        resources.append({"name": name, "path": f"f{i}.csv"})
    (folder / "datapackage.json").write_text(json.dumps({"name": "p", "resources": resources}))
    return folder


def test_duplicate_names_keep_both_stats_in_descriptor_order(tmp_path, kzcn_cli):
    pkg = _package(tmp_path / "p", ["data", "data", "other", "data"])
    done = kzcn_cli("validate", ".", "--format", "json", cwd=pkg)
    report = json.loads(done.stdout)
    tables = report["stats"]["tables"]
    assert list(tables) == ["data", "data (/resources/1)", "other", "data (/resources/3)"]
    assert [t["path"] for t in tables.values()] == ["f0.csv", "f1.csv", "f2.csv", "f3.csv"]
    assert [t["rows"] for t in tables.values()] == [1, 2, 3, 4] and report["stats"]["rows"] == 10
    assert done.returncode == 1 and [e["code"] for e in report["errors"]] == ["package-error"]
    assert "4 tables, 10 rows" in kzcn_cli("validate", ".", cwd=pkg).stdout


def test_unique_names_are_the_keys_as_before(tmp_path, kzcn_cli):
    pkg = _package(tmp_path / "p", ["b", "a", "c"])
    tables = json.loads(kzcn_cli("validate", ".", "--format", "json", cwd=pkg).stdout)["stats"]["tables"]
    assert list(tables) == ["b", "a", "c"]


def test_a_key_never_takes_another_resources_name():
    names = ["data", "data (/resources/2)", "data"]
    keys = resource_keys(names)
    assert keys[:2] == names[:2] and keys[2] not in names[:2] and len(set(keys)) == 3
    assert resource_keys(["x", "y"]) == ["x", "y"]
