"""The mutation classes: one curator's slip each, proposed on any row whose fields allow it.

Why generic: a proposal is chosen by table, field role and structural relation (a part and its
whole, a growth and its values), never by id or line, so the same code measures any package whose
schemas name these roles. Each proposal changes cells of one row as text (csvcells keeps every other
byte); whether it breaks something real is decided by families.py, not here. Parametric classes
(a part pushed above its whole, a growth off by more than a quarter, ...) draw their size from the
seeded generator, so fifty of them are fifty different slips.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .model import OPEN, TableModel
from . import families

CLASSES = {
    "x10": "×10 slip", "x0.1": "×0.1 slip", "scale": "million↔billion scale slip",
    "part-above-whole": "part above its whole (or its siblings' whole)",
    "parts-off": "parts no longer add up", "growth-off": "growth or change off by > 1/4",
    "share-off": "share off by > 5 points", "rank-off": "rank contradicting values",
    "qualifier": "open-ended qualifier on a point figure", "basis": "basis label swapped",
    "period": "period shifted by a year", "span": "span no longer carries the value",
    "range-inverted": "a range's top end below its low end", "nearly": "a nearly figure whose value lies above what its words allow",
    "among-top-off": "an among_top rank contradicted by values", "as-of-late": "as_of moved after publication",
}


@dataclass(frozen=True)
class Mutation:
    cls: str
    table: str
    row: int
    changes: tuple  # ((field, new text), ...)
    about: str

    def applied(self, rows: list[dict]) -> list[dict]:
        out = list(rows)
        out[self.row] = {**rows[self.row], **dict(self.changes)}
        return out


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError):
        return None


def _plain(d: Decimal) -> str:
    s = format(d.normalize(), "f")
    return s if s not in ("-0", "") else "0"


def _fmt(x: float, like: str, integer: bool) -> str:
    if integer:
        return str(max(1, int(round(x))))
    decimals = len(like.split(".")[1]) if "." in like else 0
    if x:
        decimals = max(decimals, 2 - int(math.floor(math.log10(abs(x)))))
    return _plain(Decimal(f"{x:.{max(decimals, 0)}f}"))


def _m(cls, m, i, changes, about):
    return Mutation(cls, m.name, i, tuple(sorted(changes.items())), about)


def slips(m: TableModel, rows, rng):
    for i, r in enumerate(rows):
        for num in m.numbers:
            d = _number(r.get(num.name))
            if d is None:
                continue
            yield _m("x10", m, i, {num.name: _plain(d * 10)}, f"{num.name} ×10")
            if not num.integer or d % 10 == 0:
                yield _m("x0.1", m, i, {num.name: _plain(d / 10)}, f"{num.name} ×0.1")
            swap = {"million": "billion", "billion": "million"}.get(r.get(num.scale or "", ""))
            if swap:
                yield _m("scale", m, i, {num.scale: swap}, f"{num.scale} {r[num.scale]}→{swap}")
            q = r.get(num.qualifier or "")
            if q in ("exact", "approximately"):
                for alt in OPEN:
                    yield _m("qualifier", m, i, {num.qualifier: alt}, f"{num.qualifier} {q}→{alt}")


def basis(m: TableModel, rows, rng):
    if not m.basis:
        return
    for i, r in enumerate(rows):
        for alt in m.enums[m.basis]:
            if alt != r.get(m.basis):
                yield _m("basis", m, i, {m.basis: alt}, f"{m.basis} {r.get(m.basis)}→{alt}")


def _shift(date: str, years: int) -> str:
    y, rest = int(date[:4]) + years, date[4:]
    return f"{y:04d}{'-02-28' if rest == '-02-29' else rest}"


def periods(m: TableModel, rows, rng):
    paired = {f for pair in m.pairs.values() for f in pair}
    for i, r in enumerate(rows):
        for prefix, (s, e) in m.pairs.items():
            have = [f for f in (s, e) if r.get(f)]
            for years in (1, -1):
                if have:
                    yield _m("period", m, i, {f: _shift(r[f], years) for f in have}, f"{prefix} {years:+d}y")
            if len(have) == 2:
                yield _m("period", m, i, {s: _shift(r[s], 1)}, f"{s} +1y")
                yield _m("period", m, i, {e: _shift(r[e], -1)}, f"{e} -1y")
        for d in m.dates:
            if d not in paired and r.get(d):
                for years in (1, -1):
                    yield _m("period", m, i, {d: _shift(r[d], years)}, f"{d} {years:+d}y")


def part_above_whole(m: TableModel, rows, rng, k=6):
    pairs = families.part_whole_pairs(m, rows)
    for i, j, how in pairs:
        for num in m.numbers:
            p, w = m.quantity(rows[i], num), m.quantity(rows[j], num)
            if not (p and w and math.isfinite(w.hi)) or w.hi <= 0:
                continue
            room = w.hi
            siblings = [a for a, b, h in pairs if b == j and h == how and a != i]
            sib = [m.quantity(rows[a], num) for a in siblings]
            for _ in range(k):
                use_sib = sib and all(sib) and rng.random() < 0.5
                top = room - sum(q.lo for q in sib) if use_sib else room
                if top <= 0:
                    continue
                x = top * rng.uniform(1.2, 3.0) / m.factor(rows[i], num)
                yield _m("part-above-whole", m, i, {num.name: _fmt(x, rows[i][num.name], num.integer)},
                         f"{num.name} above {'siblings within ' if use_sib else ''}its whole ({how})")


def _scaled(cls, m, rows, rng, idx, ranges, k=6):
    for i in idx:
        for num in m.numbers[:1] if cls != "parts-off" else m.numbers:
            d = _number(rows[i].get(num.name))
            if d is None:
                continue
            for _ in range(k):
                lo, hi = ranges[rng.randrange(len(ranges))]
                x = float(d) * rng.uniform(lo, hi)
                yield _m(cls, m, i, {num.name: _fmt(x, rows[i][num.name], num.integer)}, f"{num.name} ×{lo}–{hi}")


def parts_off(m: TableModel, rows, rng):
    idx = sorted({i for w, parts in families.sum_groups(m, rows) for i in [w] + [p for p, _ in parts]})
    yield from _scaled("parts-off", m, rows, rng, idx, [(0.4, 0.87), (1.15, 1.6)])


def growth_off(m: TableModel, rows, rng):
    idx = [i for i, r in enumerate(rows) if m.measure and r.get(m.measure) == "growth"]
    yield from _scaled("growth-off", m, rows, rng, idx, [(0.25, 0.74), (1.26, 2.0)])


def share_off(m: TableModel, rows, rng, k=6):
    num = m.numbers[0] if m.numbers else None
    for i, r in enumerate(rows):
        d = _number(r.get(num.name)) if num and m.measure and r.get(m.measure) == "share" else None
        for _ in range(k if d is not None else 0):
            x = float(d) + rng.choice((-1, 1)) * rng.uniform(5.5, 15)
            if 0 < x <= 100:
                yield _m("share-off", m, i, {num.name: _fmt(x, "0.0", False)}, f"{num.name} {d}→{x:.1f} points")


def rank_off(m: TableModel, rows, rng):
    num = m.numbers[0] if m.numbers else None
    for i, r in enumerate(rows):
        d = _number(r.get(num.name)) if num and m.measure and r.get(m.measure) == "rank" else None
        if d is None:
            continue
        for alt in range(1, int(d) + 4):
            if alt != d:
                yield _m("rank-off", m, i, {num.name: str(alt)}, f"rank {d}→{alt}")


def span_edits(m: TableModel, rows, rng, k=4):
    from .spans import value_matches

    if not m.span:
        return
    for i, r in enumerate(rows):
        for num in m.numbers:
            for match in value_matches(m, r, num):
                text = r[m.span]
                digits = [p for p in range(match.start(), match.end()) if text[p].isdigit()]
                for _ in range(k):
                    p = digits[0] if rng.random() < 0.7 else rng.choice(digits)
                    new = rng.choice([c for c in "123456789" if c != text[p]])
                    yield _m("span", m, i, {m.span: text[:p] + new + text[p + 1:]},
                             f"{m.span}: {match.group(0)!r} digit {text[p]}→{new}")


def range_inverted(m: TableModel, rows, rng):
    """A range's two ends swapped, or its top end typed below its low end."""
    for i, r in enumerate(rows):
        for num in m.numbers:
            low, high = _number(r.get(num.name)), _number(r.get(num.high or ""))
            if low is None or high is None:
                continue
            yield _m("range-inverted", m, i, {num.name: r[num.high], num.high: r[num.name]}, f"{num.high} ↔ {num.name}")
            if low > 0:
                below = _fmt(float(low) * rng.uniform(0.3, 0.95), r[num.name], num.integer)
                yield _m("range-inverted", m, i, {num.high: below}, f"{num.high} below {num.name}")


