"""Versioned downloads: a real HTTP server on 127.0.0.1 serves dist/; the registry decides what is used.

Covers: first download, cached offline reuse with the server stopped, a tampered file refused
(and not kept), an unknown version answered with the known ones, archive entries that would
escape the cache folder refused, one folder per version, and the `kzcn download` command.
The registry here is a scratch one naming scratch releases (monkeypatched path); the test that
the shipped registry names the real current release is in test_dvc.py.
"""
from __future__ import annotations

import json
import shutil
import zipfile

import pandas as pd
import pytest

import kzcn
from kzcn.package import download
from kzcn.cli import main as cli_main
from kzcn.errors import DataError, UsageError
from release_helpers import (VERSION, ZIP, FileServer, add_person, build_and_release, copy_package, set_version,
                             sha256)

OTHER = "9.9.9"


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    """Two real releases built from scratch copies: the current version and a later one with a row more."""
    base = tmp_path_factory.mktemp("releases")
    first = build_and_release(copy_package(base / "a"))
    b = copy_package(base / "b")
    set_version(b, OTHER)
    add_person(b, "lin-wu-copy")
    second = build_and_release(b)
    dist = base / "dist"
    dist.mkdir()
    for z in (first, second):
        shutil.copy2(z, dist / z.name)
    return {"dist": dist, "first": dist / first.name, "second": dist / second.name, "pkg_a": base / "a"}


def _registry(path, *zips):
    entries = {}
    for z in zips:
        version = z.name[len("kzcn-data-"):-len(".zip")]
        entries[version] = {"file": z.name, "sha256": sha256(z), "bytes": z.stat().st_size}
    path.write_text(json.dumps({"releases": entries}))
    return path


