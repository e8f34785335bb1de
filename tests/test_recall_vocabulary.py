"""The recall harness's mutation classes for the 0.3.0 vocabulary, on fixture rows.

The curated data has no range, no nearly figure with a counterpart, no among_top rank and no
as_of yet, so `make recall` cannot draw these classes from it. Here a copy of the package gets a
few rows that use the vocabulary (appended to its CSVs, every curated byte kept), the harness
proposes its mutations of them (the same generators and judge as `make recall`), and each
mutation the judge calls a real inconsistency must be caught by `kzcn.validate` — a finding the
unmutated copy does not have. A few per class keep it to a few dozen seconds.
"""
from __future__ import annotations

import csv
import io
import random
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from recall.matrix import FAMILIES, breaks  # noqa: E402
from recall.mutations import proposals  # noqa: E402
from recall.run import COPY, load  # noqa: E402

PER_CLASS = 3
NEW = ("range-inverted", "nearly", "among-top-off", "as-of-late")

ROWS = {
    "trade_volumes": [
        # Zhejiang 2022 beside Shandong's 2022 rank 4: the rank now has a member of its set valued
        # (a province with no curated figures, so the fixture meets no real counterpart)
        dict(trade_id="fixture-kz-zj-turnover-2022", reporter_basis="unspecified", reporter_scope="KZ",
             partner_scope="CN-ZJ", flow="turnover", commodity_group="all_goods", period_start="2022-01-01",
             period_end="2022-12-31", measure="value", value="12.5", scale="billion", unit="USD", qualifier="exact",
             estimate="reported", derived="false", source_id="kazinform-2024-04-kazakhstan-top-trade-partner-xinjiang-q1",
             source_span="trade with Zhejiang reached $12.5 billion"),
        dict(trade_id="fixture-kz-gs-turnover-2023-range", reporter_basis="unspecified", reporter_scope="KZ",
             partner_scope="CN-GS", flow="turnover", commodity_group="all_goods", period_start="2023-01-01",
             period_end="2023-12-31", measure="value", value="0.5", value_high="0.6", scale="billion", unit="USD",
             qualifier="exact", estimate="reported", derived="false",
             source_id="kazinform-2024-04-kazakhstan-top-trade-partner-xinjiang-q1", source_span="$0.5-0.6 billion"),
    ],
    "indicators": [
        dict(indicator_id="fixture-freight-2022-nearly", topic="logistics", indicator="freight_volume",
             subject="Freight turnover between Kazakhstan and China", measure="value", value="24", scale="million",
             unit="tonnes", qualifier="nearly", period_start="2022-01-01", period_end="2022-12-31",
             estimate="reported", derived="false", source_id="nca-2024-07-04-xi-tokayev-astana-talks",
             source_span="nearly 24 million tonnes"),
        dict(indicator_id="fixture-enterprises-as-of-2024-01", topic="business",
             indicator="enterprises_with_chinese_capital", subject="Enterprises with Chinese capital in Kazakhstan",
             measure="value", value="4500", scale="one", unit="enterprises", qualifier="more_than",
             as_of="2024-01-01", estimate="reported", derived="false",
             source_id="nca-2024-07-04-xi-tokayev-astana-talks", source_span="more than 4,500 enterprises"),
    ],
}


def _append(path: Path, rows: list[dict]) -> None:
    text = path.read_text(encoding="utf-8")
    header = next(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    for row in rows:
        assert set(row) <= set(header), set(row) - set(header)
        w.writerow([row.get(f, "") for f in header])
    path.write_text(text + ("" if text.endswith("\n") else "\n") + out.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def fixture_package(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("recall-vocab")
    for name in COPY:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / name)
    for table, rows in ROWS.items():
        _append(root / "datasets" / f"{table}.csv", rows)
    return root


def _keys(report) -> set:
    return {(f.code, f.resource, f.line, f.field) for f in report.findings}


def test_the_fixture_rows_are_consistent(fixture_package):
    import kzcn

    before = _keys(kzcn.validate(ROOT))
    report = kzcn.validate(fixture_package)
    new = [f for f in report.findings if (f.code, f.resource, f.line, f.field) not in before]
    assert report.valid and new == [], [f.message for f in new]


def test_each_new_class_is_drawn_and_caught(fixture_package):
    import kzcn

    _, resources, tables, models, ctx = load(fixture_package)
    base = _keys(kzcn.validate(fixture_package))
    drawn: dict[str, list] = {c: [] for c in NEW}
    for family in FAMILIES:
        classes = [c for c in family.classes if c in NEW]
        for name, m in models.items():
            if not classes or family.requires(m, ctx):
                continue
            judged = family.check(m, m.rows, ctx)
            rng = random.Random(f"{family.name}:{name}")
            for mut in proposals(m, m.rows, classes, rng, ctx):
                if breaks(family, m, m.rows, mut, judged, ctx):
                    drawn[mut.cls].append((family.name, mut))
    assert all(drawn.values()), {c: len(v) for c, v in drawn.items()}
    missed = []
    for cls, muts in drawn.items():
        for family, mut in random.Random(cls).sample(muts, min(PER_CLASS, len(muts))):
            table = tables[mut.table]
            path = fixture_package / Path(resources[mut.table][0]).relative_to(fixture_package)
            path.write_text(table.edit({mut.row: dict(mut.changes)}), encoding="utf-8")
            try:
                caught = _keys(kzcn.validate(fixture_package)) - base
            finally:
                path.write_text(table.text, encoding="utf-8")
            if not caught:
                missed.append(f"{cls} ({family} × {mut.table}): {mut.about} {dict(mut.changes)}")
    assert not missed, "\n".join(missed)
