"""Every counterpart (issue 11): a passing and a failing fixture for each way a wrong figure used to
slip through — hiding behind a right one, masked by `unspecified`, half of both official bases,
"more than X" against 2.2 X, exact counts, undated figures, and power-of-ten slips in a series.

Line numbers: the header is line 1, so the n-th row of a table is line n + 1.
"""
from __future__ import annotations

from rulekit import one, only, rule

from kzcn.validate.rules.intervals import Interval, soft_interval, stated_interval

T = "trade_volumes"
Y23 = dict(period_start="2023-01-01", period_end="2023-12-31")
Y22 = dict(period_start="2022-01-01", period_end="2022-12-31")
GROWTH = dict(measure="growth", scale="one", unit="percent", base_period_start="2022-01-01",
              base_period_end="2022-12-31", **Y23)
MATCH = ["reporter_basis", "reporter_scope", "partner_scope", "flow", "commodity_group"]
GROWTH_RULE = rule("r", "growth_matches", {"table": T, "match": MATCH,
                                           "wildcards": {"reporter_basis": ["unspecified"]}})


# ---------------------------------------------------------------- a wrong figure hiding behind a right one

def _hiding(second_2023):
    return {T: [dict(id="v23", value="31.4", source_id="src-a", **Y23),
                dict(id="v23-other", value=second_2023, source_id="src-b", **Y23),
                dict(id="v22", value="24.1", **Y22),
                dict(id="g", value="30", **GROWTH)]}


def test_growth_agrees_with_every_pair_of_its_basis(make):
    assert only(make(_hiding("31.4"), [GROWTH_RULE]).run()) == []


def test_a_wrong_value_no_longer_hides_behind_a_right_one(make):
    # 31.4 / 24.1 fits +30%; 41.4 / 24.1 (+72%) from another source used to be excused by it
    f = one(make(_hiding("41.4"), [GROWTH_RULE]).run())
    assert (f.line, f.field, f.severity) == (5, "value", "error")
    assert "v23-other" in f.message and "own basis" in f.message


# ---------------------------------------------------------------- unspecified masking a named-basis slip

def _masked(kz_2023):
    return {T: [dict(id="kz23", value=kz_2023, **Y23),
                dict(id="kz22", value="24.1", **Y22),
                dict(id="u23", reporter_basis="unspecified", value="31.5", source_id="src-u", **Y23),
                dict(id="g", value="30", **GROWTH)]}


def test_named_growth_with_its_own_values(make):
    assert only(make(_masked("31.4"), [GROWTH_RULE]).run()) == []


def test_unspecified_value_does_not_excuse_a_named_basis_slip(make):
    # kz 3.14 (a slipped 31.4) against kz 24.1 gives -87%; u 31.5 against kz 24.1 gives +31% and used to settle it
    f = one(make(_masked("3.14"), [GROWTH_RULE]).run())
    assert (f.line, f.severity) == (5, "error")
    assert "kz23" in f.message and "u23" not in f.message.split(":", 1)[1]


def test_unspecified_growth_is_compared_with_each_named_basis(make):
    rows = {T: [dict(id="kz23", value="31.4", **Y23), dict(id="kz22", value="24.1", **Y22),
                dict(id="cn23", reporter_basis="cn_customs", value="41", **Y23),
                dict(id="cn22", reporter_basis="cn_customs", value="31.2", **Y22),
                dict(id="g", value="30", **{**GROWTH, "reporter_basis": "unspecified"})]}
    assert only(make(rows, [GROWTH_RULE]).run()) == []            # fits both bases
    rows[T][4]["value"] = "60"
    f = one(make(rows, [GROWTH_RULE]).run())                       # fits neither
    assert (f.line, f.severity) == (6, "error") and "no basis" in f.message



def test_unknown_basis_pairs_are_each_a_candidate_not_one_series(make):
    # Every total unspecified: a Kazakh-side pair (31.4 / 24.1, +30%) beside a Chinese-side pair
    # (41 / 31.2, +31%). Mixed pairs (41 / 24.1 = +70%) are not counterparts of one basis, so +30%
    # stands; a figure that fits no pair at all (+60%) is still an error.
    u = {"reporter_basis": "unspecified"}
    rows = {T: [dict(id="a23", value="31.4", source_id="src-a", **u, **Y23),
                dict(id="a22", value="24.1", source_id="src-a", **u, **Y22),
                dict(id="b23", value="41", source_id="src-b", **u, **Y23),
                dict(id="b22", value="31.2", source_id="src-b", **u, **Y22),
                dict(id="g", value="30", **{**GROWTH, **u})]}
    assert only(make(rows, [GROWTH_RULE]).run()) == []
    rows[T][4]["value"] = "60"
    f = one(make(rows, [GROWTH_RULE]).run())
    assert (f.line, f.severity) == (6, "error") and "no basis or pair" in f.message

