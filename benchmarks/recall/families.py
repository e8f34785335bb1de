"""The rule families as ground truth: for a table's rows, the inconsistencies of each family.

Why: a mutation only measures a rule if it creates a real inconsistency. A ×10 slip on a figure with
no counterpart breaks nothing a validator could see, so counting it as a miss would be unfair, and a
slip that leaves a "more than" figure still true would be a miss the rules are right to make. Each
family here lists the violations it sees as (check, rows); a mutation of row i counts for a family
only when the mutated table has a violation involving i that the curated table does not have.
Relations are built from field roles (model.py), never from ids. `requires` names the fields a
family needs, or says in one line why a table lacks them.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from itertools import combinations

from .timing import date_order, not_after_publication, publication_dates  # noqa: F401  (families too)
from .model import (DISJOINT, HIERARCHIES, NOT_CUMULATIVE, RANK_SETS, SHARE_WHOLES, SUMS, WILDCARD, Interval,
                    TableModel, ancestors)


def _amount_rows(m: TableModel, rows, num):
    return [(i, r, q) for i, r in enumerate(rows) if m.is_amount(r) and (q := m.quantity(r, num))]


def _groups(items, keyf):
    out = defaultdict(list)
    for item in items:
        out[keyf(item)].append(item)
    return out


# ------------------------------------------------------------------ sources agree
def sources_agree(m: TableModel, rows, ctx):
    out = set()
    src = m.source_fk[0]
    for num in m.numbers:
        items = [(i, r, m.quantity(r, num)) for i, r in enumerate(rows)
                 if r.get(num.name) and any(r.get(d) for d in m.dates)]
        for _, grp in _groups(items, lambda t: m.key(t[1])).items():
            for (i, a, qa), (j, b, qb) in combinations(grp, 2):
                if a.get(src) != b.get(src) and qa and qb and not qa.overlaps(qb):
                    out.add((f"{num.name} differs", frozenset((i, j))))
    return out


# ------------------------------------------------------------------ magnitude plausible
FAR = math.log10(5)  # a figure at least 5 times away from every other figure of its series


def magnitude(m: TableModel, rows, ctx):
    out = set()
    drop = set(m.dates) | {m.basis}
    for num in m.numbers:
        items = [(i, r, q) for i, r, q in _amount_rows(m, rows, num) if math.isfinite(q.lo) and q.lo]
        for _, grp in _groups(items, lambda t: m.key(t[1], drop=drop)).items():
            if len(grp) < 2:
                continue
            for i, r, q in grp:
                v = abs(float(r[num.name]) * m.factor(r, num))
                others = [abs(float(s[num.name]) * m.factor(s, num)) for j, s, _ in grp if j != i]
                if v and all(o and abs(math.log10(v / o)) >= FAR for o in others):
                    out.add((f"{num.name} stands out", frozenset((i,))))
    return out


# ------------------------------------------------------------------ part within whole
def part_whole_pairs(m: TableModel, rows):
    """(part index, whole index, hierarchy field or parent link) for every part/whole pair."""
    pairs = []
    if m.parent:
        pk = m.pk[0]
        where = {r.get(pk): j for j, r in enumerate(rows)}
        pairs += [(i, where[r[m.parent]], m.parent) for i, r in enumerate(rows)
                  if r.get(m.parent) in where]
    for h in [f for f in m.key_fields if f in HIERARCHIES]:
        if not any(ancestors(h, r.get(h, "")) for r in rows):
            continue
        by = _groups(range(len(rows)), lambda i: m.key(rows[i], drop={h, m.basis}))
        for idx in by.values():
            for i in idx:
                ups = ancestors(h, rows[i].get(h, ""))
                pairs += [(i, j, h) for j in idx if j != i and rows[j].get(h) in ups
                          and m.is_amount(rows[i]) and m.bases_compatible(rows[i], rows[j])]
    return pairs


def part_within_whole(m: TableModel, rows, ctx):
    out = set()
    pairs = part_whole_pairs(m, rows)
    for num in m.numbers:
        for i, j, how in pairs:
            p, w = m.quantity(rows[i], num), m.quantity(rows[j], num)
            if p and w and _same_unit(m, num, rows[i], rows[j]) and p.lo > w.hi:
                out.add((f"{num.name} part above whole", frozenset((i, j))))
        for (j, how), parts in _groups([(i, j, h) for i, j, h in pairs if h in DISJOINT],
                                       lambda t: (t[1], t[2])).items():
            parts = [i for i, _, _ in parts if m.bases_compatible(rows[i], rows[j], exact=True)
                     and _same_unit(m, num, rows[i], rows[j])
                     and ancestors(how, rows[i][how])[0] == rows[j][how]]
            w = m.quantity(rows[j], num)
            qs = [m.quantity(rows[i], num) for i in parts]
            distinct = {rows[i][how] for i in parts}
            if w and len(distinct) == len(parts) >= 2 and all(qs) and sum(q.lo for q in qs) > w.hi:
                out.add((f"{num.name} parts above whole", frozenset(parts + [j])))
    return out


def _same_unit(m, num, a, b):
    return not num.unit or a.get(num.unit) == b.get(num.unit)


# ------------------------------------------------------------------ parts add up
def sum_groups(m: TableModel, rows):
    """(whole index, [(part index, sign)]) for each whole whose parts are all in the table."""
    out = []
    for h, wholes in SUMS.items():
        if h not in m.key_fields:
            continue
        for idx in _groups(range(len(rows)), lambda i: m.key(rows[i], drop={h})).values():
            amounts = [i for i in idx if m.is_amount(rows[i])]
            for w in amounts:
                formula = wholes.get(rows[w].get(h))
                if not formula:
                    continue
                parts = [(i, formula[rows[i][h]]) for i in amounts if rows[i].get(h) in formula]
                if sorted(rows[i][h] for i, _ in parts) == sorted(formula):
                    out.append((w, parts))
    return out


def parts_add_up(m: TableModel, rows, ctx):
    out = set()
    for num in m.numbers:
        for w, parts in sum_groups(m, rows):
            qw = m.quantity(rows[w], num)
            qs = [(m.quantity(rows[i], num), s) for i, s in parts]
            if not qw or not all(q for q, _ in qs):
                continue
            lo = sum(q.lo if s > 0 else -q.hi for q, s in qs)
            hi = sum(q.hi if s > 0 else -q.lo for q, s in qs)
            if not Interval(lo, hi).overlaps(qw):
                out.add((f"{num.name} parts do not add up", frozenset([w] + [i for i, _ in parts])))
    return out


# ------------------------------------------------------------------ growth, share, rank
def _ratio(a: Interval, b: Interval) -> Interval | None:
    if b.lo <= 0:
        return None
    return Interval(a.lo / b.hi, a.hi / b.lo if math.isfinite(a.hi) else math.inf)


def _drop(m):
    return {m.measure, m.numbers[0].unit, *SHARE_WHOLES, *RANK_SETS, m.basis, *m.pairs.get("period", ()),
            *m.pairs.get("base_period", ())}


def _index(m, rows):
    """Amount rows by (series key without measure, unit, basis and periods; period)."""
    drop, (ps, pe) = _drop(m), m.pairs["period"]
    out = defaultdict(list)
    for i, r in enumerate(rows):
        if m.is_amount(r):
            out[(m.key(r, drop=drop), (r.get(ps), r.get(pe)))].append(i)
    return out


def _values_at(m, rows, idx, g, period, override=None):
    """Amount rows of g's series (compatible basis) for the period (start, end)."""
    target = m.key(g, drop=_drop(m), override=override)
    return [i for i in idx.get((target, period), []) if m.bases_compatible(rows[i], g)]


