"""One passing and one failing fixture per rule kind; a failure is pinned to its code, line and field.

Line numbers: the header is line 1, so the n-th row of a table is line n + 1.
"""
from __future__ import annotations

from rulekit import only, real_schema, rule

T = "trade_volumes"


def one(findings, code="r"):
    got = only(findings, code)
    assert len(got) == 1, [f.message for f in findings]
    return got[0]


# ---------------------------------------------------------------- part_within_whole

PORTFOLIO_RULE = rule("r", "part_within_whole", {
    "table": "project_portfolios", "part": {"parent_id": {"present": True}},
    "link": {"field": "parent_id", "key": "portfolio_id"}, "match": ["item_kind"],
    "measures": [{"value": "item_count", "qualifier": "count_qualifier"},
                 {"value": "value", "qualifier": "value_qualifier", "scale": "scale", "unit": "unit"}]})


def _portfolios(count, value, value_q="exact"):
    return {"project_portfolios": [
        dict(id="p52", item_count="52", count_qualifier="exact", value="21", scale="billion", unit="USD",
             value_qualifier="more_than"),
        dict(id="launched", status="launched", parent_id="p52", item_count=count, count_qualifier="approximately",
             value=value, scale="billion", unit="USD", value_qualifier=value_q),
    ]}


def test_part_within_whole_passes_for_the_seed_portfolio(make):
    assert only(make(_portfolios("25", "7.3"), [PORTFOLIO_RULE]).run()) == []


def test_part_within_whole_fails_when_the_part_exceeds_the_whole(make):
    f = one(make(_portfolios("65", "7.3"), [PORTFOLIO_RULE]).run())
    assert (f.severity, f.line, f.field, f.resource) == ("error", 3, "item_count", "project_portfolios")
    assert f.path == "datasets/project_portfolios.csv"
    assert "approximately 65" in f.message and "p52" in f.message


def test_part_within_whole_only_warns_when_points_clash_but_intervals_fit(make):
    # 21.2 exact fits "more than 21" as intervals, but 21.2 > 21 as stated points.
    f = one(make(_portfolios("25", "21.2"), [PORTFOLIO_RULE]).run())
    assert (f.severity, f.line, f.field) == ("warning", 3, "value")


PROVINCE_RULE = rule("r", "part_within_whole", {
    "table": T, "part": {"partner_scope": {"pattern": "^CN-[A-Z]{2}$"}, "measure": "value"},
    "whole": {"partner_scope": "CN", "measure": "value"},
    "match": ["reporter_basis", "reporter_scope", "flow", "commodity_group", "period_start", "period_end", "unit"],
    "wildcards": {"reporter_basis": ["unspecified"]}})


def _province(national):
    h1 = dict(period_start="2023-01-01", period_end="2023-06-30")
    return {T: [dict(id="national-h1", value=national, **h1),
                dict(id="shandong-h1", reporter_basis="unspecified", partner_scope="CN-SD", value="1.1", **h1),
                dict(id="other-period", partner_scope="CN-XJ", value="99")]}  # different period: not compared


def test_province_within_national_of_a_compatible_basis(make):
    assert only(make(_province("13.6"), [PROVINCE_RULE]).run()) == []


def test_province_above_national_fails(make):
    f = one(make(_province("0.9"), [PROVINCE_RULE]).run())
    assert (f.line, f.field) == (3, "value")


# ---------------------------------------------------------------- parts_add_up

ADD_RULE = rule("r", "parts_add_up", {
    "table": T, "whole": {"flow": "turnover"},
    "parts": [{"where": {"flow": "export"}}, {"where": {"flow": "import"}}],
    "match": ["reporter_basis", "reporter_scope", "partner_scope", "commodity_group", "period_start", "period_end"]})


def _flows(turnover):
    return {T: [dict(id="exp", flow="export", value="13.2"), dict(id="imp", flow="import", value="11"),
                dict(id="tot", flow="turnover", value=turnover),
                dict(id="tot-cn", flow="turnover", value="31.2", reporter_basis="cn_customs")]}  # no parts: skipped


