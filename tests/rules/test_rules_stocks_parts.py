"""Fixtures for the kinds of the rule-family matrix: siblings within their whole, stocks that do not
shrink or jump, absolute change, and a flow cut from one start on a table with optional regions.

Line numbers: the header is line 1, so the n-th row of a table is line n + 1.
"""
from __future__ import annotations

from rulekit import only, rule

IND = "indicators"
PP = "project_portfolios"


def one(findings, code="r"):
    got = only(findings, code)
    assert len(got) == 1, [f.message for f in findings]
    return got[0]


# ---------------------------------------------------------------- parts of an indicator

LINK = {"field": "parent_id", "key": "indicator_id"}
PART = {"parent_id": {"present": True}, "measure": "value"}
CHECKPOINT_PART = rule("part", "part_within_whole", {"table": IND, "part": PART, "whole": {"measure": "value"},
                                                  "link": LINK, "match": ["unit"]})
CHECKPOINT_SUM = rule("r", "siblings_within_whole", {"table": IND, "part": PART, "whole": {"measure": "value"},
                                                     "link": LINK, "match": ["unit"], "distinct": ["subject"]})


def _crossings(*parts, total="1.34", total_q="exact"):
    """A border's crossings (million people) and its checkpoints' counts, each linked to the total."""
    rows = [dict(id="border-total", topic="border", indicator="border_crossings", subject="all checkpoints",
                 value=total, scale="million", unit="people", qualifier=total_q)]
    for i, (subject, value) in enumerate(parts):
        rows.append(dict(id=f"checkpoint-{i}", topic="border", indicator="border_crossings", subject=subject,
                         value=value, scale="million", unit="people", parent_id="border-total"))
    return {IND: rows}


def test_checkpoint_counts_within_their_total_pass(make):
    built = make(_crossings(("Khorgos", "0.8"), ("Dostyk", "0.4")), [CHECKPOINT_PART, CHECKPOINT_SUM])
    assert only(built.run()) == []


def test_a_checkpoint_count_exceeding_its_total_fails(make):
    f = one(make(_crossings(("Khorgos", "1.5")), [CHECKPOINT_PART]).run(), "part")
    assert (f.severity, f.resource, f.line, f.field) == ("error", IND, 3, "value")
    assert "border-total" in f.message


def test_checkpoint_counts_that_together_exceed_their_total_fail(make):
    # each checkpoint alone fits within 1.34 million; together they are 1.7 million
    built = make(_crossings(("Khorgos", "0.9"), ("Dostyk", "0.8")), [CHECKPOINT_PART, CHECKPOINT_SUM])
    assert only(built.run(), "part") == []
    f = one(built.run())
    assert (f.severity, f.line, f.field) == ("error", 2, "value")
    assert "checkpoint-0" in f.message and "checkpoint-1" in f.message and "at least 1.6 million" in f.message


def test_two_statements_of_one_checkpoint_count_once(make):
    built = make(_crossings(("Khorgos", "0.9"), ("Khorgos", "0.85"), ("Dostyk", "0.4")), [CHECKPOINT_SUM])
    assert only(built.run()) == []


def test_siblings_only_warn_when_the_qualifiers_reconcile_them(make):
    # "more than 1.3 million" in all: parts of 0.9 + 0.5 exceed the stated point, not the interval
    built = make(_crossings(("Khorgos", "0.9"), ("Dostyk", "0.5"), total="1.3", total_q="more_than"), [CHECKPOINT_SUM])
    assert one(built.run()).severity == "warning"


# ---------------------------------------------------------------- parts of a portfolio

PORTFOLIO_SUM = rule("r", "siblings_within_whole", {
    "table": PP, "part": {"parent_id": {"present": True}}, "link": {"field": "parent_id", "key": "portfolio_id"},
    "match": ["item_kind"], "distinct": ["status"],
    "measures": [{"value": "item_count", "qualifier": "count_qualifier"},
                 {"value": "value", "qualifier": "value_qualifier", "scale": "scale", "unit": "unit"}]})


