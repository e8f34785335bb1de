"""Reading CSV text as Table Schema types, cell by cell, on whole Arrow columns at once.

This is the one definition of "is this cell a value of its field's type", shared by validation
(layer 2 of `kzcn validate`) and typed loading (`kzcn.dtypes.cast_column` delegates here), so a
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
"""
from __future__ import annotations

import base64
import datetime as _dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

DEFAULT_TRUE = ["true", "True", "TRUE", "1"]
DEFAULT_FALSE = ["false", "False", "FALSE", "0"]
DEFAULT_DATE = "%Y-%m-%d"
DEFAULT_TIME = "%H:%M:%S"
INT64_MAX = 2**63 - 1

# Canonical spellings the Arrow kernels settle on their own (RE2 syntax, whole cell).
_INT_RE = r"^[+-]?[0-9]{1,18}$"
_NUM_RE = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
_DURATION_RE = re.compile(
    r"^P(?!$)(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?W)?(?:\d+(?:\.\d+)?D)?"
    r"(?:T(?=\d)(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+$")
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")
_BARE_RE = re.compile(r"((^[^-\d]*)|(\D*$))")

_EPOCH = _dt.date(1970, 1, 1)
_EPOCH_DT = _dt.datetime(1970, 1, 1)


# ----------------------------------------------------------------------------- field properties

def ftype(field: dict) -> str:
    return field.get("type") or "string"


def fformat(field: dict) -> str:
    fmt = field.get("format") or "default"
    if isinstance(fmt, str) and fmt.startswith("fmt:"):  # Table Schema v1 spelling of a pattern
        fmt = fmt[4:]
    return fmt


def type_note(field: dict) -> str:
    """frictionless's note for a type error: 'type is "integer/default"'."""
    return f'type is "{ftype(field)}/{field.get("format") or "default"}"'


def expected_words(field: dict) -> str:
    """What a cell of this field must look like, in plain words, for messages."""
    t, fmt = ftype(field), fformat(field)
    if t == "integer":
        return "an integer (a whole number such as 42)"
    if t == "number":
        return "a number (such as 42 or 1.5)"
    if t == "boolean":
        values = list(field.get("trueValues", DEFAULT_TRUE)) + list(field.get("falseValues", DEFAULT_FALSE))
        return "true or false (one of " + ", ".join(values) + ")"
    if t == "date":
        return "a date written YYYY-MM-DD" if fmt == "default" else (
            "a date" if fmt == "any" else f"a date in the format {fmt}")
    if t == "datetime":
        return "a date and time written YYYY-MM-DDThh:mm:ss" if fmt == "default" else (
            "a date and time" if fmt == "any" else f"a date and time in the format {fmt}")
    if t == "time":
        return "a time written hh:mm:ss" if fmt == "default" else f"a time in the format {fmt}"
    if t == "year":
        return "a year written YYYY"
    if t == "yearmonth":
        return "a year and month written YYYY-MM"
    if t == "duration":
        return "an ISO 8601 duration such as P1Y2M"
    if t == "geopoint":
        return "a point written 'lon, lat'" if fmt == "default" else f"a point ({fmt})"
    if t in ("object", "geojson"):
        return "a JSON object"
    if t == "array":
        return "a JSON array"
    if t == "string" and fmt in ("email", "uri", "uuid", "binary"):
        return {"email": "an email address", "uri": "a URI with a scheme (https://...)",
                "uuid": "a UUID", "binary": "base64-encoded data"}[fmt]
    return f"a value of type {t}"


def arrow_type(field: dict) -> pa.DataType:
    """The Arrow type of a field's typed column (what the pandas dtype is built from)."""
    return {
        "integer": pa.int64(),
        "year": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
        "datetime": pa.timestamp("us"),
    }.get(ftype(field), pa.string())


def _bare_number(field: dict) -> bool:
    return field.get("bareNumber", True) is not False


# ----------------------------------------------------------------------------- exact readers
# One cell at a time, frictionless semantics. Each returns the value or None when the text is not
# a value of the type. Used for the cells the vectorised kernels do not settle, for constraint
# values, and by tests that compare us with frictionless.

