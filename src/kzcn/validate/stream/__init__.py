"""Layers 1 and 2 on a file larger than memory: record-aligned chunks, keys across them.

A file no larger than the chunk size takes the whole-file path (kzcn.validate.table) unchanged.
A larger plain CSV file is planned once (plan.py: one pass of numpy over its bytes, a block at a
time, finds record ends by quote parity and the editor line where each chunk starts), then
each chunk is checked on its own by `check_chunk` (chunk.py), a pure function of a
`ChunkSpec`: the file's header record is put before the chunk's bytes, the same parse and cell
checks as a whole file run on them, and lines are moved to where they are in the file. What a
chunk cannot decide alone comes back as material (material.py): typed key values hashed into
partitions (primaryKey, unique), foreign-key cells, and the distinct keys other tables refer
to. The merge (merge.py) adds the chunks up in order: row numbers, line endings, the findings
cap, and the keys across chunks (keys.py), one partition at a time from spill files on disk,
exactly (each partition is checked with the same code as a whole table: equal keys always land
in the same partition). The report is the one the whole-file path gives, byte for byte
(tests/test_stream.py). Whatever the plan cannot prove exact (an unclosed quote, bytes that are
not UTF-8, a declared legacy encoding, a header with irregular quotes, no schema to check
against) sends the file to the whole-file path.

The chunk is the unit of work a distributed engine maps over: `plan_file` -> [ChunkSpec],
`check_chunk(spec) -> ChunkResult` anywhere, `Merger.add(result)` in chunk order.
"""
from __future__ import annotations

import re

# Files up to this size take the whole-file path. 32 MiB, not more: a million-row file (174 MB)
# is then six chunks, which two cores share evenly (three 64 MiB chunks left one core idle for
# the last: 2.08 s against 2.49 s in-process, 2.67 s read whole, and 430 MB peak against 600 MB).
DEFAULT_CHUNK = 32 * 1024 * 1024
_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "m": 1000**2, "mb": 1000**2, "g": 1000**3, "gb": 1000**3,
          "kib": 1024, "mib": 1024**2, "gib": 1024**3}


def parse_size(text) -> int:
    """Bytes from `64MB`, `512KiB`, `1GB`, `4096` (decimal units; KiB/MiB/GiB binary); ValueError otherwise."""
    if isinstance(text, int) and not isinstance(text, bool):
        if text < 1:
            raise ValueError(f"chunk size {text} must be at least 1 byte")
        return text
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*", str(text))
    if not m or m.group(2).lower() not in _UNITS:
        raise ValueError(f"chunk size {text!r} is not a size such as 64MB, 512KiB or 1GB")
    n = int(float(m.group(1)) * _UNITS[m.group(2).lower()])
    if n < 1:
        raise ValueError(f"chunk size {text!r} must be at least 1 byte")
    return n
