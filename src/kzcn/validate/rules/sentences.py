"""Is a source span a phrase or a pasted sentence? Read from the span alone, without its source.

A span is "the shortest verbatim span that carries the figure" (README, Curate); a curator who
pastes the sentence instead leaves a span that passes span_is_short (120 characters) when the
sentence is short. The excerpt it came from is not in the repository (curation/check_spans.py
checks against it), so two signs in the span itself are read here:

- a sentence end followed by more text: ". The", "。另", "! In" — a span runs over a sentence
  boundary. A full stop after an abbreviation (U.S., Sept., bil.) or before a lower-case word or
  a digit is not one.
- a span that opens like a sentence (a capital letter) and carries many words beyond its figure's
  phrase: the phrase is the figure (and its range's other end, or the row's other figures), the
  qualifier words touching it and the scale word; what lies beyond it on either side are the
  words (tokens with a letter or digit) a shortest span would leave out. Measured on the 167
  curated figure spans whose figures the reader finds (2026-12-01): 4 words beyond the phrase at
  the median, 15 at the most (a lower-case fragment, "over 1.34 million people have checked in
  ... as of April 19"), no sentence end inside any. Of the 15 that open with a capital letter, 12
  carry 1 to 6 ("China accounted for a 21.3% share", "Kazakhstan's trade turnover with China was
  $31.4 billion"); the other three carry 8 and are whole sentences ("The 600 tonnes of wheat
  reached the bonded zone", "Last year, Shandong recorded a trade turnover of $2 billion", "China
  ranks fourth in terms of investment in Kazakhstan"). So SENTENCE_WORDS = 8 beyond the phrase
  for a span opening with a capital letter (a sentence's first word), and ANY_WORDS = 16 for any
  span (above every curated one: a pasted sentence of news prose runs 20-30 words).
"""
from __future__ import annotations

import re

from .spans import Mention, normalise
from .wording import wording

SENTENCE_WORDS = 8
ANY_WORDS = 16
_ABBREVIATIONS = frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec mr mrs ms dr st no vs etc approx est bil bln mln mn bn "
    "трлн млрд млн тыс руб г гг ст".split())
_BREAK = re.compile(r"([^\s.!?。！？]*)([.!?…]+|[。！？]+)([\"”’»)\]]*)(\s*)(?=\S)")


def sentence_break(span: str) -> str | None:
    """The text around the first sentence end followed by more text, or None."""
    text = normalise(span)
    for m in _BREAK.finditer(text):
        word, mark, _, space = m.group(1), m.group(2), m.group(3), m.group(4)
        nxt = text[m.end()]
        if mark[0] in "。！？":
            return text[max(0, m.start(2) - 12):m.end() + 12]
        if not space:
            continue  # 1.5, U.S., $35.16bil.)
        if len(word) <= 1 or word.lower().rstrip("'’") in _ABBREVIATIONS or word[-1:].isdigit():
            continue  # U.S. dollars, Sept. 4, No. 3
        if nxt.isupper() or nxt in "\"“«":
            return text[max(0, m.start(2) - 12):m.end() + 12]
    return None


def words_beyond(span: str, hits: list[Mention]) -> tuple[int, str]:
    """How many words of the span lie outside its figures' phrase, and that phrase."""
    text = normalise(span)
    start = min(h.start for h in hits)
    end = max(h.end for h in hits)
    first = min(hits, key=lambda h: h.start)
    _, words = wording(span, first)
    if words:
        at = text.rfind(words, 0, start)
        if at >= 0:
            start = at
    return _count(text[:start]) + _count(text[end:]), text[start:end]


def _count(part: str) -> int:
    """Words of a piece of text: tokens with a letter or a digit (a bracket or a dash is none)."""
    return sum(1 for tok in part.split() if any(ch.isalnum() for ch in tok))


def opens_like_sentence(span: str) -> bool:
    first = normalise(span).lstrip("\"“«'(")[:1]
    return first.isalpha() and first.isupper()
