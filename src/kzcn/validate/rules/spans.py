"""The numbers a source span states, read the way its language writes them.

A fact row keeps `source_span`, the shortest verbatim span of its source that carries the
figure. To check that the span really carries the row's value, the span's numbers are read
here as a reader of the source would read them. Where a notation is ambiguous the source's
language decides (`mentions(span, language)`, ISO 639-1 from sources.csv; spans_lang.py holds
each language's separators and scale words); with no language known, English, Russian and
Chinese conventions are told apart by script, as before languages were passed:

- digits with thousands separators (1,234 / 1 234 / 1.234.567; 625.783 where the language groups
  with a dot) and decimals with `.` or `,` (24,1 in Russian); an ambiguous `1,234` or `1.234` in
  Cyrillic or decimal-comma text gets both readings; Arabic-Indic digits;
- scale words after the number: thousand, million (mn, mln, млн), billion (bn, bln, bil, млрд,
  bcm), trillion (трлн, tcm), hundred, dozen, Chinese 万 / 亿 / 万亿 (and 萬 / 億), Arabic, and the
  scale words of the source's language (milliards, miliardi, mil millones, Tausend, tỷ ...);
  parts that add ("1 Million 66 Tausend" is 1,066,000, besides its parts);
- percentages (133.7%, percent, процент, пайыз), multiples (2.5 times, fourfold, 2,5 раза, 倍),
  ordinals (third, 3rd, третьим, екінші, 第三), number words (one..twenty, thirty..ninety, dozen,
  hundred; Russian and Kazakh phrases, spans_words.py; Chinese numerals), a sign (-43, +4%);
  superlatives ("largest", "крупнейшим", "最大") as rank 1, offered to rank rows only;
- ranges and lists that share one scale word ("27-28 billion", "from 27 to 28 billion").

Each Mention keeps every absolute value it can mean (number x scale word); a row is carried
when its value at its scale equals one of them up to representation (1.1 billion is "1,100
million"), never up to rounding. Parsing is pure and cached by span text and language.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from . import spans_lang, spans_words

TOLERANCE = 1e-9  # relative: float representation only, far below any rounding a source does

_SPACE = " \u00a0\u202f\u2009"
_DIGITS = (rf"(?<![\d.,])(?:\d{{1,3}}(?:[{_SPACE}]\d{{3}})+(?:[.,]\d+)?(?![\d])"   # 1 234 567,5
           r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])"                                # 1,234,567.5
           r"|\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?(?![\d.])"                             # 1.234.567,5
           r"|\d{1,3}\.\d{3},\d+(?![\d.])"                                          # 1.234,5
           r"|\d+(?:[.,]\d+)?)")                                                    # 1234 / 24.1 / 24,1

_EN_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_EN_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_EN_ORDINALS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split())}
_EN_MULTIPLES = {"double": 2, "doubled": 2, "twofold": 2, "triple": 3, "tripled": 3, "threefold": 3,
                 "quadrupled": 4, "fourfold": 4, "fivefold": 5, "tenfold": 10}
_ZH_NUMERAL = re.compile("第?[零〇一二两三四五六七八九十百千万亿]+")

_TIGHT_SCALE_RE = re.compile(r"([kmb])(?![a-zа-яё])", re.IGNORECASE)  # $310m, 5k, $2b: attached only
_ZH_SCALE_RE = re.compile(r"[百千万亿]+")
_PERCENT = (r"%|percent|per cent|pct|процент\w*|пайыз\w*|prozent|pour cent|per cento|por ciento|por cento|"
            r"phần trăm|في المئة|في المائة|بالمئة|بالمائة")
_KIND_RE = re.compile(rf"\s?({_PERCENT}|times|-?fold|раза?|есе|lần|倍|x(?![a-z]))"
                      r"|(st|nd|rd|th|-?(?:й|я|е|го|м|ым|им|ыншы|інші|ншы|нші|шы|ші))(?![a-zа-яёәғқңөұүһі])",
                      re.IGNORECASE)
_PERCENT_RE = re.compile(_PERCENT, re.IGNORECASE)
_CONNECTOR = re.compile(r"^\s*(?:-|–|—|to|or|and|до|или|и|至|到|~)\s*$", re.IGNORECASE)
# "one of the largest", "одним из", "之一": one of a set, not the number one.
_ONE_OF = re.compile(r"\s+(?:of|из|изо)(?![a-zа-яё])", re.IGNORECASE)
_WORD = re.compile(r"[a-zа-яёәғқңөұүһі]+(?:-[a-zа-яёәғқңөұүһі]+)*", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    """One number in a span: where it is, what it is written as, and every value it can mean."""

    start: int
    end: int
    number: float                 # as written, before its scale word
    readings: tuple[float, ...]   # absolute values (number x scale), the first the usual reading
    label: str | None = None      # scale word or kind: billion, percent, times, ordinal, rank
    negative: bool = False
    rank_only: bool = False       # a superlative ("largest"): rank 1, and no other figure

    def describe(self) -> str:
        return ("-" if self.negative else "") + show(self.number) + (f" ({self.label})" if self.label else "")


def show(x: float) -> str:
    """A stated number as written: no float noise, no exponent, every digit the source gave."""
    if x == int(x) and abs(x) < 1e18:
        return str(int(x))
    return repr(float(x))


def normalise(span: str) -> str:
    """NFKC (full-width digits, ％, no-break spaces), traditional 億 萬 as 亿 万, Arabic-Indic
    digits as 0-9; same length in practice, so offsets stay meaningful for the qualifier wording."""
    return unicodedata.normalize("NFKC", span or "").translate(spans_lang.TRANSLATE)


def _digit_readings(token: str, cyrillic: bool, language: str | None = None) -> list[float]:
    """Every number a digit token can mean where it is written; the language's own reading first."""
    compact = re.sub(f"[{_SPACE}]", "", token)
    comma_decimal = spans_lang.comma_decimal(language)
    if re.search(f"[{_SPACE}]", token):                     # space thousands; the rest is decimal
        return [float(compact.replace(",", "."))]
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", compact):
        out = [float(compact.replace(",", ""))]
        if (cyrillic or comma_decimal) and compact.count(",") == 1 and "." not in compact:
            decimal = float(compact.replace(",", "."))      # Russian, German, French 1,234 = 1.234
            out = [decimal, *out] if comma_decimal else [*out, decimal]
        return out
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+|\d{1,3}(?:\.\d{3}){2,}", compact):
        return [float(compact.replace(".", "").replace(",", "."))]
    if re.fullmatch(r"\d{1,3}\.\d{3}", compact):
        if spans_lang.dot_thousands(language):
            return [float(compact.replace(".", ""))]        # Vietnamese, German, Spanish 625.783 = 625783
        out = [float(compact)]
        if cyrillic or comma_decimal:
            out.append(float(compact.replace(".", "")))     # Russian/European 1.234 = 1234
        return out
    return [float(compact.replace(",", "."))]


