"""Deterministic generator of benchmark data packages shaped like the curated `trade_volumes`.

Why: the curated tables are small, but the validator must serve packages with millions of
rows. This writes a Frictionless data package (datapackage.json, the real Table Schemas copied
from schemas/, a `sources` and a `people` table for the foreign keys, and the real per-row
rules of validation/rules.yaml that guard trade_volumes) at any size, clean or with about 1%
of the rows broken. Every injected fault is one class the validator knows, and the finding it
must produce (line as an editor shows it, field, code) is written to `manifest.json` beside
the data, so the benchmark and tests/test_bench_faults.py can check that `kzcn validate`
finds each one, exactly where it is, and nothing else.

The one departure from the real schema: `value` gets `minimum: 0` in the copy (the curated
schema has no numeric bound, and `minimum` is a constraint class the validator must handle at
scale). The manifest records it under `schema_overlay`.

What a clean row holds is in generate_rows.py, the fault classes and how each is injected in
generate_faults.py; this module writes the package and its manifest (and re-exports
FAULT_CLASSES, which the checks and tests read from here).

Same seed, same size, same variant -> the same bytes (numpy's PCG64 stream; the manifest
carries each file's sha256 so a change shows).

    python benchmarks/generate.py --rows 10000 --faulty --out benchmarks/data/trade-10k-faulty
    python benchmarks/generate.py --all          # the six packages `make bench` uses
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

import numpy as np
import yaml

from generate_faults import FAULT_CLASSES, FAULT_RATE, PERIOD_RULE, inject_faults  # noqa: F401 (re-exported)
from generate_rows import people_rows, sources_rows, trade_rows

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
GENERATOR_VERSION = 1
SEED = 20240906
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}

TABLE = "trade_volumes"
TRADE_PATH = "datasets/trade_volumes.csv"
SOURCES_PATH = "datasets/sources.csv"
PEOPLE_PATH = "datasets/people.csv"
SCHEMAS = {"trade_volumes": "schemas/trade_volumes.schema.yaml",
           "sources": "schemas/sources.schema.yaml",
           "people": "schemas/people.schema.yaml"}

# The real rules (validation/rules.yaml) that judge one trade_volumes row on its own, restricted
# to that table. Pairwise rules (part within whole, parts add up, ...) need a curated web of
# related figures that random rows do not form; they are left out of the benchmark.
RULE_IDS = ("figure-has-value", "derived-has-derivation", "growth-has-base-period",
            "share-rank-has-reference", "figure-period-order", "figure-base-period-order",
            "growth-base-precedes-period")


# ----------------------------------------------------------------------------- CSV text

def _cell(value: str) -> str:
    """RFC 4180: quote a cell holding a delimiter, a quote or a line break; double its quotes."""
    if any(ch in value for ch in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _line(cells: list[str]) -> str:
    return ",".join(_cell(c) for c in cells) + "\n"


def _field_names(schema_path: Path) -> list[str]:
    return [f["name"] for f in yaml.safe_load(schema_path.read_text(encoding="utf-8"))["fields"]]



# ----------------------------------------------------------------------------- the package

def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    os.replace(tmp, path)


def _write_csv(path: Path, header: list[str], rows: list[list[str]], ragged: dict | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    ragged = ragged or {}
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        fh.write(_line(header))
        chunk = []
        for i, cells in enumerate(rows):
            if i in ragged:
                extra = ragged[i]
                cells = cells[:-1] if extra is None else [*cells, extra]
            chunk.append(_line(cells))
            if len(chunk) >= 50_000:
                fh.write("".join(chunk))
                chunk = []
        fh.write("".join(chunk))
    os.replace(tmp, path)


def _trade_schema_text() -> tuple[str, list[dict]]:
    """The real trade_volumes schema with the benchmark's one added constraint (value >= 0)."""
    source = ROOT / SCHEMAS["trade_volumes"]
    schema = yaml.safe_load(source.read_text(encoding="utf-8"))
    overlay = []
    for f in schema["fields"]:
        if f["name"] == "value" and "minimum" not in (f.get("constraints") or {}):
            f.setdefault("constraints", {})["minimum"] = 0
            overlay.append({"field": "value", "constraint": "minimum", "value": 0,
                            "why": "the real schema has no numeric bound; minimum is a class the benchmark checks"})
    head = (f"# Copied by benchmarks/generate.py from {SCHEMAS['trade_volumes']}"
            + (", plus `minimum: 0` on value.\n" if overlay else ".\n"))
    return head + yaml.safe_dump(schema, sort_keys=False, allow_unicode=True, width=100), overlay


