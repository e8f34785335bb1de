"""Dates, times, datetimes, years, year-months and durations, read the way frictionless reads them.

The three clock-and-calendar types share one shape, kept in `_temporal_reader`: a value that is
already of the type (from YAML/JSON constraint values) passes through its own check, a string
is read by the format ("default": ISO spelling with frictionless's guards; "any": dateutil's
free parser; anything else: a strptime pattern), and any exception means "not a value". A
default-format date column is first offered to Arrow's own cast, which settles the whole
column at once when every cell is a canonical YYYY-MM-DD. Datetimes with a time zone are
stored in UTC without the zone.
"""
from __future__ import annotations

import datetime as _dt
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .arrays import _cast_by_dictionary
from .fields import DEFAULT_DATE, fformat

_DURATION_RE = re.compile(
    r"^P(?!$)(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?W)?(?:\d+(?:\.\d+)?D)?"
    r"(?:T(?=\d)(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?$")


def _temporal_reader(field, native, parse_default, finish):
    """The exact reader of a date, datetime or time field.

    native(cell): the answer for a cell that is not a string; parse_default(text): the
    "default"-format parse (None when frictionless's guard turns the text away); finish(value):
    the parsed datetime as the type's value.
    """
    fmt = fformat(field)

    def read(cell):
        if not isinstance(cell, str):
            return native(cell)
        try:
            if fmt == "default":
                value = parse_default(cell)
                return None if value is None else finish(value)
            if fmt == "any":
                from dateutil import parser

                return finish(parser.parse(cell))
            return finish(_dt.datetime.strptime(cell, fmt))
        except Exception:  # strptime and dateutil raise several kinds; all mean "not a value"
            return None
    return read


def _naive_utc(value: _dt.datetime) -> _dt.datetime:
    if value.tzinfo is not None:
        value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return value


def _native_date(cell):
    if isinstance(cell, _dt.datetime):
        return cell.date() if cell.time() == _dt.time(0) else None
    return cell if isinstance(cell, _dt.date) else None


def _iso_datetime(cell):
    if len(cell) < 19 or cell[16] != ":":
        return None
    from dateutil import parser

    return parser.isoparse(cell)


def _iso_time(cell):
    if len(cell) < 8 or cell[5] != ":":  # frictionless's guard against dateutil's short forms
        return None
    from dateutil import parser

    return parser.isoparse(f"2000-01-01T{cell}")


def _read_date(field):
    return _temporal_reader(field, _native_date, lambda cell: _dt.datetime.strptime(cell, DEFAULT_DATE),
                            lambda value: value.date())


def _read_datetime(field):
    return _temporal_reader(field, lambda cell: _naive_utc(cell) if isinstance(cell, _dt.datetime) else None,
                            _iso_datetime, _naive_utc)


def _read_time(field):
    return _temporal_reader(field, lambda cell: cell if isinstance(cell, _dt.time) else None,
                            _iso_time, lambda value: value.timetz())


def _read_year(field):
    def read(cell):
        if isinstance(cell, bool):
            return None
        if not isinstance(cell, int):
            if not isinstance(cell, str) or len(cell) != 4:
                return None
            try:
                cell = int(cell)
            except ValueError:
                return None
        return cell if 0 <= cell <= 9999 else None
    return read


def _read_yearmonth(field):
    def read(cell):
        if isinstance(cell, (list, tuple)) and len(cell) == 2:
            year, month = cell
        elif isinstance(cell, str):
            parts = cell.split("-")
            if len(parts) != 2:
                return None
            try:
                year, month = int(parts[0]), int(parts[1])
            except ValueError:
                return None
        else:
            return None
        return cell if isinstance(month, int) and 1 <= month <= 12 and isinstance(year, int) else None
    return read


def _read_duration(field):
    def read(cell):
        return cell if isinstance(cell, str) and _DURATION_RE.match(cell) else None
    return read


def _cast_default_date(present, pmask: np.ndarray, field: dict, typ: pa.DataType):
    """A default-format date column: Arrow's cast when it takes every cell, else the exact reader."""
    try:
        values = pc.cast(present, pa.date32())
        bad = np.zeros(len(present), dtype=bool)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        values, bad = _cast_by_dictionary(present, pmask, _read_date(field), typ)
    return values, bad
