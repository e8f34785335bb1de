"""Check the curated rows' source spans against the worklists they were curated from (issue 13).

    python curation/check_spans.py WORKLIST.csv [WORKLIST.csv ...] [--seed ARTICLE.txt] [--root REPO]

`kzcn validate` sees only the repository, so it can check that a span states its row's value but
not that the span is really in the source. The worklists (fact_id, ..., excerpt) hold the verbatim
excerpts; each fact row links to one by `candidate_id` (rows from the seed article have none:
pass the article with --seed to check those too). For every row of every table with a source_span (figures, meetings, milestones) it reports:

- unknown candidate: its candidate_id is in none of the worklists given;
- not verbatim: its source_span is not a substring of its candidate's excerpt;
- value not in span: a value of a figure row (the measures the rules file's span_carries_value
  rules declare, at their scales) is not among the numbers the span states, read by kzcn's own
  span reader (kzcn.validate.rules.spans) in the language of the row's source (datasets/sources.csv),
  exactly as `kzcn validate` reads it;
- whole sentence (figure rows): the span is a whole sentence of the excerpt with words beyond the
  figures it carries (a note for the curator, not a fault).

The worklists are arguments, never read from a fixed place: the repository does not depend on
them. Exit 0 when nothing is wrong, 1 when a row is, 2 when an input cannot be read.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))  # run from a checkout without installing

from kzcn.validate.rules.intervals import SCALES  # noqa: E402  (the schemas' scale enum, one source)
SENTENCE_BEFORE = re.compile(r"(?:[.!?。！？][\"”’»)]*\s+|\n\s*)$")  # what precedes a sentence's start
SHORT_SENTENCE_WORDS = 6  # a sentence this short can be the shortest span


class InputError(Exception):
    pass


def read_csv(path: Path) -> list[tuple[int, dict]]:
    """(line where the record starts, row) for each record of a UTF-8 CSV."""
    try:
        fh = open(path, newline="", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    with fh:
        try:
            reader = csv.DictReader(fh)
            out, line = [], 2
            for row in reader:
                out.append((line, row))
                line = reader.line_num + 1
        except (UnicodeDecodeError, csv.Error) as exc:
            raise InputError(f"{path}: not a readable UTF-8 CSV: {exc}") from None
    return out


def read_worklists(paths: list[Path]) -> dict[str, str]:
    excerpts: dict[str, str] = {}
    for path in paths:
        rows = read_csv(path)
        if rows and not {"fact_id", "excerpt"} <= set(rows[0][1]):
            raise InputError(f"{path}: a worklist needs the columns fact_id and excerpt")
        for line, row in rows:
            fid = (row.get("fact_id") or "").strip()
            if fid:
                excerpts.setdefault(fid, unicodedata.normalize("NFC", row.get("excerpt") or ""))
    return excerpts


def declared_measures(root: Path) -> dict[str, list[dict]]:
    """table -> measures, from the span_carries_value rules of validation/rules.yaml."""
    import yaml

    path = root / "validation" / "rules.yaml"
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: cannot read the rules file: {exc}") from None
    out: dict[str, list[dict]] = {}
    for rule in doc.get("rules") or []:
        if not isinstance(rule, dict) or rule.get("kind") != "span_carries_value":
            continue
        params = rule.get("params") or {}
        measures = params.get("measures") or [{"value": "value", "scale": "scale"}]
        tables = params.get("table")
        for table in tables if isinstance(tables, list) else [tables]:
            out[str(table)] = measures
    return out


def source_languages(root: Path) -> dict[str, str]:
    """source_id -> language of datasets/sources.csv (empty when it has none), as the validator reads it."""
    path = root / "datasets" / "sources.csv"
    if not path.is_file():
        return {}
    return {(r.get("source_id") or "").strip(): (r.get("language") or "").strip() or None for _, r in read_csv(path)}


def _reading(row: dict, measure: dict, languages: dict) -> dict:
    """The language and unit kzcn's reader takes for one measure of a row (as provenance.py gives them)."""
    unit = "unit" if measure["value"] == "value" else f"{measure['value']}_unit"
    return {"language": languages.get((row.get("source_id") or "").strip()), "unit": (row.get(unit) or "").strip() or None}


def _scale(row: dict, measure: dict) -> float:
    return SCALES.get((row.get(measure.get("scale") or "") or "one").strip() or "one", 1.0)


def whole_sentence(span: str, excerpt: str) -> bool:
    """The span runs from a sentence's start to its end in the excerpt, with more than a few words."""
    if len(span.split()) <= SHORT_SENTENCE_WORDS or not span[:1].isupper() and not span[:1].isdigit():
        return False
    at = excerpt.find(span)
    while at >= 0:
        starts = at == 0 or bool(SENTENCE_BEFORE.search(excerpt[:at]))
        rest = excerpt[at + len(span):]
        ends = not rest.strip() or bool(re.match(r"[.!?。！？]", rest))
        if starts and ends:
            return True
        at = excerpt.find(span, at + 1)
    return False


