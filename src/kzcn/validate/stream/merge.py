"""Chunk results, added up in file order, into what one whole-file check would have found.

`Merger.add(result)` takes the chunks in order: it moves each chunk's row numbers by the rows
before it, keeps at most `cap` findings per (resource, code) (the earliest in report order;
the others are counted, as kzcn.validate.budget counts them in a whole table), adds up the
line endings to the one `mixed-line-endings` finding a whole file gives, and writes the key
material to spill files on disk, one per key and partition, so memory holds one chunk at a time.
"""
from __future__ import annotations

import dataclasses
import os
from collections import Counter

from .. import catalogue as cat
from ..structure.endings import KIND_NAMES


def sort_key(f):
    from ..run import _sort_key

    return _sort_key(f)


class Capped:
    """At most `cap` findings per (resource, code), the first in report order; the rest counted."""

    def __init__(self, cap: int):
        self.cap = cap
        self.kept: dict = {}
        self.dropped: Counter = Counter()
        self.severity: dict = {}

    def add(self, findings) -> None:
        for f in findings:
            key = (f.resource, f.code)
            items = self.kept.setdefault(key, [])
            items.append(f)
            if len(items) >= 2 * self.cap + 64:
                self._trim(key)

    def count(self, dropped: dict, severity: dict) -> None:
        for key, n in dropped.items():
            self.dropped[key] += n
        for key, sev in severity.items():
            self.severity.setdefault(key, sev)

    def _trim(self, key) -> None:
        items = sorted(self.kept[key], key=sort_key)
        if len(items) > self.cap:
            self.dropped[key] += len(items) - self.cap
            self.severity.setdefault(key, items[self.cap].severity)
        self.kept[key] = items[:self.cap]

    def findings(self) -> list:
        for key in list(self.kept):
            self._trim(key)
        return [f for items in self.kept.values() for f in items]


class Spill:
    """Arrow tables appended to one stream file each; read back whole, one file at a time."""

    def __init__(self, folder: str):
        self.folder = folder
        self.writers: dict = {}
        self.paths: dict = {}

    def write(self, name, table) -> None:
        import pyarrow as pa

        if table.num_rows == 0:
            return
        if name not in self.writers:
            path = os.path.join(self.folder, f"spill-{len(self.paths)}.arrow")
            self.paths[name] = path
            self.writers[name] = (pa.ipc.new_stream(pa.OSFile(path, "wb"), table.schema), table.schema)
        writer, schema = self.writers[name]
        if table.schema != schema:
            table = table.cast(schema)
        writer.write_table(table)

    def _finish(self, name) -> str | None:
        if name in self.writers:
            writer, _ = self.writers.pop(name)
            writer.close()
        return self.paths.get(name)

    def read(self, name):
        """The table written under `name` (None if nothing was); the file stays until the run ends."""
        import pyarrow as pa

        path = self._finish(name)
        if path is None:
            return None
        with pa.memory_map(path, "r") as fh:
            return pa.ipc.open_stream(fh).read_all()

    def batches(self, name):
        """The tables written under `name`, one batch (a chunk's) at a time."""
        import pyarrow as pa

        path = self._finish(name)
        if path is None:
            return
        with pa.OSFile(path, "rb") as fh:
            yield from pa.ipc.open_stream(fh)

    def close(self) -> None:
        for writer, _ in self.writers.values():
            writer.close()
        self.writers.clear()


class Merger:
    """The chunks of one file, added in order."""

    def __init__(self, where: dict, cap: int, partitions: int, folder: str):
        self.where, self.partitions = where, partitions
        self.capped = Capped(cap)
        self.spill = Spill(folder)
        self.rows = self.lines = self.width = 0
        self.exact = False
        self.first_kind = -1
        self.kinds: dict = {}              # kind -> [count, first line]
        self.referenced: dict = {}         # field tuple -> distinct keys so far

    def add(self, result) -> None:
        import numpy as np
        import pyarrow as pa

        from .material import distinct

        shift = self.rows
        self.capped.add(dataclasses.replace(f, row=f.row + shift) if getattr(f, "row", None) is not None and shift
                        else f for f in result.findings)
        self.capped.count(result.dropped, result.severity)
        if result.index == 0:
            self.width = result.width
        first, kinds = result.endings
        if self.first_kind < 0:
            self.first_kind = first
        for k, (n, line) in kinds.items():
            have = self.kinds.setdefault(k, [0, line])
            have[0] += n
        for fields, table in result.keys.items():
            table = table.set_column(table.schema.get_field_index("row"), "row",
                                     pa.compute.add(table.column("row"), shift))
            parts = table.column("part").to_numpy()
            order = np.argsort(parts, kind="stable")
            table, parts = table.take(pa.array(order)), parts[order]
            bounds = np.searchsorted(parts, np.arange(self.partitions + 1))
            for p in range(self.partitions):
                if bounds[p + 1] > bounds[p]:
                    self.spill.write(("key", fields, p), table.slice(bounds[p], bounds[p + 1] - bounds[p]))
        for i, table in result.foreign.items():
            table = table.set_column(table.schema.get_field_index("row"), "row",
                                     pa.compute.add(table.column("row"), shift))
            self.spill.write(("fk", i), table)
        for fields, table in result.referenced.items():
            have = self.referenced.get(fields)
            self.referenced[fields] = table if have is None else distinct(
                pa.concat_tables([have, table.cast(have.schema)]))
        self.rows += result.rows
        self.lines += result.lines
        self.exact |= result.exact

    def endings_finding(self):
        """The one mixed-line-endings finding of the file, as structure.endings makes it, or None."""
        if len(self.kinds) < 2:
            return None
        others = [(line, k) for k, (n, line) in self.kinds.items() if k != self.first_kind]
        line, odd = min(others)
        summary = ", ".join(f"{n} {KIND_NAMES[k].split(' ')[0]}" for k, (n, _) in sorted(self.kinds.items()))
        return cat.make("mixed-line-endings", line=line, **self.where, found=KIND_NAMES[odd],
                        expected=KIND_NAMES[self.first_kind], counts=summary)


def shift_rows(table, shift: int):
    """`table` with its `row` column moved by the `shift` rows before its chunk (as Merger.add)."""
    import pyarrow as pa

    if not shift:
        return table
    return table.set_column(table.schema.get_field_index("row"), "row", pa.compute.add(table.column("row"), shift))


def part_slices(table, partitions: int) -> dict:
    """{partition: the rows of `table` in it, in their order}, the non-empty ones (as Merger.add
    writes a chunk's key material to its partitions' spill files)."""
    import numpy as np
    import pyarrow as pa

    parts = table.column("part").to_numpy()
    order = np.argsort(parts, kind="stable")
    table, parts = table.take(pa.array(order)), parts[order]
    bounds = np.searchsorted(parts, np.arange(partitions + 1))
    return {p: table.slice(bounds[p], bounds[p + 1] - bounds[p])
            for p in range(partitions) if bounds[p + 1] > bounds[p]}


def as_spilled(tables: list):
    """The tables written under one spill name, as Spill.read gives them back: empty ones
    skipped, the others cast to the first one's schema, in order (None if all are empty)."""
    import pyarrow as pa

    tables = [t for t in tables if t is not None and t.num_rows]
    if not tables:
        return None
    schema = tables[0].schema
    return pa.concat_tables([t if t.schema == schema else t.cast(schema) for t in tables])
