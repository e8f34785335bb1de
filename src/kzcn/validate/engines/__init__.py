"""Engines: where layers 1 and 2 run on a package's tables. The report never depends on which.

- "local" (the default): every table in this process, one after another (run.check_tables).
- "dask": every table, and every file of a multi-file table, as a task on a Dask cluster
  (kzcn.validate.engines.dask): a LocalCluster of N worker processes started for the run, or an
  existing scheduler's address. Needs the extra `pip install 'kzcn-data[dask]'`.

Either engine returns the same three things to run.py ({name: TableCheck}, {name: stats},
findings in resource order), and the rest of a run (foreign keys, the descriptor's own
findings, layer 3's rules, the findings cap) is the same code on the driver (a streamed file's
keys and foreign keys are compared on the cluster with the same functions: engines.shuffle), so
the JSON report is byte for byte the same (elapsed time aside); tests/test_engine_dask.py and
tests/test_engine_shuffle.py compare them.

Only this module is imported on the default path, and it imports nothing heavy: dask and
distributed are imported inside the engine's own modules, when `engine="dask"` is asked for.
"""
from __future__ import annotations

import contextlib

from ...errors import UsageError

ENGINES = ("local", "dask")
INSTALL = "pip install 'kzcn-data[dask]'"


def engine_for(name: str | None, workers: int | None, scheduler: str | None, limits):
    """A context manager giving the tables stage of engine `name` (None: the local one, run.check_tables).

    The Dask engine starts or connects to its cluster on entry and lets go of it on exit;
    a cluster that cannot be reached or started is a UsageError (exit 2, one line)."""
    name = name or "local"
    if name not in ENGINES:
        raise UsageError(f"engine {name!r} is not known (use one of: {', '.join(ENGINES)})")
    if name == "local":
        if workers is not None or scheduler is not None:
            raise UsageError("--workers and --scheduler need --engine dask")
        return contextlib.nullcontext(None)
    if workers is not None and scheduler is not None:
        raise UsageError("give --workers N (a local cluster) or --scheduler ADDRESS (an existing one), not both")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise UsageError(f"--workers must be a whole number of at least 1, not {workers!r}")
    try:
        import distributed  # noqa: F401 - only to know whether the extra is installed
    except ImportError:
        raise UsageError(f"--engine dask needs Dask's distributed scheduler: {INSTALL}") from None
    from .daskrun import dask_engine

    return dask_engine(workers=workers, scheduler=scheduler, limits=limits)
