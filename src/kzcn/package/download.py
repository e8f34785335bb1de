"""Published releases, fetched once, checked against the sha256 registry shipped with the code.

`kzcn.load(name, version="0.1.0")` and `kzcn download 0.1.0` come here. The registry
(kzcn/registry.json) is the trust anchor: a release is used only if its sha256 matches the
registry entry, whatever server it came from. The file is fetched with pooch from
`KZCN_DATA_URL` + file name (`{version}` in the URL is replaced), by default the project's
GitHub release for that version; it is cached per version in the user cache folder
(`KZCN_CACHE_DIR` overrides), so a version once fetched works offline. Each version is
unzipped into its own folder, refusing archive entries that would escape it.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from .archive import safe_extract
from ..errors import DataError, UnknownVersionError, UsageError, did_you_mean

DEFAULT_URL = "https://github.com/kzcn-data/kzcn-data/releases/download/v{version}/"
URL_ENV = "KZCN_DATA_URL"
CACHE_ENV = "KZCN_CACHE_DIR"
REGISTRY_FILE = Path(__file__).resolve().parent.parent / "registry.json"
MARKER = ".kzcn-sha256"
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
    """The release zip for `version` in the cache, downloaded if needed, hash-checked always."""
    entry = registry_entry(version)
    file_name, expected = entry["file"], entry["sha256"]
    url = release_url(version, file_name)
    folder = cache_root() / version
    import pooch
    import requests

    pooch.get_logger().setLevel("WARNING")
    try:
        path = pooch.retrieve(url, known_hash=f"sha256:{expected}", fname=file_name, path=folder,
                              progressbar=False)
    except ValueError as exc:
        raise DataError(f"{url}: refused: its sha256 does not match the registry's {expected} for "
                        f"version {version} ({exc}); the file was deleted and not used") from None
    except requests.exceptions.HTTPError as exc:
        raise UsageError(f"cannot download {url}: {exc}") from None
    except requests.exceptions.RequestException as exc:
        raise UsageError(f"cannot download {url} ({type(exc).__name__}); offline? set {URL_ENV} to a "
                         f"mirror, or fetch the version once while online") from None
    return Path(path)


def fetch_release(version: str) -> Path:
    """The unzipped package folder of a published version (downloaded and checked once)."""
    entry = registry_entry(version)
    folder = cache_root() / version
    extracted = folder / "package"
    marker = extracted / MARKER
    if marker.is_file() and marker.read_text().strip() == entry["sha256"]:
        return _package_dir(extracted)
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
        (tmp / MARKER).write_text(entry["sha256"] + "\n")
        shutil.rmtree(extracted, ignore_errors=True)
        os.rename(tmp, extracted)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return _package_dir(extracted)