def _tail(text: str, end: int, language: str | None = None):
    """What follows a number: (scale multiplier, scale label, kind label, new end)."""
    mult, label = 1.0, None
    m = _ZH_SCALE_RE.match(text, end)
    if m:
        for ch in m.group(0):
            mult *= {"百": 1e2, "千": 1e3, "万": 1e4, "亿": 1e8}[ch]
        label, end = m.group(0), m.end()
    else:
        m = spans_lang.scale_words(language)[0].match(text, end)
        if m:
            mult, label = spans_lang.scale_of(m.group(1), language)
            end = m.end()
        elif m := _TIGHT_SCALE_RE.match(text, end):
            mult, label = {"k": (1e3, "thousand"), "m": (1e6, "million"), "b": (1e9, "billion")}[m.group(1).lower()]
            end = m.end()
    k = _KIND_RE.match(text, end)
    kind = None
    if k:
        if k.group(1):
            kind = "percent" if _PERCENT_RE.fullmatch(k.group(1)) else "times"
        else:
            kind = "ordinal"
        end = k.end()
    return mult, label, kind, end


def _signed(text: str, start: int) -> bool:
    """A minus sign right before the number, itself not inside a word or a range (COVID-19, 27-28)."""
    if start == 0 or text[start - 1] not in "-−":
        return False
    return start == 1 or not text[start - 2].isalnum()


