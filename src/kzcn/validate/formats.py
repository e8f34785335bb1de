"""Render a validation Report for people (text), machines (json) and GitHub pull requests (github).

text: one block per file, one line per finding, `path:line field code message`, as editors and
terminals turn `path:line` into a link, and under a rule's finding an indented line with the
rule's rationale and what to do; then the descriptor checked and one summary line with the counts.
json: the published contract {"valid", "errors", "warnings", "stats"} (Report.to_json);
stats.descriptor is the absolute path of the descriptor checked.
jsonl: one finding per line as it is found, then a summary line (kzcn.validate.jsonl).
github: one workflow command per finding, `::error file=…,line=…,col=…,title=…::message` (or
`::warning`; `file` relative to GITHUB_WORKSPACE or the working directory, `col` the field's
position), the rationale and hint on the message's second line, so a pull request shows each
finding on its line; then a `::notice::` naming the descriptor checked, and the summary line.
A reader can always tell which package was read: a green result about files nobody opened is the
failure this guards against.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

from .findings import ERROR, WARNING

FORMATS = ("text", "json", "github", "jsonl")

# C0 and C1 controls, DEL, line and paragraph separators, and the bidirectional overrides that
# make a terminal (or a reviewer) read text in another order than it is (CVE-2021-42574).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_control(match) -> str:
    ch = match.group(0)
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def clean(text) -> str:
    """Text from the data, safe on one terminal line: control characters shown as \\n, \\x1b, ..."""
    return _CONTROL.sub(_escape_control, "" if text is None else str(text))


def _line(text: str) -> str:
    """A line of text output never starts with `::`, which a CI runner would take as a command."""
    return "\\x3a" + text[1:] if text.startswith("::") else text


def _order(f):
    """Line, then the cells of the line by column, then the row's own findings (keys, rules)."""
    number = getattr(f, "field_number", None)
    return (f.line if f.line is not None else -1, getattr(f, "row", None) or 0,
            number is None and f.line is not None, number or 0, f.code, f.field or "")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(report) -> str:
    """One line: verdict, counts by severity and code, tables, rows, time."""
    errors, warnings = len(report.errors), len(report.warnings)
    verdict = "VALID" if report.valid else "INVALID"
    codes = Counter(f.code for f in report.findings)
    by_code = ", ".join(f"{c} {n}" for c, n in sorted(codes.items(), key=lambda kv: (-kv[1], kv[0])))
    stats = report.stats or {}
    tables = stats.get("tables") or {}
    parts = [f"{verdict}: {_plural(errors, 'error')}, {_plural(warnings, 'warning')}"]
    if by_code:
        parts[0] += f" ({by_code})"
    if tables:
        parts.append(f"{_plural(len(tables), 'table')}, {_plural(int(stats.get('rows', 0)), 'row')}")
    rules = ((stats.get("layers") or {}).get("rules") or {}).get("status")
    if rules and rules != "ran":
        parts.append(f"rules: {rules}")
    if "elapsed_seconds" in stats:
        parts.append(f"{stats['elapsed_seconds']:.2f} s")
    return "kzcn validate: " + "; ".join(parts)


def checked_line(report) -> str | None:
    """`checked /abs/path/datapackage.yaml`: which descriptor the report is about."""
    descriptor = (report.stats or {}).get("descriptor")
    return f"checked {descriptor}" if descriptor else None


def advice(f) -> str | None:
    """A rule finding's why and what to do, in one line (`Why: … Fix: …`); None for layers 1 and 2."""
    why, hint = getattr(f, "rule_rationale", None), getattr(f, "hint", None)
    parts = []
    if why:
        parts.append(f"Why: {why}" + ("" if why.endswith((".", "!", "?")) else "."))
    if hint:
        parts.append(f"Fix: {hint}")
    return " ".join(parts) or None


def _location(f) -> str:
    if f.path and f.line is not None:
        return f"{clean(f.path)}:{f.line}"
    return clean(f.path) if f.path else "(package)"


def render_text(report) -> str:
    groups = defaultdict(list)
    for f in report.findings:
        groups[f.path or ""].append(f)
    out = []
    for path in sorted(groups, key=lambda p: (p == "", p)):
        items = sorted(groups[path], key=_order)
        n_err = sum(1 for f in items if f.severity == ERROR)
        n_warn = len(items) - n_err
        out.append(f"== {clean(path) or '(package and rules)'}: {_plural(n_err, 'error')}, {_plural(n_warn, 'warning')}")
        for f in items:
            code = clean(f.code) if f.severity == ERROR else f"{clean(f.code)} (warning)"
            rule = f" [rule {clean(f.rule)}]" if f.rule and f.rule != f.code else ""
            out.append(_line(f"{_location(f)} {clean(f.field) if f.field else '-'} {code}{rule} {clean(f.message)}"))
            more = advice(f)
            if more:
                out.append(_line(f"    {clean(more)}"))
        out.append("")
    checked = checked_line(report)
    if checked:
        out.append(checked)
    out.append(summary(report))
    return "\n".join(out) + "\n"


def _escape_data(text: str) -> str:
    """GitHub's workflow-command escaping (%, CR, LF), then other controls as \\x.. (no ANSI)."""
    return clean(str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation_path(path: str, report, env=None) -> str:
    """A finding's file as GitHub wants it: relative to the workspace (`GITHUB_WORKSPACE`, else the
    working directory), so an annotation attaches when the descriptor is not at the repository
    root. Finding paths are relative to the package root, the descriptor's folder."""
    import os

    descriptor = (report.stats or {}).get("descriptor")
    if not descriptor:
        return path
    env = os.environ if env is None else env
    try:
        base = env.get("GITHUB_WORKSPACE") or os.getcwd()
        return Path(os.path.relpath(Path(descriptor).parent / path, base)).as_posix()
    except (OSError, ValueError):  # no working directory, another drive
        return path


def render_github(report) -> str:
    out = []
    for f in sorted(report.findings, key=lambda f: (f.path or "~",) + _order(f)):
        kind = "error" if f.severity == ERROR else "warning"
        props = []
        if f.path:
            props.append(f"file={_escape_property(annotation_path(f.path, report))}")
            if f.line is not None:
                props.append(f"line={int(f.line)}")
                number = getattr(f, "text_column", None) or getattr(f, "field_number", None)
                if number is not None:  # the descriptor node's column, or the field's position on that line
                    props.append(f"col={int(number)}")
        title = f.code + (f" ({f.field})" if f.field else "")
        props.append(f"title={_escape_property(title)}")
        where = f"{f.resource}: " if f.resource and not f.path else ""
        more = advice(f)
        text = where + f.message + (f"\n{more}" if more else "")
        out.append(f"::{kind} {','.join(props)}::{_escape_data(text)}")
    checked = checked_line(report)
    if checked:
        out.append(f"::notice title=kzcn validate::{_escape_data(checked)}")
    out.append(summary(report))
    return "\n".join(out) + "\n"


def render(report, fmt: str = "text") -> str:
    """The report as text, json or github annotations."""
    if fmt == "json":
        return report.to_json()
    if fmt == "github":
        return render_github(report)
    if fmt == "text":
        return render_text(report)
    if fmt == "jsonl":
        from .jsonl import render_jsonl

        return render_jsonl(report)
    raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")


__all__ = ["render", "summary", "FORMATS", "ERROR", "WARNING"]
