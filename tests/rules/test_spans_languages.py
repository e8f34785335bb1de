"""The span reader by the source's language: each notation read where its language writes it,
and a near miss (another value, or the same words where the language does not say them) not read.

The spans are written the way the sources of the second worklist write them (Vietnamese
customs figures, French, Italian, Spanish and German trade press, Arabic and Kazakh news).
"""
from __future__ import annotations

import pytest

from kzcn.validate.rules.spans import carrying, mentions
from kzcn.validate.rules.wording import wording


def carried(span, absolute, language=None, unit=None):
    return bool(carrying(span, absolute, language=language, unit=unit))


def read(span, language=None):
    return [m.describe() for m in mentions(span, language)]


# ---------------------------------------------------------------- separators

@pytest.mark.parametrize("span, language, absolute, miss", [
    ("xuất khẩu 625.783 tấn dầu thô", "vi", 625783, 625.783),   # a dot groups thousands in Vietnamese
    ("37.470 tấn", "vi", 37470, 37.47),
    ("2.500 millones de dólares", "es", 2.5e9, 2.5e6),
    ("37.470 tonnellate", "it", 37470, 37.47),
    ("1.066.000 TEU", "de", 1066000, 1066),
    ("24,1 Milliarden Euro", "de", 24.1e9, 241e9),              # and a comma is the decimal point
    ("1\u202f066\u202f000 EVP", "fr", 1066000, 1066),            # French narrow no-break spaces
    ("7,82 milliards de dollars", "fr", 7.82e9, 782e9),
    ("24,1 млрд долларов", "ru", 24.1e9, 241e9),
    ("1 234,5 мың тонна", "kk", 1234.5e3, 1234e3),
])
def test_separators_are_read_as_the_language_writes_them(span, language, absolute, miss):
    assert carried(span, absolute, language), read(span, language)
    assert not carried(span, miss, language), read(span, language)


def test_without_a_language_or_in_english_a_dot_stays_a_decimal_point():
    assert carried("625.783 tấn", 625.783) and not carried("625.783 tấn", 625783)
    assert not carried("625.783 tonnes", 625783, "en")
    assert carried("1,234 tonnes", 1234, "de") and carried("1,234 tonnes", 1.234, "de")  # a quoted English figure too


# ---------------------------------------------------------------- scale words

@pytest.mark.parametrize("span, language, absolute, miss", [
    ("7,82 milliards de dollars", "fr", 7.82e9, 7.82e6),
    ("2 billions d'euros", "fr", 2e12, 2e9),                    # a French billion is 10^12
    ("12 miliardi di dollari", "it", 12e9, 12e6),
    ("3,5 milioni di tonnellate", "it", 3.5e6, 3.5e9),
    ("120 mil automóviles al año", "es", 120e3, 120e6),
    ("5 mil millones de dólares", "es", 5e9, 5e3),
    ("3 millones de toneladas", "es", 3e6, 3e3),
    ("2 milhões de toneladas", "pt", 2e6, 2e9),
    ("1,5 mil milhões de dólares", "pt", 1.5e9, 1.5e3),
    ("3,5 Milliarden US-Dollar", "de", 3.5e9, 3.5e12),
    ("20 Millionen Tonnen", "de", 20e6, 20e9),
    ("600 Tausend Tonnen", "de", 600e3, 600),
    ("1 Million 66 Tausend TEU", "de", 1066000, 1660000),        # compound: the parts add
    ("5 tỷ m3 khí mỗi năm", "vi", 5e9, 5e6),
    ("3 triệu tấn", "vi", 3e6, 3e9),
    ("600 nghìn tấn", "vi", 600e3, 600e6),
    ("1 triệu 66 nghìn TEU", "vi", 1066000, 1000066),
    ("بما يقارب 30 مليار دولار", "ar", 30e9, 30e6),
    ("5 ملايين طن", "ar", 5e6, 5e9),
    ("٣٠ مليار دولار", "ar", 30e9, 3e9),                          # Arabic-Indic digits
    ("去年中哈貿易額已達198.8億美元", "zh", 198.8e8, 198.8e9),     # traditional 億 = 亿
    ("7.5億元", None, 7.5e8, 7.5e4),
    ("310萬噸", "zh", 310e4, 310e8),
    ("up to 30 bcm a year", "en", 30e9, 30e6),                  # billion cubic metres
    ("reserves of 1.5 tcm", None, 1.5e12, 1.5e9),
    ("алты мың тонна", "kk", 6000, 600),
])
def test_scale_words_of_every_language_are_read(span, language, absolute, miss):
    assert carried(span, absolute, language), read(span, language)
    assert not carried(span, miss, language), read(span, language)


