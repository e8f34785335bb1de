"""How a span qualifies a number: the words right before (or after) it, read as a qualifier.

"more than 6%", "over $31bn", "exceeded $1.3 billion", "свыше 40%", "超过30亿" say more_than;
"about", "some", "около", "约" say approximately; "nearly", "almost", "почти", "将近" nearly;
"among the top five", "входит в топ-5" among_top (a rank); "at least", "не менее" at_least;
"up to", "до", "不超过" up_to; "less than", "under", "менее", "不到" less_than; no such words,
exact. Only words touching the number count (a currency sign may sit between), so that in
"over 70 agreements worth $15 billion" the 70 is more than 70 and the $15 billion is exact,
and in "nearly half - $44 billion" the 44 is exact.

Other languages' words are read by the source's language (wording_lang.py: French "plus de",
German "rund", Vietnamese "gần", ...); Kazakh and Arabic words, which no other language writes,
whatever it is: "бұл 27 миллиард доллардан астам" (more than), "بما يقارب 30 مليار" (approximately).

A row that says approximately for "nearly" is accepted (the schema had no "nearly" before 0.3.0).
"до" is "up to" only when no verb of change governs it ("увеличить товарооборот до $40 млрд"
is a target of 40, not a ceiling).
"""
from __future__ import annotations

import re

from functools import lru_cache

from . import wording_lang
from .spans import Mention, normalise
from .spans_lang import language_of

EXACT = "exact"
WINDOW = 60  # characters either side of a number where its qualifier words can be

# (phrase before the number, qualifier), longest phrases first so "не более" is not "более".
_BEFORE = [
    (r"not more than|no more than|not exceeding|up to|не более|не больше|не свыше|不超过|最多", "up_to"),
    (r"at least|not less than|no less than|a minimum of|minimum of|не менее|не меньше|как минимум|"
     r"至少|不少于|不低于", "at_least"),
    (r"less than|fewer than|under|below|менее|меньше|不到|不足|低于|少于", "less_than"),
    (r"more than|in excess of|upwards of|greater than|over|above|exceed(?:ed|ing|s)?|surpass(?:ed|ing|es)?|"
     r"более чем|более|больше|свыше|превысил\w*|превыша\w*|превысит|超过|逾|多于|高于", "more_than"),
    (r"nearly|almost|close to|just under|почти|едва не|将近|接近|差不多|近", "nearly"),
    (r"among the top|in the top|one of the top|among top|в первой|в числе первых|в топ-?|входит в топ-?|"
     r"前", "among_top"),
    (r"approximately|approx\.|about|around|roughly|some|circa|около|порядка|"
     r"примерно|приблизительно|约|大约", "approximately"),
    (r"до", "up_to"),
]
_AFTER = [
    (r"\s*(?:or more|or above|and above)", "at_least"),
    (r"\s*(?:or less|or fewer|and below)", "up_to"),
    (r"\+|-plus|\s*plus", "more_than"),
    (r"(?:美元|元|人民币|吨|个|家|项|人|辆)?(?:多|余|以上)", "more_than"),
    (r"(?:美元|元|人民币|吨|个|家|项|人|辆)?左右", "approximately"),
    (r"(?:美元|元|人民币|吨|个|家|项|人|辆)?(?:以下|以内)", "up_to"),
]
# Between the qualifier and the number: spaces and a currency.
_FILLER = r"[\s$€¥£]*(?:US\$|USD|US|RMB|CNY|KZT|\$)?[\s$€¥£]*"


@lru_cache(maxsize=64)
def _patterns(language: str | None):
    """(before, after) regexes for a language: its own phrases first, then the universal ones."""
    own_before, own_after = wording_lang.phrases(language)
    before = [(re.compile(rf"(?<![^\W\d_])({p}){_FILLER}$", re.IGNORECASE), q)
              for p, q in own_before + wording_lang.UNIVERSAL_BEFORE]
    before += [(re.compile(rf"(?<![a-zа-яё])({p}){_FILLER}$", re.IGNORECASE), q) for p, q in _BEFORE]
    after = [(re.compile(p, re.IGNORECASE), q) for p, q in _AFTER + wording_lang.UNIVERSAL_AFTER + own_after]
    return before, after
# A verb of change before "до" makes it "to", not "up to".
_RU_CHANGE = re.compile(r"(довест|довед|увелич|нараст|вырос|возрос|расшир|повыс|сократ|сниз|упал|достиг|"
                        r"доведен|составит|увеличен)\w*\s+(?:\S+\s+){0,3}до" + _FILLER + "$", re.IGNORECASE)

WORDING_AGREES = {
    "exact": {"exact"},
    "more_than": {"more_than"},
    "approximately": {"approximately"},
    "nearly": {"nearly", "approximately"},  # rows curated before 0.3.0 had no "nearly" and said approximately
    "among_top": {"among_top", "up_to"},
    "at_least": {"at_least"},
    "up_to": {"up_to", "less_than"},
    "less_than": {"less_than", "up_to"},
}


def wording(span: str, mention: Mention, language: str | None = None) -> tuple[str, str | None]:
    """(qualifier the span's words give this number, the words that say so or None), read with
    the phrases of the source's language (ISO 639-1) besides the English, Russian and Chinese ones."""
    text = normalise(span)
    before_re, after_re = _patterns(language_of(language))
    before = text[max(0, mention.start - WINDOW):mention.start]  # touching words only: bounded work
    for rx, qualifier in before_re:
        m = rx.search(before)
        if m:
            if m.group(1).lower() == "до" and _RU_CHANGE.search(before):
                continue
            return qualifier, m.group(1)
    after = text[mention.end:mention.end + WINDOW]
    for rx, qualifier in after_re:
        m = rx.match(after)
        if m:
            return qualifier, m.group(0).strip()
    return EXACT, None


def agrees(row_qualifier: str, worded: str) -> bool:
    return row_qualifier in WORDING_AGREES.get(worded, {worded})
