"""The derived series: one preferred figure per series and period, chosen the documented way.

Expected values are computed here from the curated rows and validation/resolutions.yaml with
pandas, independently of kzcn.package.series, so the test holds whatever rows the curators add.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
import yaml

import csv_edits

import kzcn
from kzcn.errors import DataError
from kzcn.package.descriptor import open_shipped
from kzcn.package.series.choose import choose
from kzcn.package.series.periods import period_label

PACKAGE = open_shipped()
TRADE_KEY = ["reporter_basis", "reporter_scope", "partner_scope", "flow", "commodity_group", "unit",
             "period_start", "period_end"]
POWER = {"one": 0, "thousand": 3, "ten_thousand": 4, "million": 6, "hundred_million": 8, "billion": 9, "trillion": 12}


def _resolutions():
    return yaml.safe_load((PACKAGE.root / "validation" / "resolutions.yaml").read_text(encoding="utf-8"))["resolutions"]


def _base(value, scale) -> float:
    return float(Decimal(repr(float(value))).scaleb(POWER[str(scale)]))


@pytest.fixture(scope="module")
def trade():
    return kzcn.load("trade_volumes")


@pytest.fixture(scope="module")
def series():
    return kzcn.load("trade_series")


def _series_rows(trade: pd.DataFrame) -> pd.DataFrame:
    """The rows the documented selection lets in: reported, dated value figures."""
    t = trade
    sel = (t["measure"] == "value") & (t["estimate"] == "reported") & t["period_start"].notna() & t["period_end"].notna()
    return t[sel.fillna(False)].copy()


def test_one_row_per_series_key_and_period(trade, series):
    assert len(series) > 0
    assert not series.duplicated(TRADE_KEY).any()
    expected = _series_rows(trade).groupby(TRADE_KEY, observed=True).size()
    got = series.set_index(TRADE_KEY)["n_statements"]
    assert set(got.index) == set(expected.index)
    # every statement counts, except derived rows where a source states the figure
    stated = _series_rows(trade)[~_series_rows(trade)["derived"].astype(bool)].groupby(TRADE_KEY, observed=True).size()
    for key, n in got.items():
        assert n == stated.get(key, expected[key]), key


def test_values_are_in_base_units_and_spread_spans_the_statements(trade, series):
    rows = _series_rows(trade)
    by_id = rows.set_index("trade_id")
    for s in series.itertuples():
        pref = by_id.loc[s.preferred_trade_id]
        assert s.value == pytest.approx(_base(pref["value"], pref["scale"]), rel=1e-12)
        assert s.qualifier == pref["qualifier"] and s.source_id == pref["source_id"]
        assert s.low <= s.value <= s.high
        members = rows[(rows[TRADE_KEY] == pd.Series(s._asdict())[TRADE_KEY]).all(axis=1)]
        if not members["derived"].all():
            members = members[~members["derived"].astype(bool)]
        values = [_base(v, sc) for v, sc in zip(members["value"], members["scale"])]
        values += [_base(v, sc) for v, sc in zip(members["value_high"], members["scale"]) if pd.notna(v)]
        assert s.low == pytest.approx(min(values), rel=1e-12) and s.high == pytest.approx(max(values), rel=1e-12)


def test_every_prefer_resolution_decides_its_series(trade, series):
    rows = _series_rows(trade).set_index("trade_id")
    checked = 0
    for entry in _resolutions():
        if entry["table"] != "trade_volumes" or entry["decision"] != "prefer" or entry["prefer"] not in rows.index:
            continue
        pref = rows.loc[entry["prefer"]]
        match = series[(series[TRADE_KEY] == pd.Series(pref)[TRADE_KEY].reindex(TRADE_KEY)).all(axis=1)]
        assert len(match) == 1
        got = match.iloc[0]
        assert got["preferred_trade_id"] == entry["prefer"]
        assert got["value"] == pytest.approx(_base(pref["value"], pref["scale"]), rel=1e-12)
        if got["n_statements"] == 1:  # the other rows of the decision are in other series now
            assert got["preferred_by"] == "only statement"
            continue
        assert got["preferred_by"].startswith("resolution validation/resolutions.yaml #")
        assert entry["prefer"] in got["preferred_by"]
        checked += 1
    assert checked >= 1  # the data holds prefer decisions on dated value figures


def test_default_order_prefers_exact_then_official_then_latest(trade, series):
    """Where no resolution decides: no qualified figure beats an exact one of the same series."""
    rows = _series_rows(trade)
    decided = 0
    for s in series[series["preferred_by"].str.startswith("default order")].itertuples():
        members = rows[(rows[TRADE_KEY] == pd.Series(s._asdict())[TRADE_KEY]).all(axis=1)]
        pref = members.set_index("trade_id").loc[s.preferred_trade_id]
        if (members["qualifier"] == "exact").any():
            assert pref["qualifier"] == "exact", s.preferred_trade_id
        decided += 1
    assert decided >= 1
    assert (series.loc[series["n_statements"] == 1, "preferred_by"] == "only statement").all()


def _row(i, **kw):
    base = {"trade_id": i, "qualifier": "exact", "value": "1", "scale": "one", "source_id": f"s-{i}",
            "speaker_id": "", "derived": "false", "value_high": ""}
    base.update(kw)
    return base


@pytest.mark.parametrize("rows, sources, winner, step", [
    ([_row("a", qualifier="more_than"), _row("b")], {}, "b", "exact before qualified"),
    ([_row("a", value_high="2"), _row("b", qualifier="approximately"), _row("c")], {}, "c", "exact before qualified"),
    ([_row("a", speaker_id="p"), _row("b")], {}, "b", "a statistical"),
    ([_row("a"), _row("b")], {"s-a": {"kind": "statistics"}, "s-b": {"kind": "news"}}, "a", "a statistical"),
    ([_row("a"), _row("b")], {"s-a": {"reliability": "low"}, "s-b": {}}, "b", "reliable"),
    ([_row("a"), _row("b")], {"s-a": {"published": "2023-01-01"}, "s-b": {"published": "2024-01-01"}}, "b", "latest"),
    ([_row("b"), _row("a")], {}, "a", "lowest row id"),
    ([_row("a", derived="true"), _row("b", qualifier="more_than")], {}, "b", "only statement"),
])
def test_default_order_step_by_step(rows, sources, winner, step):
    choice = choose(rows, "trade_id", sources, [])
    assert choice.row["trade_id"] == winner
    assert step in choice.by


def test_a_resolution_beats_the_default_order_and_its_passed_over_rows_come_last():
    from kzcn.package.series.inputs import Prefer

    rows = [_row("a"), _row("b", qualifier="more_than")]
    decided = choose(rows, "trade_id", {}, [Prefer(3, "trade-sources-agree", ("a", "b"), "b")])
    assert decided.row["trade_id"] == "b" and "#3" in decided.by
    # the preferred row is in another series: here, the row it passed over ranks last
    elsewhere = choose(rows, "trade_id", {}, [Prefer(4, "trade-sources-agree", ("a", "z"), "z")])
    assert elsewhere.row["trade_id"] == "b" and "passed over" in elsewhere.by


@pytest.mark.parametrize("start, end, label", [
    ("2023-01-01", "2023-12-31", "2023"), ("2023-01-01", "2023-06-30", "2023-H1"),
    ("2023-07-01", "2023-12-31", "2023-H2"), ("2023-04-01", "2023-06-30", "2023-Q2"),
    ("2024-02-01", "2024-02-29", "2024-02"), ("2023-01-01", "2023-08-31", "2023-01/08"),
    ("2023-09-03", "2023-09-03", "2023-09-03"), ("2023-01-15", "2023-02-10", "2023-01-15/2023-02-10"),
    ("2022-09-01", "2023-06-30", "2022-09-01/2023-06-30"), ("2023-02-01", "2023-02-27", "2023-02-01/2023-02-27"),
])
def test_period_labels(start, end, label):
    assert period_label(date.fromisoformat(start), date.fromisoformat(end)) == label


def test_period_label_matches_the_period_in_the_table(series):
    for s in series.itertuples():
        assert s.period_label == period_label(s.period_start.date(), s.period_end.date())


def test_indicator_series_keys_and_preferred_rows():
    ind = kzcn.load("indicators")
    got = kzcn.load("indicator_series")
    key = ["indicator", "kz_scope", "cn_scope", "unit", "period_start", "period_end"]
    assert len(got) > 0 and not got.duplicated(key).any()
    by_id = ind.set_index("indicator_id")
    for s in got.itertuples():
        pref = by_id.loc[s.preferred_indicator_id]
        assert pref["measure"] == "value" and pref["indicator"] == s.indicator and pref["unit"] == s.unit
        assert s.kz_scope == (pref["kz_subdivision"] if pd.notna(pref["kz_subdivision"]) else "KZ")
        assert s.value == pytest.approx(_base(pref["value"], pref["scale"]), rel=1e-12)
        day = pref["as_of"] if pd.notna(pref["as_of"]) else pref["period_end"]
        start = pref["period_start"] if pd.notna(pref["period_start"]) else day
        assert (s.period_start, s.period_end) == (start, pref["period_end"] if pd.notna(pref["period_start"]) else day)


def test_a_bad_cell_in_the_input_stops_the_load_naming_it(package_copy):
    csv_edits.set_cell(package_copy / "datasets" / "trade_volumes.csv", 3, "period_end", "2023-02-30")
    with pytest.raises(DataError) as exc:
        kzcn.load("trade_series", root=package_copy)
    assert "datasets/trade_volumes.csv" in str(exc.value) and "line 3 field period_end" in str(exc.value)


def test_the_trade_chart_plots_exactly_the_preferred_figures(series):
    from kzcn.report.charts import trade_chart
    from kzcn.report.frames import derived_frames

    chart = trade_chart(derived_frames(PACKAGE)["trade_series"])
    s = series
    sel = ((s["flow"] == "turnover") & (s["reporter_scope"] == "KZ") & (s["partner_scope"] == "CN")
           & (s["commodity_group"] == "all_goods") & (s["unit"] == "USD")
           & s["reporter_basis"].isin(["kz_statistics", "cn_customs"]) & s["period_label"].str.fullmatch(r"\d{4}"))
    expected = {(int(r.period_label), r.reporter_basis): (r.value, r.low, r.high, r.preferred_trade_id, r.preferred_by)
                for r in s[sel.fillna(False)].itertuples()}
    bars = {(d["year"], d["reporter_basis"]): (d["value"], d["low"], d["high"], d["preferred_trade_id"], d["preferred_by"])
            for d in chart.data}
    assert len(bars) >= 4 and bars.keys() == expected.keys()
    for k, (value, low, high, row, by) in expected.items():
        got = bars[k]
        assert got[0] == pytest.approx(value) and got[1] == pytest.approx(low) and got[2] == pytest.approx(high)
        assert got[3:] == (row, by)
    # the table under the chart names the rule that chose each bar, the caption the rule itself
    assert all(r[-1] in {by for *_, by in expected.values()} for r in chart.rows)
    assert "resolutions.yaml" in chart.caption and "median" not in chart.caption
    # a bar whose row a prefer decision names says so (unless the row is alone in its series)
    preferred = {e.get("prefer") for e in _resolutions() if e["decision"] == "prefer"}
    for value, low, high, row, by in expected.values():
        if by != "only statement":
            assert by.startswith("resolution") == (row in preferred), row


@pytest.mark.parametrize("text, scale, spelt", [
    ("1.1", "billion", "1100000000"), ("0.29", "billion", "290000000"), ("14036771456.92", "one", "14036771456.92"),
    ("-0.5", "thousand", "-500"), ("2.5", "ten_thousand", "25000"), ("1.25e-3", "one", "0.00125"),
    ("1e999999999", "one", ""), ("NaN", "one", ""), ("Infinity", "million", ""), ("12", "dozen", ""), ("x", "one", ""),
])
def test_base_units_are_exact_and_bounded(text, scale, spelt):
    """Exact decimal arithmetic, and a hostile exponent is refused, never spelt out digit by digit."""
    from kzcn.package.series.amounts import base_units, spell

    assert spell(base_units(text, scale)) == spelt
