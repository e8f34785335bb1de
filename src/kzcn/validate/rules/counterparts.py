"""Every counterpart: a stated ratio (a growth, a share) is judged against each compatible pair of
rows, grouped by the statistical basis the pair speaks for — never settled by one pair that fits.

Why grouping: the rows a growth or a share is computed from may come from several sources and
bases. A wrong figure must not hide behind a right one from another source, and a basis of
`unspecified` (a wildcard: the source did not say) must not excuse a figure of a named basis.
So the pairs are grouped by basis label:

* `B`  — every row of the pair is of the named basis B;
* `B?` — rows of basis B and rows of unspecified basis;
* `?`  — every row is of unspecified basis.

A figure of named basis B is judged against group `B` when it exists, and then EVERY pair of it
must reconcile; only without own-basis counterparts is it judged against `B?` and `?`. A figure of
unspecified basis is compared with each group and fails when it fits none.

A group of one named basis is judged as a whole: its pairs certainly speak for one basis, so each
must fit. A pair holding an unspecified row is not: its rows may be on different bases (when most
curated totals are `unspecified`, a Kazakh-side 2022 value and a Chinese-side 2021 value form such a
pair, and no growth fits it). Each such pair is its own candidate, so a figure fails only when no
pair it could be computed from reconciles with it — never because an unknown-basis pair mixes two
series.
"""
from __future__ import annotations

from .context import text
from .intervals import fmt
from .quantities import listing

UNSPECIFIED = ("unspecified",)


def basis_label(frame, lines, fields: list[str], wildcards: dict) -> tuple | None:
    """The label of a pair of rows over the wildcard fields; None when it mixes two named values."""
    label = []
    for f in fields:
        wild = wildcards.get(f, set())
        cells = [text(frame.at[ln, f]) for ln in lines]
        named = {c for c in cells if c not in wild}
        if len(named) > 1:
            return None
        if not named:
            label.append("?")
        else:
            (b,) = named
            label.append(b if all(c == b for c in cells) else b + "?")
    return tuple(label)


def own_label(frame, line, fields: list[str], wildcards: dict) -> tuple:
    return tuple("?" if text(frame.at[line, f]) in wildcards.get(f, set()) else text(frame.at[line, f])
                 for f in fields)


def _relevant(subject: tuple, label: tuple) -> bool:
    """Without own-basis pairs, a named figure may use pairs that involve unspecified rows of its basis."""
    for s, g in zip(subject, label):
        if s == "?":
            continue
        if g not in (s + "?", "?"):
            return False
    return True


def _unknown(label: tuple) -> bool:
    """The pair holds a row of unspecified basis, so its rows may be on different bases."""
    return any(g == "?" or g.endswith("?") for g in label)


def candidate_groups(subject: tuple, groups: dict) -> tuple[list, bool]:
    """The groups a figure is judged against, and whether each of their pairs must fit (own basis).

    A group of unknown-basis pairs is split into one candidate per pair (see the module docstring)."""
    if "?" not in subject and subject in groups:
        return [groups[subject]], True
    chosen = []
    for label, g in groups.items():
        if _relevant(subject, label):
            chosen.extend([[r] for r in g] if _unknown(label) else [g])
    return chosen, False


def _involved(rows, pairs) -> list:
    """The stated row and the rows of the pairs a finding is about (not every candidate), so that a
    resolution naming them keeps covering the finding when new, agreeing counterparts are curated."""
    return [rows[0]] + sorted({q.label for r in pairs for q in r[:2]})


def judge(ctx, table: str, line: int, stated, groups: dict, subject: tuple, said, rows, *, what: str,
          mismatch: str, unit: str = "", point_fits):
    """One verdict: a finding of the rule's severity when the figure's intervals cannot be
    reconciled with its counterparts, a warning when only stated points clash, else None.

    groups: label -> [(a, b, implied interval, implied point)]."""
    chosen, own = candidate_groups(subject, groups)
    if not chosen:
        return None
    fitting = [g for g in chosen if all(r[2].intersects(stated.interval) for r in g)]
    if not fitting:
        bad = [r for g in chosen for r in g if not r[2].intersects(stated.interval)]
        rows = _involved(rows, bad)
        scope = ("every pair of its own basis must agree" if own
                 else "no basis or pair it could be computed from agrees")
        return ctx.finding(table, line, "value",
                           f"{what} does not match {mismatch} ({scope}): " + listing(bad, said), rows=rows)
    # Intervals decide errors, against every pair. The stated points are a weaker signal (a
    # counterpart rounded to "24 billion" moves a computed growth by a point or two), so they
    # warn only when no pair of a reconciling group comes close in point.
    if any(point_fits(stated, r[3]) for g in fitting for r in g):
        return None
    closest = min((r for g in fitting for r in g), key=lambda r: abs(r[3] - stated.point))
    rows = _involved(rows, [closest])
    return ctx.warning(table, line, "value",
                       f"{what}, but the stated values give {fmt(closest[3])}{unit}, outside it; only the qualifiers' "
                       f"leeway reconciles them: {said(closest)}", rows=rows)
