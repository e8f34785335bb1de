"""The machine and the software a benchmark run measured, as RESULTS.md's head states them.

Why: a time means nothing without the CPU, the cores this process may use (a cgroup quota or
an affinity mask can give fewer than the machine has), the memory, and the versions of every
tool compared. The kzcn-data version is the installed distribution's (what `kzcn` ran), with
the code's own `kzcn.__version__` and the git commit beside it, so a stale install shows.
"""
from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DISTRIBUTIONS = ("kzcn-data", "pyarrow", "numpy", "pandas", "frictionless", "great_expectations",
                 "PyYAML", "distributed")


def _read(path: str) -> str:
    try:
        return Path(path).read_text().strip()
    except OSError:
        return ""


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem_kb = next((int(line.split()[1]) for line in _read("/proc/meminfo").splitlines()
                   if line.startswith("MemTotal")), 0)
    info = {"cpu": cpu, "logical_cpus": os.cpu_count(),
            "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "memory_gb": round(mem_kb / 1024 / 1024, 1), "os": platform.platform(),
            "python": platform.python_version()}
    quota = _read("/sys/fs/cgroup/cpu.max")
    if quota and not quota.startswith("max"):
        q, period = quota.split()
        info["cgroup_cpus"] = round(int(q) / int(period), 2)
    limit = _read("/sys/fs/cgroup/memory.max")
    if limit and limit != "max":
        info["cgroup_memory_gb"] = round(int(limit) / 1024 ** 3, 1)
    return info


def _kzcn_code_version() -> str | None:
    try:
        import kzcn
    except ImportError:
        return None
    return getattr(kzcn, "__version__", None)


def versions() -> dict:
    out = {}
    for dist in DISTRIBUTIONS:
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    code = _kzcn_code_version()
    if code and code != out["kzcn-data"]:  # an editable install older than the code it points at
        out["kzcn-data"] += f" (installed metadata; the code says {code}: reinstall with `make install`)"
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True)
        if rev.returncode == 0:
            out["kzcn-data commit"] = rev.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")
    except OSError:
        pass
    return out
