"""Booleans, geopoints and the JSON-valued types (object, array, geojson).

The small families that fit neither numbers, clocks nor plain text. A boolean is one of the
field's true or false values, judged for the whole column with two set-membership kernels;
a geopoint is a longitude and latitude in range, written "lon, lat" or as a JSON array or
object; object, array and geojson cells are JSON text of the right shape. Geopoint and JSON
cells keep their text as their values.
"""
from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .arrays import to_bool_numpy
from .fields import DEFAULT_FALSE, DEFAULT_TRUE, fformat


def _read_boolean(field):
    mapping = {**{str(v): True for v in field.get("trueValues", DEFAULT_TRUE)},
               **{str(v): False for v in field.get("falseValues", DEFAULT_FALSE)}}

    def read(cell):
        if cell is True or cell is False:
            return cell
        return mapping.get(cell) if isinstance(cell, str) else None
    return read


def _cast_boolean(present, pmask: np.ndarray, field: dict):
    """A boolean column: (values, bad), each cell looked up in the true and false values."""
    trues = pa.array([str(v) for v in field.get("trueValues", DEFAULT_TRUE)], pa.string())
    falses = pa.array([str(v) for v in field.get("falseValues", DEFAULT_FALSE)], pa.string())
    is_true = to_bool_numpy(pc.is_in(present, value_set=trues))
    is_false = to_bool_numpy(pc.is_in(present, value_set=falses))
    valid = pmask & (is_true | is_false)
    bad = pmask & ~valid
    values = pa.array(is_true, mask=~valid, type=pa.bool_())
    return values, bad


def _read_geopoint(field):
    fmt = fformat(field)

    def ok(lon, lat):
        try:
            lon, lat = Decimal(str(lon).strip()), Decimal(str(lat).strip())
        except (InvalidOperation, ValueError):
            return False
        return -180 <= lon <= 180 and -90 <= lat <= 90

    def read(cell):
        if not isinstance(cell, str):
            return None
        try:
            if fmt == "default":
                parts = cell.split(",")
                return cell if len(parts) == 2 and ok(*parts) else None
            value = json.loads(cell)
            if fmt == "array":
                return cell if isinstance(value, list) and len(value) == 2 and ok(*value) else None
            if fmt == "object":
                return cell if isinstance(value, dict) and ok(value.get("lon"), value.get("lat")) else None
        except (ValueError, TypeError):
            return None
        return None
    return read


def _read_json(kind):
    def factory(field):
        def read(cell):
            if not isinstance(cell, str):
                return None
            try:
                value = json.loads(cell)
            except ValueError:
                return None
            if kind == "array":
                return cell if isinstance(value, list) else None
            if kind == "geojson":
                return cell if isinstance(value, dict) and isinstance(value.get("type"), str) else None
            return cell if isinstance(value, dict) else None
        return read
    return factory
