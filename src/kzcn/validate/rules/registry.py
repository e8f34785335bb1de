"""The rule kinds: name -> function and the parameters it accepts.

The loader checks every rule's parameters against this table before anything runs, so a
misspelt parameter is a clear error with its line, not a rule that silently checks nothing.
Parameters common to most kinds: table (or a list of tables), where (a row selector),
wildcards ({field: [values that match anything]}), point_tolerance (relative slack on
stated point values, default 0.02).

Beside each kind sits its `hint`: what a curator does about one of its findings ("correct the
row", "record the decision in validation/resolutions.yaml"). It is data, not a branch in the
code that reports, so a new kind brings its advice with it; a rule may override it (`hint:`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import agreement
from . import change
from . import containment
from . import growth
from . import magnitude
from . import provenance
from . import ranks
from . import references
from . import required
from . import shares
from . import siblings
from . import stocks
from . import timing
from . import vocabulary


@dataclass(frozen=True)
class KindSpec:
    function: Callable
    required: tuple[str, ...]
    optional: tuple[str, ...]
    summary: str
    # What a curator does about a finding of this kind, shown under it (text), in the JSON
    # (`hint`) and in GitHub annotations; a rule overrides it with `hint:` in rules.yaml.
    hint: str = ""


GENERIC_HINT = ("check the row against its source and correct it; if the data are right, record the decision "
                "in validation/resolutions.yaml")

KINDS: dict[str, KindSpec] = {
    "part_within_whole": KindSpec(
        containment.part_within_whole, ("table",),
        ("part", "whole", "match", "link", "wildcards", "measures", "undated", "source_field"),
        "a part (launched projects, a province, exports) lies within its whole",
        hint=("check the part's and the whole's value, scale, unit, qualifier and period against their sources "
              "and correct the one misread; if both sources are right, record the decision in "
              "validation/resolutions.yaml")),
    "parts_add_up": KindSpec(
        containment.parts_add_up, ("table", "whole", "parts", "match"),
        ("wildcards", "point_tolerance", "measure"),
        "parts (exports, imports) add up to their whole (turnover)",
        hint=("check each part's and the whole's value, scale and qualifier against its source and correct the "
              "one misread; if all sources are right, record the decision in validation/resolutions.yaml")),
    "siblings_within_whole": KindSpec(
        siblings.siblings_within_whole, ("table", "link"), ("part", "whole", "match", "measures", "distinct", "wildcards"),
        "the parts of one whole, added up, fit within it",
        hint=("check each part's and the whole's value, scale and period against its source and correct the one "
              "misread (a part stated twice is the usual cause); if all are right, record the decision in "
              "validation/resolutions.yaml")),
    "change_matches": KindSpec(
        change.change_matches, ("table", "match"),
        ("change", "values", "period", "base_period", "wildcards", "point_tolerance"),
        "a stated absolute change (+$2.8 billion) is the difference of its two values",
        hint=("check the change and the values of its period and base period against their sources and correct "
              "the one misread; if all are right, record the decision in validation/resolutions.yaml")),
    "stock_not_shrinking": KindSpec(
        stocks.stock_not_shrinking, ("table", "series"), ("where", "as_of", "or_published", "measures"),
        "a cumulative count or value does not fall between statements of one series",
        hint=("check both statements' values, dates and series (programme, status, start) against their sources "
              "and correct the one misread; a redefined portfolio is a new series, or a both_stand resolution")),
    "stock_growth_plausible": KindSpec(
        stocks.stock_growth_plausible, ("table", "series"),
        ("where", "as_of", "or_published", "measures", "max_factor"),
        "a cumulative count or value grows at most max_factor times a year between statements",
        hint=("check both statements' values and scales against their sources (a scale slip is the usual cause); "
              "if both are right, record the decision in validation/resolutions.yaml")),
    "share_plausible": KindSpec(
        shares.share_plausible, ("table",), ("where", "value", "qualifier", "unit_field", "unit"),
        "a share is stated in percent and can lie in 0-100",
        hint=("correct the value, unit or qualifier from the source: a share is stated in percent (6 for 6%, "
              "not 0.06)")),
    "share_matches": KindSpec(
        shares.share_matches, ("table",),
        ("share", "numerator", "denominator", "pairs", "wildcards", "same", "point_tolerance"),
        "a stated share agrees with numerator / denominator",
        hint=("check the share and the two values it is computed from (period, basis, scope) against their "
              "sources and correct the one misread; if both sources are right, record the decision in "
              "validation/resolutions.yaml")),
    "growth_matches": KindSpec(
        growth.growth_matches, ("table", "match"),
        ("growth", "values", "period", "base_period", "wildcards", "point_tolerance"),
        "a stated growth agrees with the values of its two periods",
        hint=("check the growth and the values of its period and base period against their sources and correct "
              "the one misread; if both sources are right, record the decision in validation/resolutions.yaml")),
    "rank_consistent": KindSpec(
        ranks.rank_consistent, ("table", "entity", "match"),
        ("rank", "values", "set", "wildcards", "complete", "undated", "source_field"),
        "a stated rank agrees with the values of the same period and basis",
        hint=("check the rank and the compared values (period, basis) against their sources and correct the one"
              " misread; if both sources are right, record the decision in validation/resolutions.yaml")),
    "sources_agree": KindSpec(
        agreement.sources_agree, ("table", "key"),
        ("where", "require", "source_field", "basis", "unspecified", "across_bases", "undated", "as_of", "measures"),
        "two sources stating the same figure agree, on its basis and across bases",
        hint=("if one row misreads its source, correct it; if both sources are right, record the decision "
              "(prefer one row, or both_stand) in validation/resolutions.yaml")),
    "magnitude_plausible": KindSpec(
        magnitude.magnitude_plausible, ("table", "group_by"), ("where", "orders", "min_rows", "value", "scale"),
        "no figure is orders of magnitude off the median of comparable rows",
        hint=("check the row's scale and unit against its source (million for billion is the usual slip) and "
              "correct them")),
    "series_magnitude": KindSpec(
        magnitude.series_magnitude, ("table", "series"),
        ("where", "across", "period", "date", "factor", "window_days", "neighbours", "measures"),
        "no figure is a power of ten off its series in a neighbouring period or another source",
        hint=("check the row's value, scale and unit against its source (a misplaced decimal point or million "
              "for billion is the usual slip) and correct them; if the source really says so, record the "
              "decision in validation/resolutions.yaml")),
    "not_after_publication": KindSpec(
        timing.not_after_publication, ("table", "date"), ("where", "unless", "source", "source_field"),
        "nothing reported happens after its source was published",
        hint=("correct the row's date or its source_id from the source: the event cannot postdate the document "
              "that reports it")),
    "date_order": KindSpec(
        timing.date_order, ("table", "start", "end"), ("where", "strict"),
        "an end date is not before its start date",
        hint=("correct the start or end date from the source (they may be swapped)")),
    "cumulative_not_shrinking": KindSpec(
        timing.cumulative_not_shrinking, ("table", "match"), ("where", "start", "end", "optional"),
        "a cumulative figure does not shrink as its period grows",
        hint=("check both rows' periods and values against their sources and correct the one misread (a "
              "mislabelled period or basis is the usual cause)")),
    "codes_valid": KindSpec(
        references.codes_valid, ("table", "field", "code"), ("where", "country", "only_pattern", "skip"),
        "codes are valid ISO codes (pycountry)",
        hint=("correct the code to one of the ISO codes the rule names (pycountry lists them)")),
    "no_orphans": KindSpec(
        references.no_orphans, ("child", "parent"), ("skip_if_foreign_key",),
        "every child row points at an existing parent row",
        hint=("correct the reference, or add the row it names to the parent table")),
    "has_children": KindSpec(
        references.has_children, ("parent", "child"), ("where",),
        "every parent row has at least one child row",
        hint=("add the missing child rows from the source, or correct the parent row")),
    "conditional_required": KindSpec(
        required.conditional_required, ("table", "require"), ("when",),
        "fields that must be filled when a condition holds",
        hint=("fill in the named field from the source, or clear the field that makes it required")),
    "range_ordered": KindSpec(
        vocabulary.range_ordered, ("table",), ("measures", "where"),
        "a stated range's top end (value_high) lies above its low end (value)",
        hint=("correct value and value_high from the source: value is the low end of a range, value_high its top "
              "end (\"$27–28 million\": 27 and 28); a single figure leaves value_high empty")),
    "implies": KindSpec(
        vocabulary.implies, ("table", "when"), ("then", "field", "where"),
        "rows that match a condition (a qualifier such as among_top) also match what makes it meaningful",
        hint=("correct the row from the source: \"among the top N\" is a rank (measure rank or unit rank, value N); "
              "any other figure takes the qualifier its words give")),
    "span_carries_value": KindSpec(
        provenance.span_carries_value, ("table",), ("measures", "span", "derived", "where"),
        "the source span states the row's value at its scale",
        hint=("correct the row's value or scale, or its source_span, from the source: the span is the shortest "
              "verbatim phrase that carries the figure")),
    "span_qualifier_agrees": KindSpec(
        provenance.span_qualifier_agrees, ("table",), ("measures", "span", "derived", "where"),
        "the row's qualifier agrees with the span's wording (more than, about, at least, up to)",
        hint=("correct the row's qualifier, or its source_span, so the qualifier says what the span's wording "
              "says (\"more than\", \"about\", ...)")),
    "span_is_phrase": KindSpec(
        provenance.span_is_phrase, ("table",), ("measures", "span", "derived", "where", "sentence_words", "any_words"),
        "the source span is a phrase: no sentence end inside it, not many words beyond its figure",
        hint=("cut the source_span to the shortest verbatim phrase that carries the figure and its qualifier "
              "(the words around the number, not the sentence)")),
    "span_is_short": KindSpec(
        provenance.span_is_short, ("table",), ("span", "max_length", "where"),
        "the source span is a phrase, not a sentence or a paragraph",
        hint=("cut the source_span to the shortest verbatim phrase that carries the figure and its qualifier")),
}
