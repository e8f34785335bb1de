"""`check_chunk(spec) -> ChunkResult`: layers 1 and 2 on whole records of one file, alone.

A pure function of its `ChunkSpec` (the file, the byte range, the editor line where it starts,
the header record, the schema and dialect, the findings cap, which keys to hand on), so chunks
can run in any order, in other processes or on other machines, and be merged after
(merge.py). The chunk's bytes are read after the header record, exactly as the whole file
would be read, by the same parse (structure.parse_csv) and the same cell checks
(schema.check_cells, formula and blank-key findings); lines are then moved to where the rows are
in the file. Rows stay numbered from the chunk (the header is row 1): the merge, which knows how
many rows came before, moves them. Findings are capped per code as in a whole table, with the
rest counted (`dropped`).
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field

import numpy as np

FALLBACK_CODES = ("unclosed-quote", "source-error")  # the chunk edge may not be a record end


@dataclass(frozen=True)
class ChunkSpec:
    """Everything one chunk's check needs; picklable (plain data only)."""

    path: str
    index: int
    start: int
    end: int
    line: int                      # editor line where `start` is
    header: bytes                  # the file's header record, terminator included
    header_lines: int
    dialect: object                # structure.Dialect
    schema: dict
    where: dict
    ignore_case: bool
    cap: int
    partitions: int
    keys: tuple = ()               # field tuples of unique fields and the primary key
    foreign: tuple = ()            # (index in foreignKeys, field tuple) of this table's foreign keys
    referenced: tuple = ()         # field tuples other tables' foreign keys refer to
    keep: tuple = ()               # field names whose typed rows layer 3 will read (material.typed_rows)


@dataclass
class ChunkResult:
    """One chunk's findings (lines exact, rows from the chunk), counts and key material."""

    index: int
    fallback: str | None = None    # why the file must be read whole instead
    findings: list = field(default_factory=list)
    dropped: dict = field(default_factory=dict)    # (resource, code) -> findings counted, not made
    severity: dict = field(default_factory=dict)
    rows: int = 0
    width: int = 0
    lines: int = 0                 # the chunk's own lines (scan.total_lines)
    exact: bool = False            # the chunk took the exact path
    endings: tuple = (-1, {})      # (first terminator kind, {kind: (count, first line)})
    keys: dict = field(default_factory=dict)       # field tuple -> Arrow table with `part`
    foreign: dict = field(default_factory=dict)    # foreignKeys index -> Arrow table
    referenced: dict = field(default_factory=dict)  # field tuple -> Arrow table of distinct keys
    numbers: dict = field(default_factory=dict)    # field name -> its column (0-based), header order
    typed: dict | None = None      # spec.keep's typed rows for layer 3 (material.typed_rows)


def read_range(path: str, start: int, end: int, prefix: bytes = b"") -> bytearray:
    """`prefix` then bytes [start, end) of the file, in one buffer: read into place, so the
    chunk's bytes are neither copied after the header nor faulted in twice."""
    buf = bytearray(len(prefix) + max(0, end - start))
    buf[:len(prefix)] = prefix
    view = memoryview(buf)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        pos, at = start, len(prefix)
        while pos < end:
            n = os.preadv(fd, [view[at:at + min(end - pos, 1 << 30)]], pos)
            if not n:
                break
            pos, at = pos + n, at + n
    finally:
        view.release()
        os.close(fd)
    if at < len(buf):  # the file shrank under us: what was there
        del buf[at:]
    return buf


def _endings(parsed, drop_header: bool, shift: int) -> tuple:
    if parsed.endings is None:
        return (-1, {})
    kinds, term_lines = parsed.endings
    if drop_header:
        kinds, term_lines = kinds[1:], term_lines[1:]
    has = kinds >= 0
    if not has.any():
        return (-1, {})
    present, at = kinds[has], term_lines[has] + shift
    out = {}
    for k in np.unique(present):
        sel = present == k
        out[int(k)] = (int(sel.sum()), int(at[np.argmax(sel)]))
    return (int(present[0]), out)


def check_chunk(spec: ChunkSpec) -> ChunkResult:
    """Layers 1 and 2 (keys across chunks aside) on the chunk `spec` names."""
    from .. import budget as budgets
    from ..schema import check_cells, check_header, formula_findings
    from ..schema.keys import blank_key_findings
    from ..structure import parse_csv
    from ..structure.encoding import _utf8_ok
    from ..table import apply_missing
    from . import material
    from ..schema.vocabulary import as_list

    first = spec.index == 0
    text = read_range(spec.path, spec.start, spec.end, b"" if first else spec.header)
    if not _utf8_ok(text):  # the header is the file's own: not UTF-8 there, not in chunk 0 either
        return ChunkResult(spec.index, fallback="bytes that are not UTF-8")
    token = budgets.start(spec.cap)
    try:
        schema, where = spec.schema, spec.where
        fields = [f for f in (schema.get("fields") or []) if isinstance(f, dict) and isinstance(f.get("name"), str)]
        dialect = dataclasses.replace(spec.dialect)
        apply_missing(dialect, schema)
        parsed = parse_csv([text], 0, dialect, len(fields), where, path=None)
        del text
        if any(f.code in FALLBACK_CODES for f in parsed.findings):
            return ChunkResult(spec.index, fallback="a record that may run past the chunk's end")
        head = 0 if first else spec.header_lines
        shift = spec.line - (head + 1)
        out = [dataclasses.replace(f, line=f.line + shift) if f.line is not None else f
               for f in parsed.findings
               if f.code != "mixed-line-endings" and (first or f.line is None or f.line > head)]
        parsed.lines = parsed.lines + shift
        header = check_header(parsed.labels, fields, schema, parsed.width, where, declared=True,
                              ignore_case=spec.ignore_case)
        if first:
            out += header.findings
        check = check_cells(parsed, header, schema, where)
        out += check.findings
        check.findings = []
        out += formula_findings(check, where)
        pk = as_list(schema.get("primaryKey"))
        if pk and all(k in check.casts for k in pk) and parsed.n_rows:
            out += blank_key_findings(check, pk, where)
        result = ChunkResult(spec.index, findings=out, rows=parsed.n_rows, width=parsed.width,
                             lines=parsed.total_lines - head, exact=parsed.path_taken == "exact",
                             endings=_endings(parsed, not first, shift),
                             numbers={f["name"]: i for i, f in enumerate(header.columns) if f is not None})
        for fields_ in spec.keys:
            t = material.key_material(check, fields_, spec.partitions)
            if t is not None:
                result.keys[fields_] = t
        for i, fields_ in spec.foreign:
            t = material.fk_material(check, fields_)
            if t is not None:
                result.foreign[i] = t
        for fields_ in spec.referenced:
            t = material.distinct_keys(check, fields_)
            if t is not None:
                result.referenced[fields_] = t
        if spec.keep:
            result.typed = material.typed_rows(check, spec.keep)
        spent = budgets.current()
        result.dropped, result.severity = dict(spent.dropped), dict(spent.severity)
        return result
    finally:
        budgets.finish(token)
