"""Layer 1 of `kzcn validate`: one CSV file's bytes, before any type is applied.

The file is read once. A numpy scan over the bytes finds the quotes, the line breaks and which
of them end a record (a break inside quotes does not: the count of quotes before it is odd, so
`""` escapes need no special case), the kind of each record terminator (CRLF, LF, CR) and the
editor line where each record starts. When every quote sits where RFC 4180 puts it, that scan
splits records exactly as Python's csv module (and so frictionless) does, and pyarrow parses the
cells, all as text, in parallel. Only records that pyarrow cannot take (an empty line, a row
with too few or too many cells) go through Python's csv module, one record each.

When a quote sits anywhere else (inside an unquoted cell, after spaces, never closed), the
parity of the quote count no longer tells where records end, so the whole file takes the exact
path: Python's csv module, record by record, with the raw text of each record kept to locate the
defect. That path is slower but only broken files take it.

The result is a `ParsedCsv`: the header's labels, one Arrow text column per header column (null
where a short row has no cell), and per data row its frictionless row number, editor line and
cell count. Schema checks (layer 2) run on it unchanged whichever path produced it.

What lives here: the file as a whole, its declared size, hash and encoding (files), UTF-8 and
byte order marks (encoding), the declared dialect (dialect), record terminators (endings), the
byte scan (scan), the fast path through pyarrow (fast), the exact path through the csv module
(exact), the result type (parsed), `parse_csv`, which picks the path (parse), and the first
bytes of cells that layer 2 checks for spreadsheet formulas (formulas), and the bounds on a
file's size and its header's width (bounds).

May import: kzcn.validate.catalogue and kzcn.validate.findings (the finding codes and their
severities), and kzcn.package. Nothing from layer 2 (schema), rules, release, report or
cli. pyarrow (and pyarrow.csv) is imported inside the functions that need it.

The names below are what other modules import from `kzcn.validate.structure`; everything else
is imported from its own module (a test patching `serial_parse` patches `structure.fast`).
"""
from __future__ import annotations

from .dialect import Dialect, dialect_of
from .encoding import BOM, check_encoding, guess_legacy_encoding
from .files import read_file
from .formulas import FORMULA_CHARS, first_bytes, formula_candidates
from .parse import parse_csv
from .parsed import ParsedCsv
from .scan import ExactPathNeeded

__all__ = [
    "BOM", "FORMULA_CHARS", "Dialect", "ExactPathNeeded", "ParsedCsv", "check_encoding", "dialect_of",
    "first_bytes", "formula_candidates", "guess_legacy_encoding", "parse_csv", "read_file",
]
