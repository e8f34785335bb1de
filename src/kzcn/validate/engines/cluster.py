"""The Dask cluster a run uses: a LocalCluster started for it, or an existing scheduler.

`--workers N` starts N worker processes on this machine (one task at a time each: processes
sidestep the GIL, and a chunk's parse holds a chunk's worth of memory), listening on 127.0.0.1
only, with no dashboard; they stop with the run. Each worker's Arrow gets its share of the
machine's cores (`worker_env`): distributed sets OMP_NUM_THREADS=1 (and MKL's, OpenBLAS's) in
every worker it spawns, for numpy's sake, and pyarrow takes OMP_NUM_THREADS as its CPU count,
so a lone worker on a 2-core machine would otherwise parse and cast on one core. `--scheduler ADDRESS` connects to a
cluster someone else started (dask-jobqueue on SLURM/PBS, dask-kubernetes, `dask scheduler`),
within CONNECT_TIMEOUT seconds; the run never stops that cluster. A cluster that cannot be
started or reached is a UsageError: exit 2, one line, no traceback.
"""
from __future__ import annotations

import contextlib
import logging
import os

from ...errors import UsageError

CONNECT_TIMEOUT = 10  # seconds to reach a scheduler before giving up


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def worker_env(workers: int) -> dict:
    """The thread settings of a LocalCluster's workers: the cores this process may use, shared
    out among `workers` (at least one each), for Arrow and the BLAS libraries alike."""
    from ..structure.fast import usable_cores

    share = str(max(1, usable_cores() // max(1, workers)))
    return {"OMP_NUM_THREADS": share, "MKL_NUM_THREADS": share, "OPENBLAS_NUM_THREADS": share}


def _check_address(address: str) -> str:
    """A scheduler address as distributed reads it (tcp://host:port, tls://..., host:port)."""
    from distributed.comm.addressing import parse_address, parse_host_port

    if not isinstance(address, str) or not address.strip() or any(c.isspace() for c in address.strip()):
        raise UsageError(f"--scheduler {address!r}: not an address (give one like tcp://10.0.0.5:8786)")
    address = address.strip()
    try:
        scheme, loc = parse_address(address, strict=False)
        if scheme in ("tcp", "tls"):
            host, port = parse_host_port(loc)
            if not host or port is None:
                raise ValueError("no port")
    except (ValueError, TypeError) as exc:
        raise UsageError(f"--scheduler {address}: not an address ({exc}); give one like tcp://10.0.0.5:8786") from None
    return address


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return text[:200] or type(exc).__name__


def _probe(address: str) -> None:
    """Open one connection to `address` and shake hands, within CONNECT_TIMEOUT, before a Client
    is made: a Client that fails half-built keeps retrying and closing in the background, and a
    port that answers with something other than Dask's protocol (the handshake reads its frame
    sizes) must be one clear line, not whatever the bytes made of it."""
    import asyncio
    import socket

    from distributed.comm import connect
    from distributed.comm.addressing import parse_address, parse_host_port

    scheme, loc = parse_address(address, strict=False)
    if scheme in ("tcp", "tls"):  # refused or unroutable: say so now, not after the retries of a timeout
        try:
            socket.create_connection(parse_host_port(loc), timeout=CONNECT_TIMEOUT).close()
        except OSError as exc:
            why = "timed out" if isinstance(exc, TimeoutError) else _reason(exc)
            raise UsageError(f"--scheduler {address}: cannot connect ({why})") from None

    async def shake():
        comm = await connect(address, timeout=CONNECT_TIMEOUT)
        await comm.close()

    try:
        asyncio.run(asyncio.wait_for(shake(), CONNECT_TIMEOUT + 1))
    except Exception as exc:  # noqa: BLE001 - refused, timed out, or not Dask at the other end
        if isinstance(exc, (asyncio.TimeoutError, TimeoutError)):
            why = "timed out"
        elif isinstance(exc, OSError):
            why = _reason(exc)
        elif isinstance(exc, MemoryError):  # a frame size read from bytes that are not Dask's
            why = "what answered is not a Dask scheduler"
        else:
            why = f"{type(exc).__name__}: {_reason(exc)}"
        raise UsageError(f"--scheduler {address}: cannot connect within {CONNECT_TIMEOUT} s ({why})") from None


@contextlib.contextmanager
def client_for(workers: int | None, scheduler: str | None):
    """A distributed Client on the cluster the run asked for; closed (and a local cluster
    stopped) when the run ends, however it ends."""
    from distributed import Client, LocalCluster

    quiet = logging.getLogger("distributed")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # its own retries and shutdown notes are not the report
    try:
        if scheduler is not None:
            address = _check_address(scheduler)
            _probe(address)
            try:
                client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
            except Exception as exc:  # noqa: BLE001 - whatever answered, it is not a usable scheduler
                raise UsageError(f"--scheduler {address}: cannot connect within {CONNECT_TIMEOUT} s "
                                 f"({_reason(exc)})") from None
            with client:
                yield client
            return
        n = default_workers() if workers is None else workers
        try:
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address=None, silence_logs=logging.CRITICAL,
                                   env=worker_env(n))
        except (OSError, TimeoutError, RuntimeError) as exc:
            raise UsageError(f"--workers {n}: cannot start a local Dask cluster ({_reason(exc).rstrip('.')}; from a Python "
                             "script, call it under `if __name__ == \"__main__\":`, as worker processes "
                             "re-import the script)") from None
        with cluster, Client(cluster, set_as_default=False) as client:
            yield client
    finally:
        quiet.setLevel(level)
