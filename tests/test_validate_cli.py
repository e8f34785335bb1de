"""`kzcn validate` as a user and CI run it: exit codes, formats, --strict, --output, targets, imports."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import csv_edits as ed

FRICTIONLESS_PKG = "/work/shared/conformance/frictionless/data/invalid/datapackage.json"


def test_curated_repository_is_valid(kzcn_cli, repo_root):
    r = kzcn_cli("validate", cwd=repo_root)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    last = r.stdout.strip().splitlines()[-1]
    assert last.startswith("kzcn validate: VALID: 0 errors")


def test_errors_exit_1_with_path_line_field_code_message(kzcn_cli, package_copy):
    ed.set_cell(package_copy / "datasets/trade_volumes.csv", 3, "value", "lots")
    r = kzcn_cli("validate", package_copy)
    assert r.returncode == 1 and r.stderr == ""
    lines = r.stdout.splitlines()
    assert any(x.startswith("== datasets/trade_volumes.csv: ") for x in lines)
    assert "datasets/trade_volumes.csv:3 value type-error 'lots' is not a number (such as 42 or 1.5)" in lines
    assert lines[-1].startswith("kzcn validate: INVALID: ") and "type-error 1" in lines[-1]


def test_strict_fails_on_warnings(kzcn_cli, package_copy):
    ed.set_cell(package_copy / "datasets/people.csv", 2, "notes", "=1+2")
    assert kzcn_cli("validate", package_copy).returncode == 0
    r = kzcn_cli("validate", package_copy, "--strict")
    assert r.returncode == 1
    assert "datasets/people.csv:2 notes formula-cell (warning)" in r.stdout


def test_json_report_is_the_published_contract(kzcn_cli, package_copy):
    ed.set_cell(package_copy / "datasets/people.csv", 3, "country_code", "kaz")
    r = kzcn_cli("validate", package_copy, "--format", "json")
    assert r.returncode == 1
    report = json.loads(r.stdout)
    assert list(report) == ["valid", "errors", "warnings", "stats"]
    assert report["valid"] is False
    err = next(e for e in report["errors"] if e["code"] == "constraint-error")
    # the contract's keys, plus rule_rationale and hint, which layers 1 and 2 leave null
    assert set(err) == {"code", "severity", "resource", "path", "line", "field", "message", "rule_rationale", "hint",
                        "row", "column"}
    header = (package_copy / "datasets/people.csv").read_text().splitlines()[0].split(",")
    assert (err["row"], err["column"]) == (3, header.index("country_code") + 1)  # frictionless's rowNumber, fieldNumber
    assert err["rule_rationale"] is None and err["hint"] is None
    assert (err["resource"], err["path"], err["line"], err["field"]) == ("people", "datasets/people.csv", 3, "country_code")
    stats = report["stats"]
    assert stats["tables"]["people"]["rows"] > 0 and stats["findings"]["by_code"]["constraint-error"] == 1
    assert stats["findings"]["by_severity"]["error"] == len(report["errors"])
    assert "elapsed_seconds" in stats


def test_github_annotations(kzcn_cli, package_copy):
    ed.set_cell(package_copy / "datasets/people.csv", 3, "country_code", "kaz, 100%")
    ed.set_cell(package_copy / "datasets/people.csv", 4, "notes", "@mention")
    header = (package_copy / "datasets/people.csv").read_text().splitlines()[0].split(",")
    col, notes = header.index("country_code") + 1, header.index("notes") + 1
    r = kzcn_cli("validate", package_copy, "--format", "github", cwd=package_copy, env={"GITHUB_WORKSPACE": ""})
    lines = r.stdout.splitlines()
    err = next(x for x in lines if "title=constraint-error" in x)
    assert err.startswith(f"::error file=datasets/people.csv,line=3,col={col},title=constraint-error (country_code)::")
    assert "100%25" in err  # data escaped as GitHub wants
    assert any(x.startswith(f"::warning file=datasets/people.csv,line=4,col={notes},title=formula-cell (notes)::")
               for x in lines)


def test_github_annotation_files_are_relative_to_the_workspace(kzcn_cli, package_copy):
    """A descriptor below the repository root: file= must still name the file from the root."""
    ed.set_cell(package_copy / "datasets/people.csv", 3, "country_code", "kaz")
    workspace = package_copy.parent
    sub = package_copy.relative_to(workspace).as_posix()
    for env, cwd in (({"GITHUB_WORKSPACE": str(workspace)}, package_copy / "datasets"),
                     ({"GITHUB_WORKSPACE": ""}, workspace)):  # empty: the working directory is the base
        r = kzcn_cli("validate", package_copy, "--format", "github", cwd=cwd, env=env)
        err = next(x for x in r.stdout.splitlines() if "title=constraint-error" in x)
        assert err.startswith(f"::error file={sub}/datasets/people.csv,line=3,"), (env, err)


def test_output_writes_the_json_report_atomically(kzcn_cli, package_copy, tmp_path):
    out = tmp_path / "reports" / "report.json"
    r = kzcn_cli("validate", package_copy, "--format", "json", "--output", out)
    assert r.returncode == 0
    assert json.loads(out.read_text()) == json.loads(r.stdout)
    assert [p.name for p in out.parent.iterdir()] == ["report.json"]  # no temporary file left


def test_output_never_overwrites_an_input(kzcn_cli, package_copy):
    target = package_copy / "datasets" / "people.csv"
    before = target.read_bytes()
    r = kzcn_cli("validate", package_copy, "--output", target)
    assert r.returncode == 2 and "refusing to overwrite" in r.stderr
    assert target.read_bytes() == before


def test_targets_folder_yaml_and_json_descriptors(kzcn_cli, package_copy):
    assert kzcn_cli("validate", package_copy / "datapackage.yaml").returncode == 0
    r = kzcn_cli("validate", FRICTIONLESS_PKG)
    assert r.returncode == 1
    assert "data.csv:3 - blank-row the line is empty" in r.stdout


def test_cannot_run_exits_2_with_a_message(kzcn_cli, tmp_path, package_copy):
    cases = [
        ("validate", tmp_path / "nowhere"),
        ("validate", tmp_path),  # a folder without a descriptor
        ("validate", package_copy, "--rules", tmp_path / "missing.yaml"),
        ("validate", "--format", "xml"),
    ]
    bad = tmp_path / "bad" / "datapackage.yaml"
    bad.parent.mkdir()
    bad.write_text("resources: [unclosed\n")
    cases.append(("validate", bad))
    for args in cases:
        r = kzcn_cli(*args)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert r.stderr.strip() and "Traceback" not in r.stderr


def test_rules_file_given_by_hand_is_used(kzcn_cli, package_copy, tmp_path):
    rules = tmp_path / "none.yaml"
    rules.write_text("rules: []\n")
    r = kzcn_cli("validate", package_copy, "--rules", rules, "--format", "json")
    stats = json.loads(r.stdout)["stats"]["layers"]["rules"]
    assert stats["file"].endswith("none.yaml") and stats["status"] == "ran" and stats["findings"] == 0


def test_validate_imports_no_heavy_tool(repo_root):
    """kzcn validate (the real command, in a fresh interpreter) never imports GE, DVC or matplotlib."""
    code = ("import sys\n"
            "from kzcn.cli import main\n"
            "rc = main(['validate'])\n"
            "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'great_expectations', 'dvc', 'matplotlib'})\n"
            "print('HEAVY', heavy)\n"
            "sys.exit(rc)\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=repo_root, capture_output=True, text=True,
                       env={**os.environ, "DVC_NO_ANALYTICS": "1"})
    assert r.returncode == 0, r.stderr
    assert "HEAVY []" in r.stdout


def test_pre_commit_hook_runs_as_declared(package_copy):
    """The hook other repositories use: its entry and args, run in a package's folder."""
    import shlex

    import yaml

    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    (hook,) = yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text())
    assert hook["pass_filenames"] is False and hook["language"] == "python"
    argv = shlex.split(hook["entry"]) + hook["args"]
    assert argv[0] == "kzcn"
    exe = str(__import__("pathlib").Path(sys.executable).with_name("kzcn"))
    r = subprocess.run([exe, *argv[1:]], cwd=package_copy, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    ed.set_cell(package_copy / "datasets/people.csv", 2, "country_code", "")
    r = subprocess.run([exe, *argv[1:]], cwd=package_copy, capture_output=True, text=True)
    assert r.returncode == 1 and "datasets/people.csv:2 country_code constraint-error" in r.stdout


def test_ci_workflow_runs_the_github_format(repo_root):
    import yaml

    workflow = yaml.safe_load((repo_root / ".github/workflows/validate.yml").read_text())
    steps = workflow["jobs"]["validate"]["steps"]
    run = next(s["run"] for s in steps if "kzcn validate" in s.get("run", ""))
    assert "--format github" in run and "--output" in run


def test_every_code_made_is_declared_in_the_catalogue(repo_root):
    import re

    from kzcn.validate.catalogue import CATALOGUE, markdown_table

    used = set()
    for path in sorted((repo_root / "src" / "kzcn").rglob("*.py")):
        text = path.read_text()
        used |= set(re.findall(r'cat\.make\(\s*"([a-z-]+)"', text))
    used |= {"row-count", "field-count"}  # made as f"{key[:-1]}-count"
    assert used <= set(CATALOGUE), used - set(CATALOGUE)
    table = markdown_table()
    assert all(f"`{code}`" in table for code in CATALOGUE)


def test_kzcn_validate_stays_callable_after_the_submodule_is_imported(repo_root):
    import kzcn
    import kzcn.validate.run  # rebinds the package attribute to the submodule

    report = kzcn.validate(repo_root)
    assert report.valid and report.stats["tables"]
