"""`kzcn release`: byte-identical zips from the same inputs, a package anyone can open and check,
release notes with the diff, and no release at all for data with validation errors."""
from __future__ import annotations

import json
import shutil
import subprocess
import zipfile

import numpy as np
import pandas as pd
import pytest

import kzcn
from kzcn.package.dtypes import pandas_dtype
from kzcn.package.descriptor import open_package
from release_helpers import (BIN, ROOT, VERSION, ZIP, build_and_release, commit_all, copy_package, add_person,
                             drop_row, edit_cell, git, git_init, kzcn as run, set_version, sha256)

TOP = f"kzcn-data-{VERSION}"


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    return build_and_release(copy_package(tmp_path_factory.mktemp("rel") / "pkg"))


@pytest.fixture(scope="module")
def unzipped(release, tmp_path_factory):
    dest = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(release) as zf:
        zf.extractall(dest)
    return dest / TOP


def test_same_inputs_same_bytes(release, tmp_path):
    """A second, independent copy built and released again gives the identical zip."""
    again = build_and_release(copy_package(tmp_path / "again"))
    assert again.read_bytes() == release.read_bytes()
    assert (again.parent / f"{ZIP}.sha256").read_bytes() == (release.parent / f"{ZIP}.sha256").read_bytes()
    assert (again.parent / f"kzcn-data-{VERSION}.notes.md").read_bytes() == \
        (release.parent / f"kzcn-data-{VERSION}.notes.md").read_bytes()


def test_zip_entries_are_deterministic(release):
    with zipfile.ZipFile(release) as zf:
        infos = zf.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names) and all(n.startswith(TOP + "/") for n in names)
    assert {f"{TOP}/datapackage.json", f"{TOP}/README.md", f"{TOP}/validation/report.json"} <= set(names)
    for info in infos:
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.external_attr >> 16 == 0o100644
        assert info.compress_type == zipfile.ZIP_STORED
        assert info.extra == b"" and info.comment == b""


def test_sha256_file_checks_with_sha256sum(release):
    line = (release.parent / f"{ZIP}.sha256").read_text()
    assert line == f"{sha256(release)}  {ZIP}\n"
    out = subprocess.run(["sha256sum", "-c", f"{ZIP}.sha256"], cwd=release.parent, capture_output=True, text=True)
    assert out.returncode == 0 and f"{ZIP}: OK" in out.stdout


def test_unzipped_release_passes_real_frictionless(unzipped):
    out = subprocess.run([str(BIN / "frictionless"), "validate", "--json", "datapackage.json"],
                         cwd=unzipped, capture_output=True, text=True)
    report = json.loads(out.stdout)
    assert out.returncode == 0 and report["valid"], [t["errors"] for t in report["tasks"] if t["errors"]]


def _read_with_pandas(path, schema):
    """What a stranger does with the zip and the schema: read_csv with the schema's dtypes."""
    fields = schema["fields"]
    dates = [f["name"] for f in fields if f["type"] in ("date", "datetime")]
    dtypes = {f["name"]: pandas_dtype(f) for f in fields if f["name"] not in dates}
    frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False,
                        na_values=schema.get("missingValues", [""]), encoding="utf-8")
    for name in dates:
        frame[name] = pd.to_datetime(frame[name], format="%Y-%m-%d").astype("datetime64[ns]")
    return frame


@pytest.mark.parametrize("name", open_package(ROOT).table_names)
def test_pandas_read_csv_with_schema_dtypes_reproduces_kzcn_load(unzipped, name):
    descriptor = json.loads((unzipped / "datapackage.json").read_text(encoding="utf-8"))
    res = next(r for r in descriptor["resources"] if r["name"] == name)
    by_pandas = _read_with_pandas(unzipped / res["path"], res["schema"])
    pk = res["schema"]["primaryKey"]
    pk = [pk] if isinstance(pk, str) else pk
    by_kzcn = kzcn.load(name).sort_values(pk).reset_index(drop=True)
    pd.testing.assert_frame_equal(by_pandas, by_kzcn, check_index_type=False)
    released = kzcn.load(name, root=unzipped)
    pd.testing.assert_frame_equal(by_pandas, released, check_index_type=False)
    assert np.all(by_pandas.columns == [f["name"] for f in res["schema"]["fields"]])


