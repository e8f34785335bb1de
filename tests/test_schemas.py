"""The Table Schemas are complete, and a field shared by several tables means the same everywhere."""
from __future__ import annotations

import subprocess
import sys
from collections import defaultdict

import pytest

from pathlib import Path

from kzcn.package.descriptor import open_package

PACKAGE = open_package(Path(__file__).resolve().parents[1])  # this checkout, wherever pytest runs
SHARED_KEYS = ("type", "format", "description", "title")


def test_every_field_has_title_description_and_type():
    for res in PACKAGE.resources:
        assert res.schema.get("title") and res.schema.get("description"), res.name
        for f in res.schema["fields"]:
            for key in ("name", "type", "title", "description"):
                assert f.get(key), f"{res.name}.{f.get('name')}: missing {key}"


def test_same_field_name_means_same_field_in_every_table():
    """PUDL's rule: a column is one concept. Only `required`/`unique` may differ (a table's decision)."""
    seen = defaultdict(list)
    for res in PACKAGE.resources:
        for f in res.schema["fields"]:
            cons = {k: v for k, v in (f.get("constraints") or {}).items() if k not in ("required", "unique")}
            seen[f["name"]].append((res.name, tuple((k, repr(f.get(k))) for k in SHARED_KEYS), repr(sorted(cons.items()))))
    clashes = {name: uses for name, uses in seen.items() if len({u[1:] for u in uses}) > 1}
    assert not clashes, "fields defined differently in different tables: " + ", ".join(
        f"{n} ({', '.join(u[0] for u in uses)})" for n, uses in clashes.items())
    assert len([n for n, uses in seen.items() if len(uses) > 1]) >= 10  # the check has something to check


def test_primary_and_foreign_keys_are_declared():
    for res in PACKAGE.resources:
        assert res.primary_key, f"{res.name} has no primary key"
        for k in res.primary_key:
            assert k in res.field_names
        if "source_id" in res.field_names and res.name != "sources":
            assert any(fk["fields"] == ["source_id"] and fk["resource"] == "sources" for fk in res.foreign_keys), res.name
    participants = PACKAGE.resource("meeting_participants")
    assert any(fk["fields"] == ["meeting_id"] and fk["resource"] == "meetings" for fk in participants.foreign_keys)


def test_real_frictionless_validator_accepts_the_package(repo_root):
    frictionless = [sys.executable.replace("python", "frictionless")]
    proc = subprocess.run([*frictionless, "validate", "--json", "datapackage.yaml"], cwd=repo_root,
                          capture_output=True, text=True)
    import json

    report = json.loads(proc.stdout)
    assert report["valid"] is True, [e.get("message") for t in report["tasks"] for e in t["errors"]][:10]
    assert proc.returncode == 0
    assert {t["name"] for t in report["tasks"]} == set(PACKAGE.table_names)
    # Frictionless really read the data, row by row (a .yml descriptor would check nothing).
    assert sum(t["stats"].get("rows", 0) for t in report["tasks"]) > 100


@pytest.mark.parametrize("name", PACKAGE.table_names)
def test_schema_file_is_yaml_with_known_types(name):
    for f in PACKAGE.resource(name).schema["fields"]:
        assert f["type"] in {"string", "integer", "number", "boolean", "date"}, f


def test_a_derived_table_shares_the_vocabulary_of_the_table_it_is_derived_from():
    """trade_series.commodity_group is trade_volumes.commodity_group: an enum value added to the
    curated table and not to the derived one fails the release build, so it fails here first."""
    import yaml

    root = Path(__file__).resolve().parents[1]
    pairs = {"trade_series": "trade_volumes", "indicator_series": "indicators"}
    compared = 0
    for derived, source in pairs.items():
        fields = {f["name"]: f for f in yaml.safe_load((root / "schemas" / f"{source}.schema.yaml").read_text())["fields"]}
        for f in yaml.safe_load((root / "schemas" / f"{derived}.schema.yaml").read_text())["fields"]:
            if f["name"] not in fields:
                continue
            ours = {k: v for k, v in (f.get("constraints") or {}).items() if k not in ("required", "unique")}
            theirs = {k: v for k, v in (fields[f["name"]].get("constraints") or {}).items()
                      if k not in ("required", "unique")}
            assert ours == theirs and f["type"] == fields[f["name"]]["type"], f"{derived}.{f['name']} vs {source}"
            compared += 1
    assert compared >= 10