def _period(m, row, prefix="period"):
    s, e = m.pairs[prefix]
    return (row.get(s), row.get(e)) if row.get(e) else None


def _label(m, rows, i, j):
    """A pair's basis: "B" (both rows of named basis B), "B?" (B and unspecified), "?" (both
    unspecified), or None when it mixes two named bases (it computes nothing)."""
    if not m.basis:
        return "B"
    named = {rows[x].get(m.basis) for x in (i, j)} - {WILDCARD}
    if len(named) > 1:
        return None
    if not named:
        return "?"
    (b,) = named
    return b if all(rows[x].get(m.basis) == b for x in (i, j)) else b + "?"


def _judge(m, rows, g, k, fits, out, label):
    """Add the violations of stated row g (index k) given its pairs' fits [(i, j, fits)].

    The README's reading of every counterpart: a named-basis figure must fit every pair of its own
    basis; only when it has none is it judged by the pairs holding unspecified rows, each its own
    candidate (its rows may be on two bases), and then it is wrong when none fits. A figure of
    unspecified basis is one of the bases: wrong when it fits no named basis's pairs as a whole and
    no unknown-basis pair."""
    by: dict = {}
    for i, j, ok in fits:
        lab = _label(m, rows, i, j)
        if lab is not None:
            by.setdefault(lab, []).append((i, j, ok))
    mine = g.get(m.basis) if m.basis else "B"
    if mine != WILDCARD and mine in by:
        for i, j, ok in by[mine]:
            if not ok:
                out.add((f"{label} does not match", frozenset((k, i, j))))
        return
    candidates = []
    for lab, pairs in by.items():
        if mine != WILDCARD and lab not in (mine + "?", "?"):
            continue
        if lab == "?" or lab.endswith("?"):
            candidates += [[p] for p in pairs]
        else:
            candidates.append(pairs)
    if candidates and not any(all(ok for _, _, ok in c) for c in candidates):
        out.add((f"{label} fits no pair", frozenset([k, *(x for c in candidates for i, j, _ in c for x in (i, j))])))