def _portfolio(launched, scheduled):
    return {PP: [dict(id="p52", item_count="52", count_qualifier="exact", value="21", scale="billion", unit="USD",
                      value_qualifier="more_than"),
                 dict(id="launched", status="launched", parent_id="p52", item_count=launched,
                      count_qualifier="exact", period_start="2015-01-01"),
                 dict(id="scheduled", status="scheduled", parent_id="p52", item_count=scheduled,
                      count_qualifier="exact", period_start="2023-01-01", period_end="2023-12-31")]}


def test_launched_and_scheduled_fit_in_the_portfolio(make):
    assert only(make(_portfolio("25", "6"), [PORTFOLIO_SUM]).run()) == []


def test_siblings_summing_above_the_whole_fail(make):
    f = one(make(_portfolio("41", "19"), [PORTFOLIO_SUM]).run())
    assert (f.severity, f.line, f.field) == ("error", 2, "item_count")
    assert "launched" in f.message and "scheduled" in f.message


# ---------------------------------------------------------------- stocks

STOCK = {"table": IND, "where": {"measure": "value", "indicator": {"pattern": ".*_(cumulative|stock)"}},
         "series": ["indicator", "unit", "kz_subdivision", "cn_subdivision", "period_start", "estimate"],
         "as_of": ["period_end"], "or_published": True}
SHRINK = rule("r", "stock_not_shrinking", STOCK)
JUMP = rule("jump", "stock_growth_plausible", {**STOCK, "max_factor": 2}, severity="warning")


def _investment(*statements):
    """Cumulative Chinese investment (billion USD): (value, qualifier, as-of date or None, source id)."""
    rows, sources = [], {}
    for i, (value, q, as_of, src) in enumerate(statements):
        rows.append(dict(id=f"stock-{i}", topic="investment", indicator="chinese_investment_cumulative", value=value,
                         scale="billion", unit="USD", qualifier=q, period_end=as_of or "", source_id=src))
        sources[src] = dict(id=src, published=f"{2019 + i}-06-01")
    return {"sources": list(sources.values()), IND: rows}


def test_a_stock_that_grows_passes(make):
    built = make(_investment(("23", "exact", "2023-03-27", "s1"), ("25", "approximately", "2024-07-04", "s2")),
                 [SHRINK, JUMP])
    assert only(built.run()) == []


def test_a_cumulative_total_halving_a_year_later_fails(make):
    f = one(make(_investment(("25", "exact", "2023-07-01", "s1"), ("12", "exact", "2024-07-01", "s2")), [SHRINK]).run())
    assert (f.severity, f.line, f.field) == ("error", 3, "value")
    assert "stock-0" in f.message and "2023-07-01" in f.message


def test_an_undated_stock_is_stated_as_of_its_sources_publication(make):
    # the second row gives no date: its source was published 2020-06-01, after the first's as-of date
    f = one(make(_investment(("25", "exact", "2019-01-01", "s1"), ("12", "exact", None, "s2")), [SHRINK]).run())
    assert (f.line, f.severity) == (3, "error") and "2020-06-01" in f.message


def test_a_fall_within_the_qualifiers_only_warns(make):
    built = make(_investment(("25", "exact", "2023-07-01", "s1"), ("24.8", "approximately", "2024-07-01", "s2")),
                 [SHRINK])
    assert one(built.run()).severity == "warning"


def test_a_stock_more_than_doubling_within_a_year_warns(make):
    built = make(_investment(("10", "exact", "2023-07-01", "s1"), ("25", "exact", "2024-03-01", "s2")), [SHRINK, JUMP])
    assert only(built.run(), "r") == []
    f = one(built.run(), "jump")
    assert (f.severity, f.line) == ("warning", 3) and "2.5 times" in f.message


def test_doubling_is_allowed_per_year_over_longer_spans(make):
    # 10 -> 25 over three years is 1.36 a year: well within 2 a year
    built = make(_investment(("10", "exact", "2020-07-01", "s1"), ("25", "exact", "2023-07-01", "s2")), [JUMP])
    assert only(built.run()) == []


PORTFOLIO_STOCK = rule("r", "stock_not_shrinking", {
    "table": PP, "where": {"status": ["launched", "signed"], "period_start": {"present": True}},
    "series": ["programme", "item_kind", "status", "period_start"], "as_of": ["period_end", "statement_date"],
    "measures": [{"value": "item_count", "qualifier": "count_qualifier"},
                 {"value": "value", "qualifier": "value_qualifier", "scale": "scale", "unit": "unit"}]})


