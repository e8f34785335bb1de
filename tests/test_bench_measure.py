"""benchmarks/measure.py: a measured process reports its own peak memory, not the benchmark's.

On Linux a child started by subprocess (vfork + exec) inherits the parent's high-water RSS in
its ru_maxrss, so a benchmark that had generated a large package read its own size back as
every tool's peak. These tests hold a few hundred MB in the test process and check that a
child allocating a known amount is reported at about that amount; and that exit codes, signals,
stderr, stdout and CPU time of the child's own children come back.
"""
from __future__ import annotations

import json
import sys

import pytest

import bench_modules

measure = bench_modules.load("measure")

MB = 1 << 20
PARENT_MB = 400
CHILD_MB = 80


def _touch(n_bytes: int) -> bytearray:
    """n_bytes really resident: one write per page (a zeroed allocation alone maps no pages)."""
    block = bytearray(n_bytes)
    block[::4096] = b"\x01" * len(range(0, n_bytes, 4096))
    return block


ALLOCATE = ("import sys\nn = int(sys.argv[1]) * 2**20\nb = bytearray(n)\n"
            "b[::4096] = b'\\x01' * len(range(0, n, 4096))\n")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss in KiB and the exec carry-over are Linux's")
def test_peak_is_the_childs_not_the_parents():
    ballast = _touch(PARENT_MB * MB)
    got = measure.process([sys.executable, "-c", ALLOCATE, str(CHILD_MB)], timeout=120)
    assert got["rc"] == 0, got["stderr"]
    # the child's own peak: its allocation plus an interpreter (about 10 MB), far below the parent's
    assert CHILD_MB <= got["rss_mb"] < CHILD_MB + 60, got
    assert got["rss_mb"] < PARENT_MB / 2
    small = measure.process([sys.executable, "-c", "pass"], timeout=120)
    assert small["rss_mb"] < 60, small  # an idle interpreter is not charged the parent's 400 MB either
    del ballast


def test_exit_code_and_stderr_come_back():
    got = measure.process([sys.executable, "-c", "import sys; sys.stderr.write('x' * 5000 + 'the end'); sys.exit(3)"],
                          timeout=120)
    assert got["rc"] == 3
    assert got["stderr"].endswith("the end")
    assert len(got["stderr"]) == measure.STDERR_TAIL  # the tail only


def test_a_signal_is_a_negative_code():
    got = measure.process([sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"], timeout=120)
    assert got["rc"] == -9


def test_a_command_that_cannot_start_is_named(tmp_path):
    missing = tmp_path / "no-such-tool"
    got = measure.process([str(missing), "--flag"], timeout=120)
    assert got["rc"] == 127
    assert str(missing) in got["stderr"]


def test_stdout_to_a_file_or_returned(tmp_path):
    code = "import sys, os; print(os.getcwd()); print(sys.argv[1:])"
    got = measure.process([sys.executable, "-c", code, "a b", "c"], cwd=tmp_path, timeout=120)
    assert got["stdout"].splitlines() == [str(tmp_path), str(["a b", "c"])]
    out = tmp_path / "out.txt"
    got = measure.process([sys.executable, "-c", code, "z"], cwd=tmp_path, stdout_path=out, timeout=120)
    assert "stdout" not in got
    assert out.read_text().splitlines()[1] == "['z']"


def test_env_is_the_childs(tmp_path):
    got = measure.process([sys.executable, "-c", "import os; print(os.environ.get('KZCN_BENCH_PROBE'))"],
                          env={"KZCN_BENCH_PROBE": "seen", "PATH": "/usr/bin:/bin"}, timeout=120)
    assert got["stdout"].strip() == "seen"


def test_cpu_counts_the_childs_own_children():
    """A child that runs a grandchild burning CPU is charged at least the grandchild's own CPU time."""
    burn = "import os, json\nx = 0\nfor i in range(3_000_000): x += i\nt = os.times()\nprint(json.dumps(t.user + t.system))"
    parent = (f"import subprocess, sys\nout = subprocess.run([sys.executable, '-c', {burn!r}], capture_output=True, "
              "text=True, check=True).stdout\nprint(out.strip())")
    got = measure.process([sys.executable, "-c", parent], timeout=120)
    assert got["rc"] == 0, got["stderr"]
    grandchild_cpu = json.loads(got["stdout"])
    assert grandchild_cpu > 0
    assert got["cpu"] >= grandchild_cpu
    assert got["cpu"] == pytest.approx(got["cpu_user"] + got["cpu_sys"])
    assert got["seconds"] > 0


def test_a_run_past_its_timeout_is_stopped():
    with pytest.raises(measure.MeasureError, match="did not finish"):
        measure.process([sys.executable, "-c", "import time; time.sleep(60)"], timeout=1)
