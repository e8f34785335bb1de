"""Qualifier words in the other languages of our sources, for wording.py.

A phrase in a Latin-script language is read only when the source is in that language:
German "fast" (nearly) and "über" (more than), Spanish "unos" (some), Vietnamese "trên" (above)
are ordinary words elsewhere, and in English "fast 6 trains" is not "nearly 6". Each table
lists its negated phrases before the plain ones ("pas plus de" is up to, "plus de" more than).

Kazakh and Arabic phrases are read whatever the language, since no other language writes
them. Kazakh puts its qualifier after the noun phrase, on the case the word before it takes:
"алты мыңға жуық" (nearly six thousand: dative + жуық), "27 миллиард доллардан астам" (more
than 27 billion dollars: ablative + астам); one word (the currency, the goods) may come between
the number and the qualifier.
"""
from __future__ import annotations

_KK_WORD = r"[а-яёәғқңөұүһі]*"
_KK_DATIVE = rf"(?:[\s-]*{_KK_WORD}(?:ға|ге|қа|ке|а|е))?"
_KK_ABLATIVE = rf"(?:[\s-]*{_KK_WORD}(?:дан|ден|тан|тен|нан|нен))?"
_END = r"(?![^\W\d_])"

UNIVERSAL_BEFORE = [
    (r"кем дегенде|ما لا يقل عن|على الأقل", "at_least"),
    (r"أقل من", "less_than"),
    (r"أكثر من|ما يزيد عن|ما يزيد على|يزيد عن", "more_than"),
    (r"шамамен|بما يقارب|ما يقارب|يقارب|حوالي|حوالى|نحو|قرابة", "approximately"),
]
UNIVERSAL_AFTER = [
    (rf"{_KK_DATIVE}\s+жуық{_END}", "nearly"),
    (rf"{_KK_ABLATIVE}\s+(?:астам|асты|артық|аса){_END}", "more_than"),
    (rf"{_KK_ABLATIVE}\s+кем емес{_END}", "at_least"),
    (rf"{_KK_ABLATIVE}\s+(?:кем|аз){_END}", "less_than"),
    (rf"(?:[\s-]*{_KK_WORD})?\s+шамасында{_END}", "approximately"),
]

# language -> [(phrase before the number, qualifier)], negations first.
_BEFORE = {
    "fr": [(r"pas plus de|au plus|jusqu'à|jusqu’à", "up_to"), (r"au moins|pas moins de", "at_least"),
           (r"moins de", "less_than"), (r"plus de|au-delà de", "more_than"),
           (r"près de|presque|quasiment", "nearly"), (r"environ|quelque|quelques|autour de|approximativement", "approximately")],
    "it": [(r"non più di|fino a|al massimo", "up_to"), (r"almeno|non meno di", "at_least"), (r"meno di", "less_than"),
           (r"oltre|più di|piu di|superiore a", "more_than"), (r"quasi|vicino a", "nearly"),
           (r"circa|intorno a|approssimativamente", "approximately")],
    "es": [(r"no más de|hasta", "up_to"), (r"al menos|por lo menos|no menos de", "at_least"),
           (r"menos de", "less_than"), (r"más de|mas de|por encima de", "more_than"), (r"cerca de|casi", "nearly"),
           (r"unos|unas|alrededor de|aproximadamente|aprox\.", "approximately")],
    "pt": [(r"não mais de|até", "up_to"), (r"pelo menos|ao menos|no mínimo", "at_least"), (r"menos de", "less_than"),
           (r"mais de|acima de", "more_than"), (r"cerca de|quase", "nearly"),
           (r"aproximadamente|por volta de|em torno de", "approximately")],
    "de": [(r"nicht mehr als|höchstens|bis zu", "up_to"), (r"mindestens|wenigstens", "at_least"),
           (r"weniger als", "less_than"), (r"mehr als|über|ueber", "more_than"), (r"fast|knapp|beinahe", "nearly"),
           (r"rund|etwa|ca\.|circa|zirka|ungefähr", "approximately")],
    "vi": [(r"tối đa|không quá", "up_to"), (r"ít nhất|tối thiểu", "at_least"), (r"dưới|chưa đến|chưa tới", "less_than"),
           (r"hơn|trên", "more_than"), (r"gần", "nearly"), (r"khoảng|chừng|xấp xỉ", "approximately")],
}
_BEFORE["ca"] = _BEFORE["es"]


def phrases(language: str | None):
    """(before phrases, after phrases) of one language; none for English, Russian, Chinese (wording.py)."""
    return list(_BEFORE.get(language or "", [])), []
