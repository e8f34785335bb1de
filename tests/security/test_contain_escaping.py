"""Data never becomes a command or active content: text and github output, and the report's pages."""
from __future__ import annotations

import json
import re

import pytest

from conftest import assert_clean_exit, run_kzcn, snapshot, write_package

EVIL_FIELD = "name\n::error file=evil.py,line=1::owned\x1b[31m"
EVIL_PATH = "t\n::warning::x.csv"


def _hostile(pkg):
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": EVIL_FIELD, "type": "integer"}]}
    (pkg / "t.csv").write_text(f'id,"{EVIL_FIELD}"\n1,not-a-number\x1b]0;title\x07\n')
    write_package(pkg, [{"name": "t", "path": "t.csv", "schema": schema},
                        {"name": "u", "path": EVIL_PATH, "schema": schema}], csv=None)
    (pkg / "t.csv").write_text(f'id,"{EVIL_FIELD}"\n1,not-a-number\x1b]0;title\x07\n')


def test_text_output_escapes_controls_and_never_starts_a_command(sandbox):
    pkg, _, _ = sandbox
    _hostile(pkg)
    done = run_kzcn("validate", pkg, "--format", "text")
    assert_clean_exit(done, (1,))
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert not [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert "\\n::error" in done.stdout and "\\x1b" in done.stdout  # shown, escaped, not hidden


def test_github_output_has_one_command_per_finding(sandbox):
    pkg, _, _ = sandbox
    _hostile(pkg)
    done = run_kzcn("validate", pkg, "--format", "github")
    assert_clean_exit(done, (1,))
    lines = done.stdout.splitlines()
    commands = [line for line in lines[:-1] if not line.startswith("::notice title=kzcn validate::checked ")]
    assert len(commands) == len(lines) - 2  # one notice names the descriptor checked
    assert all(re.match(r"^::(error|warning) file=[^:,]*(,line=\d+)?(,col=\d+)?,title=[^:]*::", l) for l in commands), lines
    assert lines[-1].startswith("kzcn validate:")
    assert "\x1b" not in done.stdout and "owned" in done.stdout  # the text is there, as data
    props = [l.split("::")[1] for l in lines[:-1]]
    assert all("%0A" in p or "\n" not in p for p in props)


@pytest.mark.slow
def test_report_pages_run_no_script_from_the_data(sandbox):
    """A `<script>` cell and an `<img onerror>` label: escaped in every page, blocked by the
    Content-Security-Policy; Chromium (the existing helper) shows them as text and runs nothing."""
    from kzcn.report.browser import dump_dom

    pkg, _, tmp = sandbox
    schema = {"fields": [{"name": "id", "type": "integer"},
                         {"name": "kind", "type": "string", "constraints": {"enum": ["a", "b"]}}]}
    write_package(pkg, [{"name": "t", "path": "t.csv", "schema": schema}],
                  csv='id,kind\n1,a\n2,<script>document.title="PWNED"</script>\n'
                      '3,<img src=x onerror="document.title=\'PWNED\'">\n')
    out = tmp / "out"
    done = run_kzcn("report", pkg, "--output", out)
    assert_clean_exit(done, (1,))
    pages = sorted((out / "report").rglob("*.html"))
    assert len(pages) >= 4
    for page in pages:
        html = page.read_text()
        assert "Content-Security-Policy" in html.split("</head>")[0], page
        assert "<script>document" not in html and "<img src=x" not in html, page
    result = next(p for p in pages if "validations" in p.parts)
    dom = dump_dom(result)
    assert "PWNED" not in (re.search(r"<title>(.*?)</title>", dom, re.S) or [""])[0]
    assert "&lt;script&gt;document.title" in dom  # the value is on the page, as text
