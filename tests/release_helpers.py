"""Helpers for the build, release, diff, download and DVC tests: scratch packages, edits, git.

Everything runs the real tools (the installed `kzcn`, git, dvc, frictionless); a scratch
package is a copy of the curated one, so tests never touch the repository's files.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
KZCN = str(BIN / "kzcn")
EPOCH = "1693785600"  # 2023-09-04T00:00:00Z, the seed article's meeting day
EPOCH_ISO = "2023-09-04T00:00:00Z"
VERSION = yaml.safe_load((ROOT / "datapackage.yaml").read_text(encoding="utf-8"))["version"]
ZIP = f"kzcn-data-{VERSION}.zip"


def env(**extra) -> dict:
    out = {**os.environ, "DVC_NO_ANALYTICS": "1", "SOURCE_DATE_EPOCH": EPOCH,
           "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    for k, v in extra.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = v
    return out


def kzcn(*args, cwd=None, check=True, **env_extra) -> subprocess.CompletedProcess:
    """Run the installed `kzcn` with SOURCE_DATE_EPOCH fixed; fail loudly (with its output) if asked."""
    proc = subprocess.run([KZCN, *map(str, args)], cwd=cwd, env=env(**env_extra), capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"kzcn {' '.join(map(str, args))} exited {proc.returncode}\n"
                             f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def copy_package(dest: Path) -> Path:
    """A scratch copy of the curated package (descriptor, schemas, data, rules, data licence)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("datapackage.yaml", "LICENSE-DATA.md"):
        shutil.copy2(ROOT / name, dest / name)
    for folder in ("schemas", "datasets", "validation"):
        if (ROOT / folder).exists():
            shutil.copytree(ROOT / folder, dest / folder)
    return dest


def build_and_release(pkg: Path, **env_extra) -> Path:
    """`kzcn build` then `kzcn release` on a scratch package; returns the zip it wrote."""
    kzcn("build", pkg, **env_extra)
    out = kzcn("release", "--build", pkg / "build" / "datapackage", "--dist", pkg / "dist", **env_extra)
    return Path(out.stdout.split("released ", 1)[1].split(" (", 1)[0])


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def write_rows(path: Path, header, rows) -> None:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows([header, *rows])
    path.write_bytes(buf.getvalue().encode("utf-8"))


def edit_cell(pkg: Path, table: str, key: str, field: str, value: str) -> str:
    """Set one cell (row chosen by its first column); returns the old value."""
    path = pkg / "datasets" / f"{table}.csv"
    header, rows = read_rows(path)
    col = header.index(field)
    for row in rows:
        if row[0] == key:
            old, row[col] = row[col], value
            write_rows(path, header, rows)
            return old
    raise KeyError(key)


def drop_row(pkg: Path, table: str, key: str) -> None:
    path = pkg / "datasets" / f"{table}.csv"
    header, rows = read_rows(path)
    write_rows(path, header, [r for r in rows if r[0] != key])


def copy_row(pkg: Path, table: str, key: str, new_key: str, **changes) -> None:
    """Add a row: a copy of an existing one under a new primary key, with `changes` applied."""
    path = pkg / "datasets" / f"{table}.csv"
    header, rows = read_rows(path)
    new = [new_key, *next(r for r in rows if r[0] == key)[1:]]
    for name, value in changes.items():
        new[header.index(name)] = value
    write_rows(path, header, rows + [new])


def add_person(pkg: Path, person_id: str) -> None:
    """A valid new row in people (names are unique there): a copy of lin-wu under a new id and name."""
    copy_row(pkg, "people", "lin-wu", person_id, name=f"Test Person {person_id}")


def set_version(pkg: Path, version: str) -> None:
    path = pkg / "datapackage.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^version: .*$", f"version: {version}", text), encoding="utf-8")


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def tree_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def git(repo: Path, *args, date: str | None = None) -> str:
    e = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
         "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if date:
        e["GIT_AUTHOR_DATE"] = e["GIT_COMMITTER_DATE"] = date
    out = subprocess.run(["git", "-C", str(repo), *args], env=e, capture_output=True, text=True)
    if out.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {out.stderr}")
    return out.stdout


def git_init(repo: Path) -> None:
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "commit.gpgsign", "false")


def commit_all(repo: Path, message: str, date: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):  # keep test output clean; record what was asked instead
        self.server.requested.append(self.path)


class FileServer:
    """A real HTTP server on 127.0.0.1 serving a folder, in a thread; records request paths."""

    def __init__(self, folder: Path):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(folder)))
        self.httpd.requested = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    @property
    def requested(self) -> list[str]:
        return self.httpd.requested

    def __enter__(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()

    def __exit__(self, *exc):
        if self.thread.is_alive():
            self.stop()
