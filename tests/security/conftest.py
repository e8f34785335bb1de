"""Helpers for the containment tests: a hostile package built in a temp folder, a secret outside
it, the real `kzcn` command run under time and memory bounds, and a snapshot of the tree.

Each attack test builds its own package (nothing is read from the repository's data), runs the
installed command as CI would, and checks what the user sees (exit code, message naming the
path) and that nothing outside the allowed folders changed and no secret leaked.
"""
from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

KZCN = str(Path(sys.executable).with_name("kzcn"))
SECRET = "kzcn-secret-7f3a9c"          # the content of a file outside the package
TOKEN = "ghp_kzcnContainTestToken0042"  # a token in the environment, as CI has one
MEMORY = 2 << 30                        # address space per run: containment, not a benchmark
CPU_SECONDS = 300
TIMEOUT = 900                           # wall-clock guard for a noisy 2-core machine


def _bounded():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def run_kzcn(*args, cwd=None, env=None, preexec=None) -> subprocess.CompletedProcess:
    """The installed command, bounded in memory and CPU time, with a secret token in its env."""
    full = {**os.environ, "DVC_NO_ANALYTICS": "1", "GITHUB_TOKEN": TOKEN, "SOURCE_DATE_EPOCH": "315532800",
            **(env or {})}
    full.pop("KZCN_DEBUG", None)

    def setup():
        _bounded()
        if preexec:
            preexec()

    return subprocess.run([KZCN, *map(str, args)], cwd=cwd, env=full, capture_output=True, text=True,
                          timeout=TIMEOUT, preexec_fn=setup, stdin=subprocess.DEVNULL)


def write_package(folder: Path, resources: list[dict] | None = None, csv: str | None = None, **top) -> Path:
    """A small valid package: one table `t` (id, name) unless `resources` says otherwise."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "t.csv").write_text(csv if csv is not None else "id,name\n1,alpha\n2,beta\n")
    schema = {"fields": [{"name": "id", "type": "integer", "constraints": {"required": True}},
                         {"name": "name", "type": "string"}], "primaryKey": ["id"]}
    descriptor = {"name": "hostile", "version": "1.0.0",
                  "resources": resources if resources is not None else [{"name": "t", "path": "t.csv", "schema": schema}],
                  **top}
    path = folder / "datapackage.json"
    path.write_text(json.dumps(descriptor, indent=1))
    return path


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry below `folder`: file sha256, link target, or kind; what changed shows up."""
    out = {}
    for p in sorted(Path(folder).rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_symlink():
            out[rel] = "link:" + os.readlink(p)
        elif p.is_file():
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
        elif p.is_dir():
            out[rel] = "dir"
        else:
            out[rel] = "special"
    return out


def leaked(done: subprocess.CompletedProcess, *folders: Path) -> list[str]:
    """Where the secret or the token shows up: stdout, stderr, or any file under `folders`
    (the package and the output folders: never the folder the secret lives in)."""
    where = [name for name, text in (("stdout", done.stdout), ("stderr", done.stderr))
             if SECRET in text or TOKEN in text]
    for folder in folders:
        for p in Path(folder).rglob("*"):
            if p.is_file() and not p.is_symlink():
                data = p.read_bytes()
                if SECRET.encode() in data or TOKEN.encode() in data:
                    where.append(str(p))
    return where


def assert_clean_exit(done: subprocess.CompletedProcess, codes=(0, 1, 2)) -> None:
    assert done.returncode in codes, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr[-2000:]


@pytest.fixture
def sandbox(tmp_path):
    """(package folder, a secret file outside it, the whole temp tree to snapshot)."""
    secret = tmp_path / "outside" / "secret.csv"
    secret.parent.mkdir()
    secret.write_text(f"id,name\n1,{SECRET}\n")
    (tmp_path / "outside" / "secret.yaml").write_text(f"fields:\n  - name: {SECRET}\n")
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    return pkg, secret, tmp_path
