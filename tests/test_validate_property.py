"""Property: whatever the bytes, `kzcn validate` answers 0, 1 or 2 with a message, never a
traceback, and never changes a file.

Inputs: arbitrary bytes as a CSV file, and arbitrary edits (insert, delete, overwrite bytes,
duplicate or drop lines, truncate) of the real curated CSVs. Most examples call the command
in-process (kzcn.cli.main, the same code the installed script runs); a few run the real
installed `kzcn` in a subprocess.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kzcn.cli import main

ROOT = Path(__file__).resolve().parents[1]
KZCN = str(Path(sys.executable).with_name("kzcn"))


def run_kzcn(*args):
    """The installed `kzcn` command in a subprocess, as a user runs it."""
    return subprocess.run([KZCN, *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "DVC_NO_ANALYTICS": "1"}, timeout=600)

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
TABLES = sorted(p.name for p in (ROOT / "datasets").glob("*.csv"))


def _hashes(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _run_in_process(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["validate", *map(str, args)])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def _check(code, out, err, fmt="text"):
    assert code in (0, 1, 2), (code, out[-500:], err[-500:])
    assert "Traceback" not in out + err
    assert "internal error" not in err, err
    if code == 2:
        assert err.strip(), "exit 2 must say why"
    elif fmt == "json":
        report = json.loads(out)
        assert report["valid"] == (code == 0 or not report["errors"])
    else:
        assert out.strip().splitlines()[-1].startswith("kzcn validate: ")


def _copy_package(dest: Path, rules: bool) -> Path:
    dest.mkdir(parents=True)
    shutil.copy2(ROOT / "datapackage.yaml", dest / "datapackage.yaml")
    folders = ("schemas", "datasets", "validation") if rules else ("schemas", "datasets")
    for folder in folders:
        shutil.copytree(ROOT / folder, dest / folder)
    return dest


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bytes")
    schema = (ROOT / "schemas" / "people.schema.yaml").read_text()
    (folder / "people.schema.yaml").write_text(schema)
    (folder / "datapackage.yaml").write_text(
        "name: bytes\nresources:\n  - {name: people, path: people.csv, schema: people.schema.yaml}\n")
    return folder


@settings(max_examples=120, **SETTINGS)
@given(st.one_of(
    st.binary(max_size=400),
    st.text(alphabet='ab,"\r\n =+-@\t;\x00é1', max_size=300).map(lambda s: s.encode("utf-8")),
    st.builds(lambda body: b"person_id,name,country_code,notes\n" + body, st.binary(max_size=300)),
))
@example(b"\n\xef\xbb\xbf")  # found by this test: pyarrow drops a BOM that opens the rows
@example(b'person_id,name,country_code,notes\n"a,"b\n')
def test_arbitrary_bytes_as_a_csv(mini, data):
    (mini / "people.csv").write_bytes(data)
    before = _hashes(mini)
    _check(*_run_in_process(mini))
    assert _hashes(mini) == before


def _edit(data: bytes, op: str, pos: float, size: int, payload: bytes) -> bytes:
    at = int(pos * len(data))
    lines = data.split(b"\n")
    k = int(pos * len(lines)) % max(len(lines), 1)
    if op == "insert":
        return data[:at] + payload + data[at:]
    if op == "delete":
        return data[:at] + data[at + size:]
    if op == "overwrite":
        return data[:at] + payload + data[at + len(payload):]
    if op == "duplicate-line":
        return b"\n".join(lines[:k + 1] + [lines[k]] + lines[k + 1:])
    if op == "drop-line":
        return b"\n".join(lines[:k] + lines[k + 1:])
    if op == "truncate":
        return data[:at]
    raise AssertionError(op)


edits = st.lists(st.tuples(
    st.sampled_from(TABLES),
    st.sampled_from(["insert", "delete", "overwrite", "duplicate-line", "drop-line", "truncate"]),
    st.floats(0, 1, allow_nan=False),
    st.integers(0, 40),
    st.one_of(st.binary(min_size=1, max_size=12), st.sampled_from([b'"', b",", b"\n", b"\r\n", b"\r", b'""', b"\xef\xbb\xbf",
                                                                 b"\xff", b"=cmd", b",,,,", "Алматы".encode("cp1251")])),
), min_size=1, max_size=3)


def _apply(folder: Path, steps) -> None:
    for table, op, pos, size, payload in steps:
        path = folder / "datasets" / table
        path.write_bytes(_edit((ROOT / "datasets" / table).read_bytes() if not path.exists() else path.read_bytes(),
                               op, pos, size, payload))


def _restore(folder: Path) -> None:
    for table in TABLES:
        shutil.copy2(ROOT / "datasets" / table, folder / "datasets" / table)


@pytest.fixture(scope="module")
def plain_copy(tmp_path_factory):
    return _copy_package(tmp_path_factory.mktemp("edits") / "pkg", rules=False)


@pytest.fixture(scope="module")
def rules_copy(tmp_path_factory):
    return _copy_package(tmp_path_factory.mktemp("edits-rules") / "pkg", rules=True)


@settings(max_examples=60, **SETTINGS)
@given(edits)
def test_arbitrary_edits_of_the_curated_csvs(plain_copy, steps):
    _restore(plain_copy)
    _apply(plain_copy, steps)
    before = _hashes(plain_copy)
    _check(*_run_in_process(plain_copy))
    assert _hashes(plain_copy) == before


@settings(max_examples=12, **SETTINGS)
@given(edits)
def test_arbitrary_edits_with_the_consistency_rules(rules_copy, steps):
    _restore(rules_copy)
    _apply(rules_copy, steps)
    before = _hashes(rules_copy)
    _check(*_run_in_process(rules_copy, "--format", "json"), fmt="json")
    assert _hashes(rules_copy) == before


@settings(max_examples=4, **SETTINGS)
@given(edits, st.sampled_from(["text", "json", "github"]))
def test_arbitrary_edits_through_the_installed_command(plain_copy, steps, fmt):
    _restore(plain_copy)
    _apply(plain_copy, steps)
    before = _hashes(plain_copy)
    r = run_kzcn("validate", plain_copy, "--format", fmt)
    _check(r.returncode, r.stdout, r.stderr, fmt)
    assert _hashes(plain_copy) == before