@pytest.mark.parametrize("span, absolute", [
    ("120 mil vehicles", 120e3),    # English has no scale word "mil"
    ("12 miliardi di dollari", 12e9),  # nor Italian ones, unless the source is Italian
    ("20 Millionen Tonnen", 20e6),
])
def test_a_scale_word_is_not_read_in_a_language_that_does_not_write_it(span, absolute):
    assert not carried(span, absolute, "en") and not carried(span, absolute)


# ---------------------------------------------------------------- number words

@pytest.mark.parametrize("span, language, absolute, miss", [
    ("алты мыңға жуық", "kk", 6000, 600),
    ("алты мыңға жуық кәсіпорын", None, 6000, 6),               # Kazakh letters: read as Kazakh
    ("екі мың жиырма төрт", "kk", 2024, 2000),
    ("үш жүз елу жоба", "kk", 350, 300),
    ("он бес миллиард доллар", "kk", 15e9, 10e9),
    ("қырық бес пайыз", "kk", 45, 40),
    ("двадцать пять проектов", "ru", 25, 20),
    ("пяти тысяч тонн", "ru", 5000, 5),
    ("сорока стран", None, 40, 4),
    ("триста шестьдесят предприятий", None, 360, 300),
])
def test_kazakh_and_russian_number_words_are_read(span, language, absolute, miss):
    assert carried(span, absolute, language), read(span, language)
    assert not carried(span, miss, language), read(span, language)


def test_a_kazakh_number_word_is_not_read_from_other_words():
    assert not carried("он сказал о 5 проектах", 10, "ru")      # Russian "он" is "he"
    assert not carried("он сказал о 5 проектах", 10)
    assert not carried("онда 5 жоба бар", 10, "kk")             # "онда" is "there"
    assert read("онда 5 жоба бар", "kk") == ["5"]


# ---------------------------------------------------------------- ranks

@pytest.mark.parametrize("span, language, rank, miss", [
    ("Китай является крупнейшим торговым партнёром", "ru", 1, 2),
    ("China is Kazakhstan's largest trading partner", "en", 1, 2),
    ("中国是哈萨克斯坦最大贸易伙伴", "zh", 1, 2),
    ("Қытай ең ірі сауда серіктесі", "kk", 1, 2),
    ("стали вторыми по объёму", "ru", 2, 3),
    ("стал третьим партнёром", "ru", 3, 2),
    ("занимает второе место", "ru", 2, 1),
    ("по второму показателю", None, 2, 3),
    ("екінші орында", "kk", 2, 3),
    ("үшінші сауда серіктесі", "kk", 3, 2),
])
def test_superlatives_and_ordinals_state_a_rank(span, language, rank, miss):
    assert carried(span, rank, language, unit="rank"), read(span, language)
    assert not carried(span, miss, language, unit="rank"), read(span, language)


@pytest.mark.parametrize("span", [
    "Kazakhstan's second-largest trading partner", "one of the largest investors", "одним из крупнейших партнёров",
    "中国是最大的贸易伙伴之一", "the 2nd largest partner",
])
def test_a_superlative_with_an_ordinal_or_one_of_is_not_rank_one(span):
    assert not carried(span, 1, unit="rank"), read(span)


def test_a_superlative_is_a_rank_only_for_a_rank_row():
    assert not carried("the largest project, worth $1 billion", 1, unit="USD")
    assert not carried("the largest project", 1)


# ---------------------------------------------------------------- qualifier words

@pytest.mark.parametrize("span, language, absolute, expected", [
    ("алты мыңға жуық", "kk", 6000, "nearly"),
    ("20 миллиард долларға жуық", "kk", 20e9, "nearly"),
    ("27 миллиард доллардан астам", "kk", 27e9, "more_than"),
    ("25 миллиард доллардан асты", None, 25e9, "more_than"),
    ("100-ден астам жоба", "kk", 100, "more_than"),
    ("500 тоннадан артық", "kk", 500, "more_than"),
    ("шамамен 5 миллиард доллар", "kk", 5e9, "approximately"),
    ("кем дегенде 100 кәсіпорын", "kk", 100, "at_least"),
    ("22 اتفاقا بما يقارب 30 مليار دولار", "ar", 30e9, "approximately"),
    ("حوالي 5 ملايين طن", "ar", 5e6, "approximately"),
    ("نحو 20 مليار دولار", None, 20e9, "approximately"),
    ("أكثر من 600 مشروع", "ar", 600, "more_than"),
    ("près de 7,82 milliards", "fr", 7.82e9, "nearly"),
    ("environ 3 millions de tonnes", "fr", 3e6, "approximately"),
    ("plus de 200 entreprises", "fr", 200, "more_than"),
    ("circa 12 miliardi", "it", 12e9, "approximately"),
    ("oltre 30 miliardi di dollari", "it", 30e9, "more_than"),
    ("più di 5 milioni", "it", 5e6, "more_than"),
    ("unos 120 mil automóviles", "es", 120e3, "approximately"),
    ("más de 5 mil millones", "es", 5e9, "more_than"),
    ("cerca de 2 millones", "es", 2e6, "nearly"),
    ("rund 1 Million 66 Tausend TEU", "de", 1066000, "approximately"),
    ("etwa 3 Milliarden Euro", "de", 3e9, "approximately"),
    ("über 20 Milliarden Dollar", "de", 20e9, "more_than"),
    ("mehr als 500 Unternehmen", "de", 500, "more_than"),
    ("fast 6 Millionen Tonnen", "de", 6e6, "nearly"),
    ("gần 5 tỷ USD", "vi", 5e9, "nearly"),
    ("khoảng 3 triệu tấn", "vi", 3e6, "approximately"),
    ("hơn 600 nghìn tấn", "vi", 600e3, "more_than"),
    ("trên 100 doanh nghiệp", "vi", 100, "more_than"),
])
def test_qualifier_words_in_more_languages(span, language, absolute, expected):
    hits = carrying(span, absolute, language=language)
    assert hits, read(span, language)
    assert wording(span, hits[0], language)[0] == expected


