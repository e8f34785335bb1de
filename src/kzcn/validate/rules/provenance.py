"""Provenance: the row's source_span carries its figure, in the qualifier's words, and briefly.

Every figure row keeps `source_span`, the shortest verbatim span of its source that carries the
figure and its qualifier. An audit found rows whose value was nowhere in their span, spans that
were a whole paragraph, qualifiers the span did not say. Without the source text at hand the
validator can still check what the span itself claims:

- span_carries_value: the row's value at its scale is among the numbers the span states
  (spans.py reads them: "1,100 million" carries 1.1 billion, "2,5 раза" carries 2.5 times).
  A derived row is skipped: its value is computed, and its span is the statement it comes from.
- span_qualifier_agrees: the words touching that number (wording.py) give the row's qualifier:
  "over $31bn" is more_than, "some 25" approximately, no such words exact.
- span_is_short: a span longer than a sentence-sized limit is a paragraph, not a span.

Parameters: table (one or a list), measures ([{value, scale, qualifier}] field names; default
value/scale/qualifier), span (default source_span), derived (a boolean field; default `derived`
where the table has it), where (a row selector); span_is_short takes max_length instead of measures.
"""
from __future__ import annotations

import math
import re

from .context import NotApplicable, ParamError, as_list, na, text
from .intervals import SCALES
from .selection import lines_of, select
from .spans import carrying, mentions, show
from .wording import EXACT, agrees, wording

MAX_LENGTH = 120  # characters; see span_is_short
# A range's top end (value_high) is read with the value's scale; where the table has no such field
# the default measure has a value alone.
DEFAULT_MEASURE = {"value": "value", "scale": "scale", "qualifier": "qualifier", "high": "value_high"}
_DECREASE = re.compile(r"drop|fell|fall|declin|decreas|down|lower|shrank|shrunk|contract|reduc|deficit|"
                       r"сниз|сниж|сократ|упал|уменьш|спад|дефицит|下降|减少|下滑|降|逆差", re.IGNORECASE)


def _measures(params) -> list[dict]:
    raw = params.get("measures", [DEFAULT_MEASURE])
    out = []
    for m in as_list(raw):
        if not isinstance(m, dict) or not isinstance(m.get("value"), str):
            raise ParamError(f"each measure names its fields as {{value: ..., scale: ..., qualifier: ...}}, found {m!r}")
        unknown = set(m) - {"value", "scale", "qualifier", "high"}
        if unknown:
            raise ParamError(f"a measure takes value, scale, qualifier and high, not {', '.join(sorted(unknown))}")
        out.append(m)
    return out


def _rows(ctx, params, table, fields):
    """(frame, span field, lines to check) for one table; lines skip derived rows and blank spans."""
    span = params.get("span", "source_span")
    derived = params.get("derived")
    need = [span, *fields] + ([derived] if derived else [])
    frame = ctx.table(table, need)
    if frame is None:
        return None, span, []
    if derived is None and "derived" in frame.columns:
        derived = "derived"
    lines = []
    for ln in lines_of(select(frame, params.get("where"))):
        if text(frame.at[ln, span]) is None:
            continue
        if derived and not na(frame.at[ln, derived]) and bool(frame.at[ln, derived]):
            continue
        lines.append(ln)
    return frame, span, lines


def _stated(frame, ln, measure, field=None):
    """(value, scale name, absolute value) of one measure of a row, or None when it states none.
    `field`: another number field read at the measure's scale (a range's top end)."""
    v = frame.at[ln, field or measure["value"]]
    if na(v) or math.isnan(float(v)) or math.isinf(float(v)):
        return None
    scale = text(frame.at[ln, measure["scale"]]) if measure.get("scale") else None
    factor = SCALES.get(scale or "one")
    if factor is None:
        return None  # an unknown scale is layer 2's finding
    return float(v), scale, float(v) * factor


def _languages(ctx) -> dict:
    """source_id -> language (ISO 639-1) from the sources table, so each span is read the way its
    source's language writes numbers; empty when the package has no such table."""
    try:
        frame = ctx.table("sources", ["source_id", "language"])
    except NotApplicable:
        return {}
    if frame is None:
        return {}
    return {text(frame.at[ln, "source_id"]): text(frame.at[ln, "language"]) for ln in frame.index}


def _reading(frame, ln, measure, languages) -> dict:
    """carrying()'s language and unit for one measure of a row (the unit tells a rank from a figure)."""
    unit = "unit" if measure["value"] == "value" else f"{measure['value']}_unit"
    return {"language": languages.get(text(frame.at[ln, "source_id"])) if "source_id" in frame.columns else None,
            "unit": text(frame.at[ln, unit]) if unit in frame.columns else None}


def _expected(field, value, scale) -> str:
    return f"{field} {show(value)}" + (f" ({scale})" if scale and scale != "one" else "")


def _fields(measures, with_qualifier=False):
    out = []
    for m in measures:
        out += [m["value"]] + ([m["scale"]] if m.get("scale") else [])
        if with_qualifier and m.get("qualifier"):
            out.append(m["qualifier"])
    return out


