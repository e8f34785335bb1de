"""A part is judged against every whole of its own basis (containment._fitting), and Kazakhstan's
trade with any partner — China or one province — lies within Central Asia's with that partner.

The recall harness found both (part within whole × trade_volumes, period shifts): a third-party
import moved to the previous year exceeded that year's third-party turnover but fitted an
unspecified-basis turnover, and Kazakhstan–Xinjiang trade moved a year exceeded Central
Asia–Xinjiang trade, which no rule compared. Line numbers: header = line 1.
"""
from __future__ import annotations

from rulekit import one, only, repo_rule, rule


T = "trade_volumes"


FLOWS = repo_rule("trade-flow-within-turnover")


def _flows(imports, basis="third_party"):
    return {T: [dict(id="turnover-tp", reporter_basis="third_party", value="14.0"),
                dict(id="turnover-unspecified", reporter_basis="unspecified", value="24"),
                dict(id="imports", reporter_basis=basis, flow="import", value=imports)]}


def test_a_part_within_its_own_basis_whole_passes(make):
    assert only(make(_flows("3.6"), [FLOWS]).run()) == []


def test_a_part_above_its_own_basis_whole_fails_though_another_whole_holds_it(make):
    f = one(make(_flows("16.8"), [FLOWS]).run())
    assert (f.severity, f.line) == ("error", 4)
    assert "cannot lie within its whole turnover-tp" in f.message and "every whole of its own basis" in f.message


def test_a_part_of_unspecified_basis_fits_when_one_whole_holds_it(make):
    # it may be of the unspecified whole's basis: 16.8 within 24 is possible
    assert only(make(_flows("16.8", basis="unspecified"), [FLOWS]).run()) == []


def test_a_part_of_a_basis_with_no_whole_of_its_own_fits_when_one_whole_holds_it(make):
    assert only(make(_flows("16.8", basis="kz_statistics"), [FLOWS]).run()) == []


CENTRAL_ASIA = repo_rule("trade-kazakhstan-within-central-asia")


def _provinces(kz_xinjiang):
    y22 = dict(period_start="2022-01-01", period_end="2022-12-31", reporter_basis="unspecified")
    return {T: [dict(id="ca-xj", reporter_scope="central_asia", partner_scope="CN-XJ", value="16.3", **y22),
                dict(id="kz-xj", partner_scope="CN-XJ", value=kz_xinjiang, **y22),
                dict(id="kz-cn", value="24", **y22)]}  # China as a whole: not Xinjiang's whole


def test_kazakhstan_xinjiang_within_central_asia_xinjiang(make):
    assert only(make(_provinces("12"), [CENTRAL_ASIA]).run()) == []
    f = one(make(_provinces("20.3"), [CENTRAL_ASIA]).run())
    assert f.line == 3 and "ca-xj" in f.message and "kz-cn" not in f.message
