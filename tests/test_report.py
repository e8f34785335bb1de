"""`kzcn report`, looked at as a reader would: the pages opened in headless Chromium, offline.

The assertions read the DOM Chromium renders (`--dump-dom`), keeping only text a reader sees
(no script or style contents): every table name, the rule outcome counts (recomputed here from
kzcn.validate.run and the rules file), the three charts as SVG. A second run on a copy of the data
with one broken row must show that failure on the summary page, the rules page and the Data Docs.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from kzcn.report.browser import dump_dom, screenshot
from kzcn.errors import UsageError
from kzcn.package.descriptor import open_package

pytestmark = pytest.mark.slow

# Our own runner: `from conftest import ...` is ambiguous once tests/ has more than one conftest.
ROOT = Path(__file__).resolve().parents[1]
KZCN = str(Path(sys.executable).with_name("kzcn"))


def run_kzcn(*args) -> subprocess.CompletedProcess:
    """The installed `kzcn` command, run as a user would."""
    env = {**os.environ, "DVC_NO_ANALYTICS": "1"}
    return subprocess.run([KZCN, *map(str, args)], capture_output=True, text=True, env=env, timeout=900)


HEAVY = ("great_expectations", "matplotlib", "jinja2")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Dom(HTMLParser):
    """The rendered DOM as a reader sees it: visible text, text by element id, elements by tag."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.by_id: dict[str, list[str]] = {}
        self.elements: list[tuple[str, dict]] = []
        self.visible: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if tag in VOID:
            return
        self.stack.append((tag, attrs))
        if "id" in attrs:
            self.by_id.setdefault(attrs["id"], [])

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if any(t in ("script", "style", "template") for t, _ in self.stack):
            return
        self.visible.append(data)
        for _, attrs in self.stack:
            if "id" in attrs:
                self.by_id[attrs["id"]].append(data)

    def text(self, element_id: str | None = None) -> str:
        parts = self.visible if element_id is None else self.by_id[element_id]
        return " ".join(" ".join(parts).split())

    def number(self, element_id: str) -> int:
        return int(self.text(element_id).replace(",", "").split()[-1])

    def tags(self, tag: str) -> list[dict]:
        return [a for t, a in self.elements if t == tag]


def rendered(page: Path) -> Dom:
    assert page.is_file(), page
    return Dom(dump_dom(page))


def expected_rule_counts(target, rules_file: Path) -> dict:
    """Outcome counts recomputed from the validator's findings and the rules file."""
    from kzcn.validate.run import validate

    ids = [r["id"] for r in yaml.safe_load(rules_file.read_text(encoding="utf-8"))["rules"]]
    findings = validate(target).findings
    by_rule: dict[str, list] = {}
    for f in findings:
        if f.rule is not None:
            by_rule.setdefault(f.rule, []).append(f)
    ids += sorted(set(by_rule) - set(ids))
    counts = Counter()
    for rule_id in ids:
        fs = by_rule.get(rule_id, [])
        if any(f.severity == "error" for f in fs):
            counts["failed"] += 1
        elif fs and all(f.code == "rule-not-applicable" for f in fs):
            counts["not-applicable"] += 1
        elif fs:
            counts["warned"] += 1
        else:
            counts["passed"] += 1
    counts["total"] = len(ids)
    return {"errors": sum(f.severity == "error" for f in findings),
            "warnings": sum(f.severity == "warning" for f in findings), **counts}


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory):
    """One real `kzcn report --screenshot` over this repository's package."""
    out = tmp_path_factory.mktemp("report")
    done = run_kzcn("report", ROOT, "--output", out, "--screenshot")
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    return out, done


# --- importing is cheap ------------------------------------------------------------------------