SHARE_RULE = rule("r", "share_matches", {
    "table": T, "share": {"measure": "share", "reference": "kz_cn_trade"},
    "numerator": {"where": {"measure": "value"}, "match": MATCH[:3] + ["flow", "commodity_group", "period_start",
                                                                      "period_end"]},
    "denominator": {"where": {"measure": "value", "partner_scope": "CN"},
                    "match": ["reporter_basis", "reporter_scope", "flow", "commodity_group", "period_start", "period_end"]},
    "wildcards": {"reporter_basis": ["unspecified"]}, "same": ["reporter_basis"]})


def _share(kz_part):
    return {T: [dict(id="kz-total", value="31.4", **Y23),
                dict(id="kz-xj", partner_scope="CN-XJ", value=kz_part, **Y23),
                dict(id="u-total", reporter_basis="unspecified", value="40", source_id="src-u", **Y23),
                dict(id="share", partner_scope="CN-XJ", measure="share", reference="kz_cn_trade", value="50",
                     scale="one", unit="percent", **Y23)]}


def test_named_share_with_its_own_pair(make):
    assert only(make(_share("15.7"), [SHARE_RULE]).run()) == []    # 15.7 / 31.4 = 50%


def test_unspecified_denominator_does_not_excuse_a_named_share(make):
    # 19.8 / 31.4 = 63% on its own basis; 19.8 / unspecified 40 -> [35, 45) = 44-57% used to settle it
    f = one(make(_share("19.8"), [SHARE_RULE]).run())
    assert (f.line, f.severity) == (5, "error") and "kz-total" in f.message


# ---------------------------------------------------------------- sources agree, across bases

AGREE = {"table": T, "key": ["measure", "reference", "reporter_scope", "partner_scope", "flow", "commodity_group",
                             "period_start", "period_end", "unit"],
         "basis": "reporter_basis", "across_bases": 1.5, "require": ["period_start", "period_end"]}
AGREE_RULE = rule("r", "sources_agree", AGREE, severity="warning")


def _official(third):
    return {T: [dict(id="kz", value="24.1", source_id="src-a", **Y22),
                dict(id="cn", reporter_basis="cn_customs", value="31.2", source_id="src-c", **Y22),
                dict(id="wits", reporter_basis="third_party", value=third, source_id="src-w", **Y22)]}


def test_third_party_within_the_gap_between_bases(make):
    assert only(make(_official("25.3"), [AGREE_RULE]).run()) == []


def test_third_party_half_of_both_official_figures_warns(make):
    f = one(make(_official("14"), [AGREE_RULE]).run())
    assert (f.line, f.severity) == (4, "warning")
    assert "kz" in f.message and "cn" in f.message and "1.5" in f.message


def _unspecified(value, qualifier="exact"):
    return {T: [dict(id="kz", value="31.4", source_id="src-a"),
                dict(id="cn", reporter_basis="cn_customs", value="41", source_id="src-c"),
                dict(id="u", reporter_basis="unspecified", value=value, qualifier=qualifier, source_id="src-u")]}


def test_unspecified_figure_fitting_a_named_basis(make):
    assert only(make(_unspecified("40"), [AGREE_RULE]).run()) == []      # 40 -> [35, 45) holds 41


def test_unspecified_figure_fitting_no_named_basis(make):
    f = one(make(_unspecified("36.5"), [AGREE_RULE]).run())
    assert (f.line, f.severity) == (4, "warning") and "no named basis" in f.message


# ---------------------------------------------------------------- "more than X" against 2.2 X

def _more_than(other):
    return {T: [dict(id="over", reporter_basis="unspecified", value="32", qualifier="more_than", source_id="src-a"),
                dict(id="other", reporter_basis="unspecified", value=other, source_id="src-b")]}


def test_more_than_x_with_a_close_figure(make):
    assert only(make(_more_than("33"), [AGREE_RULE]).run()) == []


