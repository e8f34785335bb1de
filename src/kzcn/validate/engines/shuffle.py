"""A streamed file on the cluster with its keys as a shuffle: no key column comes to the driver.

check_streamed (kzcn.validate.stream.table) runs unchanged with a mapper whose chunk tasks
(keyshuffle.chunk_bundle) keep their key material on their workers and hand the driver only
the chunk's findings and counts. Then, as one process does from its spill files:

- repeats (unique fields, the primary key): one task per hash partition, given that
  partition's piece of every chunk (Dask moves them worker to worker: the shuffle), compares
  them with stream/keys.py's code; the driver keeps the earliest `cap` by line over the
  partitions, counts the rest, and caps them together with the chunks' own primary-key
  findings (blank keys), as Merger's Capped does, so the report is the one-process report;
- foreign keys (ShuffledCheck.foreign_key_findings, when run.py asks): the referenced table's
  distinct keys are broadcast to every worker and each chunk's foreign-key rows are checked
  where they are. A broadcast, not a second shuffle, because the referenced side of a foreign
  key is a dimension table (sources, speakers, provinces: thousands of distinct keys against
  millions of rows), and a broadcast sends it once per worker while a shuffle would move every
  child row; its distinct keys are all that travels (streamed: gathered as the chunks give them).

The chunks' key pieces are released when the run has no more use for them.
"""
from __future__ import annotations

KEY_CODES = ("unique-error", "primary-key")


class _Chunks:
    """check_streamed's mapper: the chunks as bundle tasks, their heads yielded in chunk order."""

    def __init__(self, client, limits):
        self.client, self.limits = client, limits
        self.parts: list = []      # per chunk: {partition: future of its key piece}
        self.foreign: list = []    # per chunk: {foreignKeys index: (future, schema)}
        self.rows: list = []       # per chunk: its rows
        self.partitions = 1

    def __call__(self, _fn, specs):
        from . import keyshuffle

        client = self.client
        specs = list(specs)
        if specs:
            self.partitions = specs[0].partitions
        bundles = client.map(keyshuffle.chunk_bundle, specs, limits=self.limits, pure=False)
        heads = [client.submit(keyshuffle.head, b, pure=False) for b in bundles]
        for bundle, future in zip(bundles, heads):
            result, parts, schemas = future.result()
            future.release()
            self.rows.append(result.rows)
            self.parts.append({p: client.submit(keyshuffle.piece, bundle, "key", p, pure=False) for p in parts})
            self.foreign.append({i: (client.submit(keyshuffle.piece, bundle, "fk", i, pure=False), s)
                                 for i, s in schemas.items()})
            bundle.release()  # its pieces keep what they need of it on the worker
            yield result

    def offsets(self) -> list:
        out, n = [], 0
        for rows in self.rows:
            out.append(n)
            n += rows
        return out

    def release(self) -> None:
        for futures in self.parts:
            for f in futures.values():
                f.release()
        for futures in self.foreign:
            for f, _ in futures.values():
                f.release()
        self.parts, self.foreign = [], []


def check_streamed_on(client, limits, res, chunk_size: int, keep: tuple, referenced: tuple):
    """check_streamed(res, ...) with its chunks and keys on the cluster: the same (check,
    findings, stats), or None (the file is read whole instead)."""
    from ..stream.table import check_streamed

    chunks = _Chunks(client, limits)
    try:
        done = check_streamed(res, chunk_size, referenced, mapper=chunks, keep=keep)
    except BaseException:
        chunks.release()
        raise
    if done is None:
        chunks.release()
        return None
    check, findings, stats = done
    findings = _with_repeats(client, chunks, check, res, findings)
    for futures in chunks.parts:  # the repeats are found: only the foreign-key rows stay
        for f in futures.values():
            f.release()
    chunks.parts = []
    return ShuffledCheck(check, chunks, client), findings, stats