def test_parts_add_up_within_rounding(make):
    assert only(make(_flows("24.1"), [ADD_RULE]).run()) == []


def test_parts_do_not_add_up(make):
    f = one(make(_flows("30"), [ADD_RULE]).run())
    assert (f.line, f.field, f.severity) == (4, "value", "error")
    assert "exp" in f.message and "imp" in f.message


# ---------------------------------------------------------------- share_plausible

def test_share_plausible_passes_and_fails(make):
    r = rule("r", "share_plausible", {"table": T})
    ok = make({T: [dict(id="s", measure="share", reference="kz_cn_trade", value="40", scale="one", unit="percent")]}, [r])
    assert only(ok.run()) == []
    bad = make({T: [dict(id="ok", measure="share", reference="kz_cn_trade", value="40", scale="one", unit="percent"),
                    dict(id="s", measure="share", reference="kz_cn_trade", value="100", scale="one", unit="percent",
                         qualifier="more_than")]}, [r])
    f = one(bad.run())
    assert (f.line, f.field) == (3, "value")
    unit = make({T: [dict(id="s", measure="share", reference="kz_cn_trade", value="40", scale="billion", unit="USD")]}, [r])
    f = one(unit.run())
    assert (f.line, f.field) == (2, "unit")


# ---------------------------------------------------------------- share_matches

SHARE_RULE = rule("r", "share_matches", {
    "table": T, "share": {"measure": "share", "reference": "kz_cn_trade"},
    "numerator": {"where": {"measure": "value"},
                  "match": ["reporter_basis", "reporter_scope", "partner_scope", "flow", "commodity_group",
                            "period_start", "period_end"]},
    "denominator": {"where": {"measure": "value", "partner_scope": "CN"},
                    "match": ["reporter_basis", "reporter_scope", "flow", "commodity_group", "period_start", "period_end"]},
    "wildcards": {"reporter_basis": ["unspecified"]}, "same": ["reporter_basis"]})


def _shares(stated, qualifier="exact"):
    h1 = dict(period_start="2023-01-01", period_end="2023-06-30")
    return {T: [dict(id="national", value="13.6", **h1),
                dict(id="sd", partner_scope="CN-SD", value="1.1", **h1),
                dict(id="sd-share", partner_scope="CN-SD", measure="share", reference="kz_cn_trade", value=stated,
                     scale="one", unit="percent", qualifier=qualifier, **h1)]}


def test_share_matches_its_numerator_and_denominator(make):
    assert only(make(_shares("8"), [SHARE_RULE]).run()) == []
    assert only(make(_shares("6", "more_than"), [SHARE_RULE]).run()) == []


def test_share_does_not_match(make):
    f = one(make(_shares("9", "more_than"), [SHARE_RULE]).run())
    assert (f.line, f.field, f.severity) == (4, "value", "error")
    assert "national" in f.message and "sd" in f.message


def test_explicit_pair_checks_an_undated_share(make):
    pair = rule("r", "share_matches", {
        "table": T, "wildcards": {"reporter_basis": ["unspecified"]}, "same": ["reporter_basis"],
        "pairs": [{"share": "seed-share", "numerator": "sd-h1",
                   "denominator": {"partner_scope": "CN", "period_start": "2023-01-01", "period_end": "2023-06-30",
                                   "measure": "value"}}]})
    h1 = dict(period_start="2023-01-01", period_end="2023-06-30", reporter_basis="unspecified")

    def tables(national):
        return {T: [dict(id="seed-share", reporter_basis="unspecified", partner_scope="CN-SD", measure="share",
                         reference="kz_cn_trade", value="6", scale="one", unit="percent", qualifier="more_than",
                         period_start="", period_end=""),
                    dict(id="sd-h1", partner_scope="CN-SD", value="1.1", **h1),
                    dict(id="national-h1", value=national, **{**h1, "reporter_basis": "kz_statistics"})]}

    assert only(make(tables("13.6"), [pair]).run()) == []
    f = one(make(tables("21"), [pair]).run())           # 1.1 / 21 = 5.2%, not more than 6%
    assert (f.line, f.field, f.severity) == (2, "value", "error")
    gone = tables("13.6")
    gone[T] = gone[T][:2]                                # no national figure: cannot check, say so
    f = one(make(gone, [pair]).run())
    assert (f.line, f.severity) == (2, "warning") and "denominator" in f.message