def nearly(m: TableModel, rows, rng, k=4):
    """"nearly X" where the row's figure is well above X: the stated value lowered under a qualifier
    that says the figure lies just below it (so the figure has moved above what the words allow)."""
    for i, r in enumerate(rows):
        for num in m.numbers:
            d = _number(r.get(num.name))
            q = r.get(num.qualifier or "")
            if d is None or d <= 0 or q not in ("exact", "approximately", "nearly") or r.get(num.high or ""):
                continue
            for _ in range(k):
                x = float(d) * rng.uniform(0.4, 0.85)
                yield _m("nearly", m, i, {num.qualifier: "nearly", num.name: _fmt(x, r[num.name], num.integer)},
                         f"{num.name} nearly ×{x / float(d):.2f}")


def among_top_off(m: TableModel, rows, rng):
    """A rank restated as "among the top N" with N too small for the values."""
    num = m.numbers[0] if m.numbers else None
    for i, r in enumerate(rows):
        d = _number(r.get(num.name)) if num and num.qualifier and m.measure and r.get(m.measure) == "rank" else None
        if d is None:
            continue
        for n in range(1, int(d) + 3):
            yield _m("among-top-off", m, i, {num.name: str(n), num.qualifier: "among_top"}, f"rank {d}→among top {n}")


