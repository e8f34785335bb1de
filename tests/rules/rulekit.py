"""Build small packages for rule tests: real schemas, a few rows, one rules file.

Rows are dicts of the cells that matter; every other field of the table's real schema is
written blank (or a table default below), so fixtures stay readable and follow the schema.
"""
from __future__ import annotations

import copy
import csv
from pathlib import Path

import yaml

from kzcn.package.load import read_raw, typed_frame
from kzcn.package.descriptor import open_package

ROOT = Path(__file__).resolve().parents[2]

DEFAULTS = {
    "trade_volumes": dict(reporter_basis="kz_statistics", reporter_scope="KZ", partner_scope="CN", flow="turnover",
                          commodity_group="all_goods", period_start="2023-01-01", period_end="2023-12-31",
                          measure="value", scale="billion", unit="USD", qualifier="exact", estimate="reported",
                          derived="false", source_id="src-a", source_span="x"),
    "indicators": dict(topic="logistics", indicator="transit_cargo", subject="x", measure="value", scale="million",
                       unit="tonnes", qualifier="exact", estimate="reported", derived="false", source_id="src-a",
                       source_span="x"),
    "project_portfolios": dict(programme="industrial-investment-cooperation", item_kind="projects", status="total",
                               statement_date="2023-09-04", source_id="src-a", source_span="x"),
    "sources": dict(title="t", publisher="p", published="2023-09-01", published_precision="day", language="en",
                    kind="news"),
    "meetings": dict(summary="s", meeting_kind="bilateral_meeting", level="national", date="2023-09-04",
                     date_precision="day", date_qualifier="exact", source_id="src-a", source_span="x"),
    "meeting_participants": dict(side="KZ", role="r", participation="principal", source_id="src-a"),
    "people": dict(country_code="KZ"),
    "milestones": dict(milestone_kind="other", summary="s", date="2023-09-03", date_precision="day",
                       date_qualifier="exact", source_id="src-a", source_span="x"),
    "targets": dict(metric="kz_cn_trade_turnover", subject="s", scale="billion", unit="USD", qualifier="exact",
                    stated_date="2023-09-04", source_id="src-a", source_span="x"),
    "projects": dict(project_name="n", sector="energy", project_status="planned", source_id="src-a", source_span="x"),
}
KEYS = {"trade_volumes": "trade_id", "indicators": "indicator_id", "project_portfolios": "portfolio_id",
        "sources": "source_id", "meetings": "meeting_id", "people": "person_id", "milestones": "milestone_id",
        "targets": "target_id", "projects": "project_id"}


def real_schema(table: str) -> dict:
    return yaml.safe_load((ROOT / "schemas" / f"{table}.schema.yaml").read_text(encoding="utf-8"))


class Built:
    """A package on disk plus what run_rules needs."""

    def __init__(self, root: Path):
        self.root = root
        self.package = open_package(root)
        self.frames = {}
        for r in self.package.resources:
            frame = typed_frame(r, read_raw(r))
            frame.index = frame.index + 2
            self.frames[r.name] = frame
        self.rules_path = root / "validation" / "rules.yaml"

    def run(self):
        from kzcn.validate.rules import run_rules

        return run_rules(self.package, self.frames, self.rules_path)


def build(root: Path, tables: dict[str, list[dict]], rules: list[dict] | str, resolutions: list[dict] | None = None,
          schemas: dict[str, dict] | None = None) -> Built:
    """Write a package with these tables (rows: dicts; a row id may be given as 'id') and rules."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "datasets").mkdir(exist_ok=True)
    (root / "schemas").mkdir(exist_ok=True)
    (root / "validation").mkdir(exist_ok=True)
    resources = []
    for table, rows in tables.items():
        schema = copy.deepcopy((schemas or {}).get(table) or real_schema(table))
        names = [f["name"] for f in schema["fields"]]
        with open(root / "datasets" / f"{table}.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(names)
            for row in rows:
                row = dict(row)
                if "id" in row:
                    row[KEYS[table]] = row.pop("id")
                cells = {**DEFAULTS.get(table, {}), **row}
                unknown = set(cells) - set(names)
                assert not unknown, f"fixture names fields {unknown} that {table} lacks"
                w.writerow([cells.get(n, "") for n in names])
        (root / "schemas" / f"{table}.schema.yaml").write_text(yaml.safe_dump(schema, sort_keys=False), encoding="utf-8")
        resources.append({"name": table, "path": f"datasets/{table}.csv", "schema": f"schemas/{table}.schema.yaml"})
    (root / "datapackage.yaml").write_text(yaml.safe_dump({"name": "fixture", "resources": resources}, sort_keys=False),
                                           encoding="utf-8")
    if isinstance(rules, str):
        text = rules
    else:
        doc = {"rules": rules}
        if resolutions is not None:
            doc["resolutions"] = "resolutions.yaml"
        text = yaml.safe_dump(doc, sort_keys=False)
    (root / "validation" / "rules.yaml").write_text(text, encoding="utf-8")
    if resolutions is not None:
        (root / "validation" / "resolutions.yaml").write_text(
            yaml.safe_dump({"resolutions": resolutions}, sort_keys=False), encoding="utf-8")
    return Built(root)


def rule(rid: str, kind: str, params: dict, severity: str = "error") -> dict:
    return {"id": rid, "kind": kind, "params": params, "severity": severity, "rationale": f"test rule {rid}"}


def maker(tmp_path):
    """make(tables, rules, resolutions=None, schemas=None) -> Built; a fresh folder per call."""
    counter = {"n": 0}

    def _make(tables, rules, resolutions=None, schemas=None):
        counter["n"] += 1
        return build(tmp_path / f"pkg{counter['n']}", tables, rules, resolutions, schemas)

    return _make


def only(findings, code=None):
    """The findings of one code (default: all but rule-not-applicable)."""
    return [f for f in findings if (f.code == code if code else f.code != "rule-not-applicable")]


def one(findings, code="r"):
    """The single finding of a rule (code "r" in the fixtures), asserted to be alone."""
    got = only(findings, code)
    assert len(got) == 1, [f.message for f in findings]
    return got[0]


def repo_rule(rid: str) -> dict:
    """A rule of the repository's validation/rules.yaml as a fixture rule named "r"."""
    from kzcn.validate.rules.config import load_rules

    r = next(r for r in load_rules(ROOT / "validation" / "rules.yaml").rules if r.id == rid)
    return {"id": "r", "kind": r.kind, "params": r.params, "severity": r.severity, "rationale": r.rationale}