# ---------------------------------------------------------------- growth_matches

GROWTH_RULE = rule("r", "growth_matches", {
    "table": T, "match": ["reporter_basis", "reporter_scope", "partner_scope", "flow", "commodity_group"],
    "wildcards": {"reporter_basis": ["unspecified"]}})


def _growth(times):
    y22 = dict(period_start="2022-01-01", period_end="2022-12-31", flow="export", commodity_group="agricultural",
               reporter_basis="unspecified")
    y21 = {**y22, "period_start": "2021-01-01", "period_end": "2021-12-31"}
    return {T: [dict(id="v2022", value="548", scale="million", **y22),
                dict(id="g", measure="growth", value=times, scale="one", unit="times", base_period_start="2021-01-01",
                     base_period_end="2021-12-31", **y22),
                dict(id="v2021", value="219.2", scale="million", qualifier="approximately", **y21)]}


def test_growth_matches_values(make):
    assert only(make(_growth("2.5"), [GROWTH_RULE]).run()) == []


def test_growth_does_not_match_values(make):
    f = one(make(_growth("3.5"), [GROWTH_RULE]).run())
    assert (f.line, f.field, f.severity) == (3, "value", "error")


def test_growth_in_percent(make):
    y23 = dict(period_start="2023-01-01", period_end="2023-12-31")
    base = dict(period_start="2022-01-01", period_end="2022-12-31")
    rows = {T: [dict(id="v23", value="31.4", **y23), dict(id="v22", value="24.1", **base),
                dict(id="g", measure="growth", value="30", scale="one", unit="percent",
                     base_period_start="2022-01-01", base_period_end="2022-12-31", **y23)]}
    assert only(make(rows, [GROWTH_RULE]).run()) == []
    rows[T][2]["value"] = "60"
    f = one(make(rows, [GROWTH_RULE]).run())
    assert (f.line, f.field) == (4, "value")


# ---------------------------------------------------------------- rank_consistent

RANK_RULE = rule("r", "rank_consistent", {
    "table": T, "rank": {"measure": "rank"}, "set": {"partner_scope": {"pattern": "^CN-[A-Z]{2}$"}},
    "entity": "partner_scope",
    "match": ["reporter_basis", "reporter_scope", "flow", "commodity_group", "period_start", "period_end"]})


def _ranks(rank):
    return {T: [dict(id="xj", partner_scope="CN-XJ", value="12"), dict(id="bj", partner_scope="CN-BJ", value="5"),
                dict(id="sd", partner_scope="CN-SD", value="2"),
                dict(id="sd-rank", partner_scope="CN-SD", measure="rank", reference="cn_regions", value=rank,
                     scale="one", unit="rank")]}


def test_rank_consistent_with_values(make):
    assert only(make(_ranks("3"), [RANK_RULE]).run()) == []


def test_rank_contradicted_by_values(make):
    f = one(make(_ranks("1"), [RANK_RULE]).run())
    assert (f.line, f.field, f.severity) == (5, "value", "error")
    assert "CN-XJ" in f.message and "CN-BJ" in f.message


# ---------------------------------------------------------------- sources_agree

AGREE_RULE = rule("r", "sources_agree", {
    "table": T, "key": ["measure", "reporter_basis", "reporter_scope", "partner_scope", "flow", "commodity_group",
                        "period_start", "period_end", "unit"],
    "require": ["period_start", "period_end"]}, severity="warning")


def _agree(second):
    return {T: [dict(id="a", value="24.1", source_id="src-a"),
                dict(id="cn", value="31.2", reporter_basis="cn_customs", source_id="src-c"),  # other basis: a gap
                dict(id="b", value=second, source_id="src-b")]}