def span_carries_value(frames, params, ctx):
    """One finding per row whose span does not state one of its values (at the row's scale)."""
    findings = []
    measures = _measures(params)
    languages = _languages(ctx)
    for table in ctx.tables(params):
        frame, sf, lines = _rows(ctx, params, table, _fields(measures))
        for ln in lines:
            span = text(frame.at[ln, sf])
            problems = []
            for m in measures:
                ends = [m["value"]] + ([m["high"]] if m.get("high") in frame.columns else [])
                reading = _reading(frame, ln, m, languages)
                for end in ends:  # a range must be carried by both its ends ("27–28", "from 27 to 28")
                    stated = _stated(frame, ln, m, end)
                    if stated is None:
                        continue
                    value, scale, absolute = stated
                    hits = carrying(span, absolute, **reading)
                    if not hits:
                        found = ", ".join(x.describe() for x in mentions(span, reading["language"])) or "none"
                        problems.append(f"{_expected(end, value, scale)} is not among the numbers in the span: {found}")
                    elif value < 0 and not any(h.negative for h in hits) and not _DECREASE.search(span):
                        problems.append(f"{_expected(end, value, scale)} is negative, but the span states "
                                        f"{hits[0].describe()} with no minus sign and no word of decrease")
            if problems:
                findings.append(ctx.finding(table, ln, sf, f"{ctx.row_id(table, ln)}: source_span {span!r} does not "
                                            f"carry the row's figure: {'; '.join(problems)}",
                                            rows=[ctx.row_id(table, ln)]))
    return findings


def span_qualifier_agrees(frames, params, ctx):
    """The qualifier field agrees with the words the span puts next to the number it carries."""
    findings = []
    measures = [m for m in _measures(params) if m.get("qualifier")]
    if not measures:
        raise ParamError("each measure names its qualifier field (qualifier: ...)")
    languages = _languages(ctx)
    for table in ctx.tables(params):
        frame, sf, lines = _rows(ctx, params, table, _fields(measures, with_qualifier=True))
        for ln in lines:
            span = text(frame.at[ln, sf])
            for m in measures:
                stated = _stated(frame, ln, m)
                qualifier = text(frame.at[ln, m["qualifier"]])
                if stated is None or qualifier is None:
                    continue
                reading = _reading(frame, ln, m, languages)
                hits = carrying(span, stated[2], **reading)
                if not hits:
                    continue  # span_carries_value reports it
                worded = [(h, *wording(span, h, reading["language"])) for h in hits]
                if any(agrees(qualifier, w) for _, w, _ in worded):
                    continue
                h, w, words = worded[0]
                said = f"“{words}”" if words else "no qualifier words"
                findings.append(ctx.finding(
                    table, ln, m["qualifier"],
                    f"{ctx.row_id(table, ln)}: {m['qualifier']} is {qualifier}, but the span words {h.describe()} as "
                    f"{w if w != EXACT else 'exact'} ({said}): {span!r}", rows=[ctx.row_id(table, ln)]))
    return findings


def span_is_short(frames, params, ctx):
    """A span longer than max_length characters is a sentence or more, not the shortest span.

    The default, 120 characters, is a sentence of news prose (about 20 words); the curated
    figure rows' spans run 39 characters at the median and under 90 at the longest, so only a
    pasted sentence or paragraph goes over it.
    """
    findings = []
    limit = params.get("max_length", MAX_LENGTH)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 10:
        raise ParamError(f"max_length is a number of characters (at least 10), found {limit!r}")
    for table in ctx.tables(params):
        span = params.get("span", "source_span")
        frame = ctx.table(table, [span])
        if frame is None:
            continue
        for ln in lines_of(select(frame, params.get("where"))):
            s = text(frame.at[ln, span])
            if s is None or len(s) <= limit:
                continue
            findings.append(ctx.finding(
                table, ln, span,
                f"{ctx.row_id(table, ln)}: source_span is {len(s)} characters, longer than {limit}: keep the shortest "
                f"span that carries the figure and its qualifier, not the sentence ({s[:60]!r}…)",
                rows=[ctx.row_id(table, ln)]))
    return findings


def _words_param(params, name, default) -> int:
    n = params.get(name, default)
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ParamError(f"{name} is a number of words (at least 1), found {n!r}")
    return n


def span_is_phrase(frames, params, ctx):
    """A span is a phrase, not a sentence: no sentence end followed by more text, and not many words
    beyond its figure's phrase (sentences.py measures both and justifies the defaults)."""
    from .sentences import ANY_WORDS, SENTENCE_WORDS, opens_like_sentence, sentence_break, words_beyond

    findings = []
    measures = _measures(params)
    sentence_words = _words_param(params, "sentence_words", SENTENCE_WORDS)
    any_words = _words_param(params, "any_words", ANY_WORDS)
    for table in ctx.tables(params):
        frame, sf, lines = _rows(ctx, params, table, _fields(measures))
        for ln in lines:
            span = text(frame.at[ln, sf])
            rid = ctx.row_id(table, ln)
            cut = sentence_break(span)
            if cut is not None:
                findings.append(ctx.finding(table, ln, sf, f"{rid}: source_span runs over a sentence end ({cut!r}): "
                                            f"keep the phrase that carries the figure: {span!r}", rows=[rid]))
                continue
            hits = []
            for m in measures:
                for end in [m["value"]] + ([m["high"]] if m.get("high") in frame.columns else []):
                    stated = _stated(frame, ln, m, end)
                    if stated is not None:
                        hits += carrying(span, stated[2])
            if not hits:
                continue  # span_carries_value reports it
            beyond, phrase = words_beyond(span, hits)
            limit = sentence_words if opens_like_sentence(span) else any_words
            if beyond >= limit:
                kind = "opens like a sentence and " if limit == sentence_words else ""
                findings.append(ctx.finding(
                    table, ln, sf,
                    f"{rid}: source_span {kind}carries {beyond} words beyond its figure's phrase {phrase!r} "
                    f"(at most {limit - 1}): keep the shortest span that carries the figure, not the sentence: {span!r}",
                    rows=[rid]))
    return findings
