"""Layer 2 of `kzcn validate`: the header against the schema, every cell against its field, and keys.

Works on whole Arrow columns (kzcn.cast_arrow reads them as their types) and turns only the
faulty cells into findings, one finding per faulty cell and violated constraint: a bad cell is
null in the typed column and never makes its column fail as a whole.

The semantics follow frictionless-py 5.21 (the version installed here), which the conformance
tests compare us with:
- labels: positional (`fieldsMatch: exact`, the default) or by name (`equal`, `subset`,
  `superset`, `partial`); stripped before comparison; a blank label is `blank-label`, a repeated
  one `duplicate-label`, otherwise a mismatch is `incorrect-label`. A label without a field
  (`extra-label`) or a field without a label (`missing-label`) is reported once, in the header,
  and its column is then read as untyped / left out: rows are measured against the header.
- a row whose cells are all missing is one `blank-row`, which replaces the row's other cell
  findings; `missing-cell`/`extra-cell` for short and long rows; a missing cell of a required
  field is also a `constraint-error`, as in frictionless.
- `unique-error` on the second and later occurrences of a value; `primary-key` when a key
  repeats or is entirely blank. Beyond frictionless, a blank in one part of a composite key is a
  `primary-key` finding too (the Table Schema spec makes key fields implicitly required).
- `foreign-key` when a row's key (not entirely blank) has no match in the referenced table
  (`resource: ""` = the same table); comparison is on typed values.
Keys are found by hashing whole columns (Arrow dictionary encoding), never row by row.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field as dc_field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import catalogue as cat
from ..package.cast_arrow import (Cast, KNOWN_TYPES, as_array, cast_array, encode, expected_words, fformat, ftype, missing_mask, read_constraint, to_bool_numpy)
from .structure import ParsedCsv, formula_candidates

SUPPORTED = {
    "string": {"required", "unique", "pattern", "enum", "minLength", "maxLength"},
    "integer": {"required", "unique", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"},
    "number": {"required", "unique", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"},
    "date": {"required", "unique", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"},
    "datetime": {"required", "unique", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"},
    "year": {"required", "unique", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"},
    "boolean": {"required", "enum"},
}
ALL_CONSTRAINTS = {"required", "unique", "pattern", "enum", "minLength", "maxLength", "minimum", "maximum",
                   "exclusiveMinimum", "exclusiveMaximum", "jsonSchema"}
LENGTH_TYPES = {"string", "array", "object", "list", "geojson"}
_NUMBER_TEXT = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?%?$")


# ----------------------------------------------------------------------------- column work in parallel

PARALLEL_ROWS = 50_000


def columnwise(fn, items, n_rows: int) -> list:
    """fn over the columns, in two threads for large tables (Arrow and numpy kernels release the
    GIL, so two columns are checked at once); in order, serially, for small ones."""
    items = list(items)
    workers = min(4, os.cpu_count() or 1)
    if n_rows < PARALLEL_ROWS or workers < 2 or len(items) < 2:
        return [fn(i) for i in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, items))


# ----------------------------------------------------------------------------- header

@dataclass
class Header:
    """How the header's columns pair with the schema's fields."""

    columns: list            # field dict (or None: a column the schema does not declare) per column
    dropped: list            # schema fields with no column
    findings: list


def _norm(label: str, ignore_case: bool) -> str:
    return label.casefold() if ignore_case else label


def check_header(labels, fields: list[dict], schema: dict, width: int, where: dict,
                 declared: bool = True, ignore_case: bool = False, inferred: bool = False) -> Header:
    """Compare the header's labels with the schema's fields, frictionless-style (see module doc)."""
    findings = []
    if labels is None:  # dialect header: false -> columns are the fields in order
        cols = list(fields[:width]) + [None] * max(0, width - len(fields))
        return Header(cols, list(fields[width:]), findings)
    stripped = [("" if c is None else str(c)).strip() for c in labels]
    if not stripped:
        findings.append(cat.make("blank-header", line=1, **where))
        return Header(list(fields[:width]) + [None] * max(0, width - len(fields)), list(fields[width:]), findings)

    def label_findings(pairs):
        for pos, (fdef, label) in enumerate(pairs, start=1):
            name = fdef["name"] if fdef else None
            if not label:
                findings.append(cat.make("blank-label", line=1, field=name, field_number=pos, **where,
                                         msg=(f"the label in column {pos} is blank" +
                                              (f"; the schema names it {name!r}" if name and not inferred else ""))))
                continue
            earlier = [i for i, lab in enumerate(stripped[:pos - 1], start=1) if lab == label]
            if earlier:
                findings.append(cat.make("duplicate-label", line=1, field=name, field_number=pos, **where,
                                         label=label, first=earlier[0]))
                continue
            if fdef is not None and declared and _norm(label, ignore_case) != _norm(fdef["name"], ignore_case):
                findings.append(cat.make("incorrect-label", line=1, field=name, field_number=pos, **where,
                                         label=label))

    mode = schema.get("fieldsMatch", "exact") if declared else "exact"
    if not declared:
        label_findings([(None, lab) for lab in stripped])
        return Header([None] * width, [], findings)
    if mode == "exact":
        for pos in range(len(fields) + 1, len(stripped) + 1):
            findings.append(cat.make("extra-label", line=1, field_number=pos, **where, label=stripped[pos - 1]))
        for pos in range(len(stripped) + 1, len(fields) + 1):
            fdef = fields[pos - 1]
            findings.append(cat.make("missing-label", line=1, field=fdef["name"], field_number=pos, **where))
        label_findings(list(zip(fields, stripped)))
        cols = [fields[i] if i < len(fields) else None for i in range(width)]
        return Header(cols, list(fields[len(stripped):]), findings)

    # matching by name: equal, subset, superset, partial
    by_name = {_norm(f["name"], ignore_case): f for f in fields}
    label_findings([(None, lab) for lab in stripped])
    cols, seen = [], set()
    for pos, label in enumerate(stripped, start=1):
        fdef = by_name.get(_norm(label, ignore_case))
        if fdef is not None and fdef["name"] in seen:
            fdef = None
        if fdef is None and mode in ("exact", "equal", "superset"):
            findings.append(cat.make("extra-label", line=1, field_number=pos, **where, label=label))
        if fdef is not None:
            seen.add(fdef["name"])
        cols.append(fdef)
    cols += [None] * max(0, width - len(cols))
    pk = set(_as_list(schema.get("primaryKey")))
    dropped = [f for f in fields if f["name"] not in seen]
    number = len(stripped)
    for fdef in dropped:
        required = (fdef.get("constraints") or {}).get("required") or fdef["name"] in pk
        if mode in ("equal", "subset") or required:
            number += 1
            findings.append(cat.make("missing-label", line=1, field=fdef["name"], field_number=number, **where))
    if mode == "partial" and fields and not seen:
        findings.append(cat.make("schema-error", line=1, **where,
                                 detail="none of the schema's fields is in the header (fieldsMatch: partial)"))
    return Header(cols, dropped, findings)


def _as_list(v) -> list:
    if v is None:
        return []
    return [v] if isinstance(v, str) else list(v)


# ----------------------------------------------------------------------------- schema sanity

def schema_problems(schema: dict, where: dict) -> list:
    """Faults in the schema itself that make a check impossible (reported, then skipped)."""
    out = []
    names = []
    for i, f in enumerate(schema.get("fields") or [], start=1):
        if not isinstance(f, dict) or not isinstance(f.get("name"), str):
            out.append(cat.make("schema-error", **where, detail=f"field {i} of the schema has no name"))
            continue
        names.append(f["name"])
        t = ftype(f)
        if t not in KNOWN_TYPES:
            out.append(cat.make("schema-error", field=f["name"], field_number=i, **where,
                                detail=f"field {f['name']!r} has an unknown type {t!r}; its cells are not type-checked"))
        cons = f.get("constraints") or {}
        if not isinstance(cons, dict):
            out.append(cat.make("schema-error", field=f["name"], field_number=i, **where,
                                detail=f"field {f['name']!r}: constraints must be a mapping"))
            continue
        allowed = SUPPORTED.get(t, {"required", "unique", "enum", "minLength", "maxLength"})
        for name in cons:
            if name not in ALL_CONSTRAINTS:
                out.append(cat.make("schema-error", field=f["name"], field_number=i, **where,
                                    detail=f"field {f['name']!r}: unknown constraint {name!r} is ignored"))
            elif name not in allowed and name != "jsonSchema":
                out.append(cat.make("schema-error", field=f["name"], field_number=i, **where,
                                    detail=f"field {f['name']!r}: constraint {name!r} does not apply to type {t!r}; ignored"))
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        out.append(cat.make("schema-error", **where, detail=f"the schema names fields more than once: {', '.join(dup)}"))
    for key in _as_list(schema.get("primaryKey")):
        if key not in names:
            out.append(cat.make("schema-error", **where, detail=f"primaryKey names {key!r}, which is not a field"))
    return out


# ----------------------------------------------------------------------------- cells

@dataclass
class TableCheck:
    """What layer 2 found and computed for one table (keys and frames are built from it)."""

    parsed: ParsedCsv
    header: Header
    casts: dict = dc_field(default_factory=dict)     # field name -> Cast
    blank: np.ndarray | None = None                  # row is blank
    ragged: np.ndarray | None = None                 # row has too few or too many cells
    findings: list = dc_field(default_factory=list)


def _short(values: list, limit: int = 8) -> str:
    shown = ", ".join(str(v) for v in values[:limit])
    return shown + (f", ... ({len(values)} values)" if len(values) > limit else "")


def _fmt(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _scalar(value, typ: pa.DataType):
    try:
        return pa.scalar(value, type=typ)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError):
        return None


class _Cells:
    """Collects per-cell findings of one table quickly (positions -> Located)."""

    def __init__(self, parsed: ParsedCsv, where: dict, skip: np.ndarray):
        self.parsed, self.where, self.skip = parsed, where, skip
        self.out: list = []

    def add(self, code, positions, field_name, field_number, messages):
        lines, rows = self.parsed.lines, self.parsed.row_numbers
        for p, msg in zip(positions, messages):
            self.out.append(cat.make(code, line=int(lines[p]), row=int(rows[p]), field=field_name,
                                     field_number=field_number, msg=msg, **self.where))

    def keep(self, mask: np.ndarray) -> np.ndarray:
        return np.flatnonzero(mask & ~self.skip)


def _accepting(missing_values) -> str:
    """RE2 alternatives that also accept the missing values (so clean columns need no mask)."""
    return "".join("|" + re.escape(str(m)) for m in missing_values)


def _pattern_failures(raw, present: np.ndarray, pattern: str, missing_values) -> np.ndarray | None:
    """Present cells that do NOT match the whole-cell pattern, or None when all match.

    RE2 over the whole column in one kernel (missing values are accepted by the expression, so a
    clean column needs no mask); a pattern RE2 cannot compile (look-arounds, back-references)
    is matched with Python's re, once per distinct value.
    """
    rx = f"^(?:(?:{pattern}){_accepting(missing_values)})$"
    try:
        ok = pc.match_substring_regex(raw, rx)
        if pc.all(ok).as_py() is not False:
            return None
        return present & ~to_bool_numpy(ok, null_as=True)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        compiled = re.compile(f"^{pattern}$")
        dictionary, idx = encode(raw)
        ok_d = np.append(np.fromiter((compiled.match(t) is not None for t in dictionary.to_pylist()), dtype=bool,
                                     count=len(dictionary)), True)
        return present & ~ok_d[idx]


def check_cells(parsed: ParsedCsv, header: Header, schema: dict, where: dict) -> TableCheck:
    """Types and constraints of every cell, blank rows, short and long rows; one pass per column."""
    n, width = parsed.n_rows, parsed.width
    missing_values = schema.get("missingValues", [""])
    check = TableCheck(parsed=parsed, header=header)
    if n == 0:  # nothing to check, but keys into this table must find nothing
        check.blank = np.zeros(0, dtype=bool)
        check.ragged = np.zeros(0, dtype=bool)
        check.casts = {f["name"]: cast_array(parsed.columns[i], f, missing_values)
                       for i, f in enumerate(header.columns) if f is not None and i < len(parsed.columns)}
        return check
    counts = parsed.cell_counts
    ragged = counts != width
    all_missing = np.ones(n, dtype=bool)
    casts: dict[str, Cast] = {}

    def read(i):
        fdef = header.columns[i] if i < len(header.columns) else None
        raw = parsed.columns[i]
        if fdef is None:
            return None, missing_mask(as_array(raw), missing_values)
        return fdef, cast_array(raw, fdef, missing_values)

    for fdef, result in columnwise(read, range(width), n):
        if fdef is None:
            all_missing &= result
        else:
            casts[fdef["name"]] = result
            all_missing &= result.missing
    blank = all_missing if width else np.zeros(n, dtype=bool)
    cells = _Cells(parsed, where, blank)
    if blank.any():
        for p in np.flatnonzero(blank):
            cells.out.append(cat.make("blank-row", line=int(parsed.lines[p]), row=int(parsed.row_numbers[p]),
                                      msg=("the line is empty" if counts[p] == 0 else
                                           "the row is blank: every cell is empty"), **where))

    def judge(i):
        fdef = header.columns[i] if i < len(header.columns) else None
        if fdef is None:
            return []
        own = _Cells(parsed, where, blank)
        _check_field(own, parsed.columns[i], fdef, casts[fdef["name"]], i + 1, missing_values, absent=counts <= i)
        return own.out

    for found in columnwise(judge, range(width), n):
        cells.out.extend(found)
    # short rows: a missing-cell per absent column; long rows: an extra-cell per surplus cell
    short = np.flatnonzero((counts < width) & ~blank)
    for p in short:
        for pos in range(int(counts[p]) + 1, width + 1):
            fdef = header.columns[pos - 1]
            name = fdef["name"] if fdef else (parsed.labels[pos - 1] if parsed.labels else None)
            cells.out.append(cat.make("missing-cell", line=int(parsed.lines[p]), row=int(parsed.row_numbers[p]),
                                      field=name, field_number=pos, count=int(counts[p]), width=width,
                                      **where))
    long_ = np.flatnonzero((counts > width) & ~blank)
    for p in long_:
        extra = parsed.extras.get(int(p), [])
        for k in range(int(counts[p]) - width):
            cell = extra[k] if k < len(extra) else ""
            cells.out.append(cat.make("extra-cell", line=int(parsed.lines[p]), row=int(parsed.row_numbers[p]),
                                      field_number=width + k + 1, cell=cell[:60], width=width, **where))
    check.casts, check.blank, check.ragged, check.findings = casts, blank, ragged, cells.out
    return check


def _check_field(cells: _Cells, raw, fdef: dict, cast: Cast, number: int, missing_values=("",),
                 absent: np.ndarray | None = None) -> None:
    """Type and constraints of one column. Each check first asks Arrow whether any cell fails, so
    a clean column costs one kernel per constraint and nothing is converted row by row."""
    name = fdef["name"]
    t = ftype(fdef)
    cons = fdef.get("constraints") or {}
    allowed = SUPPORTED.get(t, {"required", "unique", "enum", "minLength", "maxLength"})
    missing_values = fdef.get("missingValues", missing_values)

    def texts(pos):
        return raw.take(pa.array(pos, pa.int64())).to_pylist()

    # type errors
    pos = cells.keep(cast.bad) if cast.bad.any() else ()
    if len(pos):
        words = expected_words(fdef)
        over = cast.overflow
        msgs = [(f"{c!r} is not {words}" if over is None or not over[p] else
                 f"{c!r} is a whole number too large for 64 bits") for p, c in zip(pos, texts(pos))]
        cells.add("type-error", pos, name, number, msgs)

    # required
    if cons.get("required") and cast.missing.any():
        pos = cells.keep(cast.missing)
        if len(pos):
            if absent is None:
                absent = np.zeros(len(cast.missing), dtype=bool)
            cells.add("constraint-error", pos, name, number,
                      [(f"there is no cell for field {name!r}, which is required" if absent[p] else
                        f"field {name!r} is required but the cell is empty") for p in pos])
    present = ~cast.missing & ~cast.bad
    if not present.any():
        return
    text_typed = t in ("string", "any", "list") or t not in KNOWN_TYPES
    # enum (typed comparison, like frictionless; missing cells and absent cells pass)
    if "enum" in cons:
        enum = list(cons["enum"] or [])
        if cast.values.type == pa.string():
            accepted = [v if isinstance(v, str) else str(v) for v in enum]
            target = raw if text_typed else cast.values
            value_set = pa.array(accepted + [str(m) for m in missing_values] + [None], pa.string())
        else:
            target = cast.values
            typed = [v for v in (read_constraint(v, fdef) for v in enum) if v is not None]
            value_set = pa.array(typed + [None], type=target.type)
        ok = pc.is_in(target, value_set=value_set, skip_nulls=False)
        if pc.all(ok).as_py() is False:
            pos = cells.keep(present & ~to_bool_numpy(ok, null_as=True))
            if len(pos):
                listed = _short([str(v) for v in enum])
                cells.add("constraint-error", pos, name, number,
                          [f"{c!r} is not one of the allowed values: {listed}" for c in texts(pos)])
    # minimum / maximum
    for key, op, words in (("minimum", pc.less, "less than the minimum"),
                           ("maximum", pc.greater, "greater than the maximum"),
                           ("exclusiveMinimum", pc.less_equal, "not greater than the exclusive minimum"),
                           ("exclusiveMaximum", pc.greater_equal, "not less than the exclusive maximum")):
        if key not in cons or key not in allowed or cast.values.type == pa.string():
            continue
        bound = read_constraint(cons[key], fdef)
        sc = _scalar(bound, cast.values.type) if bound is not None else None
        if sc is None:
            cells.out.append(cat.make("schema-error", field=name, field_number=number, **cells.where,
                                      detail=f"field {name!r}: {key} {cons[key]!r} is not a {t}; not checked"))
            continue
        failing = op(cast.values, sc)
        if pc.any(failing).as_py():
            pos = cells.keep(present & to_bool_numpy(failing))
            if len(pos):
                cells.add("constraint-error", pos, name, number,
                          [f"{c.strip()} is {words} {_fmt(bound)}" for c in texts(pos)])
    # minLength / maxLength (characters of the text)
    if t in LENGTH_TYPES:
        lengths = None
        for key, op, words in (("minLength", pc.less, "shorter than the minimum"),
                               ("maxLength", pc.greater, "longer than the maximum")):
            if key not in cons:
                continue
            if lengths is None:
                lengths = pc.utf8_length(raw)
            limit = int(cons[key])
            failing = op(lengths, limit)
            if pc.any(failing).as_py():
                pos = cells.keep(present & to_bool_numpy(failing))
                if len(pos):
                    n_chars = lengths.take(pa.array(pos, pa.int64())).to_pylist()
                    cells.add("constraint-error", pos, name, number,
                              [f"the text is {k} characters long, {words} {limit}: {c[:40]!r}"
                               + ("..." if len(c) > 40 else "") for k, c in zip(n_chars, texts(pos))])
    # pattern (whole cell; strings only, as in frictionless)
    if "pattern" in cons and t == "string":
        pattern = str(cons["pattern"])
        try:
            failing = _pattern_failures(raw, present, pattern, missing_values)
        except re.error as exc:
            cells.out.append(cat.make("schema-error", field=name, field_number=number, **cells.where,
                                      detail=f"field {name!r}: pattern {pattern!r} is not a valid regular expression: {exc}"))
            failing = None
        if failing is not None:
            pos = cells.keep(failing)
            if len(pos):
                cells.add("constraint-error", pos, name, number,
                          [f"{c!r} does not match the pattern {pattern}" for c in texts(pos)])


# ----------------------------------------------------------------------------- formula cells

def formula_findings(check: TableCheck, where: dict) -> list:
    """Text cells a spreadsheet would run as a formula (=, +, -, @ first; plain numbers excepted)."""
    parsed = check.parsed

    def one(i):
        fdef = check.header.columns[i]
        if fdef is None or ftype(fdef) != "string" or fformat(fdef) not in ("default", ""):
            return []
        cand = formula_candidates(parsed.columns[i])
        if not len(cand):
            return []
        cand = cand[~check.blank[cand]] if check.blank is not None and len(check.blank) else cand
        texts = as_array(parsed.columns[i]).take(pa.array(cand, pa.int64())).to_pylist()
        out = []
        for p, text in zip(cand, texts):
            if text is None or len(text) < 2 or _NUMBER_TEXT.match(text):
                continue
            out.append(cat.make("formula-cell", line=int(parsed.lines[p]), row=int(parsed.row_numbers[p]),
                                field=fdef["name"], field_number=i + 1, cell=text[:60], char=text[0], **where))
        return out

    return [f for found in columnwise(one, range(len(check.header.columns)), parsed.n_rows) for f in found]


# ----------------------------------------------------------------------------- keys

def _codes(arr) -> tuple[np.ndarray, int]:
    """Hash a column: an int code per row (equal values, equal codes; null has a code of its own)."""
    dictionary, idx = encode(arr)
    k = len(dictionary)
    idx = np.where(idx < 0, k, idx)
    return idx, k + 1


def _combine(columns: list) -> np.ndarray:
    """One int code per row for a tuple of columns (composite keys)."""
    codes, k = _codes(columns[0])
    for col in columns[1:]:
        c2, k2 = _codes(col)
        combined = codes * k2 + c2
        uniq, inverse = np.unique(combined, return_inverse=True)
        codes, k = inverse.astype(np.int64), len(uniq)
    return codes


def _duplicates(codes: np.ndarray, eligible: np.ndarray, order: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(positions of second and later occurrences among eligible rows, position of each one's first).

    "First" is by `order` (the rows' numbers in the file) when the rows are not in file order.
    """
    pos = np.flatnonzero(eligible)
    if order is not None and len(pos) > 1 and not np.all(np.diff(order[pos]) > 0):
        pos = pos[np.argsort(order[pos], kind="stable")]
    if len(pos) < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    sub = codes[pos]
    if sub.min() >= 0:
        # count each code (codes are dense), then look only at the rows whose value repeats:
        # linear, and a sort of the few repeated rows instead of all of them
        repeated = np.flatnonzero(np.bincount(sub)[sub] > 1)
        if not len(repeated):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        _, first_idx, inverse = np.unique(sub[repeated], return_index=True, return_inverse=True)
        first_of = repeated[first_idx[inverse]]
        later = first_of != repeated
        return pos[repeated[later]], pos[first_of[later]]
    uniq, first_idx, inverse = np.unique(sub, return_index=True, return_inverse=True)
    if len(uniq) == len(sub):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    first_of = first_idx[inverse]
    later = np.flatnonzero(first_of != np.arange(len(sub)))
    return pos[later], pos[first_of[later]]


