"""`kzcn build`: a valid Frictionless package, normalised CSVs, a generated data dictionary,
a date that never comes from the clock, and a folder that a killed build cannot damage."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from kzcn.package.descriptor import open_package
from kzcn.package.load import resource_of
from kzcn.package.series import derivable
from release_helpers import (BIN, EPOCH_ISO, KZCN, ROOT, commit_all, copy_package, edit_cell, env, git_init,
                             kzcn, read_rows, tree_hashes)

PACKAGE = open_package(ROOT)
DERIVED = derivable(PACKAGE)  # trade_series, indicator_series: computed by the build
TABLES = PACKAGE.table_names + DERIVED


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    pkg = copy_package(tmp_path_factory.mktemp("build") / "pkg")
    kzcn("build", pkg)
    return pkg / "build" / "datapackage"


def test_descriptor_carries_the_metadata_and_every_resource(built):
    dp = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    source = yaml.safe_load((ROOT / "datapackage.yaml").read_text(encoding="utf-8"))
    assert dp["profile"] == "tabular-data-package"
    for key in ("name", "title", "version", "licenses", "contributors", "sources"):
        assert dp[key] == source[key], key
    assert dp["created"] == EPOCH_ISO
    assert [r["name"] for r in dp["resources"]] == TABLES
    assert [r["name"] for r in dp["resources"] if r.get("derived")] == DERIVED == ["trade_series", "indicator_series"]
    for res in dp["resources"]:
        data = (built / res["path"]).read_bytes()
        assert res["profile"] == "tabular-data-resource"
        assert res["bytes"] == len(data)
        assert res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        # The inline schema is the one in schemas/, unchanged (a derived one without its own marks,
        # which the resource carries as derived / derivedFrom instead).
        schema = resource_of(PACKAGE, res["name"]).schema
        if res.get("derived"):
            assert res["derivedFrom"] == schema["derivedFrom"] and res["path"] == f"derived/{res['name']}.csv"
            schema = {k: v for k, v in schema.items() if k not in ("derived", "derivedFrom")}
        assert res["schema"] == schema


def test_real_frictionless_accepts_the_package(built):
    out = subprocess.run([str(BIN / "frictionless"), "validate", "--json", "datapackage.json"],
                         cwd=built, capture_output=True, text=True)
    report = json.loads(out.stdout)
    assert report["valid"], [t["errors"] for t in report["tasks"] if t["errors"]]
    assert out.returncode == 0
    assert [t["name"] for t in report["tasks"]] == TABLES
    # the derived tables were really read (their foreign keys into the curated tables hold)
    assert all(t["stats"]["rows"] > 0 for t in report["tasks"] if t["name"] in DERIVED)


def test_frictionless_notices_a_changed_file(built, tmp_path):
    """The hashes are real: frictionless itself flags an edited CSV."""
    import shutil

    copy = tmp_path / "dp"
    shutil.copytree(built, copy)
    people = copy / "datasets" / "people.csv"
    people.write_bytes(people.read_bytes().replace(b"lin-wu", b"lin-wx", 1))
    out = subprocess.run([str(BIN / "frictionless"), "validate", "--json", "datapackage.json"],
                         cwd=copy, capture_output=True, text=True)
    report = json.loads(out.stdout)
    errors = [e["type"] for t in report["tasks"] for e in t["errors"]]
    assert not report["valid"] and "hash-count" in errors


@pytest.mark.parametrize("name", PACKAGE.table_names)
def test_csv_normalised_same_cells_sorted_by_primary_key(built, name):
    resource = PACKAGE.resource(name)
    data = (built / resource.relpath).read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data.replace(b'\r\n"', b"")
    data.decode("utf-8")
    header, rows = read_rows(built / resource.relpath)
    src_header, src_rows = read_rows(resource.path)
    assert header == src_header
    assert sorted(map(tuple, rows)) == sorted(map(tuple, src_rows))
    pk = [header.index(k) for k in resource.primary_key]
    keys = [tuple(r[i] for i in pk) for r in rows]
    assert keys == sorted(keys)


def test_messy_bytes_give_the_same_package(built, tmp_path):
    """BOM, CRLF and shuffled rows in the curated files change nothing in the build."""
    pkg = copy_package(tmp_path / "messy")
    for csv_path in (pkg / "datasets").glob("*.csv"):
        lines = csv_path.read_bytes().split(b"\n")
        header, body = lines[0], [line for line in lines[1:] if line]
        if all(b'"' not in line for line in body):  # rows without quoted line breaks can be shuffled
            body = body[::-1]
        csv_path.write_bytes(b"\xef\xbb\xbf" + b"\r\n".join([header, *body]) + b"\r\n")
    kzcn("build", pkg)
    messy, clean = tree_hashes(pkg / "build" / "datapackage"), tree_hashes(built)
    # The data and its descriptor are identical; the validation report (and the README's count
    # of findings) rightly says the curated files were messy.
    # .kzcn-output: the folder's claim of ownership (kzcn.atomic.MARKER), not part of the package
    same = [k for k in clean if k not in ("validation/report.json", "README.md", ".kzcn-output")]
    assert {k: messy[k] for k in same} == {k: clean[k] for k in same}
    # every table (curated and derived), datapackage.json, the licence and resolutions.yaml
    assert "datapackage.json" in same and "validation/resolutions.yaml" in same
    assert len(same) == len(TABLES) + 3


def test_readme_is_a_data_dictionary_of_every_field(built):
    readme = (built / "README.md").read_text(encoding="utf-8")
    for resource in PACKAGE.resources:
        assert f"### {resource.name}\n" in readme
        section = readme.split(f"### {resource.name}\n", 1)[1].split("\n### ", 1)[0]
        for field in resource.schema["fields"]:
            rows = [line for line in section.splitlines() if line.startswith(f"| `{field['name']}` |")]
            assert len(rows) == 1, (resource.name, field["name"])
            cells = [c.strip() for c in rows[0].strip("|").split(" | ")]
            assert cells[2] == field["type"]
            assert " ".join(field["description"].split())[:40] in cells[5].replace("\\|", "|")
            for value in (field.get("constraints") or {}).get("enum", []):
                assert f"`{value}`" in cells[4]
            if (field.get("constraints") or {}).get("required"):
                assert "required" in cells[4]
    assert "per row: `unit` × `scale`" in readme  # the unit of a value column is named
    assert "CC-BY-4.0" in readme and "0 errors" in readme


def test_validation_report_is_inside(built):
    report = json.loads((built / "validation" / "report.json").read_text(encoding="utf-8"))
    assert report["valid"] is True and report["errors"] == []
    assert set(report) >= {"valid", "errors", "warnings", "stats"}


def test_created_is_the_last_data_commit_not_the_clock(tmp_path):
    repo = copy_package(tmp_path / "repo")
    git_init(repo)
    commit_all(repo, "data", "2024-02-03T04:05:06+00:00")
    (repo / "notes.txt").write_text("a commit that does not touch the data\n")
    commit_all(repo, "code", "2025-01-01T00:00:00+00:00")
    kzcn("build", repo, SOURCE_DATE_EPOCH=None)
    dp = json.loads((repo / "build" / "datapackage" / "datapackage.json").read_text())
    assert dp["created"] == "2024-02-03T04:05:06Z"
    # SOURCE_DATE_EPOCH wins when given.
    kzcn("build", repo)
    assert json.loads((repo / "build" / "datapackage" / "datapackage.json").read_text())["created"] == EPOCH_ISO


def test_no_git_and_no_epoch_is_a_clear_refusal(tmp_path):
    pkg = copy_package(tmp_path / "nogit")
    out = kzcn("build", pkg, check=False, SOURCE_DATE_EPOCH=None)
    assert out.returncode == 2
    assert "SOURCE_DATE_EPOCH" in out.stderr and "Traceback" not in out.stderr
    assert not (pkg / "build" / "datapackage").exists()


def test_unreadable_csv_is_named(tmp_path):
    pkg = copy_package(tmp_path / "bad")
    people = pkg / "datasets" / "people.csv"
    people.write_bytes(people.read_bytes() + "Алихан".encode("cp1251") + b",x,KZ,\n")
    out = kzcn("build", pkg, check=False)
    assert out.returncode in (1, 2), out.stderr
    assert "datasets/people.csv" in out.stderr and "UTF-8" in out.stderr and "Traceback" not in out.stderr


def _killed_mid_write(cmd: list[str], tmp_parent: Path, marker: str) -> None:
    """Start `cmd` slowed by the test hook, wait until it has written into a temporary file or
    folder named `marker*` beside the target, then SIGKILL it."""
    proc = subprocess.Popen(cmd, env=env(KZCN_TEST_SLOW_WRITES="0.3"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        while proc.poll() is None:
            temps = list(tmp_parent.glob(marker + "*"))
            written = [p for t in temps for p in ([t] if t.is_file() else t.rglob("*")) if p.is_file()]
            if len(written) >= 2 or (temps and temps[0].is_file() and temps[0].stat().st_size > 0):
                os.killpg(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.02)  # polling pace only; there is no time limit
        proc.wait()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == -signal.SIGKILL, f"finished before it could be killed: {proc.stderr.read()}"


def test_killed_build_and_release_leave_the_previous_ones_intact(tmp_path):
    pkg = copy_package(tmp_path / "pkg")
    out_dir, dist = pkg / "build" / "datapackage", pkg / "dist"
    kzcn("build", pkg)
    kzcn("release", "--build", out_dir, "--dist", dist)
    before_build, before_dist = tree_hashes(out_dir), tree_hashes(dist)

    edit_cell(pkg, "people", "lin-wu", "name", "Lin Wu (changed)")  # the next build differs
    _killed_mid_write([KZCN, "build", str(pkg)], out_dir.parent, ".datapackage.tmp-")
    assert tree_hashes(out_dir) == before_build
    assert list(out_dir.parent.glob(".datapackage.tmp-*")), "the kill should have left a half-written folder"

    kzcn("build", pkg)  # the next build completes and clears what the killed one left
    assert tree_hashes(out_dir) != before_build
    assert not list(out_dir.parent.glob(".datapackage.*"))
    _killed_mid_write([KZCN, "release", "--build", str(out_dir), "--dist", str(dist)], dist, ".kzcn-data-")
    assert {k: v for k, v in tree_hashes(dist).items() if not k.startswith(".")} == {
        k: v for k, v in before_dist.items() if not k.startswith(".")}
    kzcn("release", "--build", out_dir, "--dist", dist)
    assert tree_hashes(dist) != before_dist
    from kzcn.release.publish import LOCK  # the lock stays: it is what two releases take turns on

    assert not [p for p in dist.iterdir() if p.name.startswith(".") and p.name != LOCK]  # temporaries gone


def test_a_swap_killed_between_renames_is_repaired(tmp_path):
    """Where the atomic exchange is unavailable, the swap is two renames; if a build dies between
    them, the previous folder is put back by the next writer."""
    from kzcn.atomic import make_temp_dir, recover

    dest = tmp_path / "datapackage"
    old = tmp_path / ".datapackage.old-999999"
    old.mkdir()
    (old / "datapackage.json").write_text("{}\n")
    stale = tmp_path / ".datapackage.tmp-999999-abc"
    stale.mkdir()
    recover(dest)
    assert (dest / "datapackage.json").read_text() == "{}\n"
    assert not old.exists() and not stale.exists()
    fresh = make_temp_dir(dest)
    assert fresh.parent == tmp_path and fresh.name.startswith(f".datapackage.tmp-{os.getpid()}-")


def test_our_own_validator_accepts_the_built_package(built):
    """`kzcn validate build/datapackage` checks the declared bytes and sha256 too."""
    import kzcn

    report = kzcn.validate(built)
    assert report.errors == []


def test_validate_stage_records_findings_and_metrics(tmp_path):
    """The pipeline's validate stage (`kzcn metrics`) records errors instead of stopping, and its
    report has the same bytes on every run (timings are left out)."""
    pkg = copy_package(tmp_path / "broken")
    edit_cell(pkg, "trade_volumes", "seed-shandong-h1-2023", "flow", "sideways")
    out = kzcn("metrics", pkg)
    assert "0 errors" not in out.stdout  # exit 0 (kzcn() checked it), errors counted
    metrics = json.loads((pkg / "build" / "metrics.json").read_text())
    report_bytes = (pkg / "build" / "validation" / "report.json").read_bytes()
    report = json.loads(report_bytes)
    assert metrics["valid"] is False and metrics["findings"]["error"] >= 1
    assert metrics["by_code"].get("constraint-error", 0) >= 1
    assert metrics["rows"]["trade_volumes"] == len(read_rows(pkg / "datasets" / "trade_volumes.csv")[1])
    assert any(e["field"] == "flow" and e["path"] == "datasets/trade_volumes.csv" for e in report["errors"])
    assert "elapsed_seconds" not in json.dumps(report)
    kzcn("metrics", pkg)
    assert (pkg / "build" / "validation" / "report.json").read_bytes() == report_bytes


def test_shallow_clone_is_refused_rather_than_misdated(tmp_path):
    repo = copy_package(tmp_path / "repo")
    git_init(repo)
    commit_all(repo, "data", "2024-02-03T04:05:06+00:00")
    (repo / "notes.txt").write_text("code\n")
    commit_all(repo, "code", "2025-01-01T00:00:00+00:00")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True)
    out = kzcn("build", shallow, check=False, SOURCE_DATE_EPOCH=None)
    assert out.returncode == 2 and "shallow clone" in out.stderr and "Traceback" not in out.stderr


def test_data_dictionary_documents_the_derived_tables_and_resolutions(built):
    readme = (built / "README.md").read_text(encoding="utf-8")
    for name in DERIVED:
        section = readme.split(f"### {name}\n", 1)[1].split("\n### ", 1)[0]
        assert "Derived (computed by the release, not curated)" in section
        for field in resource_of(PACKAGE, name).field_names:
            assert f"| `{field}` |" in section, (name, field)
    assert "## Resolutions" in readme and "## Derived tables" in readme
    assert (built / "validation" / "resolutions.yaml").read_bytes() == (ROOT / "validation" / "resolutions.yaml").read_bytes()
    assert "candidate_id" in readme.split("## Provenance", 1)[1].split("##", 1)[0]


def test_data_dictionary_names_only_files_that_exist(built):
    """Every file the README of the zip names is in the zip or the source repository: no pointer to
    working material nobody can open (candidate_id is described, not pointed at a worklist file)."""
    import re

    readme = (built / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"[A-Za-z0-9_./-]+\.(?:csv|yaml|yml|json|md|txt)\b", readme))
    assert "validation/resolutions.yaml" in named and "derived/trade_series.csv" in named
    missing = sorted(n for n in named if not (built / n).exists() and not (ROOT / n).exists()
                     and not (ROOT / "datasets" / n).exists())
    assert not missing, missing
