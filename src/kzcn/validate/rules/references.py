"""References: codes are real codes, and linked rows find each other.

Codes are checked against pycountry, a maintained copy of the ISO standards (3166-1 countries,
3166-2 subdivisions such as CN-SD or KZ-75, 639 languages, 4217 currencies), never against a
list typed in here: a pattern like ^CN-[A-Z]{2}$ lets CN-ZZ through, pycountry does not.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .context import ParamError, as_list, text
from .selection import lines_of, select

CODE_KINDS = ("country", "subdivision", "country_or_subdivision", "language", "currency")


@lru_cache(maxsize=4096)
def code_problem(kind: str, value: str, countries: tuple[str, ...] = ()) -> str | None:
    """None when value is a valid code of this kind; else what is wrong, in words.

    The lookups are pycountry's data, read by kzcn.validate.rules.isocodes (same answers as
    pycountry's case-insensitive `get`, without its start-up cost)."""
    from .isocodes import lookup, subdivision_country

    if kind == "country":
        return None if lookup("countries", value) else "is not an ISO 3166-1 alpha-2 country code"
    if kind == "subdivision":
        code = lookup("subdivisions", value)
        if code is None:
            return "is not an ISO 3166-2 subdivision code"
        country = subdivision_country(code)
        if countries and country not in countries:
            return f"is a subdivision of {country}, expected one of {', '.join(countries)}"
        return None
    if kind == "country_or_subdivision":
        if "-" in value:
            return code_problem("subdivision", value, countries)
        if countries and value not in countries:
            return f"is not one of {', '.join(countries)}"
        return code_problem("country", value)
    if kind == "language":
        return None if lookup("languages", value) else "is not an ISO 639-1 language code"
    if kind == "currency":
        return None if lookup("currencies", value) else "is not an ISO 4217 currency code"
    raise ParamError(f"unknown code kind {kind!r}; use one of {', '.join(CODE_KINDS)}")


def codes_valid(frames, params, ctx):
    findings = []
    field, kind = params.get("field"), params.get("code")
    if kind not in CODE_KINDS:
        raise ParamError(f"code must be one of {', '.join(CODE_KINDS)}, found {kind!r}")
    countries = tuple(as_list(params.get("country")))
    only = params.get("only_pattern")
    only_re = re.compile(only) if only else None
    skip = {str(s) for s in as_list(params.get("skip"))}
    for table in ctx.tables(params):
        frame = ctx.table(table, [field])
        if frame is None:
            continue
        for ln in lines_of(select(frame, params.get("where"))):
            value = text(frame.at[ln, field])
            if value is None or value in skip or (only_re and not only_re.fullmatch(value)):
                continue
            problem = code_problem(kind, value, countries)
            if problem:
                findings.append(ctx.finding(table, ln, field, f"{field} {value!r} {problem}", rows=[ctx.row_id(table, ln)]))
    return findings


def _ends(params, name):
    spec = params.get(name)
    if not isinstance(spec, dict) or "table" not in spec or "field" not in spec:
        raise ParamError(f"{name} needs table and field")
    return spec["table"], spec["field"]


def _linked(params, ctx, first: str, second: str):
    """The two ends of a link (child, parent), each as (table, field, frame), in the order named.

    Both ends are checked, then both tables looked up, in that order: when both ends are wrong,
    the first named is the one reported. None when either table could not be loaded."""
    ends = [_ends(params, name) for name in (first, second)]
    tables = [ctx.table(table, [field]) for table, field in ends]
    if any(frame is None for frame in tables):
        return None
    return [(table, field, frame) for (table, field), frame in zip(ends, tables)]


def no_orphans(frames, params, ctx):
    """Every child row (a participant) points at an existing parent row (its meeting).

    When the child's schema already declares this foreign key, the schema layer reports the
    orphan (code foreign-key) and this rule stays quiet, so one fault is one finding.
    """
    findings = []
    ends = _linked(params, ctx, "child", "parent")
    if ends is None:
        return findings
    (ctable, cfield, child), (ptable, pfield, parent) = ends
    if params.get("skip_if_foreign_key", True):
        for fk in ctx.package.resource(ctable).foreign_keys:
            if fk["fields"] == [cfield] and fk["resource"] == ptable and fk["reference_fields"] == [pfield]:
                return findings
    known = {text(v) for v in parent[pfield] if text(v) is not None}
    for ln in child.index:
        v = text(child.at[ln, cfield])
        if v is not None and v not in known:
            findings.append(ctx.finding(ctable, ln, cfield, f"{cfield} {v!r} names no row of {ptable} ({pfield})",
                                        rows=[ctx.row_id(ctable, ln)]))
    return findings


def has_children(frames, params, ctx):
    """Every parent row (a meeting) has at least one child row (a participant)."""
    findings = []
    ends = _linked(params, ctx, "parent", "child")
    if ends is None:
        return findings
    (ptable, pfield, parent), (ctable, cfield, child) = ends
    present = {text(v) for v in child[cfield] if text(v) is not None}
    for ln in lines_of(select(parent, params.get("where"))):
        v = text(parent.at[ln, pfield])
        if v is not None and v not in present:
            findings.append(ctx.finding(ptable, ln, pfield, f"{ptable} row {v!r} has no rows in {ctable} ({cfield})",
                                        rows=[ctx.row_id(ptable, ln)]))
    return findings
