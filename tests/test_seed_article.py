"""Every fact of the seed article (The Astana Times, September 2023) is in the data, exactly.

Each expectation is written from the article itself: value, scale, unit, qualifier, period and
source. A row found by its meaning, not by id, so a renamed row still has to carry the fact.
"""
from __future__ import annotations

import pandas as pd
import pytest

import kzcn

SEED = "astanatimes-2023-09-kazakhstan-shandong"


@pytest.fixture(scope="module")
def t():
    return kzcn.load_package()


def one(df, **match):
    mask = pd.Series(True, index=df.index)
    for col, want in match.items():
        col_values = df[col]
        if want is None:
            mask &= col_values.isna()
        elif isinstance(want, str) and col_values.dtype.kind == "M":
            mask &= col_values == pd.Timestamp(want)
        else:
            mask &= (col_values == want).fillna(False).astype(bool)
    rows = df[mask]
    assert len(rows) == 1, f"expected exactly one row matching {match}, found {len(rows)}"
    return rows.iloc[0]


def test_seed_source_is_recorded(t):
    src = one(t["sources"], source_id=SEED)
    assert src["publisher"] == "The Astana Times"
    assert src["title"] == "Kazakhstan, Shandong Province Explore Promising Areas for Cooperation"
    assert src["published"].year == 2023 and src["published"].month == 9


def test_smailov_lin_wu_meeting_and_topics(t):
    m = one(t["meetings"], source_id=SEED, date="2023-09-04", meeting_kind="bilateral_meeting")
    assert m["date_precision"] == "day"
    assert set(m["topics"].split(";")) >= {"trade", "economy", "transport", "logistics"}
    p = t["meeting_participants"]
    people = set(p[p["meeting_id"] == m["meeting_id"]]["person_id"])
    assert people == {"alikhan-smailov", "lin-wu"}


def test_forum_chaired_by_zhumangarin_with_signed_agreements(t):
    m = one(t["meetings"], source_id=SEED, meeting_kind="forum")
    assert "agreements signed" in m["outcome"]
    p = t["meeting_participants"]
    chair = p[(p["meeting_id"] == m["meeting_id"]) & (p["participation"] == "chair")]
    assert list(chair["person_id"]) == ["serik-zhumangarin"]
    assert "lin-wu" in set(p[p["meeting_id"] == m["meeting_id"]]["person_id"])


@pytest.mark.parametrize("match, value, scale, unit, qualifier, period", [
    (dict(partner_scope="CN-SD", measure="share"), 6, "one", "percent", "more_than", (None, None)),
    (dict(partner_scope="CN-SD", measure="value", flow="turnover"), 1.1, "billion", "USD", "exact", ("2023-01-01", "2023-06-30")),
    (dict(partner_scope="CN-SD", measure="rank"), 3, "one", "rank", "exact", (None, None)),
    (dict(partner_scope="CN", measure="value", flow="export", commodity_group="agricultural", derived=False),
     548, "million", "USD", "exact", ("2022-01-01", "2022-12-31")),
    (dict(partner_scope="CN", measure="growth", flow="export", commodity_group="agricultural"),
     2.5, "one", "times", "exact", ("2022-01-01", "2022-12-31")),
])
def test_seed_trade_figures(t, match, value, scale, unit, qualifier, period):
    row = one(t["trade_volumes"], source_id=SEED, **match)
    assert row["value"] == value and row["scale"] == scale and row["unit"] == unit
    assert row["qualifier"] == qualifier
    for got, want in zip((row["period_start"], row["period_end"]), period):
        assert (pd.isna(got) if want is None else got == pd.Timestamp(want))
    assert row["source_span"] and len(row["source_span"]) <= 160


def test_rank_reference_and_growth_base(t):
    rank = one(t["trade_volumes"], source_id=SEED, measure="rank")
    assert rank["reference"] == "cn_regions"
    growth = one(t["trade_volumes"], source_id=SEED, measure="growth")
    assert growth["base_period_start"] == pd.Timestamp("2021-01-01")
    assert growth["base_period_end"] == pd.Timestamp("2021-12-31")


def test_derived_2021_value_says_it_is_derived(t):
    row = one(t["trade_volumes"], source_id=SEED, derived=True)
    assert row["period_start"] == pd.Timestamp("2021-01-01")
    assert row["value"] == pytest.approx(548 / 2.5)
    assert "548" in row["derivation"] and "2.5" in row["derivation"]
    assert row["qualifier"] != "exact"


@pytest.mark.parametrize("status, count, count_q, value, value_q", [
    ("total", 52, "exact", 21, "more_than"),
    ("launched", 25, "approximately", 7.3, "exact"),
    ("scheduled", 6, "exact", None, None),
])
def test_seed_portfolio_statements(t, status, count, count_q, value, value_q):
    row = one(t["project_portfolios"], source_id=SEED, status=status)
    assert row["item_count"] == count and row["count_qualifier"] == count_q
    if value is None:
        assert pd.isna(row["value"])
    else:
        assert row["value"] == value and row["value_qualifier"] == value_q
        assert row["scale"] == "billion" and row["unit"] == "USD"
    if status != "total":
        assert row["parent_id"] == one(t["project_portfolios"], source_id=SEED, status="total")["portfolio_id"]
    if status == "launched":
        assert row["period_start"] == pd.Timestamp("2015-01-01")


def test_investment_goal_150bn_seven_years(t):
    row = one(t["targets"], source_id=SEED)
    assert (row["value"], row["scale"], row["unit"], row["qualifier"]) == (150, "billion", "USD", "at_least")
    assert "seven years" in row["source_span"]


def test_first_grain_train_of_3_september(t):
    row = one(t["milestones"], source_id=SEED)
    assert row["date"] == pd.Timestamp("2023-09-03") and row["milestone_kind"] == "first_shipment"
    assert "grain" in row["summary"].lower()
