"""Which rows a rule looks at, and which rows each of them is compared with.

The rules file picks rows with selectors ({flow: export}, {period_start: {present: true}}) and
pairs rows that agree on some fields (same basis, scope and period), a wildcard value such as
basis `unspecified` agreeing with any. Every kind does both, so both live here once: `select`
turns a selector into a mask, `lines_of` a mask into lines, `keys_of` reads the fields rows are
matched on, `match_lines` pairs them, `resolve_rows` finds a row named by id or by selector.
Selections stay vectorised over the columns; only the pairing walks rows.
"""
from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd

from .context import NotApplicable, ParamError, RuleContext, as_list, na


# ---- selecting rows -------------------------------------------------------------------------

def _coerce_like(series: pd.Series, value):
    if pd.api.types.is_datetime64_any_dtype(series.dtype) and isinstance(value, (str, _dt.date)):
        return pd.Timestamp(value)
    if pd.api.types.is_bool_dtype(series.dtype) or str(series.dtype) == "boolean":
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
    return value


def fullmatch_re2(col: pd.Series, pattern: str, fname: str) -> pd.Series:
    """Cells that match `pattern` as a whole, through RE2 (pyarrow), never Python's re.

    rules.yaml arrives in pull requests like the data: a backtracking engine would let one
    pattern of a few characters hold CI for hours. RE2 is linear in the text; a pattern it
    cannot compile (look-arounds, back-references) is a ParamError naming the field."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.array(col.astype("string").astype(object).where(col.notna(), None).tolist(), pa.string())
    try:
        ok = pc.match_substring_regex(text, f"^(?:{pattern})$")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise ParamError(f"the pattern {pattern[:200]!r} on field {fname!r} is not one RE2 can compile "
                         f"(look-arounds and back-references are not supported: RE2 syntax only): "
                         f"{str(exc).splitlines()[0]}") from None
    return pd.Series(ok.fill_null(False).to_numpy(zero_copy_only=False), index=col.index).astype(bool)


def select(frame: pd.DataFrame, where: dict | None) -> pd.Series:
    """Rows matching a selector. Each field maps to a value (equal), a list (one of),
    {pattern: regex}, {present: true|false} or {not: value|list}; `any_of: [selector, ...]`
    matches a row that one of its selectors matches (a stock is a row with an as_of date OR an
    indicator declared cumulative)."""
    mask = pd.Series(True, index=frame.index)
    if not where:
        return mask
    if not isinstance(where, dict):
        raise ParamError(f"a row selector must be a mapping of field -> condition, found {where!r}")
    for fname, cond in where.items():
        if fname == ANY_OF:
            mask &= _any_of(frame, cond)
            continue
        if fname not in frame.columns:
            raise NotApplicable(f"no field {fname!r} to select rows by")
        col = frame[fname]
        mask &= _condition(col, cond, fname)
    return mask.fillna(False).astype(bool)


ANY_OF = "any_of"


def _any_of(frame: pd.DataFrame, options) -> pd.Series:
    if not isinstance(options, list) or not options:
        raise ParamError(f"any_of takes a list of row selectors, found {options!r}")
    mask = pd.Series(False, index=frame.index)
    for option in options:
        mask |= select(frame, option)
    return mask


def selector_fields(where) -> list[str]:
    """The fields a selector reads (through any_of too): what a rule must find in its table."""
    if not isinstance(where, dict):
        return []
    out = []
    for fname, cond in where.items():
        if fname == ANY_OF and isinstance(cond, list):
            out += [f for option in cond for f in selector_fields(option)]
        else:
            out.append(fname)
    return out


def _equals(col: pd.Series, value) -> pd.Series:
    if isinstance(col.dtype, pd.CategoricalDtype):
        # as text, compared on the codes: no column of strings is built
        wanted = [i for i, c in enumerate(col.cat.categories) if str(c) == str(value)]
        return pd.Series(np.isin(col.cat.codes.to_numpy(), wanted), index=col.index)
    if pd.api.types.is_string_dtype(col.dtype):
        return (col.astype("string") == str(value)).fillna(False).astype(bool)
    return (col == _coerce_like(col, value)).fillna(False).astype(bool)


def _condition(col: pd.Series, cond, fname: str) -> pd.Series:
    if isinstance(cond, dict):
        m = pd.Series(True, index=col.index)
        for op, arg in cond.items():
            if op == "pattern":
                m &= fullmatch_re2(col, str(arg), fname)
            elif op == "present":
                m &= (col.notna() if arg else col.isna()).astype(bool)
            elif op == "not":
                m &= ~_condition(col, arg, fname) & col.notna()
            elif op == "in":
                m &= _condition(col, list(as_list(arg)), fname)
            else:
                raise ParamError(f"unknown condition {op!r} on field {fname!r}; use pattern, present, not or in")
        return m
    if isinstance(cond, list):
        m = pd.Series(False, index=col.index)
        for v in cond:
            m |= _equals(col, v)
        return m
    return _equals(col, cond)


def lines_of(mask: pd.Series) -> list[int]:
    return np.asarray(mask.index[mask.to_numpy()], dtype=np.int64).tolist()


def resolve_rows(ctx: RuleContext, table: str, frame: pd.DataFrame, spec, role: str) -> list[int]:
    """A row named by its primary-key id (text) or picked by a selector (mapping)."""
    if isinstance(spec, str):
        return ctx.find_row(table, frame, spec)
    if isinstance(spec, dict):
        return lines_of(select(frame, spec))
    raise ParamError(f"{role} must be a row id or a selector mapping, found {spec!r}")


# ---- matching rows to rows ------------------------------------------------------------------------

def _key_value(x):
    if na(x):
        return None
    if isinstance(x, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(x)
    if isinstance(x, (np.bool_, bool)):
        return bool(x)
    if isinstance(x, (np.integer, np.floating)):
        return float(x)
    return str(x)


def keys_of(frame: pd.DataFrame, lines, fields: list[str]) -> dict[int, tuple]:
    return {int(ln): tuple(_key_value(frame.at[ln, f]) for f in fields) for ln in lines}


def compatible(a, b, wildcard) -> bool:
    """Two cells agree: equal, or either is the rule's wildcard (e.g. basis `unspecified`)."""
    if a is None or b is None:
        return False
    if a == b:
        return True
    return wildcard is not None and (a in wildcard or b in wildcard)


