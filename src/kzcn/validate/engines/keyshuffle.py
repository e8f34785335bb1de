"""What a worker runs for the keys of a streamed file: the key material stays on the cluster.

`chunk_bundle` is streaming's chunk check (tasks.run_chunk) whose key material is split where
it was made: the chunk's findings and counts (`head`, the only part the driver gathers) and,
kept on the worker as separate results, one piece per hash partition (every unique field's
and the primary key's rows of that partition) and the foreign-key rows. `partition_repeats`
is one task per hash partition: Dask brings it that partition's pieces from every chunk
(worker to worker), and it compares them exactly with stream/keys.py's code, the earliest `cap`
by line kept and the rest counted. `unmatched` checks one chunk's foreign-key rows against the
referenced table's distinct keys, broadcast to every worker. What goes back to the driver is
candidates for findings (at most `cap` per key and task) and counts, never a key column.

Rows in a piece are numbered from its chunk, as stream/chunk.py makes them; the tasks move them
by the rows before the chunk (the driver knows those once the heads are in), as Merger.add does.
"""
from __future__ import annotations

import dataclasses


def chunk_bundle(spec, limits):
    """(head, {partition: {fields: rows}}, {foreignKeys index: rows}) of one chunk; the head is
    the ChunkResult without its key tables and the schemas of its foreign-key rows."""
    from ..stream.merge import part_slices
    from .tasks import run_chunk

    result = run_chunk(spec, limits)
    parts: dict = {}
    for fields, table in result.keys.items():
        for p, piece in part_slices(table, spec.partitions).items():
            parts.setdefault(p, {})[fields] = piece
    foreign = {i: t for i, t in result.foreign.items() if t.num_rows}
    head = dataclasses.replace(result, keys={}, foreign={})
    return (head, sorted(parts), {i: t.schema for i, t in foreign.items()}), parts, foreign


def head(bundle):
    """What the driver gathers of a chunk: (ChunkResult without key tables, partitions it has
    rows in, {foreignKeys index: schema of its rows})."""
    return bundle[0]


def piece(bundle, where: str, key):
    """One partition's key rows (where="key") or one foreign key's rows (where="fk") of a chunk."""
    return bundle[1][key] if where == "key" else bundle[2][key]


def partition_repeats(specs: list, cap: int, offsets: list, *pieces) -> dict:
    """{fields: (counted, lines, items)}: the repeats of one hash partition over every chunk's
    piece of it (in chunk order, rows moved by `offsets`), at most `cap` kept per key, by line."""
    from ..stream.keys import _Keep, partition_repeats as repeats
    from ..stream.merge import as_spilled, shift_rows

    out = {}
    for fields, _kind in specs:
        table = as_spilled([shift_rows(p[fields], off) for p, off in zip(pieces, offsets) if fields in p])
        if table is None:
            continue
        lines, items = repeats(table, fields)
        if items:
            keep = _Keep(cap)
            keep.add(lines, items)
            out[fields] = (keep.dropped, keep.lines, keep.items)
    return out


def unmatched(rows, schema, offset: int, n_fields: int, target, cap: int) -> tuple:
    """(counted, lines, items): one chunk's foreign-key rows with no match among `target`'s
    distinct keys (a table v0.. plus `blank`, broadcast), cast to `schema` (the first chunk's
    rows', as the spill file holds them) and moved by `offset` rows; at most `cap` kept, by line."""
    from types import SimpleNamespace

    from ..stream.keys import _Keep, unmatched_rows
    from ..stream.merge import shift_rows

    if rows.schema != schema:
        rows = rows.cast(schema)
    dst = [SimpleNamespace(values=target.column(f"v{j}")) for j in range(n_fields)]
    blank = target.column("blank").to_numpy(zero_copy_only=False)
    lines, items = unmatched_rows(shift_rows(rows, offset), n_fields, dst, blank)
    keep = _Keep(cap)
    if items:
        keep.add(lines, items)
    return keep.dropped, keep.lines, keep.items
