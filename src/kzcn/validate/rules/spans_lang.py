"""How each language writes a number's separators and scale words, for the span reader (spans.py).

A notation is read by the language of the source it comes from (datasets/sources.csv
`language`, ISO 639-1), because the same characters mean different numbers in different
languages: "625.783 tấn" is 625,783 tonnes in Vietnamese and 625.783 in English; "120 mil" is
120,000 in Spanish and nothing in English; "billion" is 10^12 in French and German. Where the
language is not known the reader keeps its language-blind reading (English, Russian and
Chinese conventions, told apart by script).

Only notations that cannot be misread are read whatever the language: Arabic scale words and
Arabic-Indic digits, traditional Chinese 億 萬 (the same numbers as 亿 万), Kazakh мың, and
bcm / tcm (billion / trillion cubic metres, gas volumes in every language's trade press).
"""
from __future__ import annotations

import re
from functools import lru_cache

# Languages that group thousands with a dot and write decimals with a comma (625.783 / 24,1).
DOT_THOUSANDS = frozenset("de it es pt ca vi id nl tr da el ro sl hr sr is".split())
# Languages that write decimals with a comma (their thousands: a dot, or a space as in fr / ru).
COMMA_DECIMAL = DOT_THOUSANDS | frozenset("fr ru kk uk be pl cs sk fi sv nb nn no hu bg uz ky tg az mn lt lv et "
                                          "sq mk ka hy".split())

# Same-length replacements applied after NFKC: traditional glyphs and other digit scripts.
TRANSLATE = str.maketrans({"億": "亿", "萬": "万", "兩": "两", "٫": ".", "٬": ",",
                           **{chr(0x0660 + i): str(i) for i in range(10)},   # Arabic-Indic ٠-٩
                           **{chr(0x06F0 + i): str(i) for i in range(10)}})  # Persian ۰-۹

# (pattern, factor, label): a scale word after a number. Longest spellings first within a table.
UNIVERSAL = [
    (r"trillion|trln|трлн\.?|триллион\w*|تريليون\w*|tcm", 1e12, "trillion"),
    (r"billion|bln|bn|bil\.?|млрд\.?|миллиард\w*|مليار\w*|bcm", 1e9, "billion"),
    (r"million|mln|mn|млн\.?|миллион\w*|مليون\w*|ملايين", 1e6, "million"),
    (r"thousand|тыс\.?|тысяч\w*|мың\w*|ألف\w*|آلاف|الف", 1e3, "thousand"),
    (r"hundred", 1e2, "hundred"),
    (r"dozen", 12.0, "dozen"),
]
# Per language, tried before the universal words (so "mil millones" is a billion, not "mil").
BY_LANGUAGE = {
    "fr": [(r"billions?", 1e12, "trillion"), (r"milliards?", 1e9, "billion"),
           (r"millions?", 1e6, "million"), (r"milliers|mille", 1e3, "thousand")],
    "it": [(r"miliard[oi]|mld\.?", 1e9, "billion"), (r"milion[ei]", 1e6, "million"), (r"mila", 1e3, "thousand")],
    "es": [(r"billón|billones", 1e12, "trillion"), (r"mil millones|millardos?", 1e9, "billion"),
           (r"millón|millones|millon", 1e6, "million"), (r"mil", 1e3, "thousand")],
    "pt": [(r"mil milhões|bilhões|bilhão|bilhoes|bilhao", 1e9, "billion"),
           (r"milhões|milhão|milhoes|milhao", 1e6, "million"), (r"mil", 1e3, "thousand")],
    "ca": [(r"mil milions", 1e9, "billion"), (r"milions?|milió", 1e6, "million"), (r"mil", 1e3, "thousand")],
    "de": [(r"billionen|billion", 1e12, "trillion"), (r"milliarden|milliarde|mrd\.?", 1e9, "billion"),
           (r"millionen|million|mio\.?", 1e6, "million"), (r"tausend|tsd\.?", 1e3, "thousand")],
    "vi": [(r"nghìn tỷ|ngàn tỷ|nghìn tỉ|ngàn tỉ", 1e12, "trillion"), (r"tỷ|tỉ", 1e9, "billion"),
           (r"triệu", 1e6, "million"), (r"nghìn|ngàn", 1e3, "thousand")],
}
# A scale word ends where a (non-CJK) letter does not follow: "bn." and "tỷ m3" end, "mill" does not.
_END = r"(?![^\W\d_\u3000-\u9fff\uac00-\ud7af])"


def language_of(code) -> str | None:
    """The ISO 639-1 code a cell holds ("es", "pt-BR" -> "pt"), or None when it holds none."""
    if not isinstance(code, str) or not code.strip():
        return None
    return re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0] or None


@lru_cache(maxsize=64)
def scale_words(language: str | None) -> tuple[re.Pattern, tuple[tuple[re.Pattern, float, str], ...]]:
    """(the regex of a scale word right after a number, [(word pattern, factor, label)]) for a language."""
    table = BY_LANGUAGE.get(language or "", []) + UNIVERSAL
    alternatives = "|".join(f"(?:{p})" for p, _, _ in table)
    rx = re.compile(rf"[ \-\u00a0]?({alternatives}){_END}", re.IGNORECASE)
    return rx, tuple((re.compile(p, re.IGNORECASE), f, label) for p, f, label in table)


def scale_of(word: str, language: str | None) -> tuple[float, str]:
    """(factor, label) of a scale word the regex of scale_words(language) matched."""
    for pattern, factor, label in scale_words(language)[1]:
        if pattern.fullmatch(word):
            return factor, label
    raise KeyError(word)  # unreachable: the regex is the union of these patterns


def comma_decimal(language: str | None) -> bool:
    return language in COMMA_DECIMAL


def dot_thousands(language: str | None) -> bool:
    return language in DOT_THOUSANDS