def _rules_text() -> str:
    """The real per-row rules of validation/rules.yaml that guard trade_volumes, on that table alone."""
    real = yaml.safe_load((ROOT / "validation" / "rules.yaml").read_text(encoding="utf-8"))
    by_id = {r["id"]: r for r in real["rules"]}
    rules = []
    for rid in RULE_IDS:
        rule = json.loads(json.dumps(by_id[rid], default=str))
        rule["params"]["table"] = TABLE
        rules.append(rule)
    return ("# Copied by benchmarks/generate.py from validation/rules.yaml: the per-row rules that guard\n"
            "# trade_volumes, restricted to that table.\n"
            + yaml.safe_dump({"rules": rules}, sort_keys=False, allow_unicode=True, width=100))


def descriptor(name: str) -> dict:
    return {
        "name": name,
        "title": f"Benchmark package {name} (generated, shaped like kzcn-data trade_volumes)",
        "licenses": [{"name": "CC0-1.0", "path": "https://creativecommons.org/publicdomain/zero/1.0/"}],
        "resources": [
            {"name": "sources", "path": SOURCES_PATH, "schema": SCHEMAS["sources"]},
            {"name": "people", "path": PEOPLE_PATH, "schema": SCHEMAS["people"]},
            {"name": TABLE, "path": TRADE_PATH, "schema": SCHEMAS["trade_volumes"]},
        ],
    }


def generate(out: Path, rows: int, faulty: bool, seed: int = SEED) -> dict:
    """Write one package into `out` (replacing its files); return the manifest."""
    out = Path(out)
    rng = np.random.default_rng([seed, rows])  # clean and faulty of one size share their clean rows
    n_sources = max(100, min(2000, rows // 500))
    n_people = 200
    schema_text, overlay = _trade_schema_text()
    _write_atomic(out / SCHEMAS["trade_volumes"], schema_text)
    for table in ("sources", "people"):
        _write_atomic(out / SCHEMAS[table], (ROOT / SCHEMAS[table]).read_text(encoding="utf-8"))
    _write_atomic(out / "validation" / "rules.yaml", _rules_text())
    _write_atomic(out / "datapackage.json", json.dumps(descriptor(out.name), indent=2) + "\n")

    _write_csv(out / SOURCES_PATH, _field_names(ROOT / SCHEMAS["sources"]), sources_rows(n_sources, rng))
    _write_csv(out / PEOPLE_PATH, _field_names(ROOT / SCHEMAS["people"]), people_rows(n_people))
    names = _field_names(ROOT / SCHEMAS["trade_volumes"])
    data = trade_rows(rows, n_sources, n_people, rng)
    ragged, faults = inject_faults(data, names, np.random.default_rng([seed, rows, 1])) if faulty else ({}, [])
    _write_csv(out / TRADE_PATH, names, data, ragged)
    del data

    for f in faults:
        f.update(resource=TABLE, path=TRADE_PATH)
    manifest = {
        "generator": "benchmarks/generate.py",
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "rows": rows,
        "variant": "faulty" if faulty else "clean",
        "descriptor": "datapackage.json",
        "schema_overlay": overlay,
        "rules": list(RULE_IDS),
        "files": {rel: {"bytes": (out / rel).stat().st_size, "sha256": _sha256(out / rel)}
                  for rel in (TRADE_PATH, SOURCES_PATH, PEOPLE_PATH)},
        "fault_rows": len({f["row_index"] for f in faults}),
        "faults_by_class": {c: sum(1 for f in faults if f["class"] == c and f["code"] == FAULT_CLASSES[c][0])
                            for c in FAULT_CLASSES} if faulty else {},
        "expected_findings": faults,
    }
    _write_atomic(out / "manifest.json", json.dumps(manifest, indent=1) + "\n")
    return manifest


def package_name(size: str, faulty: bool) -> str:
    return f"trade-{size}-{'faulty' if faulty else 'clean'}"


def ensure(size: str, faulty: bool, root: Path = DATA) -> Path:
    """The package for (size, variant) under `root`, generated unless an up-to-date one is there."""
    out = Path(root) / package_name(size, faulty)
    manifest = out / "manifest.json"
    if manifest.is_file():
        try:
            m = json.loads(manifest.read_text(encoding="utf-8"))
            fresh = (m.get("generator_version") == GENERATOR_VERSION and m.get("seed") == SEED
                     and all((out / rel).is_file() and (out / rel).stat().st_size == meta["bytes"]
                             for rel, meta in m.get("files", {}).items()))
            if fresh:
                return out
        except (ValueError, OSError):
            pass
    generate(out, SIZES[size], faulty)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, help="number of trade_volumes rows")
    ap.add_argument("--faulty", action="store_true", help="inject about 1%% faults")
    ap.add_argument("--out", type=Path, help="package folder to write")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--all", action="store_true", help="write the six packages under benchmarks/data/")
    args = ap.parse_args(argv)
    if args.all:
        for size in SIZES:
            for faulty in (False, True):
                print(ensure(size, faulty))
        return 0
    if not args.rows or not args.out:
        ap.error("give --rows and --out, or --all")
    m = generate(args.out, args.rows, args.faulty, args.seed)
    print(f"{args.out}: {m['rows']} rows, {len(m['expected_findings'])} expected findings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