def _launched(later_count):
    common = dict(status="launched", period_start="2015-01-01", count_qualifier="exact", scale="billion", unit="USD",
                  value_qualifier="exact")
    return {PP: [dict(id="to-2018", statement_date="2019-01-01", period_end="2018-12-31", item_count="12", value="3.8",
                      **common),
                 dict(id="by-2023", statement_date="2023-09-04", item_count=later_count, value="7.3", **common),
                 dict(id="other-start", statement_date="2024-01-01", period_start="2020-01-01", item_count="3",
                      status="launched", count_qualifier="exact")]}  # a series of its own: not compared


def test_projects_launched_since_a_year_accumulate(make):
    assert only(make(_launched("25"), [PORTFOLIO_STOCK]).run()) == []


def test_a_later_count_of_projects_launched_since_2015_cannot_shrink(make):
    f = one(make(_launched("9"), [PORTFOLIO_STOCK]).run())
    assert (f.severity, f.line, f.field) == ("error", 3, "item_count")


# ---------------------------------------------------------------- absolute change

T = "trade_volumes"
CHANGE = rule("r", "change_matches", {"table": T, "match": ["reporter_basis", "reporter_scope", "partner_scope",
                                                            "flow", "commodity_group"]})


def _year_on_year(earlier):
    base = dict(base_period_start="2022-01-01", base_period_end="2022-12-31")
    return {T: [dict(id="y2023", value="24.1"),
                dict(id="y2022", value=earlier, period_start="2022-01-01", period_end="2022-12-31"),
                dict(id="change", measure="growth", value="2.8", **base),
                dict(id="relative", measure="growth", value="13", unit="percent", scale="one", **base)]}  # growth.py's


def test_plus_2_8_billion_year_on_year_matches_the_two_values(make):
    assert only(make(_year_on_year("21.3"), [CHANGE]).run()) == []


def test_plus_2_8_billion_year_on_year_not_matching_the_two_values_fails(make):
    f = one(make(_year_on_year("23"), [CHANGE]).run())
    assert (f.severity, f.line, f.field) == ("error", 4, "value")
    assert "y2023" in f.message and "y2022" in f.message


def test_a_negative_change_in_tonnes(make):
    r = rule("r", "change_matches", {"table": IND, "match": ["indicator", "estimate"]})
    rows = [dict(id="feb-2020", indicator="cargo", value="200000", scale="one", period_start="2020-02-01",
                 period_end="2020-02-29"),
            dict(id="feb-2019", indicator="cargo", value="350421", scale="one", period_start="2019-02-01",
                 period_end="2019-02-28"),
            dict(id="change", indicator="cargo", measure="growth", value="-150421", scale="one",
                 period_start="2020-02-01", period_end="2020-02-29", base_period_start="2019-02-01",
                 base_period_end="2019-02-28")]
    assert only(make({IND: rows}, [r]).run()) == []
    rows[1]["value"] = "300000"
    assert one(make({IND: rows}, [r]).run()).line == 4


# ---------------------------------------------------------------- a flow from one start, regions optional

def test_a_longer_cut_of_a_national_indicator_cannot_be_smaller(make):
    r = rule("r", "cumulative_not_shrinking", {"table": IND, "where": {"measure": "value"},
                                               "match": ["indicator", "kz_subdivision", "measure"],
                                               "optional": ["kz_subdivision"]})
    rows = [dict(id="jan-apr", indicator="container_traffic", value="333.9", scale="thousand", unit="TEU",
                 period_start="2024-01-01", period_end="2024-04-30"),
            dict(id="jan-aug", indicator="container_traffic", value="250.5", scale="thousand", unit="TEU",
                 period_start="2024-01-01", period_end="2024-08-31"),
            dict(id="region", indicator="container_traffic", value="1", scale="thousand", unit="TEU",
                 kz_subdivision="KZ-75", period_start="2024-01-01", period_end="2024-12-31")]  # another series
    f = one(make({IND: rows}, [r]).run())
    assert (f.line, f.severity) == (3, "error")