def _word_mentions(text: str, taken: list[tuple[int, int]], language: str | None = None) -> list[Mention]:
    out = []
    covered = bytearray(len(text) + 1)  # characters a digit mention already reads
    for s, e in taken:
        covered[s:e] = b"\x01" * (e - s)
    free = lambda a, b: not any(covered[a:b])  # noqa: E731
    kazakh = spans_words.kazakh_text(text, language)
    for start, end, value, big in spans_words.cardinal_phrases(text, kazakh):
        if not free(start, end) or (value == 1 and _ONE_OF.match(text, end)):
            continue
        mult, label, kind, end = _tail(text, end, language)
        if big:  # "алты мыңға": the phrase's own scale word is read; what follows is not another one
            mult, label = 1.0, None
        out.append(Mention(start, end, float(value), (float(value) * mult,), label or kind))
        covered[start:end] = b"\x01" * (end - start)
    for m in _WORD.finditer(text):
        if not free(m.start(), m.end()):
            continue
        word = m.group(0).lower()
        parts = word.split("-")
        value = kind = None
        if all(p in _EN_UNITS or p in _EN_TENS for p in parts) and len(parts) <= 2:
            value = sum(_EN_UNITS[p] if p in _EN_UNITS else _EN_TENS[p] for p in parts)
        elif len(parts) == 2 and parts[0] in _EN_TENS and parts[1] in _EN_ORDINALS:
            value, kind = _EN_TENS[parts[0]] + _EN_ORDINALS[parts[1]], "ordinal"
        elif word in _EN_ORDINALS:
            value, kind = _EN_ORDINALS[word], "ordinal"
        elif word in _EN_MULTIPLES:
            value, kind = _EN_MULTIPLES[word], "times"
        elif parts[-1] == "fold" and all(p in _EN_UNITS for p in parts[:-1]) and len(parts) == 2:
            value, kind = _EN_UNITS[parts[0]], "times"
        elif word.endswith("fold") and word[:-4] in _EN_UNITS:
            value, kind = _EN_UNITS[word[:-4]], "times"
        elif word in spans_words.RU_TIMES:
            value, kind = spans_words.RU_TIMES[word], "times"
        elif word == "dozen":
            value = 12
        elif word == "hundred":
            value = 100
        elif (rank := spans_words.ordinal(word, kazakh)) is not None:
            value, kind = rank, "ordinal"
        if value is None or (word == "one" and _ONE_OF.match(text, m.end())):
            continue
        mult, label, tail_kind, end = _tail(text, m.end(), language)
        if word in ("hundred", "dozen"):
            mult, label = 1.0, None
        out.append(Mention(m.start(), end, float(value), (float(value) * mult,), label or tail_kind or kind))
    for m in _ZH_NUMERAL.finditer(text):
        raw = m.group(0)
        ordinal = raw.startswith("第")
        digits = raw[1:] if ordinal else raw
        if not free(m.start(), m.end()) or not digits.strip("万亿百千十") and not ordinal:
            continue  # a bare 万 or 亿 is a scale word of the digits before it, not a number
        if raw == "一" and text[m.start() - 1:m.start()] == "之":
            continue  # 之一: one of them
        value = spans_words.zh_value(digits)
        if value is None:
            continue
        mult, label, kind, end = _tail(text, m.end(), language)
        out.append(Mention(m.start(), end, value, (value * mult,), label or ("ordinal" if ordinal else kind)))
    for start, end in spans_words.superlatives(text):
        out.append(Mention(start, end, 1.0, (1.0,), "rank", rank_only=True))
    return out


@lru_cache(maxsize=4096)
def mentions(span: str, language: str | None = None) -> tuple[Mention, ...]:
    """Every number the span states, in order of appearance, read as `language` (ISO 639-1,
    the span's source's) writes numbers; None reads English, Russian and Chinese by script."""
    text = normalise(span)
    language = spans_lang.language_of(language)
    cyrillic = bool(re.search("[а-яё]", text, re.IGNORECASE))
    found: list[Mention] = []
    for m in re.finditer(_DIGITS, text):
        numbers = _digit_readings(m.group(0), cyrillic, language)
        mult, label, kind, end = _tail(text, m.end(), language)
        neg = _signed(text, m.start())
        found.append(Mention(m.start() - neg, end, numbers[0], tuple(n * mult for n in numbers),
                             label or kind, neg))
    found += _word_mentions(text, [(f.start, f.end) for f in found], language)
    found.sort(key=lambda f: f.start)
    return tuple(_compounds(text, _share_scales(text, found)))


def _share_scales(text: str, found: list[Mention]) -> list[Mention]:
    """27-28 billion, from 27 to 28 billion: a bare number joined to the next one by a range or
    list connector also reads at that one's scale."""
    out = list(found)
    for i in range(len(out) - 2, -1, -1):
        a, b = out[i], out[i + 1]
        if (a.label is None and b.label and b.number and b.readings[0] != b.number
                and _CONNECTOR.match(text[a.end:b.start])):
            factor = b.readings[0] / b.number
            out[i] = Mention(a.start, a.end, a.number, a.readings + tuple(r * factor for r in a.readings), b.label,
                             a.negative)
    return out


def _compounds(text: str, found: list[Mention]) -> list[Mention]:
    """"1 Million 66 Tausend", "1 triệu 66 nghìn", "1亿5000万": a scaled number followed (after
    spaces only) by a smaller scaled one is their sum, as well as its two parts."""
    out = list(found)
    for a, b in zip(found, found[1:]):
        if not (a.number and b.number and a.readings[0] != a.number and b.readings[0] != b.number):
            continue
        if text[a.end:b.start].strip() or a.negative or b.negative:
            continue
        unit = a.readings[0] / a.number  # one of a's scale: b must be below it ("1 Million 66 Tausend")
        if b.readings[0] >= unit:
            continue
        out.append(Mention(a.start, b.end, a.number, tuple(ra + rb for ra in a.readings for rb in b.readings),
                           a.label))
    out.sort(key=lambda f: f.start)
    return out


def close(a: float, b: float, tol: float = TOLERANCE) -> bool:
    return abs(a - b) <= tol * max(abs(a), abs(b), 1e-300)


def carrying(span: str, absolute: float, tol: float = TOLERANCE, language: str | None = None,
             unit: str | None = None) -> list[Mention]:
    """The mentions of span that state this absolute value (its sign read from the words when
    the number has none: 'dropped 43%' states -43), read in the source's language. A superlative
    ("largest") states rank 1 only for a row whose unit is rank."""
    return [m for m in mentions(span, language)
            if (not m.rank_only or unit == "rank") and any(close(abs(absolute), abs(r), tol) for r in m.readings)]
