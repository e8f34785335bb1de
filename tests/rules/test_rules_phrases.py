"""span_is_phrase: a source span is a phrase, not a pasted sentence, read from the span alone.

Passing spans are curated ones (the figure's phrase with a few words of context); failing ones
run over a sentence end, or open like a sentence and carry many words beyond the figure.
"""
from __future__ import annotations

import pytest
from rulekit import only, rule

from kzcn.validate.rules.sentences import sentence_break

T = "trade_volumes"
PHRASE = rule("r", "span_is_phrase", {"table": T}, severity="warning")


def _row(span, value="31.4", scale="billion"):
    return {T: [dict(id="a", value=value, scale=scale, source_span=span)]}


@pytest.mark.parametrize("span, value, scale", [
    ("Kazakhstan's trade turnover with China was $31.4 billion", "31.4", "billion"),
    ("489,000 tons, or 196 million U.S. dollars", "196", "million"),
    ("Beijing FDI ($35.16bil.) was directed to Kazakhstan", "35.16", "billion"),
    ("first half of this year reached $1.1 billion", "1.1", "billion"),
    ("over 1.34 million people have checked in and out of the center this year as of April 19", "1.34", "million"),
    ("товарооборот составил 31,4 млрд долларов", "31.4", "billion"),
    ("双边贸易额达到314亿美元", "314", "hundred_million"),
])
def test_a_phrase_passes(make, span, value, scale):
    assert only(make(_row(span, value, scale), [PHRASE]).run()) == []


@pytest.mark.parametrize("span, words", [
    ("Trade grew. In 2023 it reached $31.4 billion", "runs over a sentence end"),
    ("贸易增长。双边贸易额达到314亿美元", "runs over a sentence end"),
    ("Last year, Kazakhstan and China recorded a trade turnover of $31.4 billion", "opens like a sentence and carries 10"),
    ("the two countries, as officials said at the forum held in the capital on Monday morning, agreed that trade "
     "reached $31.4 billion", "carries 20 words"),
])
def test_a_sentence_warns(make, span, words):
    value, scale = ("314", "hundred_million") if "亿" in span else ("31.4", "billion")
    (f,) = only(make(_row(span, value, scale), [PHRASE]).run())
    assert (f.severity, f.line, f.field) == ("warning", 2, "source_span") and words in f.message


def test_the_thresholds_are_parameters(make):
    span = "Last year, Kazakhstan and China recorded a trade turnover of $31.4 billion"
    lax = rule("r", "span_is_phrase", {"table": T, "sentence_words": 12}, severity="warning")
    assert only(make(_row(span), [lax]).run()) == []


@pytest.mark.parametrize("span, breaks", [
    ("Sept. 4 saw $1.1 billion", False), ("No. 3 partner", False), ("U.S. Dollars 5", False),
    ("1.5 bn. Total", False), ("$35.16bil.) was", False), ("reached $1.5 billion. Total trade", True),
    ("reached 1.5. Then", False)])
def test_abbreviations_and_numbers_are_not_sentence_ends(span, breaks):
    assert (sentence_break(span) is not None) == breaks