def test_refuses_data_with_validation_errors(tmp_path):
    pkg = copy_package(tmp_path / "broken")
    edit_cell(pkg, "trade_volumes", "seed-shandong-h1-2023", "flow", "sideways")  # not in the enum
    built = run("build", pkg)
    assert "will refuse" in built.stdout
    out = run("release", "--build", pkg / "build" / "datapackage", "--dist", pkg / "dist", check=False)
    assert out.returncode == 1
    assert "refusing to release" in out.stderr and "datasets/trade_volumes.csv" in out.stderr
    assert "Traceback" not in out.stderr
    assert not (pkg / "dist").exists() or not list((pkg / "dist").iterdir())


def test_refuses_a_build_edited_after_the_fact(tmp_path):
    pkg = copy_package(tmp_path / "edited")
    run("build", pkg)
    people = pkg / "build" / "datapackage" / "datasets" / "people.csv"
    people.write_bytes(people.read_bytes() + b"x-y,X Y,KZ,\n")
    out = run("release", "--build", pkg / "build" / "datapackage", "--dist", pkg / "dist", check=False)
    assert out.returncode == 1 and "does not match its size and sha256" in out.stderr


def test_quality_report_is_included_when_present(tmp_path):
    pkg = copy_package(tmp_path / "withreport")
    (pkg / "build" / "report").mkdir(parents=True)
    (pkg / "build" / "report" / "index.html").write_text("<h1>quality</h1>\n")
    (pkg / "build" / "expectations").mkdir()
    (pkg / "build" / "expectations" / "people.json").write_text("{}\n")
    z = build_and_release(pkg)
    with zipfile.ZipFile(z) as zf:
        names = zf.namelist()
    assert f"{TOP}/report/index.html" in names and f"{TOP}/expectations/people.json" in names
    assert "`report/`" in (pkg / "dist" / f"kzcn-data-{VERSION}.notes.md").read_text()


def test_notes_carry_the_diff_against_the_previous_release(tmp_path):
    """Previous release found as the newest older vX.Y.Z tag, read from git without a checkout."""
    repo = copy_package(tmp_path / "repo")
    set_version(repo, "0.0.1")
    git_init(repo)
    commit_all(repo, "first", "2024-01-01T00:00:00+00:00")
    git(repo, "tag", "v0.0.1")
    set_version(repo, VERSION)
    old_name = edit_cell(repo, "people", "lin-wu", "name", "Lin Wu (Shandong)")
    drop_row(repo, "milestones", "2023-09-03-first-grain-train-eastern-china")
    add_person(repo, "lin-wu-2")
    commit_all(repo, "second", "2024-02-01T00:00:00+00:00")
    run("build", repo, SOURCE_DATE_EPOCH=None)
    run("release", "--build", repo / "build" / "datapackage", "--dist", repo / "dist", SOURCE_DATE_EPOCH=None)
    notes = (repo / "dist" / f"kzcn-data-{VERSION}.notes.md").read_text()
    assert "Compared with v0.0.1 (version 0.0.1): 1 row added, 1 removed, 1 changed (1 cell)" in notes
    assert "added: person_id=lin-wu-2" in notes and "removed: milestone_id=2023-09-03-first-grain-train-eastern-china" in notes
    assert f"`{old_name}` → `Lin Wu (Shandong)`" in notes
    assert sha256(repo / "dist" / ZIP) in notes
    assert git(repo, "status", "--porcelain", "--untracked-files=no") == ""
    # An explicit --previous (a zip) wins; `none` leaves the diff out.
    older = tmp_path / "older.zip"
    shutil.copy2(repo / "dist" / ZIP, older)
    run("release", "--build", repo / "build" / "datapackage", "--dist", repo / "dist", "--previous", older)
    assert "0 rows added, 0 removed, 0 changed" in (repo / "dist" / f"kzcn-data-{VERSION}.notes.md").read_text()
    run("release", "--build", repo / "build" / "datapackage", "--dist", repo / "dist", "--previous", "none")
    assert "No previous release" in (repo / "dist" / f"kzcn-data-{VERSION}.notes.md").read_text()


def test_release_without_a_build_says_what_to_do(tmp_path):
    out = run("release", "--build", tmp_path / "nothing", "--dist", tmp_path / "dist", check=False)
    assert out.returncode == 2 and "run `kzcn build` first" in out.stderr
