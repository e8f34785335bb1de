"""The rule kinds: name -> function and the parameters it accepts.

The loader checks every rule's parameters against this table before anything runs, so a
misspelt parameter is a clear error with its line, not a rule that silently checks nothing.
Parameters common to most kinds: table (or a list of tables), where (a row selector),
wildcards ({field: [values that match anything]}), point_tolerance (relative slack on
stated point values, default 0.02).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import agreement
from . import containment
from . import growth
from . import magnitude
from . import ranks
from . import references
from . import required
from . import shares
from . import timing


@dataclass(frozen=True)
class KindSpec:
    function: Callable
    required: tuple[str, ...]
    optional: tuple[str, ...]
    summary: str


KINDS: dict[str, KindSpec] = {
    "part_within_whole": KindSpec(
        containment.part_within_whole, ("table",),
        ("part", "whole", "match", "link", "wildcards", "measures"),
        "a part (launched projects, a province, exports) lies within its whole"),
    "parts_add_up": KindSpec(
        containment.parts_add_up, ("table", "whole", "parts", "match"),
        ("wildcards", "point_tolerance", "measure"),
        "parts (exports, imports) add up to their whole (turnover)"),
    "share_plausible": KindSpec(
        shares.share_plausible, ("table",), ("where", "value", "qualifier", "unit_field", "unit"),
        "a share is stated in percent and can lie in 0-100"),
    "share_matches": KindSpec(
        shares.share_matches, ("table",),
        ("share", "numerator", "denominator", "pairs", "wildcards", "same", "point_tolerance"),
        "a stated share agrees with numerator / denominator"),
    "growth_matches": KindSpec(
        growth.growth_matches, ("table", "match"),
        ("growth", "values", "period", "base_period", "wildcards", "point_tolerance"),
        "a stated growth agrees with the values of its two periods"),
    "rank_consistent": KindSpec(
        ranks.rank_consistent, ("table", "entity", "match"), ("rank", "values", "set", "wildcards", "complete"),
        "a stated rank agrees with the values of the same period and basis"),
    "sources_agree": KindSpec(
        agreement.sources_agree, ("table", "key"),
        ("where", "require", "source_field", "basis", "unspecified", "across_bases", "undated", "as_of", "measures"),
        "two sources stating the same figure agree, on its basis and across bases"),
    "magnitude_plausible": KindSpec(
        magnitude.magnitude_plausible, ("table", "group_by"), ("where", "orders", "min_rows", "value", "scale"),
        "no figure is orders of magnitude off the median of comparable rows"),
    "series_magnitude": KindSpec(
        magnitude.series_magnitude, ("table", "series"),
        ("where", "across", "period", "date", "factor", "window_days", "neighbours", "measures"),
        "no figure is a power of ten off its series in a neighbouring period or another source"),
    "not_after_publication": KindSpec(
        timing.not_after_publication, ("table", "date"), ("where", "unless", "source", "source_field"),
        "nothing reported happens after its source was published"),
    "date_order": KindSpec(
        timing.date_order, ("table", "start", "end"), ("where", "strict"),
        "an end date is not before its start date"),
    "cumulative_not_shrinking": KindSpec(
        timing.cumulative_not_shrinking, ("table", "match"), ("where", "start", "end"),
        "a cumulative figure does not shrink as its period grows"),
    "codes_valid": KindSpec(
        references.codes_valid, ("table", "field", "code"), ("where", "country", "only_pattern", "skip"),
        "codes are valid ISO codes (pycountry)"),
    "no_orphans": KindSpec(
        references.no_orphans, ("child", "parent"), ("skip_if_foreign_key",),
        "every child row points at an existing parent row"),
    "has_children": KindSpec(
        references.has_children, ("parent", "child"), ("where",),
        "every parent row has at least one child row"),
    "conditional_required": KindSpec(
        required.conditional_required, ("table", "require"), ("when",),
        "fields that must be filled when a condition holds"),
}
