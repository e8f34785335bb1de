"""Chunks checked on every core of this machine, their results handed on in chunk order.

`check_chunk` spends most of its time in pyarrow's parse and in Arrow and numpy kernels, which
release the GIL, so threads of one process check chunks side by side without pickling what
they return. The merge needs the results in chunk order; at most `ahead` chunks are in flight
or waiting, so memory holds that many chunks, not the file. Each task runs in a copy of the
caller's context: the run's limits (kzcn.package.limits) are context variables, and a chunk
starts its own findings budget inside that copy.
"""
from __future__ import annotations

import contextvars
from collections import deque

from ..structure.fast import usable_cores


def thread_mapper(workers: int | None = None, ahead: int | None = None):
    """A `mapper(fn, specs)` for stream.table.check_streamed: fn over the specs in `workers`
    threads (default: the usable cores), results yielded in order, at most `ahead` (default
    workers + 1) submitted and not yet yielded. One worker: a plain loop, no thread."""
    workers = max(1, workers or usable_cores())
    ahead = max(workers, ahead or workers + 1)

    def mapper(fn, specs):
        if workers == 1:
            yield from map(fn, specs)
            return
        from concurrent.futures import ThreadPoolExecutor

        pending: deque = deque()
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kzcn-chunk") as pool:
            try:
                for spec in specs:
                    pending.append(pool.submit(contextvars.copy_context().run, fn, spec))
                    if len(pending) >= ahead:
                        yield pending.popleft().result()
                while pending:
                    yield pending.popleft().result()
            finally:  # stopped early (a fallback, an error): the rest need not run
                for future in pending:
                    future.cancel()

    return mapper
