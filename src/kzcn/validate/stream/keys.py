"""Keys across the chunks of a streamed table: repeats one partition at a time, foreign keys
one chunk at a time, with the same code and the same messages as a whole table.

Partition by partition (merge.py wrote them to disk), the rows of a unique field or a primary
key go through keys._value_duplicates / keys._duplicates exactly as a whole column does, with
the rows' numbers in the file deciding which occurrence is the first. A repeat is listed among
the earliest `cap` by line over every partition, the rest counted, as budget.first_index does
for a whole table. `StreamedCheck` stands for the table afterwards: it names its columns, gives
the distinct keys other tables' foreign keys look up (`key_columns`) and checks its own
foreign keys chunk by chunk (`foreign_key_findings`).
"""
from __future__ import annotations

import shutil
import weakref
from types import SimpleNamespace

import numpy as np


class _Keep:
    """The earliest `cap` candidates by line, over batches given in any order; the rest counted."""

    def __init__(self, cap: int):
        self.cap, self.dropped = cap, 0
        self.lines = np.zeros(0, dtype=np.int64)
        self.items: list = []

    def add(self, lines: np.ndarray, items: list) -> None:
        lines = np.concatenate([self.lines, np.asarray(lines, dtype=np.int64)])
        items = self.items + list(items)
        if len(items) > self.cap:
            order = np.argsort(lines, kind="stable")
            self.dropped += len(items) - self.cap
            keep = np.sort(order[:self.cap])
            lines, items = lines[keep], [items[k] for k in keep]
        self.lines, self.items = lines, items


def _column(table, i: int):
    return table.column(f"v{i}")


def repeat_findings(merger, schema: dict, numbers: dict, where: dict, cap: int) -> list:
    """unique-error per unique field and primary-key per repeated key, over every partition
    (each compared by partition_repeats, as the Dask engine compares them on its workers)."""
    from ..budget import current

    res = where.get("resource")
    out = []
    for fields, kind in repeat_specs(schema, numbers):
        keep = _Keep(cap)
        for p in range(merger.partitions):
            table = merger.spill.read(("key", fields, p))
            if table is None:
                continue
            lines, items = partition_repeats(table, fields)
            if items:
                keep.add(lines, items)
        code = "unique-error" if kind == "unique" else "primary-key"
        current().drop(res, code, keep.dropped)
        out += [repeat_finding_of(fields, kind, numbers, item, where) for item in keep.items]
    return out


class StreamedCheck:
    """A table checked in chunks, as run.py and the foreign keys of other tables see it."""

    streamed = True

    def __init__(self, merger, numbers: dict, folder: str):
        self.casts = {name: None for name in numbers}
        self.numbers = numbers
        self.parsed = SimpleNamespace(n_rows=merger.rows, locate=None)
        self.merger = merger
        self._cleanup = weakref.finalize(self, _remove, merger.spill, folder)

    def key_columns(self, ref_fields) -> list:
        import pyarrow as pa

        table = self.merger.referenced.get(tuple(ref_fields))
        cols = [table.column(f"v{i}") for i in range(len(ref_fields))] if table is not None else \
            [pa.array([], pa.null()) for _ in ref_fields]
        n = len(cols[0])
        return [SimpleNamespace(values=c, missing=np.zeros(n, dtype=bool), bad=np.zeros(n, dtype=bool)) for c in cols]

    def foreign_key_findings(self, resource_name: str, schema: dict, tables: dict, known: set, where: dict) -> list:
        """schema.foreign_key_findings for this table, its rows read back one chunk at a time."""
        from ..budget import current
        from ..schema.foreign_keys import fk_finding, match, target_columns

        out = []
        if self.parsed.n_rows == 0:
            return out
        budget = current()
        for i, fields, ref_name, ref_fields, target in checkable_foreign_keys(
                schema, self.casts, resource_name, tables, known, where, out):
            dst = target_columns(target, ref_fields)
            dst_all_null = np.logical_and.reduce([c.missing | c.bad for c in dst])
            keep = _Keep(budget.cap)
            for batch in self.merger.spill.batches(("fk", i)):
                src = [SimpleNamespace(values=batch.column(f"v{j}")) for j in range(len(fields))]
                bad = np.flatnonzero(~match(src, dst, dst_all_null))
                if not len(bad):
                    continue
                lines, rows = batch.column("line").to_numpy()[bad], batch.column("row").to_numpy()[bad]
                texts = [batch.column(f"t{j}").take(bad).to_pylist() for j in range(len(fields))]
                keep.add(lines, [(int(a), int(b), [t[k] for t in texts]) for k, (a, b) in enumerate(zip(lines, rows))])
            budget.drop(where.get("resource"), "foreign-key", keep.dropped)
            for line, row, texts in keep.items:
                out.append(fk_finding(fields, ref_name, ref_fields, resource_name, line, row, texts, self.numbers, where))
        return out


