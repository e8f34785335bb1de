"""One column against its field: the cell's type, then each constraint the field declares.

Its own module because it is the per-field half of the cell check: cells.py makes one pass over
the table (blank, short and long rows) and calls `check_field` once per declared column. It
works on whole Arrow columns (kzcn.package.cast reads them as their types) and turns only the
faulty cells into findings, one finding per faulty cell and violated constraint: a bad cell is
null in the typed column and never makes its column fail as a whole. A missing cell of a
required field is a `constraint-error`, as in frictionless.
"""
from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import catalogue as cat
from ...package.cast import (Cast, KNOWN_TYPES, expected_words, fformat, ftype, read_constraint, to_bool_numpy)
from ..structure import ParsedCsv
from .vocabulary import LENGTH_TYPES, allowed_constraints


class Cells:
    """Collects per-cell findings of one table quickly (positions -> Located).

    With a `budget` (kzcn.validate.budget), `keep` hands out at most its cap of positions per
    code, the earliest by line, and counts the rest: no message is written for a finding that
    will not be listed."""

    def __init__(self, parsed: ParsedCsv, where: dict, skip: np.ndarray, budget=None):
        self.parsed, self.where, self.skip, self.budget = parsed, where, skip, budget
        self.out: list = []
        self.made: dict = {}

    def add(self, code, positions, field_name, field_number, messages):
        self.made[code] = self.made.get(code, 0) + len(positions)
        lines, rows = self.parsed.lines, self.parsed.row_numbers
        for p, msg in zip(positions, messages):
            self.out.append(cat.make(code, line=int(lines[p]), row=int(rows[p]), field=field_name,
                                     field_number=field_number, msg=msg, **self.where))

    def keep(self, mask: np.ndarray, code: str = "constraint-error") -> np.ndarray:
        pos = np.flatnonzero(mask & ~self.skip)
        if self.budget is None:
            return pos
        room = self.budget.cap - self.made.get(code, 0)
        return self.budget.first(pos, self.parsed.lines, self.where.get("resource"), code, room)


def _short(values: list, limit: int = 8) -> str:
    shown = ", ".join(str(v) for v in values[:limit])
    return shown + (f", ... ({len(values)} values)" if len(values) > limit else "")


def _fmt(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _bound_message(cell: str, words: str, key: str, bound) -> str:
    if cell.lower() in ("nan", "+nan", "-nan"):
        return f"{cell} is not a number that can meet the {key} {_fmt(bound)}: NaN is neither above nor below any number"
    return f"{cell} is {words} {_fmt(bound)}"


def _scalar(value, typ: pa.DataType):
    try:
        return pa.scalar(value, type=typ)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError):
        return None


def _accepting(missing_values) -> str:
    """RE2 alternatives that also accept the missing values (so clean columns need no mask)."""
    return "".join("|" + re.escape(str(m)) for m in missing_values)


class PatternError(ValueError):
    """A pattern RE2 cannot compile; the message says why in a person's words."""


def _re2_problem(pattern: str, exc: Exception) -> str:
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if any(tok in pattern for tok in ("(?=", "(?!", "(?<=", "(?<!")) or re.search(r"\\[1-9]|\(\?P=", pattern):
        return ("pattern uses lookarounds or backreferences, which are not supported: RE2 syntax only "
                f"({reason})")
    return f"pattern is not a regular expression RE2 can compile: RE2 syntax only ({reason})"


def _pattern_failures(raw, present: np.ndarray, pattern: str, missing_values) -> np.ndarray | None:
    """Present cells that do NOT match the whole-cell pattern, or None when all match.

    RE2 over the whole column in one kernel (missing values are accepted by the expression, so a
    clean column needs no mask). RE2 runs in time linear in the text; Python's re backtracks
    (28 characters against a nested quantifier took 35 s), so a pattern RE2 cannot compile
    (look-arounds, back-references) is a PatternError, never run on the data another way.
    """
    rx = f"^(?:(?:{pattern}){_accepting(missing_values)})$"
    try:
        ok = pc.match_substring_regex(raw, rx)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise PatternError(_re2_problem(pattern, exc)) from None
    if pc.all(ok).as_py() is not False:
        return None
    return present & ~to_bool_numpy(ok, null_as=True)


def check_field(cells: Cells, raw, fdef: dict, cast: Cast, number: int, missing_values=("",),
                absent: np.ndarray | None = None) -> None:
    """Type and constraints of one column. Each check first asks Arrow whether any cell fails, so
    a clean column costs one kernel per constraint and nothing is converted row by row."""
    name = fdef["name"]
    t = ftype(fdef)
    cons = fdef.get("constraints") or {}
    allowed = allowed_constraints(t)
    missing_values = fdef.get("missingValues", missing_values)

    def texts(pos):
        return raw.take(pa.array(pos, pa.int64())).to_pylist()

    # type errors
    pos = cells.keep(cast.bad, "type-error") if cast.bad.any() else ()
    if len(pos):
        words = expected_words(fdef)
        over = cast.overflow
        msgs = [(f"{c!r} is not {words}" if over is None or not over[p] else
                 f"{c!r} is a whole number too large for 64 bits") for p, c in zip(pos, texts(pos))]
        if t == "string" and fformat(fdef) == "uri":  # say what is wrong: a space is not a missing scheme
            from ...package.cast.strings import why_not_uri

            msgs = [f"{c!r} is not a URI: {why_not_uri(c)}" for c in texts(pos)]
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
            if pa.types.is_floating(target.type):  # -0 equals 0 (a hash set tells them apart)
                target, value_set = pc.add(target, 0.0), pc.add(value_set, 0.0)
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
        if pa.types.is_floating(cast.values.type):  # NaN meets no bound (frictionless flags it too)
            failing = pc.or_kleene(failing, pc.is_nan(cast.values))
        if pc.any(failing).as_py():
            pos = cells.keep(present & to_bool_numpy(failing))
            if len(pos):
                cells.add("constraint-error", pos, name, number,
                          [_bound_message(c.strip(), words, key, bound) for c in texts(pos)])
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
        except PatternError as exc:
            cells.out.append(cat.make("schema-error", field=name, field_number=number, **cells.where,
                                      detail=f"field {name!r}: {exc}; pattern {pattern[:200]!r} is not checked"))
            failing = None
        if failing is not None:
            pos = cells.keep(failing)
            if len(pos):
                cells.add("constraint-error", pos, name, number,
                          [f"{c!r} does not match the pattern {pattern}" for c in texts(pos)])