def test_importing_the_report_code_imports_no_heavy_library():
    code = ("import sys, kzcn.report.stage, kzcn.cli.report, kzcn.report.expectations, kzcn.report.charts, "
            "kzcn.report.frames, kzcn.report.browser, kzcn.report.gx_run, kzcn.cli; kzcn.cli.build_parser(); "
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# --- the clean run -----------------------------------------------------------------------------

def test_summary_page_in_chromium_shows_tables_counts_and_charts(clean_run):
    out, done = clean_run
    dom = rendered(out / "report" / "index.html")
    package = open_package(ROOT)

    tables = dom.text("tables")
    for name in package.table_names:
        assert name in tables, name
        assert f"table-{name}" in dom.by_id, name
    assert dom.number("glance-tables") == len(package.table_names)
    summary = json.loads((out / "report" / "summary.json").read_text(encoding="utf-8"))
    assert dom.number("glance-rows") == sum(summary["tables"].values()) > 0

    expected = expected_rule_counts(ROOT, ROOT / "validation" / "rules.yaml")
    assert dom.number("rules-total") == expected["total"] > 0
    for status in ("passed", "failed", "warned", "not-applicable"):
        assert dom.number(f"rules-{status}") == expected.get(status, 0), status
    assert dom.number("findings-errors") == expected["errors"]
    assert dom.number("findings-warnings") == expected["warnings"]
    assert done.returncode == (1 if expected["errors"] else 0)

    for chart in ("trade", "meetings", "portfolio"):
        assert f"chart-{chart}" in dom.by_id, chart
        assert f"chart-{chart}-svg" in [a.get("id") for a in dom.tags("svg")], chart
    trade = dom.text("chart-trade")
    # the legend names each basis the chart has bars for (which bases have annual totals is data)
    from kzcn.report.charts import BASES, trade_chart
    from kzcn.report.frames import derived_frames

    shown = {d["reporter_basis"] for d in trade_chart(derived_frames(open_package(ROOT))["trade_series"]).data}
    assert shown and all(label in trade for basis, label in BASES if basis in shown)


def test_summary_page_fetches_nothing(clean_run):
    out, _ = clean_run
    dom = rendered(out / "report" / "index.html")
    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
        for attrs in dom.tags(tag):
            assert "//" not in (attrs.get(attr) or ""), (tag, attrs)
    assert not dom.tags("script")


def test_summary_page_links_resolve(clean_run):
    out, _ = clean_run
    report = out / "report"
    dom = rendered(report / "index.html")
    hrefs = [a["href"].split("#")[0] for a in dom.tags("a") if a.get("href") and not a["href"].startswith("#")]
    assert "docs/index.html" in hrefs and "rules.html" in hrefs
    for href in hrefs:
        assert (report / href).is_file(), href
    results = [h for h in hrefs if h.startswith("docs/validations/")]
    assert len(results) == len(open_package(ROOT).table_names)


def test_data_docs_index_in_chromium_lists_every_table(clean_run):
    out, _ = clean_run
    docs = out / "report" / "docs"
    dom = rendered(docs / "index.html")
    text = dom.text()
    for name in open_package(ROOT).table_names:
        assert name in text, name
    hrefs = [a["href"] for a in dom.tags("a") if a.get("href")]
    assert "../rules.html" in hrefs and "../index.html" in hrefs
    pages = {h for h in hrefs if h.startswith(("validations/", "expectations/"))}
    assert len(pages) == 2 * len(open_package(ROOT).table_names)  # a result page and a suite page each
    for h in pages:
        assert (docs / h).is_file(), h
    # no page of the site loads anything remote (GE's own pull CDNs and a logo from S3)
    remote = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=[\"']?(?:https?:)?//|url\([\"']?(?:https?:)?//", re.I)
    pages = list(docs.rglob("*.html"))
    assert len(pages) == 1 + 2 * len(open_package(ROOT).table_names)
    for page in pages:
        assert not remote.search(page.read_text(encoding="utf-8")), page


def test_a_data_docs_result_page_reads_offline(clean_run):
    out, _ = clean_run
    page = next((out / "report" / "docs" / "validations" / "meetings").rglob("*.html"))
    dom = rendered(page)
    text = dom.text()
    assert "Evaluated Expectations" in text and "meeting_id" in text
    assert "../index.html" in " ".join(a.get("href", "") for a in dom.tags("a"))


def test_rules_page_has_every_rule(clean_run):
    out, _ = clean_run
    dom = rendered(out / "report" / "rules.html")
    for rule in yaml.safe_load((ROOT / "validation" / "rules.yaml").read_text(encoding="utf-8"))["rules"]:
        assert f"rule-{rule['id']}" in dom.by_id, rule["id"]
        assert rule["id"] in dom.text(f"rule-{rule['id']}")
    assert "structure" in dom.by_id


def test_the_screenshot_is_the_whole_page(clean_run):
    from PIL import Image

    out, done = clean_run
    png = out / "summary.png"  # beside report/, which stays what the pipeline records
    assert f"screenshot:   {png}" in done.stdout or "summary.png" in done.stdout
    assert not (out / "report" / "summary.png").exists()
    with Image.open(png) as im:
        assert im.format == "PNG"
        width, height = im.size
        colours = len(im.convert("RGB").getcolors(maxcolors=1 << 20) or [])
    assert width == 1280
    assert 1500 < height < 12000  # the page is long; the blank below it was cut away
    assert colours > 50  # charts and text, not a blank page


def test_the_report_holds_our_pages_and_the_docs(clean_run):
    """What report/ holds. That the same data gives the same bytes under report/ and expectations/
    (Data Docs included, the screenshot aside) is proven where a second run happens anyway:
    tests/test_dvc.py::test_make_report_leaves_git_and_dvc_status_clean, where `make report` must
    rewrite exactly the bytes `dvc repro`'s report stage recorded (dvc compares every file's md5),
    instead of a third full report run here."""
    out, _ = clean_run
    from kzcn.atomic import MARKER  # the folder's claim of ownership, not part of the report

    files = [p for p in (out / "report").rglob("*") if p.is_file() and p.name != MARKER]
    assert len(files) == 4 + 2 * len(open_package(ROOT).table_names)  # 3 pages of ours, the Docs
    assert sorted(p.name for p in (out / "expectations").glob("*.json")) == sorted(
        f"{name}.json" for name in open_package(ROOT).table_names)


# --- a broken row ------------------------------------------------------------------------------

def _break_meeting(package_copy: Path) -> int:
    """One broken row: a meeting gets an unknown level and a date after its source was
    published (a schema fault GE catches, and a cross-table fault a rule catches). Only that
    line's bytes change; returns its line number."""
    path = package_copy / "datasets" / "meetings.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    level, date = header.index("level"), header.index("date")
    number = next(i for i, text in enumerate(lines[1:], start=1) if text and '"' not in text)
    cells = lines[number].split(",")
    assert cells[level] in ("national", "subnational") and cells[date][:2] == "20", cells
    cells[level] = "municipal"
    cells[date] = "2099-01-01"
    lines[number] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    return number + 1


def test_a_broken_row_shows_on_every_page(package_copy, tmp_path):
    line = _break_meeting(package_copy)
    out = tmp_path / "out"
    done = run_kzcn("report", package_copy, "--output", out)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr

    dom = rendered(out / "report" / "index.html")
    assert dom.text("overall").startswith("Not valid")
    expected = expected_rule_counts(package_copy, package_copy / "validation" / "rules.yaml")
    assert dom.number("findings-errors") == expected["errors"] >= 1
    assert dom.number("rules-failed") == expected.get("failed", 0) >= 1
    for status in ("passed", "warned", "not-applicable"):
        assert dom.number(f"rules-{status}") == expected.get(status, 0), status
    failed_rules = [i for i in dom.by_id if i.startswith("outcome-") and "failed" in dom.text(i)]
    assert len(failed_rules) == expected["failed"]
    assert any(f"datasets/meetings.csv:{line}" in dom.text(i) for i in failed_rules)

    # GE's suite for meetings failed, and the summary names the expectation, line and value
    met, evaluated = map(int, re.search(r"(\d+) of (\d+)", dom.text("table-meetings")).groups())
    assert met < evaluated
    failures = dom.text("failed-expectations")
    assert "expect_column_values_to_be_in_set" in failures and "municipal" in failures and "level" in failures
    assert f"datasets/meetings.csv:{line}" in dom.text()  # the validator's finding, with its line

    summary = json.loads((out / "report" / "summary.json").read_text(encoding="utf-8"))
    assert summary["suites"]["meetings"]["success"] is False
    assert summary["expectations"]["suites_failed"] == ["meetings"]

    rules_page = rendered(out / "report" / "rules.html")
    sections = [rules_page.text(f"rule-{i[len('outcome-'):]}") for i in failed_rules]
    assert all("failed" in text for text in sections)
    assert any(f"datasets/meetings.csv:{line}" in text for text in sections)

    docs = rendered(out / "report" / "docs" / "index.html")
    assert "meetings" in docs.text()
    result = rendered(out / "report" / "docs" / summary["suites"]["meetings"]["result_page"]).text()
    assert "municipal" in result and "Unsuccessful Expectations" in result


# --- cannot run --------------------------------------------------------------------------------

def test_a_missing_target_exits_2_with_a_message(tmp_path):
    done = run_kzcn("report", tmp_path / "nowhere", "--output", tmp_path / "out")
    assert done.returncode == 2
    assert "nowhere" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_no_chromium_is_a_clear_usage_error(tmp_path, monkeypatch):
    page = tmp_path / "p.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    monkeypatch.setenv("KZCN_CHROMIUM", str(tmp_path / "no-such-browser"))
    with pytest.raises(UsageError, match="no-such-browser"):
        screenshot(page, tmp_path / "p.png")
    assert not (tmp_path / "p.png").exists()


# --- deterministic charts ----------------------------------------------------------------------

def test_charts_are_the_same_bytes_for_the_same_data_and_survive_empty_tables():
    from kzcn.report.charts import all_charts
    from kzcn.report.frames import read_table

    package = open_package(ROOT)
    frames = {r.name: read_table(r).frame for r in package.resources}
    first = [c.svg for c in all_charts(frames)]
    assert first == [c.svg for c in all_charts(frames)]
    empty = all_charts({name: f.iloc[0:0] for name, f in frames.items()})
    assert [c.empty for c in empty] == [True, True, True]
    assert all("<svg" in c.svg and c.caption for c in empty)
    assert [c.empty for c in all_charts({})] == [True, True, True]