def checkable_foreign_keys(schema: dict, casts: dict, resource_name: str, tables: dict, known: set,
                           where: dict, out: list):
    """(index, fields, referenced resource, referenced fields, its check) of each foreign key of
    `schema` that can be checked; what schema.foreign_keys.resolve finds of the others (a
    missing table or field) is added to `out`. For StreamedCheck here and the Dask engine's."""
    from ..schema.foreign_keys import resolve

    for i, fk in enumerate(schema.get("foreignKeys") or []):
        found, plan = resolve(fk, casts, resource_name, schema, tables, known, where)
        out += found
        if plan is not None:
            yield (i, *plan)


def _remove(spill, folder: str) -> None:
    spill.close()
    shutil.rmtree(folder, ignore_errors=True)


def repeat_specs(schema: dict, numbers: dict) -> list:
    """The (fields, kind) that repeat_findings compares: each unique field ("unique"), then the
    primary key ("pk"), those whose columns the table has. For an engine that compares the
    partitions elsewhere (kzcn.validate.engines.shuffle)."""
    from ..schema.vocabulary import as_list

    specs = [((f["name"],), "unique") for f in schema.get("fields") or []
             if isinstance(f, dict) and f.get("name") in numbers and (f.get("constraints") or {}).get("unique")]
    pk = tuple(as_list(schema.get("primaryKey")))
    if pk and all(k in numbers for k in pk):
        specs.append((pk, "pk"))
    return specs


def partition_repeats(table, fields: tuple) -> tuple:
    """One partition's repeats of `fields`, compared as repeat_findings compares them:
    (lines of the later rows, [(line, row, texts, line of the first occurrence)])."""
    from ..schema.keys import _duplicates, _value_duplicates, combine

    rows, lines = table.column("row").to_numpy(), table.column("line").to_numpy()
    if len(fields) == 1:
        later, first = _value_duplicates(_column(table, 0).combine_chunks(), rows)
    else:
        codes = combine([_column(table, i) for i in range(len(fields))])
        later, first = _duplicates(codes, np.ones(len(codes), dtype=bool), rows)
    if not len(later):
        return np.zeros(0, dtype=np.int64), []
    texts = [table.column(f"t{i}").take(later).to_pylist() for i in range(len(fields))]
    return lines[later], [(int(lines[a]), int(rows[a]), [t[j] for t in texts], int(lines[b]))
                          for j, (a, b) in enumerate(zip(later, first))]


def repeat_finding_of(fields: tuple, kind: str, numbers: dict, item: tuple, where: dict):
    """The unique-error or primary-key finding of one repeat `item` of partition_repeats."""
    from ..schema.keys import repeat_finding, unique_finding

    line, row, texts, first_line = item
    if kind == "unique":
        return unique_finding(fields[0], numbers[fields[0]] + 1, line, row, texts[0], first_line, where)
    return repeat_finding(list(fields), line, row, texts, first_line, where)


def unmatched_rows(batch, n_fields: int, dst: list, dst_all_null) -> tuple:
    """The rows of one batch of foreign-key material (v0.., t0.., line, row) whose key matches
    nothing in `dst`, as StreamedCheck.foreign_key_findings finds them: (lines, [(line, row, texts)])."""
    from ..schema.foreign_keys import match

    src = [SimpleNamespace(values=batch.column(f"v{j}")) for j in range(n_fields)]
    bad = np.flatnonzero(~match(src, dst, dst_all_null))
    if not len(bad):
        return np.zeros(0, dtype=np.int64), []
    lines, rows = batch.column("line").to_numpy()[bad], batch.column("row").to_numpy()[bad]
    texts = [batch.column(f"t{j}").take(bad).to_pylist() for j in range(n_fields)]
    return lines, [(int(a), int(b), [t[k] for t in texts]) for k, (a, b) in enumerate(zip(lines, rows))]
