"""`kzcn validate --engine dask`: layers 1 and 2 as tasks on a Dask cluster, the rest on the driver.

The unit of work is a resource (tasks.check_resource), and for a table of several files each
file (tasks.read_file_part: read, decode, parse, in parallel) followed by one task that joins
them and checks the cells (tasks.finish_resource), so a file's line numbers and a key's reach
across files are exactly those of one process. A CSV file larger than the run's chunk size is
streamed as in one process (kzcn.validate.stream.check_streamed), with its chunks as tasks and
its keys as a shuffle (engines.shuffle: the key material stays on the workers, one task per
hash partition compares it, the foreign-key rows are checked against a broadcast of the
referenced keys); the driver merges the chunks' findings in chunk order. The workers run the
single-process engine's functions; nothing here checks a cell. What comes back of the other
tables (engines.slim) is their findings, stats, the findings-cap counts, and the typed columns
foreign keys and rules read; run.py then does foreign keys (a streamed table's on the cluster),
the descriptor's findings, layer 3 and the cap on the driver as always.

Only this package imports dask and distributed, and only when the engine is asked for.
"""
from __future__ import annotations

import contextlib


@contextlib.contextmanager
def dask_engine(workers: int | None, scheduler: str | None, limits):
    """The tables stage of run.py on the cluster asked for (see cluster.client_for)."""
    from .cluster import client_for

    with client_for(workers, scheduler) as client:
        yield lambda package, keep_all=True, chunk_size=0, emit=None, rules_path=None: check_tables_on(
            client, limits, package, keep_all, chunk_size=chunk_size, emit=emit, rules_path=rules_path)


def _is_multifile(res) -> bool:
    from ..parts import check_parts
    from ..resources import reader_for

    return len(res.parts) > 1 and reader_for(res) is check_parts


def check_tables_on(client, limits, package, keep_all: bool = True, chunk_size: int = 0,
                    emit=None, rules_path=None) -> tuple[dict, dict, list]:
    """run.check_tables, with every table (and file) a task: same ({name: TableCheck},
    {name: stats}, findings in resource order), the budget's counts added to this run's.

    A file larger than `chunk_size` is streamed with its chunks as tasks (the driver merges them
    and counts their findings in its own budget, as one process does); every other table is one
    task (or one per file). `emit` gets each table's findings once gathered, in resource order;
    a streamed table keeps the typed rows of the fields the rules at `rules_path` may read, as
    in one process (frames.fields_rules_read)."""
    from distributed import KilledWorker

    from ...errors import UsageError
    from ..budget import current
    from . import tasks
    from .slim import key_fields

    from ..stream.table import referenced_fields, streamable
    from ..frames import fields_rules_read
    from .shuffle import check_streamed_on

    spent = current()
    need = None if keep_all else key_fields(package)
    resources = package.resources
    streaming = {k for k, res in enumerate(resources) if chunk_size and streamable(res, chunk_size)}

    def submit(k, res):
        keep = None if need is None else need.get(res.name, set())
        if _is_multifile(res):
            reads = [client.submit(tasks.read_file_part, res, limits, spent.cap, i, pure=False)
                     for i in range(len(res.parts))]
            return client.submit(tasks.finish_resource, res, limits, spent.cap, keep, *reads, pure=False)
        return client.submit(tasks.check_resource, res, limits, spent.cap, keep, pure=False)

    futures = {k: submit(k, res) for k, res in enumerate(resources) if k not in streaming}
    streamed: dict = {}
    try:
        for k in sorted(streaming):  # the other tables run meanwhile
            res = resources[k]
            done = check_streamed_on(client, limits, res, chunk_size, fields_rules_read(rules_path, res),
                                     referenced_fields(resources, res.name))
            if done is None:  # a file the chunks cannot prove exact: one task, read whole
                futures[k] = submit(k, resources[k])
            else:
                streamed[k] = done
        gathered = dict(zip(futures, client.gather(list(futures.values()))))
    except KilledWorker as exc:
        raise UsageError(f"--engine dask: a worker died while checking the tables ({exc}); "
                         "give the workers more memory or fewer tables at once") from None
    results = [(*streamed[k], ({}, {})) if k in streamed else gathered[k] for k in range(len(resources))]
    from ...package.names import resource_keys

    checks: dict = {}
    table_stats: dict = {}
    findings: list = []
    keys = resource_keys([r.name for r in package.resources])
    for res, name, (check, found, stats, (dropped, severity)) in zip(package.resources, keys, results):
        findings += found
        if emit is not None:
            emit.table(found, check.parsed.locate if check is not None else None)
        table_stats[name] = stats  # a duplicate name keeps its own stats, as check_tables does
        if check is not None:
            checks[res.name] = check
        for key, n in dropped.items():
            spent.drop(key[0], key[1], n, severity.get(key))
    return checks, table_stats, findings