def match_lines(frame: pd.DataFrame, left_lines, right_lines, fields: list[str], wildcards: dict | None = None,
                rename: dict | None = None, exclude_same: bool = True) -> dict[int, list[int]]:
    """For each left line, the right lines agreeing on `fields` (left field renamed by `rename`).

    A missing cell never matches (two undated figures are not the same period). Wildcards map a
    field to the values that match anything, e.g. {reporter_basis: [unspecified]}.
    """
    wildcards = {k: set(as_list(v)) for k, v in (wildcards or {}).items()}
    rename = rename or {}
    for f in fields:
        if f not in frame.columns or rename.get(f, f) not in frame.columns:
            raise NotApplicable(f"no field {rename.get(f, f)!r} to match rows by")
    left_fields = [rename.get(f, f) for f in fields]
    lkeys = keys_of(frame, left_lines, left_fields)
    rkeys = keys_of(frame, right_lines, fields)
    strict = [i for i, f in enumerate(fields) if f not in wildcards]
    loose = [i for i, f in enumerate(fields) if f in wildcards]
    buckets: dict[tuple, list[int]] = {}
    for ln, key in rkeys.items():
        sk = tuple(key[i] for i in strict)
        if any(v is None for v in sk):
            continue
        buckets.setdefault(sk, []).append(ln)
    out: dict[int, list[int]] = {}
    for ln, key in lkeys.items():
        sk = tuple(key[i] for i in strict)
        if any(v is None for v in sk):
            continue
        found = []
        for rl in buckets.get(sk, []):
            if exclude_same and rl == ln:
                continue
            if all(compatible(key[i], rkeys[rl][i], wildcards[fields[i]]) for i in loose):
                found.append(rl)
        if found:
            out[ln] = found
    return out
