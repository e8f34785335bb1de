"""curation/check_spans.py: the curators' check of spans against the worklists they were curated from.

The worklists are built here from the curated rows themselves (each excerpt = its rows' spans inside
a sentence), so a clean copy has nothing to report; then one fault of each kind is put in.
"""
from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from csv_edits import cells, header, set_cell

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "curation" / "check_spans.py"


def _worklist(pkg: Path, dest: Path) -> Path:
    """fact_id -> an excerpt holding every span curated from it; seed rows' spans go to seed.txt."""
    spans: dict[str, list[str]] = {}
    for path in sorted((pkg / "datasets").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if "source_span" in row:
                    spans.setdefault(row.get("candidate_id") or "", []).append(row["source_span"])
    with open(dest, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["fact_id", "kind", "excerpt", "notes"])
        for fid, texts in spans.items():
            if fid:
                w.writerow([fid, "trade", "Officials said that " + "; and ".join(texts) + ", they said.", ""])
    (dest.parent / "seed.txt").write_text("It was said that " + "; ".join(spans.get("", [])) + ".", encoding="utf-8")
    return dest


def _run(pkg: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args, "--root", str(pkg)], capture_output=True, text=True,
                          timeout=300)


def _line_of(path: Path, row_id: str) -> int:
    with open(path, newline="", encoding="utf-8") as fh:
        for i, line in enumerate(fh, start=1):
            if line.startswith(row_id + ","):
                return i
    raise AssertionError(row_id)


def test_clean_copy_reports_nothing_and_each_fault_is_named(package_copy, tmp_path):
    work = _worklist(package_copy, tmp_path / "worklist.csv")
    seed = str(tmp_path / "seed.txt")
    clean = _run(package_copy, str(work), "--seed", seed)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "0 problem(s)" in clean.stdout

    trade = package_copy / "datasets" / "trade_volumes.csv"
    rows = [cells(trade, n) for n in range(2, 6)]
    names = header(trade)
    ids = [r[0] for r in rows]
    set_cell(trade, _line_of(trade, ids[1]), "source_span", "a span no worklist holds: $9.99 billion")
    set_cell(trade, _line_of(trade, ids[2]), "candidate_id", "KC-NOT-IN-ANY-WORKLIST")
    value = float(rows[3][names.index("value")])
    set_cell(trade, _line_of(trade, ids[3]), "value", repr(value * 7 + 1))
    out = _run(package_copy, str(work), "--seed", seed)
    assert out.returncode == 1, out.stdout + out.stderr
    reported = [line for line in out.stdout.splitlines() if line.startswith("datasets/")]
    assert len(reported) == 4, reported  # the span (not verbatim, value not in it), the id, the value
    assert any(ids[1] in r and "not verbatim" in r for r in reported)
    assert any(ids[1] in r and "is not among the numbers" in r for r in reported)
    assert any(ids[2] in r and "unknown candidate_id KC-NOT-IN-ANY-WORKLIST" in r for r in reported)
    assert any(ids[3] in r and "is not among the numbers" in r for r in reported)
    assert all(f"trade_volumes.csv:{_line_of(trade, i)} {i}:" in " ".join(reported) for i in ids[1:])


def test_an_unreadable_worklist_exits_2_with_its_name(package_copy, tmp_path):
    missing = _run(package_copy, str(tmp_path / "absent.csv"))
    assert missing.returncode == 2 and "absent.csv" in missing.stderr and "Traceback" not in missing.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("id,text\n1,x\n", encoding="utf-8")
    wrong = _run(package_copy, str(bad))
    assert wrong.returncode == 2 and "fact_id and excerpt" in wrong.stderr


def test_spans_are_read_in_their_sources_language_as_kzcn_validate_reads_them(tmp_path):
    """check_spans uses kzcn's reader with each row's source language: a Vietnamese 625.783 is 625,783."""
    (tmp_path / "datasets").mkdir()
    (tmp_path / "validation").mkdir()
    (tmp_path / "validation" / "rules.yaml").write_text(
        "rules:\n- id: c\n  kind: span_carries_value\n  params: {table: trade_volumes}\n", encoding="utf-8")
    (tmp_path / "datasets" / "sources.csv").write_text(
        "source_id,language\nvn,vi\nen,en\n", encoding="utf-8")
    (tmp_path / "datasets" / "trade_volumes.csv").write_text(
        "trade_id,value,scale,unit,source_id,source_span,candidate_id\n"
        "oil-vn,625783,one,tonnes,vn,625.783 tấn,F1\n"
        "turnover-tw,198.8,hundred_million,USD,vn,198.8億美元,F1\n"
        "oil-en,625783,one,tonnes,en,625.783 tấn,F1\n", encoding="utf-8")
    work = tmp_path / "worklist.csv"
    work.write_text("fact_id,excerpt\nF1,xuất khẩu 625.783 tấn; 198.8億美元\n", encoding="utf-8")
    out = _run(tmp_path, str(work))
    assert out.returncode == 1, out.stdout + out.stderr
    assert "1 problem(s)" in out.stdout
    assert "trade_volumes.csv:4 oil-en: value 625783 is not among the numbers" in out.stdout
