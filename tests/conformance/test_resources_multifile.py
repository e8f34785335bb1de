"""Multi-file resources (`path: [a.csv, b.csv, ...]`): kzcn beside the real frictionless.

The spec reads the files as one table whose header row is in the first file only. The installed
frictionless (5.21) instead drops the first line of every later file as if it were a header,
without counting it: a file written as the spec says loses its first row, which is never
checked (an error there passes), and every later rowNumber is one lower than the row's place in
the table. We follow the spec. So in every case below kzcn's findings are frictionless's with
each later file's rows moved down one row per earlier file (`shift_rows`), plus the findings
in each later file's first row, which frictionless never reads. A later file that starts with the
header row gets our `repeated-header` warning (frictionless drops that row silently). Other
differences, each with who is right, are named in their tests. Lines are per file: each finding names its own file.
"""
from __future__ import annotations

import hashlib

from resource_cases import located, ours, shift_rows, theirs, write

SCHEMA = {"fields": [{"name": "id", "type": "integer", "constraints": {"required": True}},
                     {"name": "name", "type": "string"}], "primaryKey": ["id"]}
A = b"id,name\n1,x\n2,y\n"  # header (row 1) and two rows: the next file starts at row 4


def _table(paths, **more):
    return [{"name": "t", "path": paths, "schema": SCHEMA, **more}]


def test_errors_in_the_second_file_make_the_package_invalid(tmp_path):
    # the bug this fixes: only the first file was read, so this package was VALID
    pkg = write(tmp_path, _table(["a.csv", "b.csv"]), {"a.csv": A, "b.csv": b"bar,z\n3,w\nfoo,v\n1,dup\n"})
    valid, got, report = ours(pkg)
    fl_valid, fl = theirs(pkg)
    assert valid is False and fl_valid is False
    # frictionless never reads "bar,z" (b.csv's first row): its type-error and blank key are ours alone
    assert got == sorted(shift_rows(fl, after=3, by=1) + [("t", "type-error", 4, 1), ("t", "primary-key", 4, None)])
    assert located(report) == [
        ("primary-key", "b.csv", 1, "id"), ("primary-key", "b.csv", 3, "id"), ("primary-key", "b.csv", 4, "id"),
        ("type-error", "b.csv", 1, "id"), ("type-error", "b.csv", 3, "id")]
    dup = next(f for f in report.findings if f.code == "primary-key" and f.line == 4)
    assert "line 2 of a.csv" in dup.message  # the earlier row is in the other file, and says so


def test_errors_in_the_first_file_only_agree_exactly(tmp_path):
    pkg = write(tmp_path, _table(["a.csv", "b.csv"]), {"a.csv": b"id,name\n1,x\nfoo,y\n", "b.csv": b"3,z\n4,w\n"})
    valid, got, report = ours(pkg)
    assert (valid, got) == theirs(pkg)
    assert valid is False and {f.path for f in report.findings} == {"a.csv"}


def test_a_header_repeated_in_a_later_file_is_a_data_row(tmp_path):
    # frictionless's form (every file with a header) is not the spec's: the repeated header is
    # row 4 of the table, and "id" is not an integer. frictionless drops it silently.
    pkg = write(tmp_path, _table(["a.csv", "b.csv"]), {"a.csv": A, "b.csv": b"id,name\n3,z\nfoo,w\n"})
    valid, got, report = ours(pkg)
    fl_valid, fl = theirs(pkg)
    assert valid is False and fl_valid is False
    ours_only = [("t", "type-error", 4, 1), ("t", "primary-key", 4, None), ("t", "repeated-header", 4, None)]
    assert got == sorted(shift_rows(fl, after=3, by=1) + ours_only, key=lambda t: tuple(-1 if x is None else x for x in t))
    assert {("type-error", "b.csv", 1, "id"), ("repeated-header", "b.csv", 1, None)} <= set(located(report))
    warning = next(f for f in report.warnings if f.code == "repeated-header")
    assert "repeats the header of a.csv" in warning.message


def test_a_repeated_header_is_named_even_where_every_field_is_text(tmp_path):
    # with text fields the row would pass as data unnoticed: the warning is what tells
    text = {"fields": [{"name": "id", "type": "string"}, {"name": "name", "type": "string"}]}
    pkg = write(tmp_path, [{"name": "t", "path": ["a.csv", "b.csv"], "schema": text}],
                {"a.csv": A, "b.csv": b"id,name\n3,z\n"})
    valid, got, report = ours(pkg)
    assert valid is True and [c for _, c, _, _ in got] == ["repeated-header"]
    assert theirs(pkg) == (True, [])  # frictionless drops the row silently
    clean = write(tmp_path / "clean", [{"name": "t", "path": ["a.csv", "b.csv"], "schema": text}],
                  {"a.csv": A, "b.csv": b"3,z\nid,name\n"})  # the header's words later in a file are data
    assert ours(clean)[:2] == (True, [])


