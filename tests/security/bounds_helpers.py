"""Helpers of the bounds tests (issue 10): hostile packages built in a temp folder, and `kzcn` run
in a subprocess with a memory rlimit and a timeout, reporting what the user sees and what it cost.

The rlimit and the timeout are containment, not benchmarks: they are several times what the
bounded code needs and far below what the unbounded code took (measured in the report of
branch `bounds`). Peak memory comes from os.wait4 on that one child.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

KZCN = str(Path(sys.executable).with_name("kzcn"))
MB = 1 << 20


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    def json(self) -> dict:
        return json.loads(self.stdout)


def run_kzcn(*args, cwd=None, env=None, mem_mb: int | None = 1500, timeout: float = 300) -> Run:
    """`kzcn ARGS` with RLIMIT_AS = mem_mb (None: no limit), killed after `timeout` seconds."""
    full_env = {**os.environ, "KZCN_CACHE_DIR": str(Path(cwd or ".") / ".kzcn-cache"), **(env or {})}

    def limit():
        if mem_mb is not None:
            resource.setrlimit(resource.RLIMIT_AS, (mem_mb * MB, mem_mb * MB))

    out_path = Path(cwd or ".") / f".out-{time.monotonic_ns()}"
    err_path = out_path.with_suffix(".err")
    started = time.monotonic()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen([KZCN, *map(str, args)], cwd=cwd, env=full_env, stdout=out, stderr=err,
                                preexec_fn=limit)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                raise AssertionError(f"kzcn {' '.join(map(str, args))} still running after {timeout} s")
            time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    stdout, stderr = out_path.read_text(errors="replace"), err_path.read_text(errors="replace")
    out_path.unlink()
    err_path.unlink()
    return Run(proc.returncode, stdout, stderr, seconds, usage.ru_maxrss / 1024)


def write_descriptor(folder: Path, resources: list, text: str | None = None, name: str = "datapackage.json") -> Path:
    """A descriptor with these resources (or the given text verbatim)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text if text is not None else json.dumps({"name": "hostile", "resources": resources}))
    return path


def one_table(folder: Path, csv: bytes | None = None, fields=("a",), schema: dict | None = None, **more) -> Path:
    """A package of one table `t` (t.csv holding `csv`, unless the test writes it itself)."""
    folder.mkdir(parents=True, exist_ok=True)
    if csv is not None:
        (folder / "t.csv").write_bytes(csv)
    schema = schema or {"fields": [{"name": f, "type": "string"} for f in fields]}
    return write_descriptor(folder, [{"name": "t", "path": "t.csv", "schema": schema, **more}])


def write_repeated(path: Path, head: bytes, chunk: bytes, total_bytes: int) -> Path:
    """`head` then `chunk` repeated up to about `total_bytes`, written a few MB at a time."""
    block = chunk * max(1, (4 * MB) // len(chunk))
    with open(path, "wb") as fh:
        fh.write(head)
        written = len(head)
        while written < total_bytes:
            fh.write(block)
            written += len(block)
    return path


def codes(report: dict) -> list[str]:
    return [f["code"] for f in report["errors"] + report["warnings"]]