def test_more_than_x_against_2_2_x_warns(make):
    f = one(make(_more_than("70"), [AGREE_RULE]).run())
    assert (f.line, f.severity) == (3, "warning") and "(32, 48]" in f.message


def test_soft_band_is_a_band_and_the_hard_interval_stays():
    hard = stated_interval(32, "more_than")
    assert hard.contains(70) and not soft_interval(hard, 32, "more_than").contains(70)
    assert soft_interval(hard, 32, "more_than").contains(48)
    up_to = stated_interval(35, "up_to")
    assert not soft_interval(up_to, 35, "up_to").contains(20) and soft_interval(up_to, 35, "up_to").contains(24)


# ---------------------------------------------------------------- counts are integers

PORTFOLIO_AGREE = rule("r", "sources_agree", {
    "table": "project_portfolios", "key": ["programme", "item_kind", "status"],
    "as_of": {"field": "statement_date", "window_days": 92},
    "measures": [{"value": "item_count", "qualifier": "count_qualifier"}]}, severity="warning")


def _counts(second, qualifier="exact", date="2024-07-04"):
    return {"project_portfolios": [
        dict(id="p-a", item_count="60", count_qualifier="exact", statement_date="2024-05-16", source_id="src-a"),
        dict(id="p-b", item_count=second, count_qualifier=qualifier, statement_date=date, source_id="src-b")]}


def test_exact_counts_that_agree(make):
    assert only(make(_counts("60"), [PORTFOLIO_AGREE]).run()) == []
    assert only(make(_counts("61", "approximately"), [PORTFOLIO_AGREE]).run()) == []   # some 61: [54, 68]


def test_exact_count_60_is_not_61(make):
    f = one(make(_counts("61"), [PORTFOLIO_AGREE]).run())
    assert (f.line, f.field, f.severity) == (3, "item_count", "warning")


def test_statements_a_quarter_apart_are_not_the_same_stock(make):
    assert only(make(_counts("61", date="2024-10-16"), [PORTFOLIO_AGREE]).run()) == []


def test_count_intervals():
    assert stated_interval(60, "exact", count=True) == Interval.point(60)
    assert stated_interval(60, "exact") == Interval(55, 65, False, True)            # a measurement rounds
    some = stated_interval(25, "approximately", count=True)
    assert (some.lo, some.hi) == (22, 28)
    assert stated_interval(3, "approximately", count=True) == Interval(2, 4)


# ---------------------------------------------------------------- undated figures

UNDATED_RULE = rule("r", "sources_agree", {**AGREE, "undated": {"where": {"measure": "rank"}, "window_days": 366}},
                    severity="warning")


def _undated(rank, published="2023-09-01"):
    rank_row = dict(partner_scope="CN-SD", measure="rank", reference="cn_regions", scale="one", unit="rank",
                    reporter_basis="unspecified")
    return {T: [dict(id="dated", value="4", source_id="src-a", **rank_row, **Y22),
                dict(id="undated", value=rank, source_id="src-b", period_start="", period_end="", **rank_row)],
            "sources": [dict(id="src-a", published="2023-09-04"), dict(id="src-b", published=published)]}


def test_undated_rank_agrees_with_the_latest_dated_one(make):
    assert only(make(_undated("4"), [UNDATED_RULE]).run()) == []


def test_undated_rank_is_compared_through_its_publication_date(make):
    f = one(make(_undated("3"), [UNDATED_RULE]).run())
    assert (f.severity, f.line) == ("warning", 3) and "2022-12-31" in f.message and "2023-09-01" in f.message


def test_undated_rank_outside_the_window_is_not_compared(make):
    assert only(make(_undated("3", published="2025-06-01"), [UNDATED_RULE]).run()) == []


# ---------------------------------------------------------------- a power of ten off the series

SERIES_RULE = rule("r", "series_magnitude", {
    "table": T, "where": {"measure": "value"},
    "series": ["measure", "reference", "reporter_scope", "partner_scope", "flow", "commodity_group", "unit"],
    "across": ["reporter_basis"], "period": ["period_start", "period_end"], "factor": 5})  # reference: blank, same


