"""Issue 10: downloads have a total deadline, a byte cap, no decompression, http(s) only, and
the unzipped cache is re-verified on every use.

Hostile servers run on 127.0.0.1 in a thread (http.server): one trickles a byte every 0.2 s,
one sends an endless body, one a gzip bomb with Content-Encoding: gzip, one announces a
terabyte, one answers 404. Each ends in its own message; nothing is kept in the cache. The
fetch runs in a thread joined with a timeout: containment, so a regression fails instead of
hanging.
"""
from __future__ import annotations

import gzip
import hashlib
import http.server
import io
import json
import threading
import time
import zipfile

import pytest

from kzcn.cli import main as cli_main
from kzcn.errors import DataError, UsageError
from kzcn.package import download

VERSION = "6.6.6"
FILE = f"kzcn-data-{VERSION}.zip"
CSV = b"person_id,name\nlin-wu,Lin Wu\n"


def fake_release() -> bytes:
    descriptor = {"name": "fake", "version": VERSION, "resources": [
        {"name": "people", "path": "people.csv", "hash": f"sha256:{hashlib.sha256(CSV).hexdigest()}"}]}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(f"kzcn-data-{VERSION}/datapackage.json", json.dumps(descriptor))
        zf.writestr(f"kzcn-data-{VERSION}/people.csv", CSV)
    return buf.getvalue()


RELEASE = fake_release()
BOMB = gzip.compress(b"\0" * (50 << 20))


class Hostile(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 - http.server's name
        kind = self.path.strip("/").split("/")[0]
        self.server.requests.append((self.path, self.headers.get("Accept-Encoding")))
        try:
            if kind == "good":
                self._head(200, len(RELEASE))
                self.wfile.write(RELEASE)
            elif kind == "trickle":
                self._head(200, len(RELEASE))
                for b in RELEASE:
                    self.wfile.write(bytes([b]))
                    self.wfile.flush()
                    time.sleep(0.2)
            elif kind == "endless":
                self._head(200, None)
                block = b"0" * 65536
                while True:
                    self.wfile.write(block)
            elif kind == "gzip":
                self._head(200, len(BOMB), {"Content-Encoding": "gzip"})
                self.wfile.write(BOMB)
            elif kind == "terabyte":
                self._head(200, 10 ** 12)
                self.wfile.write(RELEASE)
            else:
                self._head(404, 0)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _head(self, status, length, extra=None):
        self.send_response(status)
        if length is not None:
            self.send_header("Content-Length", str(length))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.send_header("Connection", "close")
        self.end_headers()


@pytest.fixture
def server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    srv.daemon_threads = True
    srv.requests = []
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    srv.url = f"http://127.0.0.1:{srv.server_address[1]}/"
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def registry(tmp_path, monkeypatch):
    path = tmp_path / "registry.json"
    path.write_text(json.dumps({"releases": {VERSION: {
        "file": FILE, "sha256": hashlib.sha256(RELEASE).hexdigest(), "bytes": len(RELEASE)}}}))
    monkeypatch.setattr(download, "REGISTRY_FILE", path)
    monkeypatch.setenv("KZCN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    return path


def contained(fn, seconds=120):
    """fn() in a thread; its exception (or None); fails if it is still running after `seconds`."""
    box = {}

    def work():
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001
            box["error"] = exc

    t = threading.Thread(target=work, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"still running after {seconds} s"
    return box.get("error")


def cache_files(tmp_path):
    return sorted(p.name for p in (tmp_path / "cache").rglob("*") if p.is_file())


def test_good_download_asks_for_identity_encoding(registry, server, monkeypatch, tmp_path):
    monkeypatch.setenv("KZCN_DATA_URL", server.url + "good/")
    assert (download.fetch_release(VERSION) / "people.csv").read_bytes() == CSV
    assert server.requests == [(f"/good/{FILE}", "identity")]


def test_a_trickle_is_cut_off_at_the_total_deadline(registry, server, monkeypatch, tmp_path):
    monkeypatch.setenv("KZCN_DATA_URL", server.url + "trickle/")
    monkeypatch.setenv("KZCN_DOWNLOAD_TIMEOUT", "2")
    started = time.monotonic()
    exc = contained(lambda: download.fetch_release(VERSION))
    assert isinstance(exc, UsageError) and "not complete after the deadline of 2 s" in str(exc), exc
    assert time.monotonic() - started < 60  # the trickle alone would take len(RELEASE) * 0.2 s
    assert cache_files(tmp_path) == []


def test_an_endless_body_stops_at_the_registry_bytes(registry, server, monkeypatch, tmp_path):
    monkeypatch.setenv("KZCN_DATA_URL", server.url + "endless/")
    exc = contained(lambda: download.fetch_release(VERSION))
    assert isinstance(exc, DataError) and f"more than the registry's {len(RELEASE):,} bytes" in str(exc), exc
    assert cache_files(tmp_path) == []


def test_a_gzip_bomb_is_refused_unopened(registry, server, monkeypatch, tmp_path):
    monkeypatch.setenv("KZCN_DATA_URL", server.url + "gzip/")
    exc = contained(lambda: download.fetch_release(VERSION))
    assert isinstance(exc, DataError) and "Content-Encoding 'gzip'" in str(exc), exc
    assert cache_files(tmp_path) == []


def test_an_announced_terabyte_is_refused_before_reading(registry, server, monkeypatch, tmp_path):
    monkeypatch.setenv("KZCN_DATA_URL", server.url + "terabyte/")
    exc = contained(lambda: download.fetch_release(VERSION))
    assert isinstance(exc, DataError) and "announces 1,000,000,000,000 bytes" in str(exc), exc


def test_a_wrong_url_is_an_http_error_exit_2_not_a_hash_mismatch(registry, server, monkeypatch, capsys):
    monkeypatch.setenv("KZCN_DATA_URL", server.url + "nothing-here/")
    assert cli_main(["download", VERSION]) == 2
    err = capsys.readouterr().err
    assert "HTTP 404" in err and "sha256" not in err


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/kzcn/", "file:///etc/", "gopher://x/", "127.0.0.1/kzcn/"])
def test_other_schemes_are_a_usage_error(registry, monkeypatch, capsys, url):
    monkeypatch.setenv("KZCN_DATA_URL", url)
    assert cli_main(["download", VERSION]) == 2
    err = capsys.readouterr().err
    assert "only https:// and http:// URLs are supported" in err and "Traceback" not in err


def test_an_edited_cached_file_is_refused_and_download_repairs_it(registry, server, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("KZCN_DATA_URL", server.url + "good/")
    folder = download.fetch_release(VERSION)
    (folder / "people.csv").write_bytes(CSV.replace(b"Lin Wu", b"Lin Wx"))
    with pytest.raises(DataError) as exc:
        download.fetch_release(VERSION)
    assert "people.csv" in str(exc.value) and "changed after it was verified" in str(exc.value)
    assert f"kzcn download {VERSION}" in str(exc.value)
    assert cli_main(["download", VERSION]) == 0
    assert (folder / "people.csv").read_bytes() == CSV
    # an edited descriptor (say, to match an edited file) is refused too
    descriptor = folder / "datapackage.json"
    descriptor.write_text(descriptor.read_text().replace("fake", "faked"))
    with pytest.raises(DataError, match="datapackage.json: the cached copy"):
        download.fetch_release(VERSION)
