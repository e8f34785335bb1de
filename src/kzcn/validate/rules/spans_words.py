"""Numbers written as words in Russian and Kazakh, ordinals in any case, and superlative ranks.

The span reader (spans.py) reads digits everywhere; these are the figures a source writes in
words, which a curator must cite as written:

- cardinal phrases, their parts added and multiplied as the language does ("двадцать пять" 25,
  "алты мыңға" 6,000, "екі мың жиырма төрт" 2,024); in Kazakh only the last word of a phrase
  takes a case ending ("мыңға", "жүзден"), in Russian every word takes its case ("двадцати пяти");
- ordinals in any case: Russian "вторыми", "третьим", "второе (место)", Kazakh "екінші", "үшінші";
- Chinese numerals (三, 二十五, 一亿五千万);
- superlatives that state rank 1: "largest", "biggest", "крупнейшим", "ең ірі", "最大" — a rank
  only (spans.py offers them to rows whose unit is rank), and never when an ordinal or "one of"
  comes with them ("second-largest", "одним из крупнейших", "最大的…之一").

Kazakh words are read when the source is Kazakh, or when the span has a letter only Kazakh
writes (ә ғ қ ң ө ұ ү һ і): a Kazakh "он" (ten) is a Russian "он" (he).
"""
from __future__ import annotations

import re

_RU_UNITS = {}
for _value, _forms in {
    1: "один одна одно одного одной одному одним одном одну", 2: "два две двух двум двумя",
    3: "три трёх трех трём трем тремя", 4: "четыре четырёх четырех четырём четырем четырьмя",
    5: "пять пяти пятью", 6: "шесть шести шестью", 7: "семь семи семью", 8: "восемь восьми восемью",
    9: "девять девяти девятью",
    40: "сорок сорока", 50: "пятьдесят пятидесяти пятьюдесятью", 60: "шестьдесят шестидесяти шестьюдесятью",
    70: "семьдесят семидесяти семьюдесятью", 80: "восемьдесят восьмидесяти восемьюдесятью",
    90: "девяносто девяноста", 100: "сто ста", 200: "двести двухсот двумстам", 300: "триста трёхсот трехсот",
    400: "четыреста четырёхсот четырехсот", 500: "пятьсот пятисот", 600: "шестьсот шестисот",
    700: "семьсот семисот", 800: "восемьсот восьмисот", 900: "девятьсот девятисот",
}.items():
    _RU_UNITS.update(dict.fromkeys(_forms.split(), _value))
for _i, _stem in enumerate("десят одиннадцат двенадцат тринадцат четырнадцат пятнадцат шестнадцат семнадцат "
                           "восемнадцат девятнадцат двадцат".split()):
    _RU_UNITS.update(dict.fromkeys((_stem + "ь", _stem + "и", _stem + "ью"), 10 + _i if _i else 10))
_RU_UNITS.update(dict.fromkeys(("тридцать", "тридцати", "тридцатью"), 30))
_RU_BIG = [(re.compile(r"тысяч[аиуе]?|тысячей|тысячам\w*"), 1e3), (re.compile(r"миллион\w*"), 1e6),
           (re.compile(r"миллиард\w*"), 1e9), (re.compile(r"триллион\w*"), 1e12)]
RU_TIMES = {"вдвое": 2, "втрое": 3, "вчетверо": 4, "впятеро": 5, "вдесятеро": 10}

_KK_UNITS = {"бір": 1, "екі": 2, "үш": 3, "төрт": 4, "бес": 5, "алты": 6, "жеті": 7, "сегіз": 8, "тоғыз": 9,
             "он": 10, "жиырма": 20, "отыз": 30, "қырық": 40, "елу": 50, "алпыс": 60, "жетпіс": 70,
             "сексен": 80, "тоқсан": 90, "жүз": 100}
_KK_BIG = {"мың": 1e3, "миллион": 1e6, "миллиард": 1e9, "триллион": 1e12}
# Case endings, plural and possessive (every vowel-harmony variant); at most two in a row.
_KK_ENDING = ("(?:ға|ге|қа|ке|на|не|ның|нің|дың|дің|тың|тің|ды|ді|ты|ті|ны|ні|да|де|та|те|нда|нде|дан|ден|тан|"
              "тен|нан|нен|мен|бен|пен|ы|і|сы|сі|лар|лер|дар|дер|тар|тер|ын|ін|н)")
_KK_WORD = re.compile(rf"({'|'.join(sorted([*_KK_UNITS, *_KK_BIG], key=len, reverse=True))})({_KK_ENDING}{{0,2}})$")
# Inflected forms that are other words: "онда" there, "оны" him, "оның" his, "жүзі" its face.
_KK_NOT_NUMBERS = frozenset("онда оны оның онымен ондағы онан оған жүзі жүзін жүзде бесте".split())
_KK_LETTERS = re.compile("[әғқңөұүһі]", re.IGNORECASE)

_RU_ORDINAL_STEMS = {"перв": 1, "втор": 2, "трет": 3, "четвёрт": 4, "четверт": 4, "пят": 5, "шест": 6, "седьм": 7,
                     "восьм": 8, "девят": 9, "десят": 10, "одиннадцат": 11, "двенадцат": 12, "тринадцат": 13,
                     "четырнадцат": 14, "пятнадцат": 15, "двадцат": 20}
