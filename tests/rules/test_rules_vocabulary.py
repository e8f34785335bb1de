"""The 0.3.0 vocabulary in the rules: ranges (value_high), among_top, nearly, as_of stocks.

One passing and one failing fixture per new kind (range_ordered, implies), and the vocabulary
flowing through the kinds that compare figures. Line numbers: the header is line 1, so the n-th
row of a table is line n + 1.
"""
from __future__ import annotations

import pytest
from rulekit import one, only, repo_rule, rule


T = "trade_volumes"
IND = "indicators"


# ---------------------------------------------------------------- range_ordered

RANGE = rule("r", "range_ordered", {"table": T})


@pytest.mark.parametrize("low, high", [("27", "28"), ("27", ""), ("0.5", "0.75")])
def test_a_range_in_order_passes(make, low, high):
    assert only(make({T: [dict(id="a", value=low, value_high=high, scale="million")]}, [RANGE]).run()) == []


@pytest.mark.parametrize("low, high, words", [("28", "27", "value_high 27 is not above value 28"),
                                              ("27", "27", "a single figure leaves value_high empty")])
def test_a_range_whose_top_is_not_above_its_low_end_fails(make, low, high, words):
    f = one(make({T: [dict(id="ok", value="1"), dict(id="a", value=low, value_high=high)]}, [RANGE]).run())
    assert (f.severity, f.line, f.field, f.resource) == ("error", 3, "value_high", T)
    assert words in f.message and "a:" in f.message


def test_a_top_end_without_a_low_end_is_named(make):
    target_range = rule("r", "range_ordered", {"table": "targets"})
    f = one(make({"targets": [dict(id="t", value="", value_high="40")]}, [target_range]).run())
    assert (f.line, f.field) == (2, "value_high") and "without value" in f.message


def test_a_range_is_the_hull_of_its_ends_for_the_comparing_rules(make):
    # "27-28 billion" of a province against a national 27.6: possible as a range, not as 28 alone
    rule_ = rule("r", "part_within_whole", {
        "table": T, "part": {"partner_scope": "CN-SD"}, "whole": {"partner_scope": "CN"},
        "match": ["reporter_basis", "flow", "period_start", "period_end", "unit"]})
    rows = lambda low, high: {T: [dict(id="cn", value="27.6"),  # noqa: E731
                                  dict(id="sd", partner_scope="CN-SD", value=low, value_high=high)]}
    assert only(make(rows("27", "28"), [rule_]).run()) == []
    assert one(make(rows("27.7", "29"), [rule_]).run()).severity == "error"


# ---------------------------------------------------------------- implies: among_top on ranks only

def test_among_top_on_a_rank_passes(make):
    rows = {T: [dict(id="r", measure="rank", reference="cn_regions", value="5", scale="one", unit="rank",
                     qualifier="among_top")], IND: []}
    assert only(make(rows, [repo_rule("among-top-is-a-rank")]).run()) == []


def test_among_top_on_an_amount_fails(make):
    rows = {T: [dict(id="ok", value="2"), dict(id="v", value="5", qualifier="among_top")], IND: []}
    f = one(make(rows, [repo_rule("among-top-is-a-rank")]).run())
    assert (f.severity, f.line, f.field) == ("error", 3, "qualifier")
    assert "qualifier among_top is only meaningful with measure rank" in f.message and "measure value" in f.message


def test_a_count_is_never_among_top(make):
    rows = {"project_portfolios": [dict(id="p", item_count="5", count_qualifier="among_top")]}
    f = one(make(rows, [repo_rule("portfolio-count-not-among-top")]).run())
    assert (f.line, f.field) == (2, "count_qualifier") and "never meaningful" in f.message


def test_implies_on_a_target_in_unit_rank(make):
    ok = {"targets": [dict(id="t", value="10", scale="one", unit="rank", qualifier="among_top")]}
    assert only(make(ok, [repo_rule("target-among-top-is-a-rank")]).run()) == []
    bad = {"targets": [dict(id="t", value="10", qualifier="among_top")]}
    assert "unit USD" in one(make(bad, [repo_rule("target-among-top-is-a-rank")]).run()).message


# ---------------------------------------------------------------- both ends of a range in the span

SPAN = rule("r", "span_carries_value", {"table": T})


@pytest.mark.parametrize("span, scale", [
    ("$27–28 million", "million"), ("27-28 million dollars", "million"), ("from 27 to 28 million", "million"),
    ("от 27 до 28 млн долларов", "million"), ("27至28亿美元", "hundred_million")])
