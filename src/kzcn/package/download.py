"""Published releases, fetched once, checked against the sha256 registry shipped with the code.

`kzcn.load(name, version="0.1.0")` and `kzcn download 0.1.0` come here. The registry
(kzcn/registry.json) is the trust anchor: a release is used only if its sha256 matches the
registry entry, whatever server it came from. The file is fetched (kzcn.package.fetch: https or
http only, a total deadline, at most the registry's `bytes`, never decompressed on the way) from
`KZCN_DATA_URL` + file name (`{version}` in the URL is replaced), by default the project's
GitHub release for that version; it is cached per version in the user cache folder
(`KZCN_CACHE_DIR` overrides), so a version once fetched works offline. Each version is
unzipped into its own folder, refusing archive entries that would escape it; every later use
re-checks the files against the sha256 the verified descriptor records, so an edited cached
file is refused, not loaded.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from .archive import safe_extract, sha256_file
from ..errors import DataError, UnknownVersionError, UsageError, did_you_mean

DEFAULT_URL = "https://github.com/kzcn-data/kzcn-data/releases/download/v{version}/"
URL_ENV = "KZCN_DATA_URL"
CACHE_ENV = "KZCN_CACHE_DIR"
REGISTRY_FILE = Path(__file__).resolve().parent.parent / "registry.json"
MARKER = ".kzcn-sha256"
DEFAULT_MAX_BYTES = 1 << 30  # a registry entry without `bytes` (older registries): 1 GiB at most
SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.+-]+)?$")


def version_key(version: str) -> tuple[int, int, int]:
    m = SEMVER.match(version or "")
    if not m:
        raise UnknownVersionError(f"version {version!r} is not semantic (MAJOR.MINOR.PATCH)")
    return tuple(int(x) for x in m.groups())


def read_registry(path: Path | None = None) -> dict[str, dict]:
    """{version: {"file", "sha256", "bytes"}} of every published release (default: the shipped one)."""
    path = path or REGISTRY_FILE
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError as exc:
        raise UsageError(f"{path}: the release registry is not valid JSON: {exc}") from None
    return dict(data.get("releases", {}))


def known_versions(registry: dict | None = None) -> list[str]:
    return sorted(registry if registry is not None else read_registry(), key=version_key)


def registry_entry(version: str) -> dict:
    registry = read_registry()
    if version not in registry:
        known = ", ".join(known_versions(registry)) or "none"
        raise UnknownVersionError(f"unknown data version {version!r}{did_you_mean(version, registry)}; "
                                  f"the published versions are: {known}")
    return registry[version]


def release_url(version: str, file_name: str) -> str:
    base = os.environ.get(URL_ENV) or DEFAULT_URL
    return base.replace("{version}", version) + file_name


def cache_root() -> Path:
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("kzcn-data", appauthor=False))


def _package_dir(extracted: Path) -> Path:
    """The folder holding datapackage.json: the archive's single top folder, or its root."""
    if (extracted / "datapackage.json").is_file():
        return extracted
    tops = [p for p in extracted.iterdir() if p.is_dir() and (p / "datapackage.json").is_file()]
    if len(tops) != 1:
        raise DataError(f"{extracted}: the release holds no single datapackage.json")
    return tops[0]


def download_zip(version: str) -> Path:
    """The release zip for `version` in the cache, downloaded if needed, hash-checked always.

    The registry's `bytes` for the version is the cap on what is downloaded (+0), its sha256
    decides whether the file is kept; see kzcn.package.fetch for the deadline and the rest."""
    from .fetch import check_url, fetch

    entry = registry_entry(version)
    file_name, expected = entry["file"], entry["sha256"]
    url = release_url(version, file_name)
    check_url(url, f"{URL_ENV} gives the URL")
    folder = cache_root() / version
    target = folder / file_name
    if target.is_file() and sha256_file(target) == expected:
        return target
    folder.mkdir(parents=True, exist_ok=True)
    size = entry.get("bytes")
    max_bytes = size if isinstance(size, int) and not isinstance(size, bool) and size > 0 else DEFAULT_MAX_BYTES
    digest = fetch(url, target, max_bytes)
    if digest != expected:
        target.unlink(missing_ok=True)
        raise DataError(f"{url}: refused: its sha256 does not match the registry's {expected} for "
                        f"version {version} (it is {digest}); the file was deleted and not used")
    return target


def _marker_text(entry: dict, extracted: Path) -> str:
    """What the marker records: the zip's sha256 and the sha256 of the datapackage.json it held."""
    descriptor = _package_dir(extracted) / "datapackage.json"
    return f"{entry['sha256']}\n{sha256_file(descriptor)}\n"


def verify_cached(version: str, extracted: Path, marker_text: str) -> Path:
    """The cached package folder, after checking that nothing in it changed since it was verified.

    The marker holds the sha256 of the datapackage.json that came out of the verified zip; that
    descriptor holds the sha256 of every file. So an edited CSV (or an edited descriptor) is
    refused, naming the file, instead of being loaded as if it were the release."""
    package = _package_dir(extracted)
    lines = marker_text.split()
    how = f"run `kzcn download {version}` to fetch and verify it again"
    descriptor = package / "datapackage.json"
    if len(lines) < 2 or sha256_file(descriptor) != lines[1]:
        raise DataError(f"{descriptor}: the cached copy of version {version} was changed after it was "
                        f"verified; not used ({how})")
    try:
        resources = json.loads(descriptor.read_text(encoding="utf-8")).get("resources") or []
    except ValueError:
        raise DataError(f"{descriptor}: the cached descriptor is not valid JSON; {how}") from None
    for res in resources:
        rel, declared = (res.get("path"), res.get("hash")) if isinstance(res, dict) else (None, None)
        if not isinstance(rel, str) or not isinstance(declared, str):
            continue
        algo, _, digest = declared.partition(":") if ":" in declared else ("md5", "", declared)
        path = package / rel
        if algo != "sha256" or not path.resolve().is_relative_to(package.resolve()):
            continue
        actual = sha256_file(path) if path.is_file() else "missing"
        if actual != digest.lower():
            raise DataError(f"{path}: the cached copy of version {version} was changed after it was verified "
                            f"(sha256 {actual}, the release's is {digest}); not used ({how})")
    return package


def fetch_release(version: str, repair: bool = False) -> Path:
    """The unzipped package folder of a published version (downloaded and checked once; its
    files re-checked on every use). `repair`: extract again when the cached copy was changed."""
    entry = registry_entry(version)
    folder = cache_root() / version
    extracted = folder / "package"
    marker = extracted / MARKER
    text = marker.read_text() if marker.is_file() else ""
    if text.split()[:1] == [entry["sha256"]]:
        try:
            return verify_cached(version, extracted, text)
        except DataError:
            if not repair:
                raise
    archive = download_zip(version)
    from ..atomic import pid_alive

    for stale in folder.glob(".package.tmp-*"):  # left by a process killed while extracting
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not pid_alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    tmp = folder / f".package.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        safe_extract(archive, tmp)
        (tmp / MARKER).write_text(_marker_text(entry, tmp))
        shutil.rmtree(extracted, ignore_errors=True)
        os.rename(tmp, extracted)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return _package_dir(extracted)
