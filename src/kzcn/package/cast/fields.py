"""What a Table Schema field says about its cells: type, format, default value lists, words.

Every cast family reads its field through these few properties (the type, the format with the
v1 `fmt:` spelling undone, the default true/false values, whether numbers are bare), and the
validator's messages describe a field with `expected_words` and `type_note`. They sit in their
own module, below the readers and the casts, so that every family can import them without a
cycle through the dispatch in `core`.
"""
from __future__ import annotations

import pyarrow as pa

DEFAULT_TRUE = ["true", "True", "TRUE", "1"]
DEFAULT_FALSE = ["false", "False", "FALSE", "0"]
DEFAULT_DATE = "%Y-%m-%d"
DEFAULT_TIME = "%H:%M:%S"
INT64_MAX = 2**63 - 1


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
