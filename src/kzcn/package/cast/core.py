"""The cast itself: which reader a type has, and a whole column read as its field's type.

This is where the families meet. `READERS` maps every Table Schema type to its exact one-cell
reader (`reader`, `read_constraint`, `KNOWN_TYPES` are read from it), and `cast_array` sends a
column of CSV text to its family's vectorised cast, or to the per-distinct-text fallback, and
wraps the answer in a `Cast`: the typed values, which cells were missing, which were bad, and
which integers overflowed 64 bits. A bad cell becomes null in the typed column and is flagged
on its own: it never turns the column into findings.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .arrays import _cast_by_dictionary, missing_mask
from .fields import arrow_type, fformat, ftype, type_note
from .numbers import _cast_integer, _cast_number, _read_integer, _read_number
from .other import _cast_boolean, _read_boolean, _read_geopoint, _read_json
from .strings import _read_any, _read_string
from .temporal import (_cast_default_date, _read_date, _read_datetime, _read_duration, _read_time, _read_year,
                       _read_yearmonth)

READERS = {
    "integer": _read_integer, "number": _read_number, "boolean": _read_boolean,
    "date": _read_date, "datetime": _read_datetime, "time": _read_time, "year": _read_year,
    "yearmonth": _read_yearmonth, "duration": _read_duration, "geopoint": _read_geopoint,
    "object": _read_json("object"), "array": _read_json("array"), "geojson": _read_json("geojson"),
    "string": _read_string, "any": _read_any, "list": _read_any,
}
KNOWN_TYPES = frozenset(READERS)


def reader(field: dict):
    """The exact one-cell reader of a field: text (or a YAML/JSON value) -> value, or None."""
    return READERS.get(ftype(field), _read_any)(field)


def read_constraint(value, field: dict):
    """A constraint value (minimum, maximum, an enum entry) read as the field's type.

    Like frictionless, the schema's own value goes through the field's reader, so `minimum: 0`
    on an integer field is 0 and `minimum: "2020-01-01"` on a date field is a date.
    """
    return reader(field)(value)


class Cast:
    """A column read as its field's type.

    values: typed Arrow array, null where the cell is missing or bad (for text fields it is
    built on first use, so a text column is not copied unless keys or frames need it);
    missing: the cell is absent or a missing value; bad: the cell has text that is not a value
    of the type; overflow: bad because the integer does not fit 64 bits (its own message).
    """

    __slots__ = ("raw", "missing", "bad", "note", "overflow", "_values")

    def __init__(self, raw, missing, bad, note, overflow=None, values=None):
        self.raw, self.missing, self.bad, self.note, self.overflow = raw, missing, bad, note, overflow
        self._values = values

    @property
    def values(self):
        if self._values is None:
            drop = self.missing | self.bad
            if not drop.any() or (not self.bad.any() and self.raw.null_count == int(self.missing.sum())):
                self._values = self.raw  # nothing to drop, or exactly the nulls: no copy
            else:
                self._values = pc.if_else(pa.array(drop), pa.scalar(None, self.raw.type), self.raw)
        return self._values


def cast_array(raw, field: dict, missing_values=("",)) -> Cast:
    """Read a column of CSV text (null = the row had no such cell) as the field's type."""
    if raw.type != pa.string():
        raw = raw.cast(pa.string())
    n = len(raw)
    missing_values = field.get("missingValues", missing_values)
    missing = missing_mask(raw, missing_values)
    pmask = ~missing
    t = ftype(field)
    typ = arrow_type(field)
    note = type_note(field)
    if typ == pa.string():  # text-backed types: only a judgement, the values are the text
        if (t == "string" and fformat(field) in ("default", "")) or t in ("any", "list") or t not in KNOWN_TYPES:
            bad = np.zeros(n, dtype=bool)
        else:
            _, bad = _cast_by_dictionary(raw, pmask, reader(field), typ)
        return Cast(raw, missing, bad, note)
    if not missing.any() or raw.null_count == int(missing.sum()):
        present = raw  # the missing cells are exactly the nulls (read so): no copy
    else:
        present = pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), raw)
    overflow = None
    if t == "integer":
        values, bad, overflow = _cast_integer(present, pmask, field, typ)
    elif t == "number":
        values, bad, overflow = _cast_number(present, pmask, field, typ)
    elif t == "boolean":
        values, bad = _cast_boolean(present, pmask, field)
    elif t == "date" and fformat(field) == "default":
        values, bad = _cast_default_date(present, pmask, field, typ)
    else:
        values, bad = _cast_by_dictionary(present, pmask, reader(field), typ)
    return Cast(raw, missing, bad, note, overflow, values)