def test_sources_agree_when_intervals_overlap(make):
    assert only(make(_agree("24"), [AGREE_RULE]).run()) == []   # 24 -> [23.5, 24.5) holds 24.1


def test_sources_disagree(make):
    f = one(make(_agree("24.2"), [AGREE_RULE]).run())
    assert (f.line, f.field, f.severity) == (4, "value", "warning")
    assert "src-a" in f.message and "src-b" in f.message


# ---------------------------------------------------------------- magnitude_plausible

MAG_RULE = rule("r", "magnitude_plausible", {"table": T, "group_by": ["flow", "partner_scope", "unit"]})


def _magnitudes(scale):
    years = ["2020", "2021", "2022", "2023"]
    vals = ["21.5", "18", "24.1", "31.4"]
    return {T: [dict(id=f"y{y}", value=v, period_start=f"{y}-01-01", period_end=f"{y}-12-31",
                     scale=(scale if y == "2022" else "billion")) for y, v in zip(years, vals)]}


def test_magnitude_plausible(make):
    assert only(make(_magnitudes("billion"), [MAG_RULE]).run()) == []


def test_million_for_billion_slip(make):
    f = one(make(_magnitudes("million"), [MAG_RULE]).run())
    assert (f.line, f.field) == (4, "scale")
    assert "times below" in f.message


# ---------------------------------------------------------------- not_after_publication

PUB_RULE = rule("r", "not_after_publication", {"table": "milestones", "date": "date"})


def test_event_within_the_publication_month(make):
    built = make({"sources": [dict(id="src-a", published="2023-09-01", published_precision="month")],
                  "milestones": [dict(id="m", date="2023-09-03")]}, [PUB_RULE])
    assert only(built.run()) == []


def test_event_after_publication(make):
    built = make({"sources": [dict(id="src-a", published="2023-09-01", published_precision="day")],
                  "milestones": [dict(id="ok", date="2023-08-30"), dict(id="m", date="2023-09-03")]}, [PUB_RULE])
    f = one(built.run())
    assert (f.resource, f.line, f.field) == ("milestones", 3, "date")


def test_forecast_figures_may_end_after_publication(make):
    r = rule("r", "not_after_publication", {"table": T, "date": "period_end", "unless": {"estimate": "forecast"}})
    built = make({"sources": [dict(id="src-a", published="2023-09-01")],
                  T: [dict(id="f", value="1", estimate="forecast"), dict(id="r", value="1")]}, [r])
    f = one(built.run())
    assert (f.line, f.field) == (3, "period_end")


# ---------------------------------------------------------------- date_order

def test_date_order(make):
    r = rule("r", "date_order", {"table": T, "start": "period_start", "end": "period_end"})
    assert only(make({T: [dict(id="a", value="1")]}, [r]).run()) == []
    f = one(make({T: [dict(id="a", value="1"), dict(id="b", value="1", period_end="2022-12-31")]}, [r]).run())
    assert (f.line, f.field) == (3, "period_end")


# ---------------------------------------------------------------- cumulative_not_shrinking

CUM_RULE = rule("r", "cumulative_not_shrinking", {
    "table": T, "match": ["reporter_basis", "reporter_scope", "partner_scope", "flow", "commodity_group", "measure"]})


def _cumulative(sep):
    return {T: [dict(id="h1", value="13.6", period_end="2023-06-30"), dict(id="9m", value=sep, period_end="2023-09-30")]}


def test_cumulative_grows(make):
    assert only(make(_cumulative("21.7"), [CUM_RULE]).run()) == []


def test_cumulative_shrinks(make):
    f = one(make(_cumulative("12"), [CUM_RULE]).run())
    assert (f.line, f.field, f.severity) == (3, "value", "error")


# ---------------------------------------------------------------- codes_valid

