"""The README tells the truth: its generated tables match their sources, its commands exist."""
from __future__ import annotations

import re

from kzcn.cli import COMMANDS
from kzcn.validate.readme_sections import render


def test_generated_sections_are_current(repo_root):
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    assert render(readme, repo_root) == readme, "README is stale: run `python -m kzcn.validate.readme_sections`"


def test_readme_starts_with_the_two_commands(repo_root):
    head = (repo_root / "README.md").read_text(encoding="utf-8")[:600]
    assert re.search(r"^\s+make\s", head, re.M) and "make test" in head


def test_every_kzcn_command_in_the_readme_exists(repo_root):
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    used = set(re.findall(r"\bkzcn ([a-z]+)\b", readme))
    assert used, "README shows no kzcn command"
    assert used <= set(COMMANDS) | {"data"}, used - set(COMMANDS)
    for name in COMMANDS:
        assert f"kzcn {name}" in readme, f"README does not document `kzcn {name}`"


def test_the_rule_matrix_is_in_the_readme_with_every_cell_filled(repo_root):
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- generated:matrix", 1)[1].split("<!-- end:matrix -->", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| family")]
    assert len(rows) == 10, "one row per family of the matrix"
    assert "**missing**" not in section, "a family x table cell has neither a rule nor a reason in not_applicable"
