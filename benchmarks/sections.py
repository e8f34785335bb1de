"""Marked sections of benchmarks/RESULTS.md, each written by its own benchmark.

Why: `make bench` rewrites the whole file, while `run.py --small-only`, `--streaming-only` and
`--dask-only` each measure one part; a section between its `<!-- name:start -->` and
`<!-- name:end -->` markers is replaced on its own, and kept as it is when a run did not
measure it. Also the one machine-load reading the benchmarks record beside their times.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path


def markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def splice(results_md: str, section: str, start: str, end: str) -> str:
    """RESULTS.md with the section between start and end replaced (or added at the end)."""
    if start in results_md and end in results_md:
        head, rest = results_md.split(start, 1)
        tail = rest.split(end, 1)[1].lstrip("\n")
        return head + section + ("\n" + tail if tail else "")
    return results_md.rstrip("\n") + "\n\n" + section


def section_of(results_md: str, start: str, end: str) -> str | None:
    """The section as it is in RESULTS.md, to keep when the rest is rewritten."""
    if start in results_md and end in results_md:
        return start + results_md.split(start, 1)[1].split(end, 1)[0] + end + "\n"
    return None


def load() -> str:
    """The 1, 5 and 15 minute load averages (the machines are shared: times grow with the load)."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def now() -> str:
    """The time a measurement started, as RESULTS.md states it (UTC, to the minute)."""
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