def test_three_files_number_lines_per_file_and_rows_straight_through(tmp_path):
    files = {"a.csv": A, "b.csv": b"3,z\n4,w\n", "c.csv": b"5,v\n6\n7,u,extra\n\n1,dup\n"}
    pkg = write(tmp_path, _table(["a.csv", "b.csv", "c.csv"]), files)
    valid, got, report = ours(pkg)
    fl_valid, fl = theirs(pkg)
    assert valid is False and fl_valid is False
    # frictionless drops "3,z" (row 4 here) and "5,v" (row 6 here): rows after each move down one
    expected = shift_rows(shift_rows(fl, after=3, by=1), after=5, by=1)
    assert got == expected  # both dropped rows are clean, so nothing else differs
    assert located(report) == [("blank-row", "c.csv", 4, None), ("extra-cell", "c.csv", 3, ""),
                               ("missing-cell", "c.csv", 2, "name"), ("primary-key", "c.csv", 4, "id"),
                               ("primary-key", "c.csv", 5, "id")]
    assert sorted(f.row for f in report.findings if f.code == "primary-key") == [9, 10]  # the blank row's key too


def test_keys_span_every_file_in_both_directions(tmp_path):
    resources = _table(["a.csv", "b.csv"]) + [{
        "name": "u", "path": "u.csv",
        "schema": {"fields": [{"name": "tid", "type": "integer"}],
                   "foreignKeys": [{"fields": "tid", "reference": {"resource": "t", "fields": "id"}}]}}]
    resources[0]["schema"] = {**SCHEMA, "foreignKeys": [
        {"fields": "name", "reference": {"resource": "names", "fields": "name"}}]}
    resources.append({"name": "names", "path": "names.csv", "schema": {"fields": [{"name": "name", "type": "string"}]}})
    files = {"a.csv": A, "b.csv": b"5,x\n3,z\n1,y\n", "u.csv": b"tid\n3\n9\n", "names.csv": b"name\nx\ny\n"}
    pkg = write(tmp_path, resources, files)
    valid, got, report = ours(pkg)
    fl_valid, fl = theirs(pkg)
    assert valid is False and fl_valid is False
    assert got == shift_rows(fl, after=3, by=1)  # b.csv's first row, dropped by frictionless, is clean
    # u.tid 3 is found in b.csv, 9 nowhere; t.name z (b.csv line 2) is no name; id 1 repeats a.csv's
    assert located(report) == [("foreign-key", "b.csv", 2, "name"), ("foreign-key", "u.csv", 3, "tid"),
                               ("primary-key", "b.csv", 3, "id")]


def test_a_file_without_a_final_line_break_ends_its_row(tmp_path):
    # frictionless joins the bytes: "2,y" + "3,z" becomes one row "2,y3,z" with an extra cell.
    # A file's last line is a row whether or not a line break follows it (RFC 4180), so the
    # table is a's rows then b's: VALID. frictionless is wrong here.
    pkg = write(tmp_path, _table(["a.csv", "b.csv"]), {"a.csv": b"id,name\n1,x\n2,y", "b.csv": b"3,z\n4,w\n"})
    valid, got, _ = ours(pkg)
    fl_valid, fl = theirs(pkg)
    assert (valid, got) == (True, [])
    assert fl_valid is False and [c for _, c, _, _ in fl] == ["extra-cell"]


def test_bytes_and_hash_describe_the_files_as_stored(tmp_path):
    # `bytes` and `hash` are of the files as they are, concatenated. frictionless counts the
    # stream after dropping each later file's first line, a size no file has: it is wrong here.
    b = b"3,z\n4,w\n"
    pkg = write(tmp_path, _table(["a.csv", "b.csv"], bytes=len(A + b), hash="sha256:" + hashlib.sha256(A + b).hexdigest()),
                {"a.csv": A, "b.csv": b})
    valid, got, _ = ours(pkg)
    fl_valid, fl = theirs(pkg)
    assert (valid, got) == (True, [])
    assert fl_valid is False and sorted(c for _, c, _, _ in fl) == ["byte-count", "hash-count"]
    wrong = write(tmp_path / "wrong", _table(["a.csv", "b.csv"], bytes=len(A), hash="sha256:" + hashlib.sha256(A).hexdigest()),
                  {"a.csv": A, "b.csv": b})
    valid, got, _ = ours(wrong)
    assert valid is False and got == theirs(wrong)[1]  # both report both when the declaration is wrong


def test_a_missing_later_file_is_named(tmp_path):
    pkg = write(tmp_path, _table(["a.csv", "gone.csv"]), {"a.csv": A})
    valid, got, report = ours(pkg)
    fl_valid, fl = theirs(pkg)
    assert valid is False and fl_valid is False
    assert [c for _, c, _, _ in got] == ["scheme-error"] == [c for _, c, _, _ in fl]
    assert "gone.csv: file not found" in report.findings[0].message
