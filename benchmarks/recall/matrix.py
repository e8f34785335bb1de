"""The matrix: which (rule family, figure table) cells apply, and the seeded mutations of each.

Why this shape: recall is only meaningful per family and table. A cell applies when the table's
schema has the fields the family needs AND some curated row can be mutated into a real
inconsistency of that family (families.py is the judge); otherwise the cell says in one line why
not. Each applicable cell draws its mutations from its own generator, seeded by the run's seed and
the cell's name, so adding a table or a family does not reshuffle the others; classes are drawn
round-robin so that a class with few rows is still represented.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from . import families as fam
from .model import HIERARCHIES, RANK_SETS, SHARE_WHOLES, SUMS, TableModel
from .mutations import Mutation, proposals

FIGURE_TABLES = ["trade_volumes", "indicators", "project_portfolios", "projects", "targets"]
VALUE = ["x10", "x0.1", "scale", "qualifier", "nearly"]


def _needs(ok: bool, why: str):
    return None if ok else why


@dataclass(frozen=True)
class Family:
    name: str
    check: object
    classes: list
    requires: object  # TableModel, ctx -> reason it cannot apply, or None
    no_data: str  # why no curated row can be broken this way


def _pub_fields(m, ctx):
    return ctx["publication_fields"].get(m.name)


FAMILIES = [
    Family("sources agree", fam.sources_agree, VALUE + ["basis", "period"],
           lambda m, c: _needs(m.numbers and m.source_fk and m.dates, "no number, source or date field"),
           "no two sources give a figure of the same series and period"),
    Family("magnitude plausible", fam.magnitude, ["x10", "x0.1", "scale"],
           lambda m, c: _needs(m.numbers, "no number field"),
           "no figure has another period or basis of its series to stand out from"),
    Family("part within whole", fam.part_within_whole,
           VALUE + ["part-above-whole", "basis", "period"],
           lambda m, c: _needs(m.numbers and (m.parent or set(HIERARCHIES) & set(m.key_fields)),
                               "no parent link and no part/whole field (" + ", ".join(HIERARCHIES) + ")"),
           "no figure has its part or its whole in the table"),
    Family("parts add up", fam.parts_add_up, VALUE + ["parts-off", "basis", "period"],
           lambda m, c: _needs(m.numbers and set(SUMS) & set(m.key_fields),
                               "no field whose values add up to a whole (" + ", ".join(SUMS) + ")"),
           "no whole has all its parts in the table for one basis and period"),
    Family("growth matches", fam.growth_matches, ["growth-off"] + VALUE + ["basis", "period"],
           lambda m, c: _needs(m.measure and "period" in m.pairs and "base_period" in m.pairs,
                               "no measure field with growth, or no period and base period"),
           "no growth has both its period's and its base period's values"),
    Family("share matches", fam.share_matches, ["share-off"] + VALUE + ["basis", "period"],
           lambda m, c: _needs(m.measure and "period" in m.pairs and set(SHARE_WHOLES) & set(m.key_fields),
                               "no measure field with share and a reference, or no period"),
           "no share has its part and its whole for the same period in the table"),
    Family("rank consistent", fam.rank_consistent, ["rank-off", "among-top-off"] + VALUE + ["basis", "period"],
           lambda m, c: _needs(m.measure and "period" in m.pairs and any(
               f in m.key_fields and all(e in m.key_fields for e, _ in sets.values())
               for f, sets in RANK_SETS.items()), "no measure field with rank, its set's entity field or a period"),
           "no rank has other members of its set valued for the same period"),
    Family("cumulative not shrinking", fam.cumulative, VALUE + ["period"],
           lambda m, c: _needs(m.numbers and "period" in m.pairs, "no period start and end"),
           "no series has two periods from the same start"),
    Family("date order", fam.date_order, ["period"],
           lambda m, c: _needs(m.pairs, "no pair of start and end dates"),
           "no row has both dates of a pair"),
    Family("not after publication", fam.not_after_publication, ["period", "as-of-late"],
           lambda m, c: _needs(m.source_fk and _pub_fields(m, c), "no source link or no dated field"),
           "no dated row can be moved past its source's publication"),
    Family("provenance", fam.provenance, ["span", "x10", "x0.1", "scale", "qualifier"],
           lambda m, c: _needs(m.span and m.numbers, "no source span or no number field"),
           "no span carries its row's figure as the harness reads it"),
    Family("vocabulary", fam.vocabulary, ["range-inverted"],
           lambda m, c: _needs(any(n.high for n in m.numbers), "no field for a range's top end (value_high)"),
           "no row states a range (value and value_high)"),
]


@dataclass
class Cell:
    family: str
    table: str
    why: str | None = None  # set when the cell does not apply
    mutations: list = field(default_factory=list)
    pool: dict = field(default_factory=dict)  # class -> how many distinct real mutations exist


def breaks(family: Family, m: TableModel, rows, mut: Mutation, base: set, ctx) -> bool:
    """Does the mutation create a violation of this family that involves the mutated row?"""
    return any(v not in base and mut.row in v[1] for v in family.check(m, mut.applied(rows), ctx))


def build(models: dict[str, TableModel], ctx, seed: int, per_cell: int, tables=FIGURE_TABLES) -> list[Cell]:
    cells = []
    for family in FAMILIES:
        for name in tables:
            cell = Cell(family.name, name)
            cells.append(cell)
            m = models.get(name)
            if m is None:
                cell.why = "table not in the package"
                continue
            cell.why = family.requires(m, ctx)
            if cell.why:
                continue
            rng = random.Random(f"{seed}:{family.name}:{name}")
            base = family.check(m, m.rows, ctx)
            pool: dict[str, list] = {}
            for mut in proposals(m, m.rows, family.classes, rng, ctx):
                if breaks(family, m, m.rows, mut, base, ctx):
                    pool.setdefault(mut.cls, []).append(mut)
            if not pool:
                cell.why = family.no_data
                continue
            cell.pool = {c: len(v) for c, v in pool.items()}
            classes = [c for c in family.classes if c in pool]
            cell.mutations = [rng.choice(pool[classes[k % len(classes)]]) for k in range(per_cell)]
    return cells
