"""Undated and near-dated figures in the families beyond sources-agree: a part within its whole,
a stock against another statement of it (ranks: test_rules_vocabulary.py). Each is read through
its statement or publication date within the window its rule names (undated.py).

Line numbers: the header is line 1, so the n-th row of a table is line n + 1.
"""
from __future__ import annotations

from rulekit import one, only, repo_rule, rule


T = "trade_volumes"
IND = "indicators"


PROVINCE = repo_rule("trade-province-within-national")


def _province(value, published="2024-03-01", **period):
    return {T: [dict(id="cn-2023", value="31.4", source_id="src-a"),  # 2023 by default (rulekit)
                dict(id="cn-2021", value="18", period_start="2021-01-01", period_end="2021-12-31", source_id="src-a"),
                dict(id="sd", partner_scope="CN-SD", value=value, source_id="src-b",
                     **({"period_start": "", "period_end": ""} | period))],
            "sources": [dict(id="src-a", published="2024-02-01"), dict(id="src-b", published=published)]}


def test_an_undated_part_is_read_as_its_wholes_latest_period(make):
    assert only(make(_province("2"), [PROVINCE]).run()) == []
    f = one(make(_province("35"), [PROVINCE]).run())
    assert (f.severity, f.line) == ("error", 4)
    assert "cn-2023" in f.message and "cn-2021" not in f.message
    assert "undated, read as the period ending 2023-12-31" in f.message and "2024-03-01" in f.message


def test_an_undated_part_with_no_whole_in_its_window_is_not_compared(make):
    assert only(make(_province("35", published="2025-06-01"), [PROVINCE]).run()) == []


def test_a_dated_part_is_compared_with_its_own_period_only(make):
    # stated for 2021, 20 exceeds 2021's 18 whatever 2023 says
    f = one(make(_province("20", period_start="2021-01-01", period_end="2021-12-31"), [PROVINCE]).run())
    assert "cn-2021" in f.message and "undated" not in f.message


STOCKS = repo_rule("indicators-stocks-agree")


def _stocks(undated_value, published="2024-08-01"):
    common = dict(topic="investment", indicator="chinese_investment_cumulative", scale="billion", unit="USD")
    return {IND: [dict(id="dated", value="25", qualifier="approximately", as_of="2024-07-04", source_id="src-a",
                       **common),
                  dict(id="undated", value=undated_value, source_id="src-b", **common)],
            "sources": [dict(id="src-a", published="2024-07-04"), dict(id="src-b", published=published)]}


def test_an_undated_stock_is_read_as_of_its_publication(make):
    assert only(make(_stocks("25"), [STOCKS]).run()) == []
    f = one(make(_stocks("32"), [STOCKS]).run())
    assert f.line == 3 and "undated, read as of the publication of src-b on 2024-08-01" in f.message


def test_an_undated_stock_published_long_after_is_another_figure(make):
    assert only(make(_stocks("32", published="2025-06-01"), [STOCKS]).run()) == []
