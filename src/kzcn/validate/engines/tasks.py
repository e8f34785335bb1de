"""What a Dask worker runs: the single-process engine's own functions, under the run's limits.

Each task is a plain function of picklable arguments (a Resource, the run's Limits, the
findings cap), so a worker needs nothing but kzcn installed and the package's files at the same
path (a shared file system on a cluster). A task sets the limits and a fresh findings budget
(kzcn.validate.budget) for itself, calls the same code `kzcn validate` calls in one process
(table.check_table, or parts.read_part and parts.finish_parts for the files of a multi-file
table), and returns what the driver merges: the budget's counts of findings it did not make
travel back with the findings, per (resource, code) as the local engine counts them.

A file larger than the run's chunk size is checked chunk by chunk (`run_chunk`: streaming's
check_chunk on a record-aligned byte range, under the driver's limits), its key material kept
on the worker (engines.keyshuffle); the driver merges the chunks' findings in order.
"""
from __future__ import annotations

import contextlib


@contextlib.contextmanager
def _run_as_driver(limits, cap: int):
    """The driver's limits and a fresh budget of its cap; yields the budget to read its counts."""
    from ...package import limits as bounds
    from .. import budget

    with bounds.using(limits):
        token = budget.start(cap)
        try:
            yield budget.current()
        finally:
            budget.finish(token)


def _counts(spent) -> tuple[dict, dict]:
    return dict(spent.dropped), dict(spent.severity)


def check_resource(res, limits, cap: int, keep):
    """Layers 1 and 2 (foreign keys aside) on one resource: (slim check, findings, stats, counts)."""
    from ..table import check_table
    from .slim import slim

    with _run_as_driver(limits, cap) as spent:
        check, findings, stats = check_table(res)
        return slim(check, keep), findings, stats, _counts(spent)


def read_file_part(res, limits, cap: int, k: int):
    """Layer 1 on file k of a multi-file resource, with the whole limits and the schema's width
    (parts.parallel_parts_agree checks later that this is what reading in turn does)."""
    from ...package.limits import current
    from ..parts import read_part, setup_parts

    with _run_as_driver(limits, cap) as spent:
        setup = setup_parts(res)
        lim = current()
        return read_part(res, setup, k, setup.width, lim.file_bytes, lim.lines), _counts(spent)


def finish_resource(res, limits, cap: int, keep, *parts):
    """The files of a multi-file resource as one table, and layer 2 on it; when the parallel
    reads are not what reading the files in turn gives (a limit crossed together, a file that
    failed, a header wider than the schema), the files are read again in turn (parts.check_parts)."""
    from ..parts import check_parts, finish_parts, parallel_parts_agree, setup_parts
    from .slim import slim

    with _run_as_driver(limits, cap) as spent:
        reads = [p for p, _ in parts]
        setup = setup_parts(res)
        if parallel_parts_agree(setup, reads):
            for _, (dropped, severity) in parts:  # what the file reads counted, as in one process
                for key, n in dropped.items():
                    spent.drop(key[0], key[1], n, severity.get(key))
            check, findings, stats = finish_parts(res, setup, reads)
        else:
            check, findings, stats = check_parts(res)
        return slim(check, keep), findings, stats, _counts(spent)


def run_chunk(spec, limits):
    """Layers 1 and 2 on one chunk of a streamed file (kzcn.validate.stream.chunk.check_chunk),
    under the driver's limits; the chunk counts its own capped findings (spec.cap)."""
    from ...package import limits as bounds
    from ..stream.chunk import check_chunk

    with bounds.using(limits):
        return check_chunk(spec)
