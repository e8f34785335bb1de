"""Outputs never land outside their folder, never replace what the run did not make, and are
published whole: attacks on report, release and `-o`.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import KZCN, assert_clean_exit, run_kzcn, snapshot, write_package

SCHEMA = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}


# --- -o FILE ------------------------------------------------------------------------------------

def _validation(pkg: Path) -> Path:
    (pkg / "validation").mkdir()
    (pkg / "validation" / "rules.yaml").write_text("resolutions: resolutions.yaml\nrules: []\n")
    (pkg / "validation" / "resolutions.yaml").write_text("resolutions: []\n")
    return pkg / "validation" / "resolutions.yaml"


@pytest.mark.parametrize("which", ["resolutions", "hardlink", "symlink", "device", "fifo"])
def test_output_refuses_inputs_links_devices_and_fifos(sandbox, which):
    pkg, secret, tmp = sandbox
    write_package(pkg)
    resolutions = _validation(pkg)
    target = {"resolutions": resolutions, "hardlink": tmp / "copy.yaml", "symlink": tmp / "link.json",
              "device": Path("/dev/null"), "fifo": tmp / "pipe"}[which]
    if which == "hardlink":
        os.link(resolutions, target)
    elif which == "symlink":
        os.symlink(secret, target)
    elif which == "fifo":
        os.mkfifo(target)
    before = snapshot(tmp)
    done = run_kzcn("validate", pkg, "-o", target)
    assert_clean_exit(done, (2,))
    assert str(target) in done.stderr and "refusing to overwrite" in done.stderr
    assert snapshot(tmp) == before


@pytest.mark.parametrize("rules", ["decisions", "nested"])
def test_output_refuses_a_resolutions_file_the_rules_name_in_a_subfolder(sandbox, rules):
    """The rules file names its resolutions file (validation/decisions/...): an input, though
    not directly in validation/, so -o must not overwrite it."""
    pkg, _, tmp = sandbox
    write_package(pkg)
    (pkg / "validation" / "decisions").mkdir(parents=True)
    target = pkg / "validation" / "decisions" / "resolutions.yaml"
    target.write_text("resolutions: []\n")
    head = "resolutions: decisions/resolutions.yaml\n" if rules == "decisions" else \
        "# the path on a later line\nrules: []\nresolutions: decisions/resolutions.yaml\n"
    (pkg / "validation" / "rules.yaml").write_text(head + ("rules: []\n" if rules == "decisions" else ""))
    before = target.read_bytes()
    done = run_kzcn("validate", pkg, "-o", target)
    assert_clean_exit(done, (2,))
    assert "refusing to overwrite" in done.stderr and "input of this run" in done.stderr
    assert target.read_bytes() == before


def test_a_write_that_fails_names_the_file_and_keeps_the_previous_one(sandbox):
    """RLIMIT_FSIZE makes the write fail (EFBIG) as a full disk would (ENOSPC): exit 2."""
    import resource

    pkg, _, tmp = sandbox
    write_package(pkg)
    out = tmp / "report.json"
    out.write_text("previous\n")

    def tiny_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))

    done = run_kzcn("validate", pkg, "-o", out, preexec=tiny_files)
    assert_clean_exit(done, (2,))
    assert str(out) in done.stderr and "intact" in done.stderr
    assert out.read_text() == "previous\n"
    assert [p.name for p in tmp.iterdir() if p.name.startswith(".report.json")] == []


# --- report -------------------------------------------------------------------------------------

def test_report_refuses_resource_names_that_leave_the_output(sandbox):
    pkg, _, tmp = sandbox
    write_package(pkg, [{"name": "../../datapackage", "path": "t.csv", "schema": SCHEMA}])
    before = snapshot(tmp)
    done = run_kzcn("report", pkg, "--output", tmp / "out")
    assert_clean_exit(done, (2,))
    assert "'../../datapackage'" in done.stderr and "cannot name a file" in done.stderr
    assert snapshot(tmp) == before


def test_report_never_replaces_a_folder_it_did_not_make(sandbox):
    pkg, _, tmp = sandbox
    write_package(pkg)
    (pkg / "gx").mkdir()
    (pkg / "gx" / "great_expectations.yml").write_text("my own project\n")
    before = snapshot(tmp)
    done = run_kzcn("report", pkg, "--output", pkg)
    assert_clean_exit(done, (2,))
    assert str(pkg / "gx") in done.stderr and "not written by kzcn" in done.stderr
    assert snapshot(tmp) == before


# --- release ------------------------------------------------------------------------------------

def _built(tmp: Path, name: str, rows: str) -> Path:
    pkg = tmp / f"src-{name}"
    write_package(pkg, csv=f"id,name\n{rows}", name="kzcn-data")  # the name the registry reads
    out = tmp / f"build-{name}"
    done = run_kzcn("build", pkg, "--out", out)
    assert done.returncode == 0, done.stderr
    return out


def test_release_refuses_a_package_name_that_leaves_dist(sandbox):
    pkg, _, tmp = sandbox
    build = _built(tmp, "a", "1,alpha\n")
    descriptor = json.loads((build / "datapackage.json").read_text())
    descriptor["name"] = "../../escape"
    (build / "datapackage.json").write_text(json.dumps(descriptor))
    before = snapshot(tmp)
    done = run_kzcn("release", "--build", build, "--dist", tmp / "dist", "--previous", "none")
    assert_clean_exit(done, (2,))
    assert "'../../escape'" in done.stderr
    assert snapshot(tmp) == before


def _consistent(dist: Path) -> bool:
    zips = sorted(dist.glob("*.zip"))
    return bool(zips) and all(
        (z.with_name(z.name + ".sha256")).read_text().split()[0] == hashlib.sha256(z.read_bytes()).hexdigest()
        for z in zips)


def test_two_releases_at_once_never_mix_a_zip_with_the_other_checksum(sandbox):
    _, _, tmp = sandbox
    builds = [_built(tmp, "a", "1,alpha\n"), _built(tmp, "b", "1,alpha\n2,beta\n")]
    dist = tmp / "dist"
    env = {**os.environ, "KZCN_TEST_SLOW_WRITES": "0.05", "SOURCE_DATE_EPOCH": "315532800"}
    procs = [subprocess.Popen([KZCN, "release", "--build", str(b), "--dist", str(dist), "--previous", "none"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for b in builds]
    for p in procs:
        p.wait(timeout=900)
        assert p.returncode == 0, p.stderr.read()
    assert _consistent(dist)


def test_a_release_killed_between_renames_is_rolled_back_for_readers(sandbox):
    from kzcn.release.publish import JOURNAL
    from kzcn.release.registry import releases_in

    _, _, tmp = sandbox
    old, new = _built(tmp, "a", "1,alpha\n"), _built(tmp, "b", "1,alpha\n2,beta\n")
    dist = tmp / "dist"
    assert run_kzcn("release", "--build", old, "--dist", dist, "--previous", "none").returncode == 0
    before = snapshot(dist)
    env = {**os.environ, "KZCN_TEST_SLOW_WRITES": "0.5", "SOURCE_DATE_EPOCH": "315532800"}
    proc = subprocess.Popen([KZCN, "release", "--build", str(new), "--dist", str(dist), "--previous", "none"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        zip_path = next(dist.glob("*.zip"))
        old_zip = zip_path.read_bytes()
        while proc.poll() is None:  # wait for the first rename: the new zip beside the old .sha256
            if (dist / JOURNAL).exists() and zip_path.read_bytes() != old_zip:
                os.killpg(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.02)  # polling pace only
        proc.wait(timeout=900)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == -signal.SIGKILL, "finished before it could be killed"
    assert not _consistent(dist)  # on disk, for a moment, a mix: what the journal is for
    found = releases_in(dist)     # a reader takes the lock, which rolls the killed release back
    assert found and _consistent(dist)
    assert {k: v for k, v in snapshot(dist).items() if not k.startswith(".")} == {
        k: v for k, v in before.items() if not k.startswith(".")}