def _read_integer(field):
    bare = _bare_number(field)

    def read(cell):
        if isinstance(cell, bool):
            return None
        if isinstance(cell, int):
            return cell
        if isinstance(cell, float):
            return int(cell) if cell.is_integer() else None
        if isinstance(cell, Decimal):
            return int(cell) if cell % 1 == 0 else None
        if not isinstance(cell, str):
            return None
        text = cell.strip()
        if not bare:
            text = _BARE_RE.sub("", text)
        try:
            return int(text)
        except (ValueError, TypeError):
            return None
    return read


def _read_number(field):
    bare = _bare_number(field)
    group = field.get("groupChar")
    decimal = field.get("decimalChar", ".")
    processed = not bare or "groupChar" in field or "decimalChar" in field

    def read(cell):
        if isinstance(cell, bool):
            return None
        if isinstance(cell, (int, float)):
            return float(cell)
        if isinstance(cell, Decimal):
            return float(cell)
        if not isinstance(cell, str):
            return None
        text = cell.strip()
        if processed:
            if not bare:
                text = _BARE_RE.sub("", text)
            if group:
                text = text.replace(group, "")
            if decimal != "." and "." in text:
                return None
            text = text.replace(decimal, ".")
        try:
            return float(Decimal(text))
        except (InvalidOperation, ValueError, TypeError):
            return None
    return read


def _read_boolean(field):
    mapping = {**{str(v): True for v in field.get("trueValues", DEFAULT_TRUE)},
               **{str(v): False for v in field.get("falseValues", DEFAULT_FALSE)}}

    def read(cell):
        if cell is True or cell is False:
            return cell
        return mapping.get(cell) if isinstance(cell, str) else None
    return read


def _read_date(field):
    fmt = fformat(field)

    def read(cell):
        if isinstance(cell, _dt.datetime):
            return cell.date() if cell.time() == _dt.time(0) else None
        if isinstance(cell, _dt.date):
            return cell
        if not isinstance(cell, str):
            return None
        try:
            if fmt == "default":
                return _dt.datetime.strptime(cell, DEFAULT_DATE).date()
            if fmt == "any":
                from dateutil import parser

                return parser.parse(cell).date()
            return _dt.datetime.strptime(cell, fmt).date()
        except Exception:  # strptime and dateutil raise several kinds; all mean "not a date"
            return None
    return read


def _naive_utc(value: _dt.datetime) -> _dt.datetime:
    if value.tzinfo is not None:
        value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return value


def _read_datetime(field):
    fmt = fformat(field)

    def read(cell):
        if isinstance(cell, _dt.datetime):
            return _naive_utc(cell)
        if not isinstance(cell, str):
            return None
        try:
            if fmt == "default":
                if len(cell) < 19 or cell[16] != ":":
                    return None
                from dateutil import parser

                return _naive_utc(parser.isoparse(cell))
            if fmt == "any":
                from dateutil import parser

                return _naive_utc(parser.parse(cell))
            return _naive_utc(_dt.datetime.strptime(cell, fmt))
        except Exception:
            return None
    return read


def _read_time(field):
    fmt = fformat(field)

    def read(cell):
        if isinstance(cell, _dt.time):
            return cell
        if not isinstance(cell, str):
            return None
        try:
            if fmt == "default":
                if len(cell) < 8 or cell[5] != ":":  # frictionless's guard against dateutil's short forms
                    return None
                from dateutil import parser

                return parser.isoparse(f"2000-01-01T{cell}").timetz()
            if fmt == "any":
                from dateutil import parser

                return parser.parse(cell).timetz()
            return _dt.datetime.strptime(cell, fmt).timetz()
        except Exception:
            return None
    return read


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


def _read_string(field):
    fmt = fformat(field)

    def read(cell):
        if not isinstance(cell, str):
            return None
        if fmt == "email":
            return cell if _EMAIL_RE.match(cell) else None
        if fmt == "uri":
            return cell if _URI_RE.match(cell) else None
        if fmt == "uuid":
            return cell if _UUID_RE.match(cell) else None
        if fmt == "binary":
            try:
                base64.b64decode(cell, validate=True)
            except ValueError:
                return None
        return cell
    return read


def _read_any(field):
    return lambda cell: cell


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


# ----------------------------------------------------------------------------- Arrow helpers

def as_array(values):
    """An Arrow array or chunked array as it is (compute kernels take both; no copy is made)."""
    return values


