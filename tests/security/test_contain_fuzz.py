"""Malformed descriptors, schemas and rules files are findings or usage errors, never crashes.

Hypothesis takes a valid package (two tables with keys, a foreign key, a dialect, missing
values, constraints, a rules file with resolutions) and replaces one value anywhere in the
descriptor, the schema file or the rules file with a value of the wrong type. Whatever it
picks, `kzcn validate` must exit 0, 1 or 2 with a message, no traceback and no "internal
error", `kzcn.validate()` must return a Report or raise a kzcn error, and no input may change.
"""
from __future__ import annotations

import contextlib
import copy
import io
import json
import tempfile
from pathlib import Path

import json_tree
import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from kzcn.cli import main
from kzcn.errors import KzcnError
from kzcn.validate.findings import Report

SCHEMA_A = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True, "unique": True, "minimum": 1}},
        {"name": "kind", "type": "string", "constraints": {"enum": ["x", "y"], "maxLength": 3}},
        {"name": "day", "type": "date", "format": "%Y-%m-%d"},
        {"name": "amount", "type": "number", "missingValues": ["", "NA"], "decimalChar": "."},
        {"name": "code", "type": "string", "constraints": {"pattern": "[A-Z]{2}"}},
        {"name": "flag", "type": "boolean", "trueValues": ["yes"], "falseValues": ["no"]},
        {"name": "tags", "type": "array"},
    ],
    "primaryKey": ["id"],
    "missingValues": ["", "NA"],
}
SCHEMA_B = {
    "fields": [{"name": "b_id", "type": "string", "constraints": {"required": True}},
               {"name": "a_id", "type": "integer"}, {"name": "year", "type": "year"}],
    "primaryKey": "b_id",
    "foreignKeys": [{"fields": "a_id", "reference": {"resource": "a", "fields": "id"}}],
}
DESCRIPTOR = {
    "name": "fuzz", "version": "1.0.0", "title": "Fuzz",
    "licenses": [{"name": "CC-BY-4.0"}],
    "resources": [
        {"name": "a", "path": "a.csv", "schema": "a.schema.json", "encoding": "utf-8", "format": "csv",
         "dialect": {"delimiter": ",", "quoteChar": "\"", "header": True, "caseSensitiveHeader": True}},
        {"name": "b", "path": "b.csv", "schema": SCHEMA_B, "bytes": 40, "hash": "sha256:00", "rows": 2},
    ],
}
RULES = {
    "resolutions": "resolutions.yaml",
    "rules": [
        {"id": "a-has-code", "kind": "conditional_required", "severity": "error", "rationale": "A code is needed.",
         "params": {"table": "a", "when": {"kind": "x"}, "require": ["code"]}},
        {"id": "b-year-order", "kind": "date_order", "severity": "warning", "rationale": "Years go forward.",
         "params": {"table": "b", "start": "year", "end": "year"}},
    ],
}
RESOLUTIONS = {"resolutions": [{"rule": "a-has-code", "table": "a", "rows": ["1"], "decision": "accept",
                                "reason": "known", "source": "s1"}]}
A_CSV = "id,kind,day,amount,code,flag,tags\n1,x,2024-01-02,1.5,KZ,yes,[]\n2,y,2024-02-03,NA,CN,no,[]\n"
B_CSV = "b_id,a_id,year\nq,1,2020\nr,2,2021\n"

WRONG = st.one_of(st.integers(-3, 10**6), st.lists(st.integers(0, 3), max_size=3),
                  st.dictionaries(st.sampled_from(["a", "fields", "name"]), st.integers(0, 2), max_size=2),
                  st.sampled_from(["", "required", "x", "../a.csv", "integer"]), st.none(), st.booleans(),
                  st.floats(allow_nan=True, allow_infinity=True))


DOCS = {"descriptor": DESCRIPTOR, "schema": SCHEMA_A, "rules": RULES, "resolutions": RESOLUTIONS}
PLACES = [(doc, p) for doc, tree in DOCS.items() for p in json_tree.paths(tree) if p]


def _replace(tree, path, value):
    tree = copy.deepcopy(tree)
    node = tree
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return tree


def _write(folder: Path, docs: dict) -> dict[str, bytes]:
    (folder / "validation").mkdir(parents=True, exist_ok=True)
    (folder / "datapackage.json").write_text(json.dumps(docs["descriptor"]))
    (folder / "a.schema.json").write_text(json.dumps(docs["schema"]))
    (folder / "validation" / "rules.yaml").write_text(yaml.safe_dump(docs["rules"]))
    (folder / "validation" / "resolutions.yaml").write_text(yaml.safe_dump(docs["resolutions"]))
    (folder / "a.csv").write_text(A_CSV)
    (folder / "b.csv").write_text(B_CSV)
    return {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _check(folder: Path, before: dict) -> None:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["validate", str(folder), "--format", "github"])
    assert code in (0, 1, 2), code
    assert "internal error" not in err.getvalue() and "Traceback" not in err.getvalue(), err.getvalue()
    import kzcn

    try:
        assert isinstance(kzcn.validate(folder), Report)
    except KzcnError as exc:
        assert str(exc)
    assert {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(place=st.sampled_from(PLACES), value=WRONG)
def test_a_wrong_type_anywhere_is_a_finding_or_a_usage_error(place, value):
    doc, path = place
    docs = {**DOCS, doc: _replace(DOCS[doc], path, value)}
    with tempfile.TemporaryDirectory(prefix="kzcn-fuzz-") as tmp:
        folder = Path(tmp)
        _check(folder, _write(folder, docs))


@pytest.mark.parametrize("doc", sorted(DOCS))
@pytest.mark.parametrize("value", [5, [1], {"a": 1}, "required", None, True])
def test_a_whole_file_of_the_wrong_type(doc, value, tmp_path):
    docs = {**DOCS, doc: value}
    _check(tmp_path, _write(tmp_path, docs))


def test_the_unmutated_package_validates(tmp_path):
    """The base the fuzzer mutates is itself readable, so a mutation is what any failure is about."""
    _write(tmp_path, DOCS)
    import kzcn

    report = kzcn.validate(tmp_path)
    assert report.stats["layers"]["rules"]["status"] == "ran"
    assert not [f for f in report.errors if f.code not in ("hash-count", "byte-count")], report.errors