def growth_matches(m: TableModel, rows, ctx):
    out, num = set(), m.numbers[0]
    idx = _index(m, rows)
    for k, g in enumerate(rows):
        now, then = _period(m, g), _period(m, g, "base_period")
        if g.get(m.measure) != "growth" or not now or not then:
            continue
        stated = m.quantity(g, num)
        fits = []
        for i in _values_at(m, rows, idx, g, now):
            for j in _values_at(m, rows, idx, g, then):
                a, b = m.quantity(rows[i], num), m.quantity(rows[j], num)
                if not (a and b and stated) or rows[i].get(num.unit) != rows[j].get(num.unit):
                    continue
                unit = g.get(num.unit)
                if unit == "times":
                    implied = _ratio(a, b)
                elif unit == "percent":
                    r = _ratio(a, b)
                    implied = r and Interval((r.lo - 1) * 100, (r.hi - 1) * 100)
                else:
                    implied = Interval(a.lo - b.hi, a.hi - b.lo)
                if implied:
                    fits.append((i, j, implied.overlaps(stated)))
        _judge(m, rows, g, k, fits, out, "growth")
    return out


def share_matches(m: TableModel, rows, ctx):
    out, num = set(), m.numbers[0]
    idx = _index(m, rows)
    for ref_field, wholes in SHARE_WHOLES.items():
        for k, s in enumerate(rows):
            whole, now = wholes.get(s.get(ref_field)), _period(m, s)
            if s.get(m.measure) != "share" or whole is None or not now:
                continue
            stated = m.quantity(s, num)
            fits = []
            for i in _values_at(m, rows, idx, s, now):
                for j in _values_at(m, rows, idx, s, now, override=whole):
                    a, b = m.quantity(rows[i], num), m.quantity(rows[j], num)
                    r = a and b and rows[i].get(num.unit) == rows[j].get(num.unit) and _ratio(a, b)
                    if r and stated:
                        fits.append((i, j, Interval(r.lo * 100, r.hi * 100).overlaps(stated)))
            _judge(m, rows, s, k, fits, out, "share")
    return out


def rank_consistent(m: TableModel, rows, ctx):
    """A rank r is contradicted when more than r - 1 other members of its set are surely larger."""
    out, num = set(), m.numbers[0]
    idx = _index(m, rows)
    for ref_field, sets in RANK_SETS.items():
        for k, g in enumerate(rows):
            spec, now = sets.get(g.get(ref_field)), _period(m, g)
            if g.get(m.measure) != "rank" or spec is None or not now:
                continue
            entity, pattern = spec
            drop = {m.measure, num.unit, *SHARE_WHOLES, *RANK_SETS, entity, m.basis}
            others = [i for i, r in enumerate(rows) if m.is_amount(r) and re.match(pattern, r.get(entity, ""))
                      and r.get(entity) != g.get(entity) and m.key(r, drop=drop) == m.key(g, drop=drop)
                      and m.bases_compatible(r, g)]
            rank = m.quantity(g, num)
            for i in _values_at(m, rows, idx, g, now):
                v = m.quantity(rows[i], num)
                above = [j for j in others if (q := m.quantity(rows[j], num)) and v and q.lo > v.hi]
                if rank and above and len({rows[j][entity] for j in above}) > rank.hi - 1:
                    out.add(("rank below values", frozenset([k, i] + above)))
    return out


# ------------------------------------------------------------------ time
def cumulative(m: TableModel, rows, ctx):
    out = set()
    if "period" not in m.pairs:
        return out
    start, end = m.pairs["period"]
    for num in m.numbers:
        items = [(i, r, q) for i, r, q in _amount_rows(m, rows, num) if r.get(start) and r.get(end)
                 and not any(r.get(f) in v for f, v in NOT_CUMULATIVE.items())]
        for _, grp in _groups(items, lambda t: m.key(t[1], drop={end})).items():
            for (i, a, qa), (j, b, qb) in combinations(grp, 2):
                if a[end] > b[end]:
                    (i, a, qa), (j, b, qb) = (j, b, qb), (i, a, qa)
                if a[end] < b[end] and qa.lo > qb.hi:
                    out.add((f"{num.name} shrinks", frozenset((i, j))))
    return out


# ------------------------------------------------------------------ provenance
def provenance(m: TableModel, rows, ctx):
    from .spans import carries

    out = set()
    for i, r in enumerate(rows):
        for num in m.numbers:
            if r.get(num.name) and not carries(m, r, num):
                out.add((f"span does not carry {num.name}", frozenset((i,))))
    return out


# ------------------------------------------------------------------ vocabulary
def vocabulary(m: TableModel, rows, ctx):
    """A range whose top end is not above its low end."""
    out = set()
    for i, r in enumerate(rows):
        for num in m.numbers:
            if not num.high or not r.get(num.name) or not r.get(num.high):
                continue
            try:
                low, high = float(r[num.name]), float(r[num.high])
            except ValueError:
                continue
            if not high > low:
                out.add((f"{num.high} not above {num.name}", frozenset((i,))))
    return out