def _series(v2023, scale="billion"):
    return {T: [dict(id="y2021", value="18", period_start="2021-01-01", period_end="2021-12-31"),
                dict(id="y2022", value="24.1", **Y22),
                dict(id="y2023", value=v2023, scale=scale, **Y23),
                dict(id="cn2023", reporter_basis="cn_customs", value="41", source_id="src-c", **Y23),
                dict(id="h1", value="13.6", period_start="2023-01-01", period_end="2023-06-30")]}


def test_series_of_plausible_values(make):
    assert only(make(_series("31.4"), [SERIES_RULE]).run()) == []


def test_a_x10_slip_against_the_neighbouring_year(make):
    f = one(make(_series("314"), [SERIES_RULE]).run())
    assert (f.line, f.field, f.severity) == (4, "value", "error")
    assert "y2022" in f.message and "cn2023" in f.message and "neighbouring period" in f.message


def test_a_decimal_slip_and_a_scale_slip(make):
    assert one(make(_series("3.14"), [SERIES_RULE]).run()).line == 4
    assert one(make(_series("31.4", scale="million"), [SERIES_RULE]).run()).line == 4


def test_an_isolated_pair_flags_the_later_row_once(make):
    rows = {T: [dict(id="a", value="24.1", **Y22), dict(id="b", value="241", source_id="src-b", **Y22)]}
    f = one(make(rows, [SERIES_RULE]).run())
    assert f.line == 3 and "same period" in f.message


PORTFOLIO_SERIES = rule("r", "series_magnitude", {
    "table": "project_portfolios", "series": ["programme", "item_kind", "status"], "date": "statement_date",
    "window_days": 366, "measures": [{"value": "item_count", "qualifier": "count_qualifier"},
                                     {"value": "value", "qualifier": "value_qualifier", "scale": "scale",
                                      "unit": "unit"}]})


def _portfolios(value, scale="billion"):
    common = dict(item_count="45", count_qualifier="exact", unit="USD", value_qualifier="exact")
    return {"project_portfolios": [
        dict(id="a", value="14.5", scale="billion", statement_date="2024-05-16", **common),
        dict(id="b", value=value, scale=scale, statement_date="2024-07-04", source_id="src-b", **common)]}


def test_portfolio_statements_of_one_magnitude(make):
    assert only(make(_portfolios("14.5"), [PORTFOLIO_SERIES]).run()) == []


def test_portfolio_million_for_billion(make):
    f = one(make(_portfolios("14.5", scale="million"), [PORTFOLIO_SERIES]).run())
    assert (f.line, f.field) == (3, "value")


# ---------------------------------------------------------------- malformed parameters are named

def test_malformed_counterpart_parameters_are_errors_that_name_the_rule(make):
    import pytest

    from kzcn.errors import TargetError

    rows = {T: [dict(id="a", value="24.1", **Y22)]}
    bad = [rule("r", "sources_agree", {**AGREE, "across_bases": 0.5}),
           rule("r", "sources_agree", {**AGREE, "undated": {"window_days": "a year"}}),
           rule("r", "sources_agree", {**AGREE, "as_of": {"field": "statement_date"}}),
           rule("r", "series_magnitude", {"table": T, "series": ["flow"], "period": ["period_start", "period_end"],
                                          "date": "period_end"}),
           rule("r", "series_magnitude", {"table": T, "series": ["flow"], "date": "period_end", "factor": 1})]
    for r in bad:
        with pytest.raises(TargetError) as exc:
            make(rows, [r]).run()
        assert "rule 'r'" in str(exc.value), str(exc.value)


def test_the_suspect_is_the_row_furthest_from_all_its_counterparts(make):
    # 10 clashes with 2 (x5) and agrees with 3 (x3.3); 2 clashes with 10 and agrees with 3: a tie on
    # counts, broken by distance — 10 is further from its counterparts than 2 is
    r = rule("r", "series_magnitude", {"table": "targets", "series": ["metric", "unit"], "date": "stated_date",
                                       "window_days": 366})
    rows = {"targets": [dict(id="t-slip", value="10", scale="million", unit="tonnes", stated_date="2023-09-04"),
                        dict(id="t-2", value="2", scale="million", unit="tonnes", stated_date="2024-08-01"),
                        dict(id="t-3", value="3", scale="million", unit="tonnes", stated_date="2024-08-01",
                             source_id="src-b")]}
    f = one(make(rows, [r]).run())
    assert (f.line, f.resource) == (2, "targets") and "t-2" in f.message
    rows["targets"][0]["value"] = "1"
    assert only(make(rows, [r]).run()) == []
