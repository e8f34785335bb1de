"""The DVC pipeline in temporary clones of this repository (what a stranger gets from `git clone`).

`dvc repro` in a clean clone must reproduce main's committed dvc.lock exactly (same hashes:
the release is reproducible and the lock is not stale), leave `dvc status` clean, give metrics,
push to a local remote and pull into a second clean clone with identical files, serve
`dvc get`, and produce the release whose sha256 the shipped registry names.

These tests read the COMMITTED state of the repository (a clone), not the working tree.
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from kzcn.package import download
from release_helpers import (BIN, ROOT, VERSION, ZIP, FileServer, add_person, edit_cell, env, read_rows, sha256,
                             tree_hashes)

pytestmark = pytest.mark.slow
DVC = str(BIN / "dvc")
STALE = ("main's committed dvc.lock is stale: `dvc repro` in a clean clone changed it. Run `make` "
         "(or `dvc repro`) in the repository, then `kzcn registry --update`, and commit dvc.lock and "
         "src/kzcn/registry.json")


def run(cmd, cwd, check=True, **extra) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env(SOURCE_DATE_EPOCH=None, **extra),
                          capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, cmd))} exited {proc.returncode} in {cwd}\n"
                             f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def clone(dest: Path, source: Path = ROOT) -> Path:
    """A clean clone of the committed repository, using this checkout's virtual environment
    with the clone's own code first on the path (so the clone builds with its own sources)."""
    tracked = run(["git", "ls-files", "dvc.yaml", "dvc.lock", ".dvc/config"], source).stdout.split()
    missing = {"dvc.yaml", "dvc.lock", ".dvc/config"} - set(tracked)
    if missing:
        pytest.fail(f"{', '.join(sorted(missing))} not committed in {source}: run `dvc repro` there and commit "
                    f"dvc.yaml, dvc.lock and .dvc/")
    run(["git", "clone", "--quiet", "--no-hardlinks", source, dest], source.parent)
    os.symlink(ROOT / ".venv", dest / ".venv")
    with open(dest / ".git" / "info" / "exclude", "a") as fh:  # the link is not a folder for .gitignore
        fh.write("/.venv\n")
    return dest


def dvc(repo: Path, *args, check=True):
    return run([DVC, *args], repo, check=check, PYTHONPATH=str(repo / "src"))


def make(repo: Path, *targets, check=True):
    """`make TARGET` as a maintainer runs it; the shared .venv counts as set up (-o: never reinstalled)."""
    return run(["make", "-o", ".venv/.installed-stamp", *targets], repo, check=check, PYTHONPATH=str(repo / "src"))


def _git_status(repo: Path) -> str:
    return run(["git", "status", "--porcelain"], repo).stdout


@pytest.fixture(scope="module")
def one(tmp_path_factory) -> Path:
    """A clean clone after `dvc repro`, its new dvc.lock committed (in the clone only), so that
    further clones of it describe exactly the outputs it pushes."""
    repo = clone(tmp_path_factory.mktemp("dvc") / "one")
    (repo.parent / "committed.lock").write_bytes((repo / "dvc.lock").read_bytes())
    dvc(repo, "repro")
    run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "--quiet", "--allow-empty",
         "-m", "lock of this clone", "--", "dvc.lock"], repo)
    return repo


@pytest.fixture(scope="module")
def remote(tmp_path_factory, one) -> Path:
    store = tmp_path_factory.mktemp("remote") / "store"
    dvc(one, "remote", "add", "--local", "-d", "scratch", store)
    dvc(one, "push")
    return store


def _entries(lock: dict, stage: str, kind: str) -> dict:
    return {e["path"]: e.get("md5") for e in lock["stages"][stage].get(kind, [])}


def test_repro_in_a_clean_clone_reproduces_the_committed_lock(one):
    import yaml

    committed = yaml.safe_load((one.parent / "committed.lock").read_text())
    fresh = yaml.safe_load((one / "dvc.lock").read_text())
    problems = []
    if set(committed["stages"]) != set(fresh["stages"]):
        problems.append(f"stages: committed {sorted(committed['stages'])}, dvc.yaml gives {sorted(fresh['stages'])}")
    for stage in sorted(set(committed["stages"]) & set(fresh["stages"])):
        if committed["stages"][stage].get("cmd") != fresh["stages"][stage].get("cmd"):
            problems.append(f"{stage}: the command changed")
        for kind in ("deps", "outs"):  # deps: not stale; outs: the same bytes again
            old, new = _entries(committed, stage, kind), _entries(fresh, stage, kind)
            for path in sorted(set(old) | set(new)):
                if old.get(path) != new.get(path):
                    problems.append(f"{stage} {kind[:-1]} {path}: committed {old.get(path)}, fresh {new.get(path)}")
    if problems:
        pytest.fail(STALE + "\n" + "\n".join(problems))
    status = dvc(one, "status")
    assert "Data and pipelines are up to date" in status.stdout, status.stdout
    assert (one / "dist" / ZIP).is_file()
    assert run(["git", "status", "--porcelain"], one).stdout == ""  # outputs are ignored, nothing else written


def test_metrics_show_rows_and_findings(one):
    shown = json.loads(dvc(one, "metrics", "show", "--json").stdout)
    metrics = next(iter(shown.values()))["data"]["build/metrics.json"]["data"]
    expected_tables = json.loads((one / "build" / "datapackage" / "datapackage.json").read_text())["resources"]
    # rows of the curated tables; the derived series the build adds follow from them
    assert set(metrics["rows"]) == {r["name"] for r in expected_tables if not r.get("derived")}
    assert all(n > 0 for n in metrics["rows"].values())
    assert metrics["findings"]["error"] == 0 and "warning" in metrics["findings"]
    written = json.loads((one / "build" / "metrics.json").read_text())
    assert set(written) == {"valid", "rows", "rows_total", "findings", "by_code", "by_rule"}
    assert metrics == {k: v for k, v in written.items() if v != {}}  # dvc leaves out empty groups
    assert sum(written["by_code"].values()) == sum(written["findings"].values())


