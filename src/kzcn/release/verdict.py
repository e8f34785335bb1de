"""Does the new side of a `kzcn diff` validate? The last line of a diff answers it.

A reviewer reading "3 rows changed" wants to know whether the change is still valid without
running a second command. The new side is validated as it is: a package folder in place; a
release zip or a git revision unpacked into a temporary folder first (a revision through
`git archive`, a zip through the same zip-slip-safe extraction downloads use), so the work
tree is never touched.
"""
from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
import zipfile
from pathlib import Path

from ..errors import KzcnError
from ..package.archive import safe_extract
from . import gitread

DESCRIPTORS = ("datapackage.yaml", "datapackage.json")


def _descriptor_dir(root: Path) -> Path | None:
    for folder in [root, *sorted(p for p in root.iterdir() if p.is_dir())]:
        if any((folder / d).is_file() for d in DESCRIPTORS):
            return folder
    return None


def _unpack_revision(repo: Path, rev: str, dest: Path) -> None:
    commit = gitread.resolve_commit(repo, rev)
    if commit is None:
        raise KzcnError(f"{rev!r} is not a git revision of {repo}")
    done = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", commit],
                          capture_output=True, check=False)
    if done.returncode != 0:
        raise KzcnError(f"git archive {rev} failed: {done.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as tar:
        tar.extractall(dest, filter="data")


def verdict(spec: str, repo: Path | None = None) -> dict:
    """{"side", "valid", "errors", "warnings"} of validating `spec`, or {"side", "error"}."""
    from ..validate.run import validate
    from .diff import default_repo

    path = Path(spec)
    try:
        with tempfile.TemporaryDirectory(prefix="kzcn-diff-") as tmp:
            if path.is_dir():
                target = path
            elif path.is_file() and path.name in DESCRIPTORS:
                target = path.parent
            elif path.is_file() and zipfile.is_zipfile(path):
                safe_extract(path, Path(tmp))
                target = _descriptor_dir(Path(tmp))
            else:
                _unpack_revision(repo or default_repo(), spec, Path(tmp))
                target = _descriptor_dir(Path(tmp))
            if target is None:
                return {"side": spec, "error": "no datapackage descriptor in it"}
            report = validate(str(target))
            return {"side": spec, "valid": report.valid, "errors": len(report.errors),
                    "warnings": len(report.warnings)}
    except KzcnError as exc:
        return {"side": spec, "error": str(exc)}


def render_verdict(v: dict) -> str:
    from ..validate.formats import _plural as plural

    if "error" in v:
        return f"new side {v['side']}: could not be validated: {v['error']}"
    state = "VALID" if v["valid"] else "INVALID"
    return (f"new side {v['side']}: {state}: {plural(v['errors'], 'error')}, "
            f"{plural(v['warnings'], 'warning')} (kzcn validate)")