@pytest.fixture
def registry(tmp_path, releases, monkeypatch):
    path = _registry(tmp_path / "registry.json", releases["first"], releases["second"])
    monkeypatch.setattr(download, "REGISTRY_FILE", path)
    monkeypatch.setenv("KZCN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    return path


def test_first_download_then_offline_reuse(registry, releases, tmp_path, monkeypatch):
    with FileServer(releases["dist"]) as server:
        monkeypatch.setenv("KZCN_DATA_URL", server.url)
        folder = download.fetch_release(VERSION)
        assert server.requested == [f"/{ZIP}"]
        assert (folder / "datapackage.json").is_file()
        assert json.loads((folder / "datapackage.json").read_text())["version"] == VERSION
        online = kzcn.load("trade_volumes", version=VERSION)
    # The server is gone: the cached, verified copy is used without any request.
    assert not server.thread.is_alive()
    assert download.fetch_release(VERSION) == folder
    offline = kzcn.load("trade_volumes", version=VERSION)
    pd.testing.assert_frame_equal(online, offline)
    assert offline.attrs["version"] == VERSION
    # The same rows as the scratch package it was built from, re-sorted by primary key.
    local = kzcn.load("trade_volumes", root=releases["pkg_a"]).sort_values("trade_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(offline.reset_index(drop=True), local, check_like=False)
    assert set(kzcn.load_package(version=VERSION)) == set(kzcn.tables(root=releases["pkg_a"]))


def test_version_placeholder_in_url_and_one_folder_per_version(registry, releases, tmp_path, monkeypatch):
    mirror = tmp_path / "mirror"
    for z in (releases["first"], releases["second"]):
        version = z.name[len("kzcn-data-"):-len(".zip")]
        (mirror / f"v{version}").mkdir(parents=True)
        shutil.copy2(z, mirror / f"v{version}" / z.name)
    with FileServer(mirror) as server:
        monkeypatch.setenv("KZCN_DATA_URL", server.url + "v{version}/")
        a = download.fetch_release(VERSION)
        b = download.fetch_release(OTHER)
        assert server.requested == [f"/v{VERSION}/{ZIP}", f"/v{OTHER}/kzcn-data-{OTHER}.zip"]
    cache = tmp_path / "cache"
    assert a.is_relative_to(cache / VERSION) and b.is_relative_to(cache / OTHER)
    people_a = kzcn.load("people", version=VERSION)
    people_b = kzcn.load("people", version=OTHER)
    assert len(people_b) == len(people_a) + 1
    assert "lin-wu-copy" in set(people_b["person_id"]) - set(people_a["person_id"])


def test_tampered_file_is_refused_and_not_kept(registry, releases, tmp_path, monkeypatch):
    bad = tmp_path / "bad"
    bad.mkdir()
    data = bytearray(releases["first"].read_bytes())
    i = data.index(b"lin-wu")  # change one byte of the data, keep the archive readable
    data[i:i + 6] = b"lin-wx"
    (bad / ZIP).write_bytes(bytes(data))
    with FileServer(bad) as server:
        monkeypatch.setenv("KZCN_DATA_URL", server.url)
        with pytest.raises(DataError, match="sha256 does not match the registry") as exc:
            download.fetch_release(VERSION)
        assert "not used" in str(exc.value)
        with pytest.raises(DataError):
            kzcn.load("people", version=VERSION)
    cache = tmp_path / "cache" / VERSION
    assert not (cache / ZIP).exists()
    assert not (cache / "package").exists()


def test_tampered_cache_is_not_trusted(registry, releases, tmp_path, monkeypatch):
    """A cached zip that no longer matches is fetched again (and refused while the server is away)."""
    with FileServer(releases["dist"]) as server:
        monkeypatch.setenv("KZCN_DATA_URL", server.url)
        download.download_zip(VERSION)
    cached = tmp_path / "cache" / VERSION / ZIP
    data = bytearray(cached.read_bytes())
    data[len(data) // 2] ^= 0xFF
    cached.write_bytes(bytes(data))
    with pytest.raises(UsageError, match="cannot download"):
        download.fetch_release(VERSION)  # server stopped: nothing trustworthy to use
    with FileServer(releases["dist"]) as server:
        monkeypatch.setenv("KZCN_DATA_URL", server.url)
        assert (download.fetch_release(VERSION) / "datapackage.json").is_file()
        assert server.requested == [f"/{ZIP}"]
    assert sha256(cached) == sha256(releases["first"])


def test_unknown_version_lists_the_known_ones(registry, capsys):
    with pytest.raises(UsageError) as exc:
        kzcn.load("people", version="0.0.1")
    assert f"published versions are: {VERSION}, {OTHER}" in str(exc.value)
    assert cli_main(["download", "0.0.1"]) == 2
    err = capsys.readouterr().err
    assert "unknown data version '0.0.1'" in err and VERSION in err and "Traceback" not in err


def _evil_zip(path, name, data=b"gotcha\n", symlink=False):
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("kzcn-data-6.6.6/datapackage.json", b"{}")
        info = zipfile.ZipInfo(name)
        if symlink:
            info.external_attr = 0o120777 << 16
        zf.writestr(info, data)
    return path


@pytest.mark.parametrize("entry,symlink", [("../escape.txt", False), ("kzcn-data-6.6.6/../../escape.txt", False),
                                           ("/tmp/kzcn-escape.txt", False), ("kzcn-data-6.6.6/link", True)])
def test_archive_entry_outside_the_folder_is_refused(tmp_path, monkeypatch, entry, symlink):
    served = tmp_path / "served"
    served.mkdir()
    z = _evil_zip(served / "kzcn-data-6.6.6.zip", entry, b"/etc/passwd" if symlink else b"gotcha\n", symlink)
    monkeypatch.setattr(download, "REGISTRY_FILE", _registry(tmp_path / "registry.json", z))
    monkeypatch.setenv("KZCN_CACHE_DIR", str(tmp_path / "cache"))
    with FileServer(served) as server:
        monkeypatch.setenv("KZCN_DATA_URL", server.url)
        with pytest.raises(DataError, match="refusing to extract"):
            download.fetch_release("6.6.6")
    written = [p for p in tmp_path.rglob("*") if p.name in ("escape.txt", "link")]
    assert written == []
    assert not (tmp_path / "cache" / "6.6.6" / "package").exists()


def test_download_command_copies_the_verified_zip(registry, releases, tmp_path, monkeypatch, capsys):
    with FileServer(releases["dist"]) as server:
        monkeypatch.setenv("KZCN_DATA_URL", server.url)
        assert cli_main(["download", VERSION, "--dest", str(tmp_path / "here")]) == 0
    out = capsys.readouterr().out
    assert str(tmp_path / "here" / ZIP) in out
    assert sha256(tmp_path / "here" / ZIP) == sha256(releases["first"])
    assert (tmp_path / "here" / f"{ZIP}.sha256").read_text() == f"{sha256(releases['first'])}  {ZIP}\n"
    assert cli_main(["download", "--list"]) == 0
    assert capsys.readouterr().out.split() == [VERSION, OTHER]


def test_downloads_are_quiet(registry, releases, monkeypatch, capfd):
    with FileServer(releases["dist"]) as server:
        monkeypatch.setenv("KZCN_DATA_URL", server.url)
        download.fetch_release(VERSION)
    captured = capfd.readouterr()
    assert "Downloading" not in captured.err + captured.out
    assert captured.out == ""


def test_loading_without_a_version_never_downloads(monkeypatch, tmp_path):
    monkeypatch.setenv("KZCN_DATA_URL", "http://127.0.0.1:9/")  # nothing listens there
    monkeypatch.setenv("KZCN_CACHE_DIR", str(tmp_path / "cache"))
    assert len(kzcn.load("people")) > 0
    assert not (tmp_path / "cache").exists()


def test_a_downloaded_version_loads_equal_to_the_files_it_was_made_from(registry, releases, monkeypatch):
    """One row order everywhere: load(version=v) == load() at the commit that made v, every table."""
    with FileServer(releases["dist"]) as server:
        monkeypatch.setenv("KZCN_DATA_URL", server.url)
        released = kzcn.load_package(version=VERSION)
    local = kzcn.load_package(root=releases["pkg_a"])
    assert list(released) == list(local)
    # the derived tables too: written by the release, computed on load from the source package
    assert {"trade_series", "indicator_series"} <= set(local)
    assert all(len(local[name]) > 0 for name in ("trade_series", "indicator_series"))
    pd.testing.assert_frame_equal(kzcn.load("trade_series", version=VERSION),
                                  kzcn.load("trade_series", root=releases["pkg_a"]))
    for name in local:
        pd.testing.assert_frame_equal(released[name], local[name], obj=name)