def encode(values) -> tuple[pa.Array, np.ndarray]:
    """Hash a column once: (distinct values, index of each row's value; -1 for null).

    Arrow's dictionary encoding of a chunked column shares one dictionary across chunks, so the
    indices of all chunks refer to the same distinct values.
    """
    enc = pc.dictionary_encode(values)
    if isinstance(enc, pa.ChunkedArray):
        chunks = [c for c in enc.chunks if len(c)]
        if not chunks:
            return pa.array([], type=values.type), np.zeros(0, dtype=np.int64)
        dictionary = max((c.dictionary for c in chunks), key=len)
        indices = np.concatenate([c.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
                                  for c in chunks])
        return dictionary, indices
    return enc.dictionary, enc.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def to_bool_numpy(mask, null_as: bool = False) -> np.ndarray:
    """An Arrow boolean array as a numpy bool array, nulls read as `null_as`."""
    mask = as_array(mask)
    if mask.null_count:
        mask = pc.fill_null(mask, null_as)
    return mask.to_numpy(zero_copy_only=False).astype(bool, copy=False)


def regex_mask(strings: pa.Array, pattern: str) -> np.ndarray:
    """Cells (not null) that match an RE2 pattern, as numpy bools."""
    return to_bool_numpy(pc.match_substring_regex(strings, pattern))


def missing_mask(raw: pa.Array, missing_values) -> np.ndarray:
    """Cells that are absent (null: the row was short) or one of the missing values."""
    missing_values = [str(v) for v in (missing_values if missing_values is not None else [""])]
    if not missing_values:
        return to_bool_numpy(raw.is_null())
    if missing_values == [""]:
        return to_bool_numpy(pc.equal(raw, ""), null_as=True)
    equal = to_bool_numpy(pc.is_in(raw, value_set=pa.array(missing_values, pa.string())))
    return equal | to_bool_numpy(raw.is_null()) if raw.null_count else equal


def _from_numpy(values: np.ndarray, valid: np.ndarray, typ: pa.DataType) -> pa.Array:
    mask = ~valid
    if typ == pa.date32():
        return pa.array(values.astype("datetime64[D]"), mask=mask, type=typ)
    if pa.types.is_timestamp(typ):
        return pa.array(values.astype("datetime64[us]"), mask=mask, type=typ)
    return pa.array(values, mask=mask, type=typ)


def _encode_python(values: list, typ: pa.DataType):
    """Python values -> (numpy values, numpy valid) for an Arrow type."""
    n = len(values)
    valid = np.fromiter((v is not None for v in values), dtype=bool, count=n)
    if typ == pa.int64():
        out = np.fromiter(((v if v is not None and -INT64_MAX - 1 <= v <= INT64_MAX else 0) for v in values),
                          dtype=np.int64, count=n)
        too_big = np.fromiter((v is not None and not (-INT64_MAX - 1 <= v <= INT64_MAX) for v in values),
                              dtype=bool, count=n)
        return out, valid & ~too_big, too_big
    if typ == pa.float64():
        return np.fromiter((v if v is not None else 0.0 for v in values), dtype=np.float64, count=n), valid, None
    if typ == pa.bool_():
        return np.fromiter((bool(v) for v in values), dtype=bool, count=n), valid, None
    if typ == pa.date32():
        return np.fromiter(((v - _EPOCH).days if v is not None else 0 for v in values), dtype=np.int64, count=n), valid, None
    if pa.types.is_timestamp(typ):
        def micros(v):
            delta = v - _EPOCH_DT
            return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
        return np.fromiter((micros(v) if v is not None else 0 for v in values), dtype=np.int64, count=n), valid, None
    raise TypeError(typ)


# ----------------------------------------------------------------------------- the cast

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


def _by_python(strings: pa.Array, todo: np.ndarray, read, typ: pa.DataType):
    """Judge the cells at positions `todo` with the exact reader, once per distinct text."""
    texts = strings.take(pa.array(todo, pa.int64())).to_pylist()
    memo: dict = {}
    out = []
    for t in texts:
        try:
            v = memo[t]
        except KeyError:
            v = memo[t] = read(t)
        out.append(v)
    return out


def _scatter(base_values: np.ndarray, base_valid: np.ndarray, todo: np.ndarray, py_values: list, typ):
    vals, valid, too_big = _encode_python(py_values, typ)
    base_values[todo] = vals
    base_valid[todo] = valid
    return too_big


