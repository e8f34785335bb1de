"""`kzcn diff OLD NEW`: rows added, removed and changed by primary key, between release zips,
package folders and git revisions (read without a checkout)."""
from __future__ import annotations

import json

import pytest

from release_helpers import (add_person, build_and_release, commit_all, copy_package, drop_row, edit_cell, git,
                             git_init, kzcn, set_version)


NEW_NOTE = "Corrected note."


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """A git repository with two commits of the package (one cell changed, a row dropped, a row added,
    a participant row with a composite key changed) and a release zip of each."""
    repo = copy_package(tmp_path_factory.mktemp("diff") / "repo")
    git_init(repo)
    commit_all(repo, "old", "2024-01-01T00:00:00+00:00")
    old_zip = build_and_release(repo)
    kept = old_zip.with_name("old.zip")
    old_zip.rename(kept)
    set_version(repo, "9.0.0")
    # a cell no rule ties to another: a value changed alone would no longer be in its source span
    old_value = edit_cell(repo, "trade_volumes", "seed-shandong-h1-2023", "notes", NEW_NOTE)
    drop_row(repo, "milestones", "2023-09-03-first-grain-train-eastern-china")
    add_person(repo, "lin-wu-2")
    commit_all(repo, "new", "2024-02-01T00:00:00+00:00")
    new_zip = build_and_release(repo)
    return {"repo": repo, "old_zip": kept, "new_zip": new_zip, "old_value": old_value}


def _check(d, old_value):
    s = d["summary"]
    assert (s["rows_added"], s["rows_removed"], s["rows_changed"], s["cells_changed"]) == (1, 1, 1, 1)
    tables = {t["name"]: t for t in d["tables"]}
    assert tables["people"]["rows_added"][0]["key"] == {"person_id": "lin-wu-2"}
    assert tables["milestones"]["rows_removed"][0]["key"] == {"milestone_id": "2023-09-03-first-grain-train-eastern-china"}
    assert tables["trade_volumes"]["changed"] == [{"key": {"trade_id": "seed-shandong-h1-2023"}, "field": "notes",
                                                   "old": old_value, "new": NEW_NOTE}]
    assert tables["sources"]["status"] == "unchanged"
    assert sorted(s["tables_changed"]) == ["milestones", "people", "trade_volumes"]


def test_between_release_zips(history):
    out = kzcn("diff", history["old_zip"], history["new_zip"], "--format", "json")
    d = json.loads(out.stdout)
    _check(d, history["old_value"])
    assert d["new"]["version"] == "9.0.0"


def test_between_git_revisions_without_touching_the_work_tree(history):
    repo = history["repo"]
    head = git(repo, "rev-parse", "HEAD")
    (repo / "datasets" / "people.csv").write_bytes(b"uncommitted edit\n")  # must not be read, nor lost
    try:
        out = kzcn("diff", "HEAD~1", "HEAD", "--format", "json", "--repo", repo)
        _check(json.loads(out.stdout), history["old_value"])
        assert (repo / "datasets" / "people.csv").read_bytes() == b"uncommitted edit\n"
        assert git(repo, "rev-parse", "HEAD") == head
    finally:
        git(repo, "checkout", "--", "datasets/people.csv")  # scratch repository of this test only


def test_release_equals_its_revision_cell_for_cell(history):
    """Normalised release bytes and curated bytes compare equal: no spurious changes."""
    out = kzcn("diff", "HEAD", history["new_zip"], "--format", "json", "--repo", history["repo"])
    s = json.loads(out.stdout)["summary"]
    assert (s["rows_added"], s["rows_removed"], s["cells_changed"]) == (0, 0, 0)


def test_text_output(history):
    out = kzcn("diff", history["old_zip"], "HEAD", "--repo", history["repo"]).stdout
    assert "rows: 1 added, 1 removed, 1 changed (1 cell)" in out
    assert "  + person_id=lin-wu-2" in out
    assert "  - milestone_id=2023-09-03-first-grain-train-eastern-china" in out
    assert f"  ~ trade_id=seed-shandong-h1-2023: notes: '{history['old_value']}' -> '{NEW_NOTE}'" in out
    assert "unchanged: sources" in out


def test_composite_keys_and_new_fields(tmp_path):
    a = copy_package(tmp_path / "a")
    b = copy_package(tmp_path / "b")
    path = b / "datasets" / "meeting_participants.csv"
    from release_helpers import read_rows, write_rows

    header, rows = read_rows(path)
    role = header.index("role")
    first = rows[0]
    first[role] = "A different role"
    write_rows(path, header, rows)
    out = json.loads(kzcn("diff", a, b, "--format", "json").stdout)
    table = next(t for t in out["tables"] if t["name"] == "meeting_participants")
    assert table["changed"][0]["key"] == {"meeting_id": first[0], "person_id": first[1]}
    assert table["changed"][0]["new"] == "A different role"


def test_bad_side_is_a_clear_usage_error(history, tmp_path):
    out = kzcn("diff", "no-such-rev", history["new_zip"], "--repo", history["repo"], check=False)
    assert out.returncode == 2
    assert "'no-such-rev' is not a zip file, a package folder or a git revision" in out.stderr
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    out = kzcn("diff", junk, history["new_zip"], check=False)
    assert out.returncode == 2 and "Traceback" not in out.stderr
