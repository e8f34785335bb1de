"""Issue 10: findings beyond the cap per code per resource are counted, not made.

A file of blank lines has one fault per line; one finding object each was 5 GB for 1 GB of
them. Now at most --max-findings-per-code (default 1,000) per code and resource are listed, one
summary finding says how many more there are, stats.findings.truncated counts them, and the
totals (errors, by_code) still count every one. Memory stays within the rlimit, which the
unbounded code exceeded many times over. An unclosed quote in a 200 MB file stops at the cell
limit instead of reading the rest of the file into one cell (9 GB before).
"""
from __future__ import annotations

from bounds_helpers import MB, one_table, run_kzcn, write_repeated

LINES = 4 * MB  # blank lines


def test_blank_lines_are_capped_at_creation_and_counted(tmp_path):
    one_table(tmp_path, fields=("a", "b"))
    write_repeated(tmp_path / "t.csv", b"a,b\n", b"\n", LINES)
    r = run_kzcn("validate", tmp_path, "--format", "json", cwd=tmp_path, mem_mb=1500, timeout=600)
    assert r.returncode == 1, r.stderr
    report = r.json()
    listed = [e for e in report["errors"] if e["code"] == "blank-row"]
    summary = [e for e in listed if e["line"] is None]
    rows = report["stats"]["rows"]
    assert rows >= LINES
    assert len(listed) == 1000 + 1 and len(summary) == 1
    assert [e["line"] for e in listed if e["line"] is not None] == list(range(2, 1002))
    assert f"{rows - 1000:,} more blank-row findings in t are not listed" in summary[0]["message"]
    assert "--max-findings-per-code" in summary[0]["message"]
    findings = report["stats"]["findings"]
    assert findings["truncated"] == {"blank-row": rows - 1000}
    assert findings["by_code"] == {"blank-row": rows} and findings["errors"] == rows
    assert findings["listed_per_code"] == 1000


def test_the_cap_is_per_code_and_can_be_changed(tmp_path):
    rows = "".join(f"x{i},{i}\n" for i in range(3000)) + "".join(f"{i},\n" for i in range(500))
    schema = {"fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "integer",
                                                             "constraints": {"required": True}}]}
    one_table(tmp_path, ("a,b\n" + rows).encode(), schema=schema)
    r = run_kzcn("validate", tmp_path, "--format", "json", "--max-findings-per-code", "10", cwd=tmp_path,
                 timeout=300)
    assert r.returncode == 1, r.stderr
    report = r.json()
    by = {}
    for e in report["errors"]:
        by.setdefault(e["code"], []).append(e)
    assert len(by["type-error"]) == 11 and len(by["constraint-error"]) == 11
    assert report["stats"]["findings"]["truncated"] == {"constraint-error": 490, "type-error": 2990}
    assert report["stats"]["findings"]["by_code"] == {"constraint-error": 500, "type-error": 3000}
    listed_lines = sorted(e["line"] for e in by["type-error"] if e["line"] is not None)
    assert listed_lines == list(range(2, 12))  # the earliest ones


def test_nothing_is_truncated_under_the_cap(tmp_path):
    one_table(tmp_path, b"a,b\n\n\n", fields=("a", "b"))
    r = run_kzcn("validate", tmp_path, "--format", "json", cwd=tmp_path, timeout=120)
    report = r.json()
    assert "truncated" not in report["stats"]["findings"]
    assert [e["line"] for e in report["errors"]] == [2, 3]


def test_an_unclosed_quote_in_a_large_file_stops_at_the_cell_limit(tmp_path):
    one_table(tmp_path, fields=("a", "b"))
    write_repeated(tmp_path / "t.csv", b'a,b\n1,"oops\n', b"x,y\n", 200 * MB)
    r = run_kzcn("validate", tmp_path, "--format", "json", "--max-lines", "100000000", cwd=tmp_path,
                 mem_mb=1500, timeout=600)
    assert r.returncode == 1, r.stderr
    errors = r.json()["errors"]
    assert [(e["code"], e["line"]) for e in errors] == [("source-error", 2)]
    assert "a cell grows past the limit" in errors[0]["message"] and "never closed" in errors[0]["message"]
    assert r.peak_mb < 1000


def test_an_unclosed_quote_in_a_small_file_is_still_named(tmp_path):
    one_table(tmp_path, b'a,b\n1,"oops\n2,3\n', fields=("a", "b"))
    r = run_kzcn("validate", tmp_path, "--format", "json", cwd=tmp_path, timeout=120)
    assert "unclosed-quote" in [e["code"] for e in r.json()["errors"]]


def test_a_file_of_more_lines_than_the_limit_is_one_finding(tmp_path):
    """Findings are capped, but each line still costs its row index: past --max-lines (default
    20,000,000) the file is one source-error, so 1 GB of blank lines cannot take 150 GB."""
    from kzcn.package.limits import Limits

    one_table(tmp_path, fields=("a", "b"))
    write_repeated(tmp_path / "t.csv", b"a,b\n", b"\n", Limits().lines + 1)
    r = run_kzcn("validate", tmp_path, "--format", "json", cwd=tmp_path, mem_mb=1000, timeout=300)
    assert r.returncode == 1, r.stderr
    errors = r.json()["errors"]
    assert [e["code"] for e in errors] == ["source-error"]
    assert "lines, over the limit of 20,000,000" in errors[0]["message"] and "--max-lines" in errors[0]["message"]
    assert r.peak_mb < 400
    crlf = tmp_path / "crlf"
    one_table(crlf, b"a,b\r\n" + b"x,y\r\n" * 20, fields=("a", "b"))
    r = run_kzcn("validate", crlf, "--format", "json", "--max-lines", "21", cwd=crlf, timeout=120)
    assert r.returncode == 0, r.stdout  # 21 lines: CRLF counts once