def test_shipped_registry_names_this_release(one):
    """The registry committed beside the code holds the sha256 of a fresh release of the current
    version (same inputs, same bytes)."""
    registry = download.read_registry(one / "src" / "kzcn" / "registry.json")
    assert VERSION in registry, f"src/kzcn/registry.json has no entry for {VERSION}: run `kzcn registry --update`"
    assert registry[VERSION]["sha256"] == sha256(one / "dist" / ZIP), (
        f"src/kzcn/registry.json's sha256 for {VERSION} is not the fresh release's: "
        f"run `make` then `kzcn registry --update`, and commit it")
    assert registry[VERSION]["bytes"] == (one / "dist" / ZIP).stat().st_size


def test_push_then_pull_into_a_second_clean_clone(one, remote, tmp_path):
    two = clone(tmp_path / "two", source=one)
    dvc(two, "remote", "add", "--local", "-d", "scratch", remote)
    dvc(two, "pull")
    for folder in ("build/datapackage", "build/expectations", "build/report"):
        assert tree_hashes(two / folder) == tree_hashes(one / folder)
    for name in (f"dist/{ZIP}", f"dist/{ZIP}.sha256", f"dist/kzcn-data-{VERSION}.notes.md",
                 "build/validation/report.json", "build/metrics.json"):
        assert sha256(two / name) == sha256(one / name), name
    assert "Data and pipelines are up to date" in dvc(two, "status").stdout


def test_dvc_get_from_a_local_clone(one, tmp_path):
    got = tmp_path / "got.zip"
    run([DVC, "get", one, f"dist/{ZIP}", "-o", got], tmp_path)
    assert got.read_bytes() == (one / "dist" / ZIP).read_bytes()


def test_release_downloads_over_http_with_the_shipped_registry(one, tmp_path, monkeypatch):
    monkeypatch.setenv("KZCN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(download, "REGISTRY_FILE", one / "src" / "kzcn" / "registry.json")
    with FileServer(one / "dist") as server:
        monkeypatch.setenv("KZCN_DATA_URL", server.url)
        folder = download.fetch_release(VERSION)
    expected = tree_hashes(one / "build" / "datapackage")
    for extra in ("report", "expectations"):
        expected.update({f"{extra}/{k}": v for k, v in tree_hashes(one / "build" / extra).items()})
    # the build's ownership markers (kzcn.atomic.MARKER) stay in build/, never in the release
    expected = {k: v for k, v in expected.items() if k.rsplit("/", 1)[-1] != ".kzcn-output"}
    assert tree_hashes(folder) == expected  # the package plus the quality report, nothing else


def test_metrics_diff_tells_what_a_change_did(one, remote, tmp_path):
    three = clone(tmp_path / "three", source=one)
    dvc(three, "remote", "add", "--local", "-d", "scratch", remote)
    dvc(three, "pull")
    add_person(three, "lin-wu-copy")
    dvc(three, "repro", "validate")  # the stage that writes the metrics; the rest is not what is measured
    diff = json.loads(dvc(three, "metrics", "diff", "--json").stdout)["build/metrics.json"]
    assert diff["rows.people"]["diff"] == 1
    assert diff["rows_total"]["diff"] == 1


def test_make_report_leaves_git_and_dvc_status_clean(one):
    """`make report` writes what the pipeline's report stage records, byte for byte; its screenshot
    goes beside build/report/, never into that DVC output.

    It is also the report's second run over the folders the first (`dvc repro`'s report stage)
    wrote: the Great Expectations run starts its project folder afresh, which once removed the
    ownership marker that lets the next run replace gx/, so a second run refused its own output
    (this was tests/test_report_rerun.py, which ran the whole report twice more)."""
    for name in ("gx", "report", "expectations"):
        assert (one / "build" / name / ".kzcn-output").is_file(), name
    done = make(one, "report")
    for name in ("gx", "report", "expectations"):  # replaced, and still marked as ours
        assert (one / "build" / name / ".kzcn-output").is_file(), name
    assert (one / "build" / "summary.png").is_file(), done.stdout
    assert not (one / "build" / "report" / "summary.png").exists()
    assert _git_status(one) == ""
    status = dvc(one, "status")
    assert "Data and pipelines are up to date" in status.stdout, status.stdout


def test_make_on_invalid_data_records_nothing(one, tmp_path):
    """Data with an error stops `make` at the validate stage, after it wrote its report, and before
    any stage is recorded: the tracked dvc.lock is untouched and git status stays clean."""
    bad = clone(tmp_path / "bad", source=one)
    header, rows = read_rows(bad / "datasets" / "trade_volumes.csv")
    edit_cell(bad, "trade_volumes", rows[0][0], "flow", "sideways")  # not one of the flows
    run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "--quiet", "-am", "bad flow"], bad)
    lock = (bad / "dvc.lock").read_bytes()
    done = make(bad, check=False)
    assert done.returncode != 0
    assert "stopping the pipeline before anything is recorded" in done.stderr, done.stderr
    assert (bad / "dvc.lock").read_bytes() == lock
    assert _git_status(bad) == ""
    report = json.loads((bad / "build" / "validation" / "report.json").read_text())
    assert not report["valid"] and any(e["field"] == "flow" for e in report["errors"])
    # nothing after the gate ran: no build, report or release of data that cannot be released
    assert not (bad / "build" / "datapackage").exists() and not (bad / "build" / "report").exists()
    assert not (bad / "dist").exists()
