"""The provenance kinds: a passing and a failing fixture each, pinned to code, line and field.

Line numbers: the header is line 1, so the n-th row of a table is line n + 1.
"""
from __future__ import annotations

import pytest
from rulekit import only, rule

T = "trade_volumes"
CARRIES = rule("r", "span_carries_value", {"table": T})
QUALIFIER = rule("r", "span_qualifier_agrees", {"table": T}, severity="warning")
PORTFOLIO_MEASURES = [{"value": "item_count", "qualifier": "count_qualifier"},
                      {"value": "value", "scale": "scale", "qualifier": "value_qualifier"}]


def one(findings, code="r"):
    got = only(findings, code)
    assert len(got) == 1, [f.message for f in findings]
    return got[0]


def _trade(*rows):
    return {T: [dict(id=f"t{i}", **r) for i, r in enumerate(rows)]}


# ---------------------------------------------------------------- span_carries_value

def test_span_carries_value_passes_for_spans_that_state_the_value(make):
    built = make(_trade(
        dict(value="1.1", scale="billion", source_span="reached $1.1 billion"),
        dict(value="1.1", scale="billion", source_span="about 1,100 million dollars"),
        dict(value="28.2", scale="billion", source_span="составил $28,2 млрд"),
        dict(value="30", scale="one", unit="percent", measure="growth", source_span="increased by 30 percent"),
        dict(value="3", scale="one", unit="rank", measure="rank", source_span="the third trading partner"),
        dict(value="-43", scale="one", unit="percent", measure="growth", source_span="dropped 43% year-on-year"),
        dict(value="219.2", scale="million", derived="true", derivation="548 / 2.5",
             source_span="increased by 2.5 times"),  # derived: not looked for in the span
    ), [CARRIES])
    assert only(built.run()) == []


def test_span_carries_value_fails_when_the_value_is_not_in_the_span(make):
    built = make(_trade(dict(value="31.4", scale="billion", source_span="was $31.4 billion"),
                        dict(value="24.2", scale="billion", source_span="increased by 30 percent")), [CARRIES])
    f = one(built.run())
    assert (f.severity, f.line, f.field, f.resource) == ("error", 3, "source_span", T)
    assert "t1" in f.message and "'increased by 30 percent'" in f.message
    assert "value 24.2 (billion) is not among the numbers in the span: 30 (percent)" in f.message


def test_span_carries_value_fails_at_the_wrong_scale_and_never_rounds(make):
    built = make(_trade(dict(value="1.1", scale="million", source_span="reached $1.1 billion"),
                        dict(value="24", scale="billion", source_span="hit $24.1 billion")), [CARRIES])
    found = only(built.run(), "r")
    assert [f.line for f in found] == [2, 3]


def test_span_carries_value_wants_the_sign_of_a_negative_value(make):
    built = make(_trade(dict(value="-150421", scale="one", unit="tonnes", measure="growth",
                             source_span="or by 150,421 tonnes")), [CARRIES])
    assert "negative" in one(built.run()).message


def test_span_carries_value_checks_every_declared_measure(make):
    r = rule("r", "span_carries_value", {"table": "project_portfolios", "measures": PORTFOLIO_MEASURES})
    rows = [dict(id="ok", item_count="52", count_qualifier="exact", value="21", scale="billion", unit="USD",
                 value_qualifier="more_than", source_span="52 projects worth more than $21 billion"),
            dict(id="bad", item_count="25", count_qualifier="approximately", value="7.3", scale="billion",
                 unit="USD", value_qualifier="exact", source_span="some 25 projects worth $7 billion")]
    f = one(make({"project_portfolios": rows}, [r]).run())
    assert (f.line, f.field) == (3, "source_span")
    assert "value 7.3 (billion)" in f.message and "item_count" not in f.message


# ---------------------------------------------------------------- span_qualifier_agrees

def test_span_qualifier_agrees_passes_when_the_wording_says_the_qualifier(make):
    built = make(_trade(
        dict(value="31", qualifier="more_than", source_span="a 30-year high of over $31bn"),
        dict(value="24", qualifier="more_than", source_span="exceeding $24 billion"),
        dict(value="25", qualifier="approximately", source_span="about $25 billion"),
        dict(value="150", qualifier="at_least", source_span="at least $150 billion"),
        dict(value="35", qualifier="up_to", source_span="to up to $35bn by 2030"),
        dict(value="40", qualifier="more_than", source_span="свыше 40 млрд"),
        dict(value="44", qualifier="exact", source_span="nearly half - $44 billion"),  # nearly qualifies half
    ), [QUALIFIER])
    assert only(built.run()) == []


def test_span_qualifier_agrees_warns_when_they_clash(make):
    built = make(_trade(dict(value="24", qualifier="exact", source_span="exceeding $24 billion"),
                        dict(value="25", qualifier="more_than", source_span="reached $25 billion")), [QUALIFIER])
    found = only(built.run(), "r")
    assert [(f.line, f.field, f.severity) for f in found] == [(2, "qualifier", "warning"), (3, "qualifier", "warning")]
    assert "“exceeding”" in found[0].message and "no qualifier words" in found[1].message


def test_span_qualifier_agrees_reads_each_figure_of_a_portfolio_on_its_own(make):
    r = rule("r", "span_qualifier_agrees", {"table": "project_portfolios", "measures": PORTFOLIO_MEASURES},
             severity="warning")
    row = dict(id="p", item_count="70", count_qualifier="more_than", value="15", scale="billion", unit="USD",
               value_qualifier="exact", source_span="over 70 commercial agreements worth $15 billion")
    assert only(make({"project_portfolios": [row]}, [r]).run()) == []
    row["value_qualifier"] = "more_than"
    f = one(make({"project_portfolios": [row]}, [r]).run())
    assert (f.line, f.field) == (2, "value_qualifier")


# ---------------------------------------------------------------- span_is_short

def test_span_is_short_passes_and_fails(make):
    r = rule("r", "span_is_short", {"table": T, "max_length": 40}, severity="warning")
    ok = make(_trade(dict(value="1.1", source_span="reached $1.1 billion")), [r])
    assert only(ok.run()) == []
    long = "Kazakhstan's trade with Shandong Province for the first half of this year reached $1.1 billion"
    f = one(make(_trade(dict(value="1.1", source_span="reached $1.1 billion"),
                        dict(value="1.1", source_span=long)), [r]).run())
    assert (f.line, f.field, f.severity) == (3, "source_span", "warning")
    assert f"{len(long)} characters" in f.message


@pytest.mark.parametrize("params", [{"table": T, "max_length": "long"}, {"table": T, "measures": ["value"]}])
def test_malformed_parameters_are_named(make, params):
    from kzcn.errors import TargetError

    kind = "span_is_short" if "max_length" in params else "span_carries_value"
    built = make(_trade(dict(value="1")), [rule("r", kind, params)])
    with pytest.raises(TargetError, match="rule 'r'"):
        built.run()
