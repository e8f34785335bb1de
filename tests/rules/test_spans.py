"""The span reader (numbers in English, Russian and Chinese prose) and the qualifier wording."""
from __future__ import annotations

import pytest

from kzcn.validate.rules.spans import carrying, mentions
from kzcn.validate.rules.wording import agrees, wording


@pytest.mark.parametrize("span, absolute", [
    ("$1.1 billion", 1.1e9), ("1,100 million", 1.1e9), ("$21.7bn", 21.7e9), ("$780mln", 780e6),
    ("$35.16bil.", 35.16e9), ("1.5mn tonnes", 1.5e6), ("$310m", 310e6), ("333.9 thousand TEU", 333.9e3),
    ("1,234,567 tons", 1234567), ("1 234 567 тонн", 1234567), ("1\u00a0234 тыс.", 1234e3),
    ("1.234.567 тонн", 1234567), ("24,1 млрд", 24.1e9), ("$28,2 млрд", 28.2e9), ("1.234 тонн", 1234),
    ("1,5 трлн тенге", 1.5e12), ("1.1亿美元", 1.1e8), ("310万吨", 3.1e6), ("1.5万亿元", 1.5e12),
    ("133.7%", 133.7), ("30 percent", 30), ("40 процентов", 40), ("2.5 times", 2.5), ("2,5 раза", 2.5),
    ("增长3倍", 3), ("increased fourfold", 4), ("three million tons", 3e6), ("Six projects", 6),
    ("twenty-five projects", 25), ("a dozen deals", 12), ("some 25 projects", 25), ("27-28 billion", 27e9),
    ("27–28 billion", 28e9), ("from 27 to 28 billion", 27e9), ("the third trading partner", 3),
    ("ranks 3rd", 3), ("стал третьим партнёром", 3), ("第三大贸易伙伴", 3), ("三千万吨", 3e7),
    ("二十五个项目", 25), ("reached3.34 million", 3.34e6), ("-2013565004.61", 2013565004.61),
    ("$ 41 billion", 41e9), ("USD 31.2 billion", 31.2e9), ("пять проектов", 5),
])
def test_a_legitimate_way_of_writing_a_number_is_read(span, absolute):
    assert carrying(span, absolute), [m.describe() for m in mentions(span)]


@pytest.mark.parametrize("span, absolute", [
    ("$1.1 billion", 1.1e6),       # wrong scale
    ("$24.1 billion", 24e9),       # never rounded
    ("1.234 tons", 1234),          # an English 1.234 is a decimal
    ("27-28 billion", 28),         # 28 carries its scale word
    ("COVID-19 cases", -19),       # the hyphen of a name is no minus sign (sign is read by the rule)
    ("2022’s figure", 2023),
])
def test_a_number_that_is_not_there_is_not_found(span, absolute):
    hits = carrying(span, absolute)
    assert not hits or (absolute < 0 and not any(h.negative for h in hits)), [m.describe() for m in hits]


def test_mentions_describe_what_the_span_states():
    assert [m.describe() for m in mentions("$1.1 billion (+4%) in 2024")] == ["1.1 (billion)", "4 (percent)", "2024"]
    assert [m.describe() for m in mentions("-2013565004.61")] == ["-2013565004.61"]
    assert [m.describe() for m in mentions("no figure here")] == []


@pytest.mark.parametrize("span, absolute, expected", [
    ("more than 6%", 6, "more_than"), ("over $31bn", 31e9, "more_than"), ("exceeded $1.3 billion", 1.3e9, "more_than"),
    ("свыше 40%", 40, "more_than"), ("более 100 компаний", 100, "more_than"), ("超过30亿美元", 3e9, "more_than"),
    ("30多个项目", 30, "more_than"), ("about $25 billion", 25e9, "approximately"), ("some 25 projects", 25, "approximately"),
    ("nearly 1,000 trains", 1000, "nearly"), ("около 40%", 40, "approximately"), ("约25亿", 2.5e9, "approximately"),
    ("at least $150 billion", 150e9, "at_least"), ("не менее 2 млн тонн", 2e6, "at_least"),
    ("up to $35bn", 35e9, "up_to"), ("не более 5%", 5, "up_to"), ("less than 10%", 10, "less_than"),
    ("до 5 млн тонн", 5e6, "up_to"), ("увеличить товарооборот до $40 млрд", 40e9, "exact"),
    ("hit $548 million", 548e6, "exact"), ("nearly half - $44 billion", 44e9, "exact"),
    ("34.1 percent more than a year earlier", 34.1, "exact"), ("turnover 5 billion", 5e9, "exact"),
])
def test_the_wording_next_to_a_number_gives_its_qualifier(span, absolute, expected):
    (hit,) = carrying(span, absolute)[:1]
    assert wording(span, hit)[0] == expected


def test_up_to_and_less_than_wordings_agree_with_either_qualifier():
    assert agrees("less_than", "up_to") and agrees("up_to", "less_than")
    assert not agrees("exact", "more_than") and not agrees("at_least", "more_than")


def test_odd_input_reads_as_text_not_as_a_crash():
    assert carrying("ｒｅａｃｈｅｄ　＄１．１　ｂｉｌｌｉｏｎ", 1.1e9)  # full-width, as pasted from a CJK page
    assert mentions("") == () and mentions("🚂 — \x00 ∞") == ()
    many = "over 1 and " * 5000  # a pasted table: every number read, its qualifier from nearby words only
    hits = carrying(many, 1)
    assert len(hits) == 5000 and {wording(many, h)[0] for h in hits} == {"more_than"}
