"""Issue 10: a resource's file and its header are bounded before they are read.

A file over --max-file-bytes is one source-error saying its size and the flag, read no further
(here a 3 GB sparse file, which the unbounded reader would have tried to hold under a 1 GB
memory rlimit); /dev/zero costs the limit, not the machine; a 100,000-column header is refused
at the default --max-fields and, allowed, is checked in linear time (the duplicate-label scan
was quadratic: over 5 minutes for this 1.2 MB header).
"""
from __future__ import annotations

import random

from bounds_helpers import MB, codes, one_table, run_kzcn, write_descriptor


def schemaless_table(folder, csv: bytes):
    """A package of one table `t` without a schema: its fields are inferred (an empty `fields`
    list breaks the Table Schema profile, which wants at least one field)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "t.csv").write_bytes(csv)
    return write_descriptor(folder, [{"name": "t", "path": "t.csv"}])


def test_a_file_over_the_limit_is_one_finding_and_not_read(tmp_path):
    one_table(tmp_path, fields=("a",))
    with open(tmp_path / "t.csv", "wb") as fh:  # sparse: 3 GB that cost no disk
        fh.write(b"a\n")
        fh.truncate(3 << 30)
    r = run_kzcn("validate", tmp_path, "--format", "json", "--max-file-bytes", "100000000", cwd=tmp_path,
                 mem_mb=1000, timeout=120)
    assert r.returncode == 1, r.stderr
    report = r.json()
    assert codes(report) == ["source-error"]
    msg = report["errors"][0]["message"]
    assert f"file is {3 << 30:,} bytes, over the limit of 100,000,000" in msg and "--max-file-bytes" in msg
    assert r.peak_mb < 400


def test_the_default_file_limit_is_documented_and_applies(tmp_path):
    from kzcn.package.limits import Limits

    one_table(tmp_path, fields=("a",))
    with open(tmp_path / "t.csv", "wb") as fh:
        fh.write(b"a\n")
        fh.truncate(Limits().file_bytes + 1)
    r = run_kzcn("validate", tmp_path, "--format", "json", cwd=tmp_path, mem_mb=1000, timeout=120)
    assert r.returncode == 1 and "over the limit of" in r.json()["errors"][0]["message"]


def test_dev_zero_as_a_resource_costs_no_more_than_the_limit(tmp_path):
    one_table(tmp_path, fields=("a",))
    (tmp_path / "t.csv").symlink_to("/dev/zero")
    r = run_kzcn("validate", tmp_path, "--format", "json", "--max-file-bytes", "50000000", cwd=tmp_path,
                 mem_mb=1000, timeout=120)
    assert r.returncode in (1, 2), r.stderr
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr
    assert r.returncode == 1
    message = r.json()["errors"][0]["message"]  # refused before reading (a link out, a device)
    assert "leads outside the package" in message or "over the limit of 50,000,000" in message
    assert r.peak_mb < 400


def wide_header(n: int) -> bytes:
    return (",".join(f"column{i:06d}" for i in range(n)) + "\n" + ",".join("x" for _ in range(n)) + "\n").encode()


def test_a_header_over_the_field_limit_is_one_finding(tmp_path):
    schemaless_table(tmp_path, wide_header(100_000))
    assert (tmp_path / "t.csv").stat().st_size > MB
    r = run_kzcn("validate", tmp_path, "--format", "json", cwd=tmp_path, mem_mb=1000, timeout=120)
    assert r.returncode == 1, r.stderr
    report = r.json()
    assert codes(report) == ["source-error"]
    assert "the header has 100,000 fields, over the limit of 10,000" in report["errors"][0]["message"]
    assert "--max-fields" in report["errors"][0]["message"]


def test_a_quoted_delimiter_is_not_counted_as_a_field(tmp_path):
    header = '"' + ",".join("x" * 3 for _ in range(50)) + '",b\n'
    schemaless_table(tmp_path, (header + "1,2\n").encode())
    r = run_kzcn("validate", tmp_path, "--format", "json", "--max-fields", "10", cwd=tmp_path, timeout=120)
    assert "over the limit" not in r.stdout, r.stdout


def test_many_duplicate_labels_in_linear_time_same_findings(tmp_path):
    """20,000 labels, half of them repeats: the same findings, in the same order, as the
    quadratic scan gave, well within the containment timeout."""
    rng = random.Random(10)
    labels = [f"c{rng.randrange(10_000)}" for _ in range(20_000)]
    csv = (",".join(labels) + "\n" + ",".join("x" for _ in labels) + "\n").encode()
    schemaless_table(tmp_path, csv)
    r = run_kzcn("validate", tmp_path, "--format", "json", "--max-fields", "30000",
                 "--max-findings-per-code", "100000", cwd=tmp_path, mem_mb=2000, timeout=300)
    dups = [e["message"] for e in r.json()["errors"] if e["code"] == "duplicate-label"]
    expected = {}
    for pos, label in enumerate(labels, start=1):
        first = labels.index(label) + 1
        if first < pos:
            expected[pos] = first
    assert len(expected) > 5_000
    got = {}
    for msg in dups:  # "the label 'c1' in column 9 repeats the label of column 3"
        words = msg.split()
        got[int(words[words.index("column") + 1])] = int(words[-1])
    assert got == expected


def test_header_check_matches_the_quadratic_definition():
    from kzcn.validate.schema.header import check_header

    rng = random.Random(3)
    for _ in range(50):
        labels = [rng.choice(["a", "b", " a", "c", "", "d "]) for _ in range(rng.randrange(1, 12))]
        got = [(f.code, f.field_number, f.message) for f in
               check_header(labels, [], {}, len(labels), {}, declared=False).findings]
        stripped = [lab.strip() for lab in labels]
        want = []
        for pos, lab in enumerate(stripped, start=1):
            if not lab:
                want.append(("blank-label", pos))
            elif lab in stripped[:pos - 1]:
                want.append(("duplicate-label", pos))
        assert [(c, n) for c, n, _ in got] == want, labels
        for (code, pos, msg) in got:
            if code == "duplicate-label":
                assert msg.endswith(f"repeats the label of column {stripped.index(stripped[pos - 1]) + 1}")