_RU_ORDINAL = re.compile(
    rf"({'|'.join(sorted(_RU_ORDINAL_STEMS, key=len, reverse=True))})"
    r"(ый|ой|ий|ая|ое|ье|ья|ьей|ым|ьим|ого|ьего|ом|ьем|ому|ьему|ую|ью|ою|ьею|ые|ьи|ых|ьих|ыми|ьими)$")
_KK_ORDINAL = re.compile(r"(бір|екі|үш|төрт|бес|алты|жеті|сегіз|тоғыз|он|жиырма)(?:ыншы|інші|ншы|нші|сыншы|сінші)"
                         + _KK_ENDING + "{0,2}$")

_SUPERLATIVE = re.compile(r"(?<![\w-])(?:largest|biggest|крупнейш\w*|самы[йм]\s+крупны[йм]|ең\s+(?:ірі|үлкен)\w*|"
                          r"größte\w*|lớn nhất)(?!\w)|最大", re.IGNORECASE)
_NOT_FIRST_BEFORE = re.compile(r"(?:one of(?: the)?|among the|одн\w+\s+из|в числе|бірі|\d+(?:st|nd|rd|th)?|"
                               r"second|third|fourth|fifth|втор\w+|трет\w+|четв\w+|пят\w+|第[一二三四五六七八九十\d]+)"
                               r"[\s-]*(?:the\s+)?$", re.IGNORECASE)
_NOT_FIRST_AFTER = re.compile(r"^[^。，,.;]{0,12}之一|^\s+(?:in the world\s+)?after\b", re.IGNORECASE)

_WORD = re.compile(r"[а-яёәғқңөұүһі]+", re.IGNORECASE)


def _ru_value(word: str):
    """(value, big) of one Russian number word, or None."""
    if word in _RU_UNITS:
        return _RU_UNITS[word], False
    for rx, factor in _RU_BIG:
        if rx.fullmatch(word):
            return factor, True
    return None


def _kk_value(word: str):
    """(value, big) of one Kazakh number word, bare or with its endings, or None."""
    if word in _KK_NOT_NUMBERS:
        return None
    m = _KK_WORD.match(word)
    if not m:
        return None
    stem = m.group(1)
    return (_KK_BIG[stem], True) if stem in _KK_BIG else (_KK_UNITS[stem], False)


def _phrase_value(parts) -> float | None:
    """Add and multiply a phrase's parts: units and tens add, hundreds and thousands multiply."""
    total, section = 0.0, 0.0
    for value, big in parts:
        if big:
            total += (section or 1) * value
            section = 0.0
        elif value == 100 or (value > 100 and value % 100 == 0 and section == 0):
            section = (section or 1) * value if value == 100 else section + value
        else:
            section += value
    return total + section


def kazakh_text(text: str, language: str | None) -> bool:
    return language == "kk" or (language is None and bool(_KK_LETTERS.search(text)))


def cardinal_phrases(text: str, kazakh: bool):
    """(start, end, value, ends_with_big) for each Russian (and Kazakh) number-word phrase."""
    words = [(m.start(), m.end(), m.group(0).lower()) for m in _WORD.finditer(text)]
    out, i = [], 0
    while i < len(words):
        parts, j = [], i
        while j < len(words):
            if j > i and text[words[j - 1][1]:words[j][0]].strip():
                break  # a phrase is words with only spaces between them
            w, ended = words[j][2], False
            v = _ru_value(w)
            if v is None and kazakh:
                v = _kk_value(w)
                ended = v is not None and bool(_KK_WORD.match(w).group(2))
            if v is None:
                break
            parts.append(v)
            j += 1
            if ended:
                break  # an ending closes a Kazakh phrase
        if parts and not (len(parts) == 1 and parts[0][1]):  # a lone "тысяч" is a scale word, not a number
            out.append((words[i][0], words[j - 1][1], _phrase_value(parts), parts[-1][1]))
            i = j
        else:
            i += 1
    return out


def ordinal(word: str, kazakh: bool) -> int | None:
    """The rank an ordinal word states (Russian in any case; Kazakh when the text is Kazakh)."""
    w = word.lower()
    m = _RU_ORDINAL.match(w)
    if m:
        return _RU_ORDINAL_STEMS[m.group(1)]
    if kazakh:
        k = _KK_ORDINAL.match(w)
        if k:
            return _KK_UNITS[k.group(1)]
    return None


def superlatives(text: str):
    """(start, end) of each superlative that states rank 1 on its own."""
    out = []
    for m in _SUPERLATIVE.finditer(text):
        if _NOT_FIRST_BEFORE.search(text[max(0, m.start() - 24):m.start()]):
            continue
        if _NOT_FIRST_AFTER.search(text[m.end():m.end() + 40]):
            continue
        out.append((m.start(), m.end()))
    return out


_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 1e4, "亿": 1e8}


def zh_value(text: str) -> float | None:
    """A Chinese numeral (三, 二十五, 一百二十, 三千万, 一亿五千万) as a number."""
    total, section, digit = 0.0, 0.0, None
    for ch in text:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            section += (1 if digit is None else digit) * _ZH_UNITS[ch]
            digit = None
        elif ch in _ZH_BIG:
            total = (total + section + (digit or 0)) * _ZH_BIG[ch]
            section, digit = 0.0, None
        else:
            return None
    return total + section + (digit or 0)
