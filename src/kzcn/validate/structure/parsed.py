"""`ParsedCsv`, what layer 1 hands to layer 2, and the pieces both parse paths build it from.

Whichever path read the file, the result has the same shape: the header's labels, one Arrow text
column per header column (null where a short row has no cell), and per data row its frictionless
row number, editor line and cell count. Schema checks run on it unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class ParsedCsv:
    """One CSV file split into header and data rows, cells as text (layer 2's input)."""

    labels: list[str] | None            # the header's cells as written, or None (no header)
    width: int                          # cells a row should have: the header's count (or the schema's)
    columns: list                       # pyarrow string array per column; null = the row has no such cell
    row_numbers: np.ndarray             # frictionless rowNumber of each data row (header = 1)
    lines: np.ndarray                   # editor line where each data row starts
    cell_counts: np.ndarray             # number of cells in each data row (0 for an empty line)
    extras: dict = field(default_factory=dict)  # data row index -> its cells beyond `width`
    findings: list = field(default_factory=list)
    path_taken: str = "fast"
    total_lines: int = 0
    locate: object = None  # where findings really are, when rows come from several files or inline data (validate.locate)
    endings: tuple | None = None  # (terminator kind, its line) per record: validate.stream merges chunks' endings

    @property
    def n_rows(self) -> int:
        return len(self.row_numbers)


def _empty_parsed(labels, width, findings, path_taken, total_lines=0) -> ParsedCsv:
    import pyarrow as pa

    return ParsedCsv(labels=labels, width=width, columns=[pa.array([], pa.string()) for _ in range(width)],
                     row_numbers=np.zeros(0, dtype=np.int64), lines=np.zeros(0, dtype=np.int64),
                     cell_counts=np.zeros(0, dtype=np.int64), findings=findings, path_taken=path_taken,
                     total_lines=total_lines)


def _columns_from_lists(rows: list[list[str]], width: int, empty_is_null: bool = False):
    import pyarrow as pa

    if empty_is_null:
        return [pa.array([(r[i] or None) if i < len(r) else None for r in rows], pa.string()) for i in range(width)]
    return [pa.array([r[i] if i < len(r) else None for r in rows], pa.string()) for i in range(width)]