def _tight(span: str, row: dict, measures: list[dict], languages: dict) -> bool:
    """The span runs from its first figure (or the qualifier words before it) to the end of its last:
    a sentence like that is the shortest span carrying both ("45 projects ... for $14.5 billion")."""
    from kzcn.validate.rules.spans import carrying, normalise
    from kzcn.validate.rules.wording import wording

    hits = []
    for m in measures:
        try:
            value = float((row.get(m["value"]) or "").strip())
        except ValueError:
            continue
        reading = _reading(row, m, languages)
        hits += carrying(span, value * _scale(row, m), **reading)
    if not hits:
        return False
    text = normalise(span)
    first = min(hits, key=lambda h: h.start)
    words = wording(span, first, _reading(row, measures[0], languages)["language"])[1] or ""
    before = text[:first.start].strip(" $€¥£")
    return before in ("", words) and not text[max(h.end for h in hits):].strip(" .,;)")


def check(root: Path, excerpts: dict[str, str], seed: str | None) -> list[str]:
    from kzcn.validate.rules.spans import carrying, mentions, show

    measures = declared_measures(root)
    languages = source_languages(root)
    problems, unchecked = [], []
    for path in sorted((root / "datasets").glob("*.csv")):
        table_measures = measures.get(path.stem, [])
        rows = read_csv(path)
        if not rows or "source_span" not in rows[0][1]:
            continue
        for line, row in rows:
            where = f"{path.relative_to(root).as_posix()}:{line} {next(iter(row.values()), '?')}"
            span = unicodedata.normalize("NFC", row.get("source_span") or "")
            cid = (row.get("candidate_id") or "").strip()
            if cid and cid not in excerpts:
                problems.append(f"{where}: unknown candidate_id {cid} (in none of the worklists)")
                excerpt = None
            else:
                excerpt = excerpts.get(cid) if cid else seed
                if excerpt is None:
                    unchecked.append(where)
            if excerpt is not None and span not in excerpt:
                problems.append(f"{where}: source_span {span!r} is not verbatim in the excerpt of "
                                f"{cid or 'the seed article'}: {excerpt[:160]!r}")
            elif (table_measures and excerpt is not None and whole_sentence(span, excerpt)
                  and not _tight(span, row, table_measures, languages)):
                problems.append(f"{where}: note: source_span {span!r} is a whole sentence of its excerpt; "
                                f"keep the shortest span that carries the figure")
            if (row.get("derived") or "").strip().lower() == "true":
                continue
            for m in table_measures:
                raw = (row.get(m["value"]) or "").strip()
                if not raw:
                    continue
                try:
                    value = float(raw)
                except ValueError:
                    problems.append(f"{where}: {m['value']} {raw!r} is not a number")
                    continue
                scale = (row.get(m.get("scale") or "") or "one").strip() or "one"
                reading = _reading(row, m, languages)
                if not carrying(span, value * _scale(row, m), **reading):
                    found = ", ".join(x.describe() for x in mentions(span, reading["language"])) or "none"
                    problems.append(f"{where}: {m['value']} {show(value)}"
                                    f"{f' ({scale})' if scale != 'one' else ''} is not among the numbers in "
                                    f"source_span {span!r}: {found}")
    if unchecked:
        problems.append(f"note: {len(unchecked)} row(s) without a candidate_id not checked for verbatim spans "
                        f"(pass the seed article with --seed)")
    return problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("worklists", nargs="+", type=Path, help="worklist CSVs (fact_id, ..., excerpt)")
    ap.add_argument("--seed", type=Path, help="the seed article's text, for rows without a candidate_id")
    ap.add_argument("--root", type=Path, default=HERE.parent, help="the repository (default: this checkout)")
    args = ap.parse_args(argv)
    try:
        excerpts = read_worklists(args.worklists)
        seed = None
        if args.seed:
            try:
                seed = unicodedata.normalize("NFC", args.seed.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as exc:
                raise InputError(f"{args.seed}: cannot read the seed article: {exc}") from None
        problems = check(args.root.resolve(), excerpts, seed)
    except InputError as exc:
        print(f"check_spans: {exc}", file=sys.stderr)
        return 2
    for p in problems:
        print(p)
    faults = [p for p in problems if ": note: " not in p and not p.startswith("note: ")]
    print(f"check_spans: {len(faults)} problem(s), {len(problems) - len(faults)} note(s); "
          f"{len(excerpts)} worklist entries{'' if seed is None else ' and the seed article'}")
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