def _strictly_increasing(values) -> bool:
    """Sorted keys (ids written in order) are unique without hashing: one comparison kernel."""
    if len(values) < 2 or values.null_count:
        return len(values) < 2
    try:
        return pc.all(pc.less(values[:-1], values[1:])).as_py() is True
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError):
        return False


def _value_duplicates(values, order: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Second and later occurrences of non-null values (and each one's first), by hashing once."""
    if _strictly_increasing(values):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    dictionary, codes = encode(values)
    nonnull = len(values) - values.null_count
    if len(dictionary) == nonnull:  # the clean case: every value distinct
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return _duplicates(codes, codes >= 0, order)


def key_findings(check: TableCheck, schema: dict, where: dict) -> list:
    """unique-error per unique field, primary-key per repeated or blank key."""
    out = []
    parsed = check.parsed
    n = parsed.n_rows
    if n == 0:
        return out
    lines, rows = parsed.lines, parsed.row_numbers
    numbers = {f["name"]: i + 1 for i, f in enumerate(check.header.columns) if f is not None}
    unique_dups: dict[str, tuple] = {}
    for name, cast in check.casts.items():
        fdef = check.header.columns[numbers[name] - 1]
        if not (fdef.get("constraints") or {}).get("unique"):
            continue
        later, first = unique_dups[name] = _value_duplicates(cast.values, rows)
        if not len(later):
            continue
        raw = as_array(parsed.columns[numbers[name] - 1])
        texts = raw.take(pa.array(later, pa.int64())).to_pylist()
        for p, f0, text in zip(later, first, texts):
            out.append(cat.make("unique-error", line=int(lines[p]), row=int(rows[p]), field=name,
                                field_number=numbers[name], cell=text, first_line=int(lines[f0]), **where))
    pk = _as_list(schema.get("primaryKey"))
    if pk and all(k in check.casts for k in pk):
        cols = [check.casts[k] for k in pk]
        nulls = [c.missing | c.bad for c in cols]
        all_null = np.logical_and.reduce(nulls)
        some_null = np.logical_or.reduce(nulls) & ~all_null
        label = ", ".join(pk)
        for p in np.flatnonzero(all_null):
            out.append(cat.make("primary-key", line=int(lines[p]), row=int(rows[p]), field=label, **where,
                                detail=(f"the primary key {label} is blank" if len(pk) > 1 else
                                        f"the primary key {label} is blank" +
                                        (" (its cell is not a valid value)" if cols[0].bad[p] else ""))))
        if len(pk) > 1:
            for p in np.flatnonzero(some_null):
                blanks = [k for k, m in zip(pk, nulls) if m[p]]
                out.append(cat.make("primary-key", line=int(lines[p]), row=int(rows[p]), field=blanks[0],
                                    field_number=numbers.get(blanks[0]), **where,
                                    detail=(f"part of the primary key ({label}) is blank: {', '.join(blanks)}; "
                                            f"every part of a primary key is required")))
        eligible = ~all_null
        if len(pk) == 1:
            later, first = unique_dups[pk[0]] if pk[0] in unique_dups else _value_duplicates(cols[0].values, rows)
        else:
            codes = _combine([c.values for c in cols])
            later, first = _duplicates(codes, eligible, rows)
        if len(later):
            texts = [as_array(parsed.columns[numbers[k] - 1]).take(pa.array(later, pa.int64())).to_pylist() for k in pk]
            for j, (p, f0) in enumerate(zip(later, first)):
                shown = ", ".join(repr(t[j]) for t in texts)
                what = f"the primary key {label} {shown}" if len(pk) == 1 else f"the primary key ({label}) = ({shown})"
                out.append(cat.make("primary-key", line=int(lines[p]), row=int(rows[p]), field=label, **where,
                                    detail=f"{what} repeats the key of line {int(lines[f0])}"))
    return out


def _common_type(a: pa.DataType, b: pa.DataType):
    if a == b:
        return a
    numeric = (pa.types.is_integer(a) or pa.types.is_floating(a)) and (pa.types.is_integer(b) or pa.types.is_floating(b))
    return pa.float64() if numeric else None


def foreign_key_findings(check: TableCheck, resource_name: str, schema: dict, tables: dict, known: set,
                         where: dict) -> list:
    """foreign-key per row whose key (not entirely blank) has no match in the referenced table.

    `tables` maps table name -> TableCheck; `known` is every table name of the package (a table
    that could not be read is known but absent from `tables`: foreign keys into it are not
    checked, its own finding says why).
    """
    out = []
    parsed = check.parsed
    if parsed.n_rows == 0:
        return out
    for fk in schema.get("foreignKeys") or []:
        if not isinstance(fk, dict):
            continue
        fields = _as_list(fk.get("fields"))
        ref = fk.get("reference") or {}
        ref_name = ref.get("resource") or resource_name
        ref_fields = _as_list(ref.get("fields"))
        label = ", ".join(fields)
        if not fields or len(fields) != len(ref_fields):
            out.append(cat.make("schema-error", **where, detail=(
                f"foreign key ({label}) -> {ref_name}({', '.join(ref_fields)}): the two lists of fields differ in length")))
            continue
        if any(f not in check.casts for f in fields):
            declared = {f.get("name") for f in schema.get("fields") or []}
            unknown = [f for f in fields if f not in declared]
            if unknown:
                out.append(cat.make("schema-error", **where, detail=(
                    f"foreign key names {', '.join(unknown)}, which {'is' if len(unknown) == 1 else 'are'} not a field")))
            continue  # a field without a column: reported as missing-label already
        target = tables.get(ref_name)
        if target is None:
            if ref_name not in known:
                out.append(cat.make("schema-error", **where, detail=(
                    f"foreign key ({label}) refers to table {ref_name!r}, which the package does not have")))
            continue
        if any(f not in target.casts for f in ref_fields):
            missing = [f for f in ref_fields if f not in target.casts]
            out.append(cat.make("schema-error", **where, detail=(
                f"foreign key ({label}) refers to {ref_name}.{', '.join(missing)}, which is not a column there")))
            continue
        src = [check.casts[f] for f in fields]
        dst = [target.casts[f] for f in ref_fields]
        src_null = np.logical_and.reduce([c.missing | c.bad for c in src])
        dst_all_null = np.logical_and.reduce([c.missing | c.bad for c in dst])
        todo = ~src_null
        if not todo.any():
            continue
        matched = _match(src, dst, dst_all_null)
        bad = np.flatnonzero(todo & ~matched)
        if not len(bad):
            continue
        numbers = {f["name"]: i for i, f in enumerate(check.header.columns) if f is not None}
        texts = [as_array(parsed.columns[numbers[f]]).take(pa.array(bad, pa.int64())).to_pylist() for f in fields]
        for j, p in enumerate(bad):
            shown = ", ".join(repr(t[j]) if t[j] not in (None, "") else "(blank)" for t in texts)
            if len(fields) == 1:
                detail = (f"{fields[0]} {shown} is not a {ref_fields[0]} of table {ref_name}"
                          + (" (the same table)" if ref_name == resource_name else ""))
            else:
                detail = f"({label}) = ({shown}) matches no ({', '.join(ref_fields)}) of table {ref_name}"
            out.append(cat.make("foreign-key", line=int(parsed.lines[p]), row=int(parsed.row_numbers[p]),
                                field=label, field_number=(numbers[fields[0]] + 1) if len(fields) == 1 else None,
                                detail=detail, **where))
    return out


def _match(src: list, dst: list, dst_all_null: np.ndarray) -> np.ndarray:
    """Rows of src whose typed key tuple occurs among dst's (dst rows entirely blank excluded)."""
    n = len(src[0].values)
    keep = ~dst_all_null
    if len(src) == 1:
        a, b = as_array(src[0].values), as_array(dst[0].values)
        typ = _common_type(a.type, b.type)
        if typ is None:
            return np.zeros(n, dtype=bool)
        if a.type != typ:
            a = a.cast(typ)
        if b.type != typ:
            b = b.cast(typ)
        b = b.filter(pa.array(keep))
        return to_bool_numpy(pc.is_in(a, value_set=pc.unique(b)))
    columns = []
    for s, d in zip(src, dst):
        a, b = as_array(s.values), as_array(d.values)
        typ = _common_type(a.type, b.type)
        if typ is None:
            return np.zeros(n, dtype=bool)
        a, b = a.cast(typ), b.cast(typ)
        chunks = (a.chunks if isinstance(a, pa.ChunkedArray) else [a]) + (b.chunks if isinstance(b, pa.ChunkedArray) else [b])
        columns.append(pa.chunked_array(chunks, type=typ))
    codes = _combine(columns)
    src_codes, dst_codes = codes[:n], codes[n:][keep]
    return np.isin(src_codes, dst_codes)