@pytest.mark.parametrize("span, language, absolute", [
    ("fast 6 trains a day", "en", 6),                  # English "fast" is not German "fast"
    ("fast 6 trains a day", None, 6),
    ("unos 120 units", "en", 120),
    ("Gespräche über die 5 Projekte", "de", 5),         # "über" as a preposition, not touching the number
    ("жуық арада 5 жоба іске қосылады", "kk", 5),        # "жуық арада" (soon) does not qualify the 5
    ("27 миллиард доллар, астам", "kk", 27e9),           # a comma is not a case ending
])
def test_words_that_do_not_qualify_the_number_leave_it_exact(span, language, absolute):
    hits = carrying(span, absolute, language=language)
    assert hits, read(span, language)
    assert wording(span, hits[0], language)[0] == "exact"


# ---------------------------------------------------------------- the rules read each row by its source's language

def _package(make, language, rows, rules, table="trade_volumes"):
    from rulekit import rule

    kinds = {"carries": "span_carries_value", "qualifier": "span_qualifier_agrees"}
    return make({"sources": [dict(id="src-a", language=language)], table: rows},
                [rule(k, kinds[k], {"table": table}) for k in rules])


def test_span_carries_value_reads_the_span_in_its_sources_language(make):
    from rulekit import only

    row = dict(id="oil", value="625783", scale="one", unit="tonnes", source_span="625.783 tấn")
    assert only(_package(make, "vi", [row], ["carries"]).run()) == []
    (f,) = only(_package(make, "en", [row], ["carries"]).run())
    assert (f.code, f.line, f.field) == ("carries", 2, "source_span")
    assert "value 625783 is not among the numbers in the span: 625.783" in f.message
    (f,) = only(_package(make, "vi", [dict(row, value="625.783")], ["carries"]).run())
    assert "value 625.783 is not among the numbers in the span: 625783" in f.message


def test_span_qualifier_agrees_reads_the_words_of_its_sources_language(make):
    from rulekit import only

    row = dict(id="inv", value="6", scale="million", unit="tonnes", qualifier="nearly", source_span="fast 6 Millionen Tonnen")
    assert only(_package(make, "de", [row], ["carries", "qualifier"]).run()) == []
    found = only(_package(make, "de", [dict(row, qualifier="exact")], ["carries", "qualifier"]).run())
    assert [(f.code, f.field) for f in found] == [("qualifier", "qualifier")] and "“fast”" in found[0].message


def test_a_superlative_carries_a_rank_row_only(make):
    from rulekit import only

    rank = dict(id="r", measure="rank", value="1", scale="one", unit="rank", source_span="крупнейшим торговым партнёром")
    assert only(_package(make, "ru", [rank], ["carries"]).run()) == []
    money = dict(rank, measure="value", unit="USD")
    (f,) = only(_package(make, "ru", [money], ["carries"]).run())
    assert f.field == "source_span" and "value 1 is not among the numbers in the span: 1 (rank)" in f.message


def test_without_a_sources_table_the_reader_keeps_its_language_blind_reading(make):
    from rulekit import only, rule

    rows = [dict(id="a", value="625.783", scale="one", unit="tonnes", source_span="625.783 tấn"),
            dict(id="b", value="625783", scale="one", unit="tonnes", source_span="625.783 tấn")]
    found = only(make({"trade_volumes": rows}, [rule("carries", "span_carries_value", {"table": "trade_volumes"})]).run())
    assert [f.line for f in found] == [3]
