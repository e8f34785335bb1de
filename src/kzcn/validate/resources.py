"""Which reader gets a resource's rows: every kind of resource the Data Package spec allows.

A plain CSV file is the common case and table.py reads it directly (the fast path streams it
from disk). The other kinds each have their own reader, and each hands its rows to the same
layer-2 checks (`table.check_parsed`), so a type, constraint or key means the same whatever
held the rows:

- several files read as one table (`path: [a.csv, b.csv]`) and compressed files (`.gz`,
  `.zip`, `.bz2`, `.xz`): parts.py, through kzcn.package.streams;
- rows inside the descriptor (`data:`): inline.py;
- Parquet files (`format: parquet` or `.parquet`), one or several, with an outer compression
  or none: parquet.py, from the typed columns.

Findings of these kinds name their own place: a multi-file table's rows are numbered per file
and each finding names its file (locate.py moves them there once every layer has run).
"""
from __future__ import annotations

from ..package.tablebytes import is_parquet  # noqa: F401 - one definition, shared with build and report


def reader_for(res):
    """The reader of a resource that is not one plain CSV file, or None (table.py reads it)."""
    if res.refused or "://" in res.relpath:
        return None  # refused or remote: table.py reports it, nothing is opened
    if res.inline:
        from .inline import check_inline

        return check_inline
    if is_parquet(res):
        from .parquet import check_parquet

        return check_parquet
    from ..package.streams import compression_of

    compression, problem = compression_of(res.relpath, res.descriptor)
    if res.parts or compression is not None or problem is not None:
        from .parts import check_parts

        return check_parts
    return None
