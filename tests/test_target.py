"""With no TARGET, every command works on the package around the current folder, and says so.

The worktree's `kzcn` is an editable install of this checkout, so before this rule a command run
in another package's folder checked *this* checkout's data and said VALID about files it never
read. Each test here builds a small package of its own in a temporary folder (one CSV, a Table
Schema, two rules), runs the real command there, and proves which package was read: by breaking
the temporary package and getting its finding, and by the absolute descriptor path in the report.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import csv_edits as ed
from release_helpers import EPOCH, ROOT, commit_all, git, git_init

SCHEMA = """\
fields:
  - {name: visit_id, type: string, constraints: {required: true}}
  - {name: start, type: date}
  - {name: end, type: date}
  - {name: guests, type: integer, constraints: {minimum: 0}}
primaryKey: visit_id
"""
RULES = """\
rules:
  - id: visit-date-order
    kind: date_order
    severity: error
    rationale: A visit cannot end before it starts.
    params: {table: visits, start: start, end: end}
  - id: visit-guests-given
    kind: conditional_required
    severity: error
    rationale: A visit that took place says how many guests came.
    hint: ask the host for the guest list, then fill in guests
    params: {table: visits, when: {start: {present: true}}, require: [guests]}
"""
ROWS = "visit_id,start,end,guests\nv1,2024-01-02,2024-01-03,4\nv2,2024-02-01,2024-02-01,2\n"
NO_PACKAGE = "no datapackage.yaml or datapackage.json in {cwd} or any folder above it; give {give}"


def other_package(folder: Path, name: str = "other-package", version: str = "9.9.9") -> Path:
    """A small valid package that is not this checkout: data/visits.csv, its schema and rules."""
    (folder / "data").mkdir(parents=True)
    (folder / "schemas").mkdir()
    (folder / "validation").mkdir()
    (folder / "datapackage.yaml").write_text(
        f"name: {name}\nversion: {version}\nresources:\n"
        "  - {name: visits, path: data/visits.csv, schema: schemas/visits.schema.yaml}\n")
    (folder / "schemas" / "visits.schema.yaml").write_text(SCHEMA)
    (folder / "validation" / "rules.yaml").write_text(RULES)
    (folder / "data" / "visits.csv").write_text(ROWS)
    return folder


def descriptor_above(folder: Path) -> Path | None:
    """A descriptor in `folder` or above it, which would make "no package here" untestable."""
    for d in (folder, *folder.parents):
        for name in ("datapackage.yaml", "datapackage.json"):
            if (d / name).is_file():
                return d / name
    return None


def snapshot(folder: Path) -> dict[str, float]:
    """Every file under `folder` with its modification time (empty when it does not exist)."""
    return {str(p): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else {}


@pytest.fixture
def pkg(tmp_path) -> Path:
    return other_package(tmp_path / "other")


@pytest.fixture
def run_kzcn(kzcn_cli):
    """The installed `kzcn` (tests/conftest.py); every call here names its cwd."""
    return kzcn_cli


def test_validate_checks_the_package_in_the_current_folder(pkg, run_kzcn):
    r = run_kzcn("validate", "--format", "json", cwd=pkg)
    assert r.returncode == 0, r.stdout + r.stderr
    report = json.loads(r.stdout)
    assert report["stats"]["descriptor"] == str((pkg / "datapackage.yaml").resolve())
    assert report["stats"]["package"] == "datapackage.yaml"  # the existing key, unchanged
    assert list(report["stats"]["tables"]) == ["visits"]

    ed.set_cell(pkg / "data" / "visits.csv", 3, "guests", "many")
    r = run_kzcn("validate", cwd=pkg)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "data/visits.csv:3 guests type-error" in r.stdout
    lines = r.stdout.splitlines()
    assert lines[-2] == f"checked {(pkg / 'datapackage.yaml').resolve()}"
    assert lines[-1].startswith("kzcn validate: INVALID: 1 error")


def test_the_package_is_found_upward_from_a_subfolder(pkg, run_kzcn):
    deeper = pkg / "data" / "notes" / "drafts"
    deeper.mkdir(parents=True)
    ed.set_cell(pkg / "data" / "visits.csv", 2, "end", "2023-12-31")
    r = run_kzcn("validate", "--format", "json", cwd=deeper)
    assert r.returncode == 1, r.stdout + r.stderr
    report = json.loads(r.stdout)
    assert report["stats"]["descriptor"] == str((pkg / "datapackage.yaml").resolve())
    (err,) = report["errors"]
    assert (err["code"], err["path"], err["line"], err["field"]) == ("visit-date-order", "data/visits.csv", 2, "end")


def test_the_nearest_descriptor_wins_and_json_counts(pkg, run_kzcn):
    """A package nested inside another is its own: the search stops at the first descriptor."""
    inner = pkg / "data" / "inner"
    inner.mkdir()
    (inner / "t.csv").write_text("a\n1\n")
    (inner / "datapackage.json").write_text(json.dumps(
        {"name": "inner", "resources": [{"name": "t", "path": "t.csv",
                                         "schema": {"fields": [{"name": "a", "type": "integer"}]}}]}))
    r = run_kzcn("validate", "--format", "json", cwd=inner)
    assert r.returncode == 0, r.stdout + r.stderr
    stats = json.loads(r.stdout)["stats"]
    assert stats["descriptor"] == str((inner / "datapackage.json").resolve()) and list(stats["tables"]) == ["t"]


def test_no_package_here_or_above_exits_2_with_the_folder_named(tmp_path, run_kzcn):
    empty = tmp_path / "empty"
    empty.mkdir()
    if descriptor_above(empty):
        pytest.skip(f"{descriptor_above(empty)} lies above the temporary folder")
    for args in (["validate"], ["validate", "--format", "json"], ["metrics"], ["build"], ["report"]):
        r = run_kzcn(*args, cwd=empty)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert NO_PACKAGE.format(cwd=empty, give="a TARGET") in r.stderr, (args, r.stderr)
        assert r.stdout == "" and "Traceback" not in r.stderr
    for args, give in ((["release"], "--build and --dist"), (["registry", "--update"], "--dist"),
                       (["diff", "HEAD~1", "HEAD"], "--repo DIR for revisions")):
        r = run_kzcn(*args, cwd=empty)
        assert r.returncode == 2 and NO_PACKAGE.format(cwd=empty, give=give) in r.stderr, (args, r.stderr)
    assert not any(empty.iterdir())  # nothing written where nothing was found


def test_a_misnamed_descriptor_is_pointed_out(tmp_path, run_kzcn):
    folder = tmp_path / "yml"
    folder.mkdir()
    if descriptor_above(folder):
        pytest.skip(f"{descriptor_above(folder)} lies above the temporary folder")
    (folder / "datapackage.yml").write_text("resources: []\n")
    r = run_kzcn("validate", cwd=folder)
    assert r.returncode == 2 and "datapackage.yml is not read: name it datapackage.yaml" in r.stderr


def test_python_validate_follows_the_current_folder_and_load_does_not(pkg, monkeypatch):
    import kzcn
    from kzcn.errors import TargetError
    from kzcn.package.descriptor import open_shipped

    monkeypatch.chdir(pkg / "data")
    report = kzcn.validate()
    assert report.stats["descriptor"] == str((pkg / "datapackage.yaml").resolve())
    assert list(report.stats["tables"]) == ["visits"]
    # A researcher's load reads the dataset shipped with the code, whatever folder they are in.
    shipped = open_shipped()
    assert shipped.root.resolve() != pkg.resolve()
    assert kzcn.tables()[: len(shipped.table_names)] == shipped.table_names and "visits" not in kzcn.tables()
    assert len(kzcn.load(shipped.table_names[0])) > 0
    monkeypatch.chdir(pkg.parent)
    if descriptor_above(pkg.parent) is None:
        with pytest.raises(TargetError, match="no datapackage.yaml or datapackage.json in"):
            kzcn.validate()


def test_build_metrics_and_release_write_under_the_found_package(pkg, run_kzcn):
    """Outputs go to build/ and dist/ beside the found descriptor, never into this checkout."""
    before = {name: snapshot(ROOT / name) for name in ("build", "dist")}
    sub = pkg / "data"
    env = {"SOURCE_DATE_EPOCH": EPOCH}

    metrics = run_kzcn("metrics", cwd=sub, env=env)
    assert metrics.returncode == 0, metrics.stdout + metrics.stderr
    assert f"checked {(pkg / 'datapackage.yaml').resolve()}" in metrics.stdout
    saved = json.loads((pkg / "build" / "validation" / "report.json").read_text())
    assert list(saved["stats"]["tables"]) == ["visits"]
    assert "descriptor" not in saved["stats"]  # the kept report names no machine or folder
    assert json.loads((pkg / "build" / "metrics.json").read_text())["rows"] == {"visits": 2}

    built = run_kzcn("build", cwd=sub, env=env)
    assert built.returncode == 0, built.stdout + built.stderr
    dp = json.loads((pkg / "build" / "datapackage" / "datapackage.json").read_text())
    assert (dp["name"], dp["version"], [r["name"] for r in dp["resources"]]) == ("other-package", "9.9.9", ["visits"])
    assert f"from {(pkg / 'datapackage.yaml').resolve()}" in built.stdout

    released = run_kzcn("release", "--previous", "none", cwd=sub, env=env)
    assert released.returncode == 0, released.stdout + released.stderr
    assert (pkg / "dist" / "other-package-9.9.9.zip").is_file()
    assert (pkg / "dist" / "other-package-9.9.9.zip.sha256").is_file()
    assert f"from {(pkg / 'build' / 'datapackage' / 'datapackage.json').resolve()}" in released.stdout

    assert {name: snapshot(ROOT / name) for name in ("build", "dist")} == before
    assert not (sub / "build").exists() and not (sub / "dist").exists()


def test_registry_update_reads_the_found_package_dist(tmp_path, run_kzcn):
    pkg = other_package(tmp_path / "kz", name="kzcn-data", version="9.9.9")
    env = {"SOURCE_DATE_EPOCH": EPOCH}
    for args in (["build"], ["release", "--previous", "none"]):
        done = run_kzcn(*args, cwd=pkg, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
    registry = tmp_path / "registry.json"
    registry.write_text('{"releases": {}}\n')
    done = run_kzcn("registry", "--update", "--registry", registry, cwd=pkg / "schemas")
    assert done.returncode == 0, done.stdout + done.stderr
    assert list(json.loads(registry.read_text())["releases"]) == ["9.9.9"]


def test_diff_reads_revisions_of_the_found_package(tmp_path, run_kzcn):
    """A package in a subfolder of its git repository: revisions are read there, not at the top."""
    repo = tmp_path / "repo"
    pkg = other_package(repo / "pkg")
    git_init(repo)
    commit_all(repo, "visits", "2024-01-01T00:00:00+00:00")
    ed.set_cell(pkg / "data" / "visits.csv", 3, "guests", "7")
    commit_all(repo, "more guests", "2024-01-02T00:00:00+00:00")
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "2"
    done = run_kzcn("diff", "HEAD~1", "HEAD", "--format", "json", cwd=pkg / "data")
    assert done.returncode == 0, done.stdout + done.stderr
    (visits,) = json.loads(done.stdout)["tables"]
    assert visits["name"] == "visits" and visits["status"] == "changed"
    assert visits["changed"] == [{"key": {"visit_id": "v2"}, "field": "guests", "old": "2", "new": "7"}]


@pytest.mark.slow
def test_report_writes_under_the_found_package(pkg, run_kzcn):
    before = snapshot(ROOT / "build")
    done = run_kzcn("report", "--exit-zero", cwd=pkg / "data", timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"checked {(pkg / 'datapackage.yaml').resolve()}" in done.stdout
    assert (pkg / "build" / "report" / "index.html").is_file()
    assert not (pkg / "data" / "build").exists() and snapshot(ROOT / "build") == before


def test_explicit_target_still_wins_over_the_current_folder(pkg, tmp_path, run_kzcn):
    """A TARGET names the package; the current folder then plays no part."""
    ed.set_cell(pkg / "data" / "visits.csv", 2, "guests", "-1")
    r = run_kzcn("validate", ROOT, "--format", "json", cwd=pkg)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr
    assert json.loads(r.stdout)["stats"]["descriptor"] == str((ROOT / "datapackage.yaml").resolve())
    assert run_kzcn("validate", pkg, cwd=tmp_path).returncode == 1
