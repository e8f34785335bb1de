""".ci/ensure-chromium, which `make test` runs first: it finds Chromium the way the report code
does, and where it cannot install one it says so in one line and fails.

These runs never install anything: each gives the script a PATH with no apt-get (or a Chromium).
The install itself (apt-get update, apt-get install chromium) is what a fresh machine's
`make test` does; the README says how long that took.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from kzcn.report import browser
from release_helpers import ROOT

SCRIPT = ROOT / ".ci" / "ensure-chromium"


def _bin_dir(tmp_path: Path, *names: str) -> Path:
    """A folder of links to the named system commands: the only PATH the script gets."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for name in names:
        os.symlink(shutil.which(name), folder / name)
    return folder


def _run(path: Path, **env) -> subprocess.CompletedProcess:
    bash = shutil.which("bash")
    return subprocess.run([bash, str(SCRIPT)], env={"PATH": str(path), **env}, capture_output=True,
                          text=True, timeout=60)


def test_looks_for_the_names_the_report_code_looks_for():
    text = SCRIPT.read_text(encoding="utf-8")
    assert f"for name in {' '.join(browser.CANDIDATES)}; do" in text
    assert "KZCN_CHROMIUM" in text


def test_a_chromium_on_path_is_enough(tmp_path):
    folder = _bin_dir(tmp_path, "id")
    os.symlink(shutil.which("true"), folder / "chromium-browser")
    done = _run(folder)
    assert done.returncode == 0 and done.stderr == "" and done.stdout == ""


def test_kzcn_chromium_is_used_as_it_is(tmp_path):
    folder = _bin_dir(tmp_path, "id")
    assert _run(folder, KZCN_CHROMIUM=shutil.which("true")).returncode == 0
    done = _run(folder, KZCN_CHROMIUM=str(tmp_path / "no-such-chromium"))
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "KZCN_CHROMIUM=" in done.stderr and "not an executable" in done.stderr


def test_no_way_to_install_is_one_line_and_a_failure(tmp_path):
    """No Chromium, no apt-get: as root that is the reason; as another user without sudo, that."""
    done = _run(_bin_dir(tmp_path, "id"))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert "headless Chromium is missing" in done.stderr and "apt-get install chromium" in done.stderr
    assert "KZCN_CHROMIUM" in done.stderr


def test_not_root_and_no_sudo_is_one_line_and_a_failure(tmp_path):
    """apt-get is there but may not be used: run as `nobody` (or as ourselves when not root)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="kzcn-ensure-chromium-"))  # nobody must read it
    try:
        os.chmod(folder, 0o755)
        for name in ("id", "apt-get"):
            os.symlink(shutil.which(name), folder / name)
        cmd = [shutil.which("bash"), str(SCRIPT)]
        if os.geteuid() == 0:
            cmd = [shutil.which("setpriv"), "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
        done = subprocess.run(cmd, env={"PATH": str(folder)}, capture_output=True, text=True, timeout=60)
    finally:
        shutil.rmtree(folder)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert "not root and no sudo" in done.stderr and "apt-get install chromium" in done.stderr