def _wholesale(present, typ: pa.DataType, read, n: int):
    """Cast every present cell at once; None if one cell needs the exact path.

    Arrow's parsers accept a few spellings Python's do not (hexadecimal integers, `nan(123)`),
    so integer cells with an x and number cells that became NaN or infinity are re-judged.
    """
    try:
        values = pc.cast(present, typ)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if typ == pa.int64():
        if pc.any(pc.match_substring(present, "x", ignore_case=True)).as_py():
            return None
        return values, np.zeros(n, dtype=bool)
    odd = pc.or_(pc.is_nan(values), pc.is_inf(values))
    if pc.any(odd).as_py():
        pos = np.flatnonzero(to_bool_numpy(odd))
        texts = present.take(pa.array(pos, pa.int64())).to_pylist()
        if any(read(t) is None for t in texts):
            return None
    return values, np.zeros(n, dtype=bool)


def _cast_numeric(present, pmask: np.ndarray, field: dict, typ: pa.DataType, pattern: str, read) -> tuple:
    """integer/number: one Arrow cast when every cell is canonical; else a regex gate plus the
    exact reader for the cells the gate does not settle."""
    n = len(present)
    processed = not _bare_number(field) or (typ == pa.float64() and ("groupChar" in field or "decimalChar" in field))
    if not processed:
        done = _wholesale(present, typ, read, n)
        if done is not None:
            return done[0], done[1], None
    strings = present
    canonical = np.zeros(n, dtype=bool) if processed else regex_mask(strings, pattern)
    values = np.zeros(n, dtype=np.int64 if typ == pa.int64() else np.float64)
    valid = np.zeros(n, dtype=bool)
    if canonical.any():
        gated = pc.if_else(pa.array(canonical), strings, pa.scalar(None, pa.string()))
        if typ == pa.int64():
            gated = pc.replace_substring_regex(gated, r"^\+", "")
        cast = pc.cast(gated, typ)
        values = cast.fill_null(0).to_numpy(zero_copy_only=False).astype(values.dtype, copy=True)
        valid = canonical.copy()
    todo = np.flatnonzero(pmask & ~canonical)
    overflow = None
    if len(todo):
        too_big = _scatter(values, valid, todo, _by_python(strings, todo, read, typ), typ)
        if too_big is not None and too_big.any():
            overflow = np.zeros(n, dtype=bool)
            overflow[todo[too_big]] = True
    bad = pmask & ~valid
    return _from_numpy(values, valid, typ), bad, overflow


def _cast_by_dictionary(present, pmask: np.ndarray, read, typ: pa.DataType):
    """Any type: judge each distinct text once with the exact reader, then map back."""
    n = len(present)
    if not pmask.any():
        return pa.nulls(n, typ), np.zeros(n, dtype=bool)
    dictionary, indices = encode(present)
    py_values = [read(t) for t in dictionary.to_pylist()]
    ok = np.append(np.fromiter((v is not None for v in py_values), dtype=bool, count=len(py_values)), False)
    valid = ok[indices] & pmask
    bad = pmask & ~valid
    if typ == pa.string():
        return None, bad
    dvals, dvalid, _ = _encode_python(py_values, typ)
    dvals = np.append(dvals, dvals.dtype.type(0))
    return _from_numpy(dvals[indices], valid, typ), bad


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
        values, bad, overflow = _cast_numeric(present, pmask, field, typ, _INT_RE, _read_integer(field))
    elif t == "number":
        values, bad, overflow = _cast_numeric(present, pmask, field, typ, _NUM_RE, _read_number(field))
    elif t == "boolean":
        trues = pa.array([str(v) for v in field.get("trueValues", DEFAULT_TRUE)], pa.string())
        falses = pa.array([str(v) for v in field.get("falseValues", DEFAULT_FALSE)], pa.string())
        is_true = to_bool_numpy(pc.is_in(present, value_set=trues))
        is_false = to_bool_numpy(pc.is_in(present, value_set=falses))
        valid = pmask & (is_true | is_false)
        bad = pmask & ~valid
        values = pa.array(is_true, mask=~valid, type=pa.bool_())
    elif t == "date" and fformat(field) == "default":
        try:
            values = pc.cast(present, pa.date32())
            bad = np.zeros(n, dtype=bool)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            values, bad = _cast_by_dictionary(present, pmask, _read_date(field), typ)
    else:
        values, bad = _cast_by_dictionary(present, pmask, reader(field), typ)
    return Cast(raw, missing, bad, note, overflow, values)