def _with_repeats(client, chunks, check, res, findings: list) -> list:
    """`findings` with the repeats of every partition added, capped as check_streamed caps them."""
    from ..budget import current
    from ..stream.keys import _Keep, repeat_finding_of, repeat_specs
    from ..stream.merge import Capped
    from ..table import _where
    from . import keyshuffle

    where = _where(res)
    budget = current()
    specs = repeat_specs(res.schema, check.numbers)
    if not specs:
        return findings
    offsets = chunks.offsets()
    futures = []
    for p in range(chunks.partitions):
        held = [(c, parts[p]) for c, parts in enumerate(chunks.parts) if p in parts]
        if held:
            futures.append(client.submit(keyshuffle.partition_repeats, specs, budget.cap,
                                         [offsets[c] for c, _ in held], *[f for _, f in held], pure=False))
    results = _gathered(client, futures)
    for f in futures:
        f.release()
    repeats = []
    for fields, kind in specs:
        keep = _Keep(budget.cap)
        counted = 0
        for found in results:
            if fields in found:
                n, lines, items = found[fields]
                counted += n
                keep.add(lines, items)
        code = "unique-error" if kind == "unique" else "primary-key"
        budget.drop(where.get("resource"), code, keep.dropped + counted)
        repeats += [repeat_finding_of(fields, kind, check.numbers, item, where) for item in keep.items]
    if not repeats:
        return findings
    ours = [f for f in findings if f.code in KEY_CODES and f.resource == where.get("resource")]
    capped = Capped(budget.cap)
    capped.add(ours + repeats)
    kept = capped.findings()
    for key, n in capped.dropped.items():
        budget.drop(key[0], key[1], n, capped.severity.get(key))
    mine = {id(f) for f in ours}
    return [f for f in findings if id(f) not in mine] + kept


def _gathered(client, futures) -> list:
    """The tasks' results; a worker that died is a UsageError (exit 2, one line), as in daskrun."""
    from distributed import KilledWorker

    from ...errors import UsageError

    try:
        return client.gather(futures)
    except KilledWorker as exc:
        raise UsageError(f"--engine dask: a worker died while comparing a large file's keys ({exc}); "
                         "give the workers more memory or use a smaller --chunk-size") from None


class ShuffledCheck:
    """A streamed table whose foreign-key rows are still on the cluster, as run.py sees it."""

    streamed = True

    def __init__(self, base, chunks, client):
        self.base, self.chunks, self.client = base, chunks, client
        self.casts, self.numbers, self.parsed = base.casts, base.numbers, base.parsed
        self.merger = base.merger
        self.kept = getattr(base, "kept", None)  # the typed rows layer 3 reads (run._streamed_frame)

    def __del__(self):
        try:
            self.chunks.release()
        except Exception:  # noqa: BLE001 - a closed client at exit: nothing left to release
            pass

    def key_columns(self, ref_fields) -> list:
        return self.base.key_columns(ref_fields)

    def foreign_key_findings(self, resource_name: str, schema: dict, tables: dict, known: set, where: dict) -> list:
        """StreamedCheck.foreign_key_findings, each chunk's rows checked on the worker that holds them."""
        import numpy as np
        import pyarrow as pa

        from ...package.cast import as_array
        from ..budget import current
        from ..schema.foreign_keys import fk_finding, target_columns
        from ..stream.keys import _Keep, checkable_foreign_keys
        from . import keyshuffle

        out = []
        if self.parsed.n_rows == 0:
            return out
        budget = current()
        offsets = self.chunks.offsets()
        for i, fields, ref_name, ref_fields, target in checkable_foreign_keys(
                schema, self.casts, resource_name, tables, known, where, out):
            held = [(c, pieces[i]) for c, pieces in enumerate(self.chunks.foreign) if i in pieces]
            if not held:
                continue
            dst = target_columns(target, ref_fields)
            blank = np.logical_and.reduce([c.missing | c.bad for c in dst])
            table = pa.table({**{f"v{j}": as_array(c.values) for j, c in enumerate(dst)}, "blank": pa.array(blank)})
            [shared] = self.client.scatter([table], broadcast=True, hash=False)
            schema0 = held[0][1][1]
            futures = [self.client.submit(keyshuffle.unmatched, f, schema0, offsets[c], len(fields), shared,
                                          budget.cap, pure=False) for c, (f, _) in held]
            results = _gathered(self.client, futures)
            del futures, shared
            keep = _Keep(budget.cap)
            counted = 0
            for n, lines, items in results:
                counted += n
                keep.add(lines, items)
            budget.drop(where.get("resource"), "foreign-key", keep.dropped + counted)
            for line, row, texts in keep.items:
                out.append(fk_finding(fields, ref_name, ref_fields, resource_name, line, row, texts, self.numbers, where))
        return out
