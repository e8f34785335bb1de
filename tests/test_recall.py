"""The recall harness (benchmarks/recall/, `make recall`) on the fixed seed, with fewer mutations.

`make recall` draws 50 mutations per applicable cell (842 distinct mutated packages, validated in one
process per core: 13 minutes of wall time on the shared 2 cores, 40 under heavy load); these tests draw the first PER_CELL of them, from the same seed (about a minute of
CPU per harness run, so the two tests that run it are marked slow; the no-findings test is not). Every applicable
cell must reach 95% recall, except the cells in KNOWN_GAPS: each holds the recall measured today
with this seed and PER_CELL, and must not fall below it (a regression guard); raise a floor when
the rules improve, and delete the entry when the cell reaches the target.
"""
from __future__ import annotations

import hashlib
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from recall.run import COPY, SEED, load, measure, recall_of, summary  # noqa: E402

PER_CELL = 6
TARGET = 0.95

# (family, table): cells below TARGET, each with the recall measured on the current rules with
# SEED and PER_CELL (a floor it must not fall below). Empty: every applicable cell reaches
# TARGET on this sample. Before the rules of issue 11, 16 cells were here (provenance 0/6 on
# four tables, magnitude and sources-agree 0/6 on indicators, ...). benchmarks/RECALL.md, at
# 50 per cell, has every applicable cell at 96% or above since part within whole judges every
# whole of its own basis (part within whole x trade_volumes was 92%).
KNOWN_GAPS: dict = {}


@pytest.fixture(scope="module")
def measured():
    return measure(ROOT, SEED, PER_CELL)


def test_harness_sees_no_findings_on_curated_data():
    result = measure(ROOT, SEED, 0)
    assert [f.to_dict() for f in result["baseline"]] == []
    applicable = [c for c in result["cells"] if not c.why]
    assert applicable, "no cell applies: the harness found nothing to mutate"
    for cell in result["cells"]:
        assert cell.why or cell.pool, (cell.family, cell.table)


@pytest.mark.slow
def test_recall_per_cell(measured):
    cells = summary(measured)["cells"]
    below, report = [], []
    for key, entry in cells.items():
        r = recall_of(entry)
        if r is None:
            assert key not in KNOWN_GAPS, f"{key} no longer applies ({entry}): drop it from KNOWN_GAPS"
            continue
        if key in KNOWN_GAPS:
            floor = KNOWN_GAPS[key]
            report.append(f"below target: {key[0]} × {key[1]}: {r:.0%} (floor {floor:.0%}, target {TARGET:.0%})")
            if r < floor - 1e-9:
                below.append(f"{key}: {r:.0%} < known floor {floor:.0%}")
        elif r < TARGET:
            below.append(f"{key}: {r:.0%} < {TARGET:.0%} ({entry[0]}/{entry[1]})")
    print("\n".join(report))
    assert not below, "\n".join(below)
    stale = [k for k in KNOWN_GAPS if k not in cells]
    assert not stale, f"KNOWN_GAPS names cells that do not exist: {stale}"


def _rename_ids(root: Path) -> dict:
    """Rename every primary-key value of every table, everywhere it is written (tables, rules,
    resolutions): a package with the same facts under ids the harness has never seen."""
    _, resources, _, _, _ = load(root)
    from recall.csvcells import read_table

    ids = set()
    for name, (path, schema) in resources.items():
        pk = schema.get("primaryKey")
        if isinstance(pk, str):
            ids |= {r[pk] for r in read_table(name, path.read_text(encoding="utf-8")).rows if r[pk]}
    mapping = {old: "id" + hashlib.sha1(old.encode()).hexdigest()[:12] for old in ids}
    pattern = re.compile(r"(?<![A-Za-z0-9-])(" + "|".join(map(re.escape, sorted(ids, key=len, reverse=True)))
                         + r")(?![A-Za-z0-9-])")
    files = list((root / "datasets").glob("*.csv")) + list((root / "validation").glob("*.yaml"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        path.write_bytes(pattern.sub(lambda m: mapping[m.group(1)], text).encode("utf-8"))
    return mapping


@pytest.mark.slow
def test_mutations_never_depend_on_ids(measured, tmp_path):
    copy = tmp_path / "renamed"
    copy.mkdir()
    for name in COPY:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, copy / name)
    mapping = _rename_ids(copy)
    assert len(mapping) > 100
    trade = (copy / "datasets" / "trade_volumes.csv").read_text(encoding="utf-8")
    assert not any(old in trade for old in mapping if old.startswith("seed-"))
    renamed = measure(copy, SEED, PER_CELL)
    assert [f.to_dict() for f in renamed["baseline"]] == []
    assert summary(renamed) == summary(measured)
    drawn = [[(m.cls, m.row, m.about) for m in c.mutations] for c in measured["cells"]]
    assert [[(m.cls, m.row, m.about) for m in c.mutations] for c in renamed["cells"]] == drawn