def test_a_span_carries_both_ends_of_a_range(make, span, scale):
    rows = {T: [dict(id="a", value="27", value_high="28", scale=scale, source_span=span)]}
    assert only(make(rows, [SPAN]).run()) == []


def test_a_span_missing_the_top_end_fails(make):
    rows = {T: [dict(id="a", value="27", value_high="29", scale="million", source_span="$27–28 million")]}
    f = one(make(rows, [SPAN]).run())
    assert (f.line, f.field) == (2, "source_span") and "value_high 29 (million)" in f.message
    assert "value 27" not in f.message


# ---------------------------------------------------------------- among_top and nearly in the comparing kinds

RANK = rule("r", "rank_consistent", {
    "table": T, "rank": {"measure": "rank"}, "set": {"partner_scope": {"pattern": "^CN-[A-Z]{2}$"}},
    "entity": "partner_scope", "wildcards": {"reporter_basis": ["unspecified"]},
    "match": ["reporter_basis", "reporter_scope", "flow", "commodity_group", "period_start", "period_end"]})


def _regions(rank, qualifier="exact", sd=("2",), rank_extra=None):
    rows = [dict(id="xj", partner_scope="CN-XJ", value="12"), dict(id="bj", partner_scope="CN-BJ", value="5")]
    rows += [dict(id=f"sd{i}", partner_scope="CN-SD", value=v, source_id="src-a") for i, v in enumerate(sd)]
    rows.append(dict(id="sd-rank", partner_scope="CN-SD", measure="rank", reference="cn_regions", value=rank,
                     scale="one", unit="rank", qualifier=qualifier, **(rank_extra or {})))
    return {T: rows}


def test_among_top_three_is_a_rank_of_at_most_three(make):
    assert only(make(_regions("3", "among_top"), [RANK]).run()) == []


def test_among_top_two_fails_with_two_regions_above(make):
    f = one(make(_regions("2", "among_top"), [RANK]).run())
    assert f.severity == "error" and "rank among top 2" in f.message


def test_a_rank_must_fit_every_value_of_its_own_entity(make):
    # two sources for Shandong: 14 (first) and 7 (second, below Xinjiang's 12): rank 1 is
    # contradicted by the 7, and not settled because the 14 fits
    f = one(make(_regions("1", sd=("14", "7")), [RANK]).run())
    assert f.severity == "error" and "sd1" in f.message and "CN-XJ" in f.message


def test_a_rank_counts_an_entity_above_when_any_row_of_it_is(make):
    rows = _regions("2", sd=("7",))
    rows[T].insert(2, dict(id="bj2", partner_scope="CN-BJ", value="9", source_id="src-b"))
    # Beijing 5 (below 7) and 9 (above 7): one of its statements puts it above Shandong, so with
    # Xinjiang that makes two above a "second" partner
    f = one(make(rows, [RANK]).run())
    assert f.severity == "error" and "CN-BJ" in f.message and "CN-XJ" in f.message


def test_values_of_two_named_bases_are_not_ranked_together(make):
    rows = _regions("1", sd=("7",), rank_extra={"reporter_basis": "unspecified"})
    for r in rows[T]:
        r.setdefault("reporter_basis", "kz_statistics")
    rows[T][0].update(reporter_basis="cn_customs")  # Xinjiang's 12 is of another basis than Shandong's 7
    rows[T][1].update(value="6")
    assert only(make(rows, [RANK]).run()) == []


UNDATED_RANK = rule("r", "rank_consistent", {**RANK["params"], "undated": {"window_days": 366}})


def _undated_rank(rank, published):
    rows = _regions(rank, rank_extra={"period_start": "", "period_end": "", "source_id": "src-b"})
    return {**rows, "sources": [dict(id="src-a", published="2024-03-01"), dict(id="src-b", published=published)]}


def test_an_undated_rank_is_read_as_its_values_latest_period(make):
    f = one(make(_undated_rank("1", "2024-02-10"), [UNDATED_RANK]).run())
    assert f.severity == "error" and "undated, read as the period ending 2023-12-31" in f.message
    assert only(make(_undated_rank("3", "2024-02-10"), [UNDATED_RANK]).run()) == []


def test_an_undated_rank_outside_the_window_stays_uncompared(make):
    assert only(make(_undated_rank("1", "2025-06-01"), [UNDATED_RANK]).run()) == []
    assert only(make(_undated_rank("1", "2024-02-10"), [RANK]).run()) == []  # no undated: not read


