"""Headless Chromium for the report: a screenshot of a page, or its DOM after rendering.

We look at the pages the way a reader does, in a real browser, offline. Flags: no sandbox (we
may run as root in CI), no GPU, no first-run, background networking, component updates or sync,
a throwaway profile, and every host name resolved to nothing (`--host-resolver-rules`), so a
stray remote asset fails at once instead of stalling the page for seconds.

Chromium is found as $KZCN_CHROMIUM, else `chromium`, `chromium-browser`, `google-chrome` on PATH.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import UsageError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND")
WIDTH = 1280
TALL = 12000  # the window is this tall, then the blank below the page is cut away
TIMEOUT = 180


def find_chromium() -> str:
    configured = os.environ.get("KZCN_CHROMIUM")
    if configured:
        return configured
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise UsageError("headless Chromium is needed for this and was not found; install it "
                     "(Debian: apt-get install chromium) or set KZCN_CHROMIUM to its path")


def _run(args: list[str]) -> subprocess.CompletedProcess:
    binary = find_chromium()
    with tempfile.TemporaryDirectory(prefix="kzcn-chromium-") as profile:
        cmd = [binary, *FLAGS, f"--user-data-dir={profile}", *args]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise UsageError(f"{binary} did not finish within {TIMEOUT} s") from None
        except OSError as exc:
            raise UsageError(f"cannot run {binary}: {exc}") from None
    if done.returncode != 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise UsageError(f"{binary} failed (exit {done.returncode}): {' | '.join(tail)}")
    return done


def dump_dom(page: str | Path) -> str:
    """The page's DOM as Chromium serialises it after loading and running its scripts."""
    return _run(["--dump-dom", Path(page).resolve().as_uri()]).stdout.decode("utf-8", "replace")


def _trim(png: Path, margin: int = 24) -> None:
    """Cut the blank rows below the page's content (the window was taller than the page)."""
    import numpy as np
    from PIL import Image

    with Image.open(png) as im:
        rgb = np.asarray(im.convert("RGB"))
    background = rgb[-1, 0]
    differs = (np.abs(rgb.astype(int) - background.astype(int)).sum(axis=2) > 8).any(axis=1)
    rows = np.flatnonzero(differs)
    bottom = min(len(rgb), (int(rows[-1]) + 1 + margin) if rows.size else len(rgb))
    Image.fromarray(rgb[:bottom]).save(png, format="PNG", optimize=True)


def screenshot(page: str | Path, out: str | Path, width: int = WIDTH) -> Path:
    """Draw the whole page to a PNG `width` pixels wide (atomically); return its path."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".png", dir=out.parent)
    os.close(fd)
    try:
        _run([f"--window-size={width},{TALL}", f"--screenshot={tmp}", Path(page).resolve().as_uri()])
        _trim(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out
