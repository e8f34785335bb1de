"""Read this repository's history without touching the working tree (no checkout, no stash).

Two jobs need git: the release's `created` time (when the data last changed in git, never the
clock) and `kzcn diff` against a revision (files read with `git show REV:PATH`).
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from ..errors import UsageError

# What a release is made from: a commit touching only code, dvc.lock or the registry does not
# change the data, so it does not move the release's `created` time (and its bytes).
DATA_INPUTS = ("datapackage.yaml", "datasets", "schemas", "LICENSE-DATA.md")


def _git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=check)
    except FileNotFoundError:
        raise UsageError("git is not installed; it is needed to read revisions") from None
    except subprocess.CalledProcessError as exc:
        msg = exc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git {' '.join(args)}: {msg[-1] if msg else 'failed'}") from None


def toplevel(path: Path) -> Path | None:
    """The git work tree containing `path`, or None when it is not in one."""
    try:
        out = subprocess.run(["git", "-C", str(path), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True)
    except FileNotFoundError:
        return None
    return Path(out.stdout.strip()) if out.returncode == 0 else None


def resolve_commit(repo: Path, rev: str) -> str | None:
    """The commit id a revision names, or None when it names none."""
    out = _git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
    return out.stdout.decode().strip() if out.returncode == 0 else None


def show(repo: Path, rev: str, path: str, limit: int | None = None) -> bytes | None:
    """A file's bytes at a revision, or None when it does not exist there; a blob larger than
    `limit` bytes is refused before git writes it out (a revision is as untrusted as a zip)."""
    if limit is not None:
        size = _git(repo, "cat-file", "-s", f"{rev}:{path}", check=False)
        if size.returncode != 0:
            return None
        n = int(size.stdout.decode().strip() or 0)
        if n > limit:
            from ..errors import TargetError

            raise TargetError(f"{rev}:{path} is {n:,} bytes, over the limit of {limit:,}; not read "
                              f"(raise it with --max-file-bytes)")
    out = _git(repo, "show", f"{rev}:{path}", check=False)
    return out.stdout if out.returncode == 0 else None


def _shallow_boundary(repo: Path) -> set[str]:
    out = _git(repo, "rev-parse", "--git-path", "shallow", check=False)
    path = Path(repo) / out.stdout.decode().strip() if out.returncode == 0 else None
    return set(path.read_text().split()) if path and path.is_file() else set()


def last_change_time(repo: Path, paths=DATA_INPUTS) -> int | None:
    """Unix time of the last commit touching any of `paths` (committer time), or None.

    In a shallow clone the oldest commit kept looks as if it changed every file, so a time
    found there would be wrong (and the release bytes with it): that is refused with a message.
    """
    out = _git(repo, "log", "-1", "--format=%H %ct", "--", *paths, check=False)
    text = out.stdout.decode().split()
    if out.returncode != 0 or len(text) != 2:
        return None
    commit, seconds = text
    if commit in _shallow_boundary(repo):
        raise UsageError(f"{repo}: a shallow clone does not show when the data last changed; run "
                         f"`git fetch --unshallow` (CI: fetch the full history) or set SOURCE_DATE_EPOCH")
    return int(seconds)


def tags(repo: Path) -> list[str]:
    out = _git(repo, "tag", "--list", check=False)
    return out.stdout.decode().split() if out.returncode == 0 else []