AGREE = rule("r", "sources_agree", {
    "table": T, "key": ["measure", "reporter_basis", "partner_scope", "flow", "period_start", "period_end", "unit"],
    "require": ["period_start", "period_end"]}, severity="warning")


@pytest.mark.parametrize("other, severity", [
    ("37", None), ("39.5", None), ("40", None),          # just below 40, or 40 itself
    ("33", "warning"), ("40.3", "warning"), ("42", "warning"),  # the words put it in [36, 40]
    ("29", "warning_hard"), ("46", "warning_hard")])       # outside [30, 45] altogether
def test_nearly_forty_lies_just_below_forty(make, other, severity):
    rows = {T: [dict(id="a", value="40", qualifier="nearly", source_id="src-a"),
                dict(id="b", value=other, source_id="src-b")]}
    found = only(make(rows, [AGREE]).run())
    assert len(found) == (severity is not None), [f.message for f in found]
    if severity:  # sources_agree is a warning rule: the hard clash says "do not overlap"
        hard = "the intervals do not overlap" in found[0].message
        assert hard == (severity == "warning_hard"), found[0].message


# ---------------------------------------------------------------- as_of: stocks by data

STOCK = repo_rule("indicator-stock-not-shrinking")
AS_OF_PUBLICATION = repo_rule("indicator-as-of-not-after-publication")


def _stock(indicator, later, as_of_b="2024-07-04", **extra):
    rows = [dict(id="a", topic="investment", indicator=indicator, value="6000", scale="one", unit="enterprises",
                 qualifier="exact", as_of="2023-01-01", source_id="src-a"),
            dict(id="b", topic="investment", indicator=indicator, value=later, scale="one", unit="enterprises",
                 qualifier="exact", as_of=as_of_b, source_id="src-b", **extra)]
    return {IND: rows, "sources": [dict(id="src-a", published="2023-02-01"), dict(id="src-b", published="2024-08-01")]}


def test_a_stock_is_a_row_with_as_of_whatever_its_name(make):
    assert only(make(_stock("registered_companies", "6500"), [STOCK]).run()) == []
    f = one(make(_stock("registered_companies", "4700"), [STOCK]).run())
    assert (f.severity, f.line) == ("error", 3) and "as of 2024-07-04" in f.message and "as of 2023-01-01" in f.message


def test_as_of_is_the_stocks_date_before_its_period_end(make):
    # b's period_end says 2022, its as_of 2024: ordered by as_of, b is the later statement
    f = one(make(_stock("registered_companies", "4700", period_end="2022-12-31"), [STOCK]).run())
    assert f.line == 3


def test_a_declared_cumulative_indicator_without_as_of_is_a_stock(make):
    rows = _stock("enterprises_with_chinese_capital", "4700", as_of_b="")
    rows[IND][0]["as_of"] = ""  # both dated by their sources' publication
    f = one(make(rows, [STOCK]).run())
    assert "(its source's publication)" in f.message
    rows[IND][0]["indicator"] = rows[IND][1]["indicator"] = "transit_cargo"  # a flow: not compared
    assert only(make(rows, [STOCK]).run()) == []


def test_as_of_after_publication_fails(make):
    assert only(make(_stock("x", "6500"), [AS_OF_PUBLICATION]).run()) == []
    f = one(make(_stock("x", "6500", as_of_b="2024-09-01"), [AS_OF_PUBLICATION]).run())
    assert (f.line, f.field, f.severity) == (3, "as_of", "error") and "2024-08-01" in f.message
    assert only(make(_stock("x", "6500", as_of_b="2024-09-01", estimate="forecast"), [AS_OF_PUBLICATION]).run()) == []


def test_any_of_selects_rows_either_selector_matches(make):
    params = {"table": IND, "start": "period_start", "end": "period_end",
              "where": {"any_of": [{"as_of": {"present": True}}, {"indicator": "x"}]}}
    rows = {IND: [dict(id="a", indicator="x", period_start="2024-01-01", period_end="2023-01-01"),
                  dict(id="b", indicator="y", period_start="2024-01-01", period_end="2023-01-01", as_of="2024-01-01"),
                  dict(id="c", indicator="y", period_start="2024-01-01", period_end="2023-01-01")]}
    found = only(make(rows, [rule("r", "date_order", params)]).run())
    assert sorted(f.line for f in found) == [2, 3]
