"""Issue 10: patterns from a pull request run through RE2 only (linear time), never Python's re.

`(?!x)(a+)+$` is the classic: RE2 cannot compile the look-ahead, and Python's re backtracks
exponentially on "aaa…a!" (28 characters took 35 s, doubling per character). Here the cell is
60 characters: if any engine other than RE2 ran it, the subprocess timeout would end the test.
"""
from __future__ import annotations

import json

from bounds_helpers import codes, one_table, run_kzcn

EVIL = r"(?!x)(a+)+$"
CELL = "a" * 60 + "!"


def test_schema_pattern_re2_cannot_compile_is_a_schema_error(tmp_path):
    schema = {"fields": [{"name": "w", "type": "string", "constraints": {"pattern": EVIL}}]}
    one_table(tmp_path, f"w\n{CELL}\nok\n".encode(), schema=schema)
    r = run_kzcn("validate", tmp_path, "--format", "json", cwd=tmp_path, timeout=120)
    assert r.returncode == 1, r.stderr
    report = r.json()
    assert codes(report) == ["schema-error"]
    msg = report["errors"][0]["message"]
    assert "lookarounds or backreferences" in msg and "RE2 syntax only" in msg and "'w'" in msg


def test_a_pattern_re2_can_run_is_still_checked(tmp_path):
    schema = {"fields": [{"name": "w", "type": "string", "constraints": {"pattern": "(a+)+"}}]}
    one_table(tmp_path, f"w\n{CELL}\naaa\n".encode(), schema=schema)
    r = run_kzcn("validate", tmp_path, "--format", "json", cwd=tmp_path, timeout=120)
    assert r.returncode == 1, r.stderr
    errors = r.json()["errors"]
    assert [(e["code"], e["line"]) for e in errors] == [("constraint-error", 2)]


def test_rules_pattern_re2_cannot_compile_is_refused_with_file_and_line(tmp_path):
    schema = {"fields": [{"name": "w", "type": "string"}, {"name": "v", "type": "string"}]}
    one_table(tmp_path, f"w,v\n{CELL},\naaa,1\n".encode(), schema=schema)
    rules = tmp_path / "validation" / "rules.yaml"
    rules.parent.mkdir()
    rules.write_text("rules:\n  - id: evil\n    kind: conditional_required\n    severity: error\n"
                     "    rationale: a hostile selector.\n    params:\n      table: t\n"
                     f"      when: {{w: {{pattern: {json.dumps(EVIL)}}}}}\n      require: [v]\n")
    r = run_kzcn("validate", tmp_path, cwd=tmp_path, timeout=120)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "rules.yaml:2" in r.stderr and "RE2 syntax only" in r.stderr
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr


def test_rules_pattern_through_re2_selects_rows(tmp_path):
    import pandas as pd

    from kzcn.validate.rules.selection import select

    frame = pd.DataFrame({"w": pd.array([CELL, "aaa", None], dtype="string")})
    assert select(frame, {"w": {"pattern": "(a+)+"}}).tolist() == [False, True, False]