def test_codes_valid(make):
    rules = [rule("r", "codes_valid", {"table": "milestones", "field": "cn_subdivision", "code": "subdivision",
                                       "country": ["CN"]}),
             rule("lang", "codes_valid", {"table": "sources", "field": "language", "code": "language"})]
    ok = make({"milestones": [dict(id="m", cn_subdivision="CN-SD")], "sources": [dict(id="src-a", language="kk")]}, rules)
    assert only(ok.run()) == []
    bad = make({"milestones": [dict(id="m", cn_subdivision="CN-SD"), dict(id="z", cn_subdivision="CN-ZZ")],
                "sources": [dict(id="src-a", language="zz")]}, rules)
    f = one(bad.run())
    assert (f.line, f.field) == (3, "cn_subdivision") and "CN-ZZ" in f.message
    f = one(bad.run(), "lang")
    assert (f.line, f.field) == (2, "language")


def test_code_lookups_come_from_pycountry():
    from kzcn.validate.rules.references import code_problem

    assert code_problem("currency", "USD") is None and code_problem("currency", "XYZ")
    assert code_problem("subdivision", "KZ-75", ("KZ",)) is None
    assert "subdivision of CN" in code_problem("subdivision", "CN-SD", ("KZ",))
    assert code_problem("country_or_subdivision", "CN", ("CN",)) is None
    assert code_problem("country", "XX")


# ---------------------------------------------------------------- no_orphans / has_children

def test_no_orphan_participants_where_no_foreign_key_says_so(make):
    schema = real_schema("meeting_participants")
    schema["foreignKeys"] = []  # someone else's package without the key: the rule does the check
    r = rule("r", "no_orphans", {"child": {"table": "meeting_participants", "field": "meeting_id"},
                                 "parent": {"table": "meetings", "field": "meeting_id"}})
    tables = {"meetings": [dict(id="m1")], "people": [dict(id="a", name="A")],
              "meeting_participants": [dict(meeting_id="m1", person_id="a")]}
    assert only(make(tables, [r], schemas={"meeting_participants": schema}).run()) == []
    tables["meeting_participants"].append(dict(meeting_id="m2", person_id="a"))
    f = one(make(tables, [r], schemas={"meeting_participants": schema}).run())
    assert (f.resource, f.line, f.field) == ("meeting_participants", 3, "meeting_id")
    # With the foreign key declared, the schema layer reports it (foreign-key) and the rule is quiet.
    assert only(make(tables, [r]).run()) == []


def test_meeting_without_participants_is_a_warning(make):
    r = rule("r", "has_children", {"parent": {"table": "meetings", "field": "meeting_id"},
                                   "child": {"table": "meeting_participants", "field": "meeting_id"}}, "warning")
    tables = {"meetings": [dict(id="m1"), dict(id="m2")], "people": [dict(id="a", name="A")],
              "meeting_participants": [dict(meeting_id="m1", person_id="a"), dict(meeting_id="m2", person_id="a")]}
    assert only(make(tables, [r]).run()) == []
    tables["meeting_participants"].pop()
    f = one(make(tables, [r]).run())
    assert (f.resource, f.line, f.field, f.severity) == ("meetings", 3, "meeting_id", "warning")


# ---------------------------------------------------------------- conditional_required

def test_conditional_required(make):
    r = rule("r", "conditional_required", {"table": T, "when": {"derived": True}, "require": ["derivation"]})
    ok = make({T: [dict(id="a", value="1"), dict(id="d", value="2", derived="true", derivation="a * 2")]}, [r])
    assert only(ok.run()) == []
    f = one(make({T: [dict(id="a", value="1"), dict(id="d", value="2", derived="true")]}, [r]).run())
    assert (f.line, f.field) == (3, "derivation") and "derived is true" in f.message


def test_value_needs_its_qualifier(make):
    r = rule("r", "conditional_required", {"table": "project_portfolios", "when": {"value": {"present": True}},
                                           "require": ["value_qualifier"]})
    f = one(make({"project_portfolios": [dict(id="p", value="21", scale="billion", unit="USD")]}, [r]).run())
    assert (f.line, f.field) == (2, "value_qualifier")
