"""Maintainers' side of the release registry: record the releases in dist/ in kzcn/registry.json.

Run after `kzcn release` (or `dvc repro`), before publishing: `kzcn registry --update`
(or `make registry`). Each dist/kzcn-data-<version>.zip is hashed again and checked against
its .sha256 file; the registry then says which bytes `kzcn.load(version=...)` will accept.
A published version must never change: when an entry's hash changes the command says so, and
the right fix is usually a new version in datapackage.yaml rather than a new hash.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from ..atomic import write_text_atomic
from ..package.archive import sha256_file
from ..package.download import known_versions, read_registry
from ..errors import DataError

ZIP_NAME = re.compile(r"^kzcn-data-(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?)\.zip$")


def releases_in(dist: Path) -> dict[str, dict]:
    """Every release in dist/, read under the release lock: the old set or the new, never a mix."""
    from .publish import locked

    if not Path(dist).is_dir():
        return {}
    with locked(dist):
        return _releases_in(dist)


def _releases_in(dist: Path) -> dict[str, dict]:
    found = {}
    for path in sorted(Path(dist).glob("kzcn-data-*.zip")):
        m = ZIP_NAME.match(path.name)
        if not m:
            continue
        digest = sha256_file(path)
        sidecar = path.with_name(path.name + ".sha256")
        if sidecar.is_file():
            recorded = sidecar.read_text().split()[0] if sidecar.read_text().strip() else ""
            if recorded != digest:
                raise DataError(f"{sidecar}: says {recorded}, but {path.name} hashes to {digest}; "
                                f"run `kzcn release` again")
        found[m.group(1)] = {"file": path.name, "sha256": digest, "bytes": path.stat().st_size}
    return found


def update(dist: Path, registry_path: Path | None = None) -> list[str]:
    """Merge dist/'s releases into the registry; returns one line per change."""
    from ..package import download

    registry_path = registry_path or download.REGISTRY_FILE
    registry = read_registry(registry_path)
    changes = []
    for version, entry in releases_in(dist).items():
        old = registry.get(version)
        if old == entry:
            continue
        if old is None:
            changes.append(f"added {version}: {entry['sha256']}")
        else:
            changes.append(f"changed {version}: {old['sha256']} -> {entry['sha256']} "
                           f"(only right if {version} was never published)")
        registry[version] = entry
    if changes:
        ordered = {v: registry[v] for v in known_versions(registry)}
        write_text_atomic(registry_path, json.dumps({"releases": ordered}, indent=2) + "\n")
    return changes
