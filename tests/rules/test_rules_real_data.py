"""The repository's rules on the curated data: no errors, and the seed article's figures are
really compared (breaking one of them makes its rule fail)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from rulekit import Built

ROOT = Path(__file__).resolve().parents[2]


def test_all_rules_on_the_curated_data_give_no_errors():
    found = Built(ROOT).run()
    errors = [f"{f.path}:{f.line} {f.field} {f.code}: {f.message}" for f in found if f.severity == "error"]
    assert errors == []
    assert not [f for f in found if f.code in ("rule-not-applicable", "rule-error")], \
        "every rule applies to this package and runs"


def _edit(root: Path, table: str, row_id: str, **cells):
    """Change cells of one row in a copy of the package, keeping the CSV otherwise byte-for-byte."""
    path = root / "datasets" / f"{table}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    hit = [r for r in rows[1:] if r[0] == row_id]
    assert len(hit) == 1, f"{row_id} not in {table}"
    for k, v in cells.items():
        hit[0][header.index(k)] = v
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return rows.index(hit[0]) + 1  # line of the row


@pytest.mark.parametrize("table, row, cells, rule, field, severity", [
    # 25 launched within 52: make it 65 launched
    ("project_portfolios", "seed-portfolio-launched-since-2015", {"item_count": "65", "count_qualifier": "exact"},
     "portfolio-part-within-whole", "item_count", "error"),
    # $7.3 billion within more than $21 billion: $73 billion still fits "more than 21" (no upper
    # bound), so only the stated points clash: a warning, not an error
    ("project_portfolios", "seed-portfolio-launched-since-2015", {"value": "73"},
     "portfolio-part-within-whole", "value", "warning"),
    # Shandong's $1.1 billion in H1 2023 within the national H1 2023 figure: make it $15 billion
    ("trade_volumes", "seed-shandong-h1-2023", {"value": "15"}, "trade-province-within-national", "value", "error"),
    # "more than 6%" against 1.1 / national H1 2023: claim more than 9% instead
    ("trade_volumes", "seed-shandong-share", {"value": "9"}, "seed-shandong-share-matches", "value", "error"),
    # "2.5 times" against $548 million and the 2021 value: claim 3.5 times
    ("trade_volumes", "seed-agri-exports-growth-2022", {"value": "3.5"}, "trade-growth-matches", "value", "error"),
    # the span "first half of this year reached $1.1 billion" does not carry 1.2 billion
    ("trade_volumes", "seed-shandong-h1-2023", {"value": "1.2"}, "trade-span-carries-value", "source_span", "error"),
    # "some 25 projects" is approximately 25, not exactly
    ("project_portfolios", "seed-portfolio-launched-since-2015", {"count_qualifier": "exact"},
     "portfolio-span-qualifier-agrees", "count_qualifier", "warning"),
    # "at least $150 billion" is at_least
    ("targets", "seed-investment-150bn-seven-years", {"qualifier": "more_than"}, "target-span-qualifier-agrees",
     "qualifier", "warning"),
    # $7.3 billion launched since 2015 by 2023, after $3.8 billion by 2018: make the later one $3 billion
    ("project_portfolios", "seed-portfolio-launched-since-2015", {"value": "3"},
     "portfolio-cumulative-not-shrinking", "value", "error"),
    # about $25 billion invested over 15 years by July 2024, after $23 billion by March 2023: make it 12
    ("indicators", "chinese-investment-kz-15-years-nca-2024-07-04", {"value": "12"},
     "indicator-stock-not-shrinking", "value", "error"),
    # ... or 60: more than twice a year's growth over the 15 months between the statements
    ("indicators", "chinese-investment-kz-15-years-nca-2024-07-04", {"value": "60"},
     "indicator-stock-growth-plausible", "value", "warning"),
    # "2.5 times" 2022 over 2021: move the base period onto 2022 itself (a figure against itself)
    ("trade_volumes", "seed-agri-exports-growth-2022", {"base_period_start": "2022-01-01",
                                                        "base_period_end": "2022-12-31"},
     "growth-base-ends-before-period", "period_start", "error"),
    # projects launched 2015-2018, stated on 1 January 2019: a period running past the statement
    ("project_portfolios", "industrial-investment-cooperation-launched-2015-2018-kazinform-2019",
     {"period_end": "2019-06-30"}, "portfolio-period-not-after-statement", "statement_date", "error"),
])
def test_seed_figures_are_checked_against_each_other(package_copy, table, row, cells, rule, field, severity):
    before = [f for f in Built(package_copy).run() if f.code == rule]
    line = _edit(package_copy, table, row, **cells)
    found = Built(package_copy).run()
    hits = [f for f in found if f.code == rule and f.severity == severity and f.line == line]
    assert before == [] and [f.field for f in hits] == [field], [f.message for f in found if f.code == rule]


def test_a_unit_slip_in_the_curated_data_stands_out(package_copy):
    line = _edit(package_copy, "trade_volumes", "kz-cn-turnover-2023-kzstat-trend-2024-04-01", scale="million")
    found = Built(package_copy).run()
    assert [(f.line, f.field) for f in found if f.code == "trade-magnitude-plausible"] == [(line, "scale")]


def test_the_seed_portfolios_parts_are_added_up(package_copy):
    # 48 launched fits within 52 alone, but not together with the 6 scheduled for 2023
    whole = _edit(package_copy, "project_portfolios", "seed-portfolio-52")
    _edit(package_copy, "project_portfolios", "seed-portfolio-launched-since-2015", item_count="48",
          count_qualifier="exact")
    found = Built(package_copy).run()
    assert not [f for f in found if f.code == "portfolio-part-within-whole"]
    hits = [(f.line, f.field, f.severity) for f in found if f.code == "portfolio-siblings-within-whole"]
    assert hits == [(whole, "item_count", "error")], [f.message for f in found]
