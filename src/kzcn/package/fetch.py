"""One bounded HTTP(S) download into a file: a total deadline, a byte cap, no decompression.

A mirror (`KZCN_DATA_URL`) is whatever server someone points us at, so the fetch trusts nothing
it says: only http and https (an ftp:// or file:// URL is a usage error before anything is
sent), `Accept-Encoding: identity` asked and any other `Content-Encoding` refused (a gzip bomb
is never inflated), at most `max_bytes` written whatever `Content-Length` claims, and the whole
transfer within `deadline` seconds, not just each read (a server sending one byte every ten
seconds is cut off). Each failure is its own message: timeout, too large, HTTP status,
encoding. requests gives proxies and TLS; the body is read with `read1`, which returns as soon
as any bytes arrive, so the deadline is checked between reads at least every `read_timeout`.
"""
from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import DataError, UsageError

SCHEMES = ("https", "http")
DEADLINE_ENV = "KZCN_DOWNLOAD_TIMEOUT"
DEFAULT_DEADLINE = 600.0   # seconds for the whole download
READ_TIMEOUT = 30.0        # seconds without a byte
CONNECT_TIMEOUT = 15.0
CHUNK = 1 << 16
MAX_REDIRECTS = 5


class DownloadError(UsageError):
    """The download did not complete (network, server, limits): exit 2, nothing was kept."""


def check_url(url: str, what: str = "download URL") -> None:
    """Refuse a URL that is not http(s) with a usage error naming it."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES or not parts.netloc:
        raise UsageError(f"{what} {url!r}: only https:// and http:// URLs are supported "
                         f"(found {parts.scheme + '://' if parts.scheme else 'no scheme'}); set KZCN_DATA_URL "
                         f"to an https:// mirror")


def deadline_seconds() -> float:
    raw = os.environ.get(DEADLINE_ENV)
    if not raw:
        return DEFAULT_DEADLINE
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(f"{DEADLINE_ENV}: {raw!r} is not a number of seconds") from None
    if value <= 0:
        raise UsageError(f"{DEADLINE_ENV}: {raw!r} must be more than 0 seconds")
    return value


def fetch(url: str, target: Path, max_bytes: int, deadline: float | None = None) -> str:
    """Download `url` into `target` (no more than `max_bytes`); returns the sha256 of what was
    written. On any failure the partial file is removed and a DownloadError says why."""
    check_url(url)
    deadline = deadline_seconds() if deadline is None else deadline
    started = time.monotonic()
    tmp = target.with_name(f".{target.name}.part-{os.getpid()}")
    try:
        digest = _fetch(url, tmp, max_bytes, started, deadline)
        os.replace(tmp, target)
        return digest
    finally:
        tmp.unlink(missing_ok=True)


def _fetch(url: str, tmp: Path, max_bytes: int, started: float, deadline: float) -> str:
    import requests

    def remaining() -> float:
        left = deadline - (time.monotonic() - started)
        if left <= 0:
            raise DownloadError(f"cannot download {url}: not complete after the deadline of {deadline:g} s "
                                f"(set {DEADLINE_ENV} to allow longer)")
        return left

    session = requests.Session()
    session.max_redirects = MAX_REDIRECTS
    try:
        response = session.get(url, stream=True, allow_redirects=True, headers={"Accept-Encoding": "identity"},
                               timeout=(min(CONNECT_TIMEOUT, remaining()), min(READ_TIMEOUT, remaining())))
    except requests.exceptions.Timeout:
        remaining()
        raise DownloadError(f"cannot download {url}: the server did not answer within "
                            f"{min(READ_TIMEOUT, deadline):g} s") from None
    except requests.exceptions.TooManyRedirects:
        raise DownloadError(f"cannot download {url}: more than {MAX_REDIRECTS} redirects") from None
    except requests.exceptions.InvalidSchema as exc:
        raise UsageError(f"cannot download {url}: {exc} (only https:// and http://)") from None
    except requests.exceptions.RequestException as exc:
        raise DownloadError(f"cannot download {url} ({type(exc).__name__}); offline? set KZCN_DATA_URL to a "
                            f"mirror, or fetch the version once while online") from None
    with session, response:
        for hop in [*response.history, response]:
            check_url(hop.url, "redirect to")
        if response.status_code != 200:
            raise DownloadError(f"cannot download {url}: HTTP {response.status_code} {response.reason or ''}".rstrip())
        encoding = response.headers.get("Content-Encoding", "identity").strip().lower() or "identity"
        if encoding != "identity":
            raise DataError(f"{url}: refused: the server sent it with Content-Encoding {encoding!r}; a release "
                            f"is fetched as its exact bytes (identity), never decompressed on the way")
        declared = response.headers.get("Content-Length", "").strip()
        if declared.isdigit() and int(declared) > max_bytes:
            raise DataError(f"{url}: refused: the server announces {int(declared):,} bytes, but the registry's "
                            f"release is {max_bytes:,} bytes; nothing was kept")
        return _stream_body(url, response, tmp, max_bytes, remaining)


def _stream_body(url, response, tmp: Path, max_bytes: int, remaining) -> str:
    import requests
    import urllib3

    h = hashlib.sha256()
    written = 0
    with open(tmp, "wb") as out:
        while True:
            remaining()
            try:
                chunk = response.raw.read1(CHUNK, decode_content=False)
            except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
                remaining()
                name = "timed out" if "timed out" in str(exc).lower() else type(exc).__name__
                raise DownloadError(f"cannot download {url}: the transfer broke off after {written:,} bytes "
                                    f"({name})") from None
            if not chunk:
                break
            written += len(chunk)
            if written > max_bytes:
                raise DataError(f"{url}: refused: more than the registry's {max_bytes:,} bytes arrived; "
                                f"nothing was kept")
            out.write(chunk)
            h.update(chunk)
    return h.hexdigest()
