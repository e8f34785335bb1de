"""Shares: a percentage lies in 0–100, and a stated share agrees with numerator / denominator.

"Shandong makes up more than 6% of Kazakhstan–China trade" can be checked only against a
Shandong figure and a national figure of one period and one statistical basis. The seed share
has no period, so a rule may name its numerator and denominator explicitly; a basis of
`unspecified` may be allowed to match any basis (it is one of them), but numerator and
denominator must then be of one basis between themselves (mixing Chinese-customs and Kazakh
figures produces the classic 64%-instead-of-40% trap).

Every counterpart (counterparts.py): a share must agree with every numerator / denominator pair
of its own basis; pairs with unspecified rows are used only when its basis has none, and an
unspecified share fails when no basis's pairs agree with it.
"""
from __future__ import annotations

from .intervals import Interval, fmt, stated_interval
from .context import ParamError, as_list, na, text
from .selection import compatible, lines_of, match_lines, resolve_rows, select
from .counterparts import basis_label, judge, own_label
from .quantities import MAX_CANDIDATES

PERCENT = Interval(0.0, 100.0)
POINT_TOLERANCE = 0.02


def _point_fits(stated, point: float, tol: float) -> bool:
    """A figure computed from stated points agrees with a stated figure: inside its interval, or
    within tol (relative) of its point — rounded inputs move a computed point a little."""
    return stated.interval.contains(point) or abs(point - stated.point) <= tol * abs(stated.point)


def share_plausible(frames, params, ctx):
    """A share's stated interval must reach into [0, 100] and be stated in percent."""
    findings = []
    vf = params.get("value", "value")
    qf = params.get("qualifier", "qualifier")
    uf = params.get("unit_field", "unit")
    want_unit = params.get("unit", "percent")
    for table in ctx.tables(params):
        frame = ctx.table(table, [vf, qf, uf])
        if frame is None:
            continue
        for ln in lines_of(select(frame, params.get("where", {"measure": "share"}))):
            unit = text(frame.at[ln, uf]) if uf in frame.columns else None
            if unit is not None and unit != want_unit:
                findings.append(ctx.finding(table, ln, uf, f"a share must be stated in {want_unit}, found unit {unit!r}",
                                            rows=[ctx.row_id(table, ln)]))
                continue
            v = frame.at[ln, vf]
            if na(v):
                continue
            q = text(frame.at[ln, qf]) or "exact"
            try:
                iv = stated_interval(float(v), q)
            except ValueError:
                continue
            if not iv.intersects(PERCENT):
                findings.append(ctx.finding(
                    table, ln, vf,
                    f"share {q.replace('_', ' ')} {fmt(float(v))}% means {iv}, which no share in [0, 100] satisfies",
                    rows=[ctx.row_id(table, ln)]))
    return findings


def _check(ctx, table, frame, share_line, nums, dens, same, wildcards, qs, explicit, tol):
    findings = []
    share = qs.get(share_line)
    if share is None:
        return findings
    combos = []
    for n in nums[:MAX_CANDIDATES]:
        for d in dens[:MAX_CANDIDATES]:
            if n == d or n not in qs or d not in qs or n == share_line or d == share_line:
                continue
            if qs[n].unit != qs[d].unit:
                continue
            if not all(compatible(text(frame.at[n, f]), text(frame.at[d, f]), wildcards.get(f)) for f in same):
                continue
            combos.append((qs[n], qs[d]))
    sid = ctx.row_id(table, share_line)
    if not combos:
        if explicit:
            roles = "numerator" if not [n for n in nums if n in qs] else "denominator" if not [d for d in dens if d in qs] else \
                "numerator and denominator of one basis and unit"
            findings.append(ctx.warning(
                table, share_line, "value",
                f"share {sid} cannot be checked: no row in {table} matches its {roles} as the rule names them",
                rows=[sid]))
        return findings
    hundred = 100.0 if share.unit == "percent" else 1.0
    basis = [f for f in same if f in wildcards]
    groups: dict[tuple, list] = {}
    for n, d in combos:
        label = basis_label(frame, (n.line, d.line), basis, wildcards)
        if label is None:
            continue
        point = n.point / d.point * hundred if d.point else float("nan")
        ratio = n.interval / d.interval * Interval.point(hundred)
        groups.setdefault(label, []).append((n, d, ratio, point))
    rows = [sid] + sorted({ctx.row_id(table, x.line) for rs in groups.values() for n, d, *_ in rs for x in (n, d)})

    def said(r):
        n, d, ratio, point = r
        return (f"{ctx.label(table, n.line)} {n.describe()} / {ctx.label(table, d.line)} {d.describe()} "
                f"= {ratio}{'%' if hundred == 100 else ''} (stated values give {fmt(point)})")

    found = judge(ctx, table, share_line, share, groups, own_label(frame, share_line, basis, wildcards), said, rows,
                  what=f"share {share.describe()}", mismatch="numerator / denominator",
                  point_fits=lambda st, p: _point_fits(st, p, tol))
    if found is not None:
        findings.append(found)
    return findings


def share_matches(frames, params, ctx):
    """A stated share agrees with the ratio of its numerator and denominator rows."""
    findings = []
    table = params.get("table")
    wildcards = {k: set(as_list(v)) for k, v in (params.get("wildcards") or {}).items()}
    same = as_list(params.get("same", list(wildcards)))
    tol = float(params.get("point_tolerance", POINT_TOLERANCE))
    frame = ctx.table(table, ["value", "qualifier", "scale", "unit", *same])
    if frame is None:
        return findings
    pairs = params.get("pairs")
    auto = params.get("share")
    if not pairs and not auto:
        raise ParamError("give 'share' + 'numerator' + 'denominator' selectors, or explicit 'pairs'")
    qs = ctx.quantities(table, frame)
    for pair in as_list(pairs):
        if not isinstance(pair, dict) or not {"share", "numerator", "denominator"} <= set(pair):
            raise ParamError("each pair names share, numerator and denominator (row id or selector)")
        shares = resolve_rows(ctx, table, frame, pair["share"], "share")
        if not shares:
            continue  # the share itself is gone: nothing to check
        nums = resolve_rows(ctx, table, frame, pair["numerator"], "numerator")
        dens = resolve_rows(ctx, table, frame, pair["denominator"], "denominator")
        for sl in shares:
            findings += _check(ctx, table, frame, sl, nums, dens, same, wildcards, qs, explicit=True, tol=tol)
    if auto:
        num_spec = params.get("numerator") or {}
        den_spec = params.get("denominator") or {}
        for spec, role in ((num_spec, "numerator"), (den_spec, "denominator")):
            if not isinstance(spec, dict) or "match" not in spec:
                raise ParamError(f"{role} needs 'where' and 'match' (the fields it shares with the share row)")
        share_lines = lines_of(select(frame, auto))
        wild = params.get("wildcards")
        num_map = match_lines(frame, share_lines, lines_of(select(frame, num_spec.get("where"))), as_list(num_spec["match"]), wild)
        den_map = match_lines(frame, share_lines, lines_of(select(frame, den_spec.get("where"))), as_list(den_spec["match"]), wild)
        explicit_shares = set()
        for pair in as_list(pairs):
            explicit_shares |= set(resolve_rows(ctx, table, frame, pair["share"], "share"))
        for sl in share_lines:
            if sl in explicit_shares or sl not in num_map or sl not in den_map:
                continue
            findings += _check(ctx, table, frame, sl, num_map[sl], den_map[sl], same, wildcards, qs, explicit=False, tol=tol)
    return findings
