"""Reading CSV text as Table Schema types, cell by cell, on whole Arrow columns at once.

This is the one definition of "is this cell a value of its field's type", shared by validation
(layer 2 of `kzcn validate`) and typed loading (`kzcn.package.dtypes.cast_column` delegates here), so a
cell the validator accepts is a cell `kzcn.load` can read, and the other way round.

What counts as a value follows frictionless-py's field readers (integer: `int(cell.strip())`,
number: `Decimal(cell.strip())`, date: `strptime(cell, "%Y-%m-%d")`, boolean: the true/false
value lists, ...), so a `type-error` here is a `type-error` there. Speed comes from judging
the common, canonical spellings with Arrow kernels over the whole column (a regular expression
or a strict cast), and sending only the cells those kernels do not settle through the exact
Python reader, once per distinct text. A bad cell becomes null in the typed column and is
flagged on its own: it never turns the column into findings.

Known, documented differences from frictionless: an integer beyond the 64-bit range is a type
error here (frictionless keeps Python's unbounded int); `datetime` values with a time zone are
stored in UTC without the zone; `email`/`uri` string formats use simple patterns rather than the
`validators`/`rfc3986` packages.

What lives here: the field properties and message words (fields), the Arrow/numpy plumbing and
the generic per-distinct-text cast (arrays), one module per family of types with its exact
readers and its vectorised cast (numbers: integer, number; temporal: date, datetime, time,
year, yearmonth, duration; strings: string and its formats, any; other: boolean, geopoint,
object, array, geojson), and the reader table, the `Cast` result and `cast_array`, which
dispatches a column to its family (core). Every name importers use is re-exported here.

May import: numpy, pyarrow and kzcn.errors only (dateutil is imported lazily, inside the
readers of the "any" and ISO formats). Nothing here imports the rest of kzcn.
"""
from __future__ import annotations

from .arrays import as_array, encode, missing_mask, regex_mask, to_bool_numpy
from .core import KNOWN_TYPES, READERS, Cast, cast_array, read_constraint, reader
from .fields import (DEFAULT_DATE, DEFAULT_FALSE, DEFAULT_TIME, DEFAULT_TRUE, INT64_MAX, arrow_type, expected_words,
                     fformat, ftype, type_note)

__all__ = [
    "Cast", "DEFAULT_DATE", "DEFAULT_FALSE", "DEFAULT_TIME", "DEFAULT_TRUE", "INT64_MAX", "KNOWN_TYPES", "READERS",
    "arrow_type", "as_array", "cast_array", "encode", "expected_words", "fformat", "ftype", "missing_mask",
    "read_constraint", "reader", "regex_mask", "to_bool_numpy", "type_note",
]