def as_of_late(m: TableModel, rows, rng, k=3, ctx=None):
    """A stock's as_of day moved past its source's publication (by a day to a year)."""
    import datetime as dt

    field = next((d for d in m.dates if d == "as_of"), None)
    src = m.source_fk[0] if m.source_fk else None
    published = (ctx or {}).get("published", {})
    if not field or not src:
        return
    for i, r in enumerate(rows):
        pub = published.get(r.get(src))
        if not r.get(field) or not pub:
            continue
        for _ in range(k):
            day = dt.date.fromisoformat(pub) + dt.timedelta(days=rng.randint(1, 366))
            yield _m("as-of-late", m, i, {field: day.isoformat()}, f"{field} after publication")


GENERATORS = {
    "x10": slips, "x0.1": slips, "scale": slips, "qualifier": slips, "basis": basis,
    "period": periods, "part-above-whole": part_above_whole, "parts-off": parts_off,
    "growth-off": growth_off, "share-off": share_off, "rank-off": rank_off, "span": span_edits,
    "range-inverted": range_inverted, "nearly": nearly, "among-top-off": among_top_off, "as-of-late": as_of_late,
}


def proposals(m: TableModel, rows, classes, rng, ctx=None) -> list[Mutation]:
    out, seen = [], set()
    for gen in dict.fromkeys(GENERATORS[c] for c in classes):
        for mut in (gen(m, rows, rng, ctx=ctx) if gen is as_of_late else gen(m, rows, rng)):
            if mut.cls in classes and mut not in seen and re.sub(r"\s", "", "".join(v for _, v in mut.changes)):
                seen.add(mut)
                out.append(mut)
    return out
