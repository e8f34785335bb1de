"""Which statement of a figure a series shows: a curated decision first, else one documented order.

Several sources state the same figure (the same series and period) and often disagree. The
series shows one of them, the preferred figure, and the spread of all of them beside it:

1. A `prefer` entry of validation/resolutions.yaml whose preferred row is in the series
   decides it (the first such entry in file order); it is named in `preferred_by`.
2. Otherwise the default order, each step breaking the ties of the one before:
   rows a `prefer` entry passed over (listed, not preferred) come last; an exact figure before
   one stated as a range or "about"/"nearly", and those before an open-ended one ("more than");
   a source judged more reliable (`sources.reliability`: primary, reputable, secondary, not
   judged, low); a figure a statistical release, official or dataset source states itself
   before one any other source states itself, before one a speaker is quoted for; the latest
   publication first (a later statement of a figure is usually its revision); then the row id.
   `preferred_by` names the step that decided ("default order: exact before qualified").

Only stated rows compete; rows we derived (`derived: true`) enter a series only when no source
states its figure, so a computation never outranks or widens what a source says.
"""
from __future__ import annotations

from dataclasses import dataclass

from .inputs import Prefer, day

QUALIFIER_RANK = {"exact": 0, "approximately": 1, "nearly": 1}  # any other qualifier: open-ended, 2
RELIABILITY_RANK = {"primary": 0, "reputable": 1, "secondary": 2, "": 3, "low": 4}
OFFICIAL_KINDS = ("statistics", "official", "dataset")
STEPS = ("not passed over by a resolution before one that was", "exact before qualified",
         "the more reliable source", "a statistical or official release before other sources, "
         "before a quoted speaker", "the latest publication (a revision)", "the lowest row id")
ONLY = "only statement"


@dataclass(frozen=True)
class Choice:
    row: dict
    by: str
    candidates: list


def default_key(row: dict, id_field: str, sources: dict, passed_over: set) -> tuple:
    source = sources.get(row.get("source_id", ""), {})
    qualifier = QUALIFIER_RANK.get(row.get("qualifier", ""), 2)
    if qualifier == 0 and row.get("value_high"):
        qualifier = 1  # a range is not one exact figure
    reliability = RELIABILITY_RANK.get(source.get("reliability", ""), 3)
    if row.get("speaker_id"):
        statement = 2
    else:
        statement = 0 if source.get("kind") in OFFICIAL_KINDS else 1
    published = day(source.get("published", ""))
    recency = -published.toordinal() if published else 0
    return (int(row.get(id_field, "") in passed_over), qualifier, reliability, statement, recency,
            row.get(id_field, ""))


def choose(group: list[dict], id_field: str, sources: dict, prefers: list[Prefer]) -> Choice:
    """The preferred row of one series and period, why, and the rows its spread is taken over."""
    stated = [r for r in group if r.get("derived", "").lower() != "true"]
    candidates = stated or list(group)
    ids = {r[id_field] for r in group}
    for decision in prefers if len(group) > 1 else ():  # a row alone in its series needs no decision
        if decision.prefer in ids:
            row = next(r for r in group if r[id_field] == decision.prefer)
            if row not in candidates:
                candidates = candidates + [row]
            return Choice(row, f"resolution {decision.label}", candidates)
    passed_over = {i for d in prefers for i in d.rows if i != d.prefer}
    ranked = sorted(candidates, key=lambda r: default_key(r, id_field, sources, passed_over))
    if len(ranked) == 1:
        return Choice(ranked[0], ONLY, candidates)
    first, second = (default_key(r, id_field, sources, passed_over) for r in ranked[:2])
    step = next((i for i, (a, b) in enumerate(zip(first, second)) if a != b), len(STEPS) - 1)
    return Choice(ranked[0], f"default order: {STEPS[step]}", candidates)
