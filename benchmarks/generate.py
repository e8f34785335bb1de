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

Same seed, same size, same variant -> the same bytes (numpy's PCG64 stream; the manifest
carries each file's sha256 so a change shows).

    python benchmarks/generate.py --rows 10000 --faulty --out benchmarks/data/trade-10k-faulty
    python benchmarks/generate.py --all          # the six packages `make bench` uses
"""
from __future__ import annotations

import argparse
import calendar
import hashlib
import json
import os
import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
GENERATOR_VERSION = 1
SEED = 20240906
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
FAULT_RATE = 0.01

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
PERIOD_RULE = "figure-period-order"

# fault class -> (expected code, field); the order is the order of their share of the faults.
FAULT_CLASSES = {
    "type-number": ("type-error", "value"),
    "type-boolean": ("type-error", "derived"),
    "bad-date": ("type-error", "period_start"),
    "enum": ("constraint-error", "flow"),
    "minimum": ("constraint-error", "value"),
    "pattern": ("constraint-error", "partner_scope"),
    "required-blank": ("constraint-error", "qualifier"),
    "duplicate-key": ("primary-key", "trade_id"),  # + unique-error on the same cell (see below)
    "foreign-key": ("foreign-key", "source_id"),
    "period-order": (PERIOD_RULE, "period_end"),
    "missing-cell": ("missing-cell", "notes"),
    "extra-cell": ("extra-cell", ""),  # a cell beyond the header has no field (frictionless's fieldName "")
    "formula-cell": ("formula-cell", "source_span"),
}

BASES = ["kz_statistics", "cn_customs", "third_party", "unspecified"]
PROVINCES = ["SD", "XJ", "BJ", "SH", "GD", "JS", "ZJ", "HA", "SC", "HE", "LN", "SN"]
FLOWS = ["turnover", "export", "import"]
GROUPS = ["all_goods", "agricultural", "grain", "non_commodity"]
QUALIFIERS = ["exact", "approximately", "more_than", "at_least", "less_than", "up_to"]
SHARE_REFS = ["kz_cn_trade", "kz_total_trade", "kz_total_exports", "kz_total_imports", "ca_cn_trade"]
VALUE_UNITS = ["USD", "USD", "USD", "CNY", "tonnes", "TEU"]
VALUE_SCALES = ["thousand", "million", "million", "billion"]
LANGS = ["en", "ru", "kk", "zh"]
KINDS = ["news", "official", "statistics", "dataset", "reference", "analysis"]
PUBLISHERS = ["The Astana Times", "Kazinform", "Xinhua", "Bureau of National Statistics", "China Customs"]
NOTES = ["Period read as the calendar year.", "Figure quoted by the press service.",
         'Called the "highest ever" by the speaker.', "See also the customs release, which differs."]
BAD_NUMBERS = ["1.2.3", "twelve", "12 mln", "n/a", "5..0", "1e", "12%"]
BAD_BOOLEANS = ["yes", "no", "Y", "T", "2"]
BAD_DATES = ["2023-02-30", "2023-13-01", "2021-00-10", "01/02/2023", "2022-06-1x", "2019-04-31", "2020-06"]
BAD_FLOWS = ["exports", "Turnover", "re-export", "transit"]
BAD_SCOPES = ["CN-Shandong", "China", "KZ", "cn-sd", "CN-S"]
FORMULAS = ["=HYPERLINK(\"http://x\")", "+6% on the year", "@SUM(A1:A9)", "-5% year on year", "=1+1"]


# ----------------------------------------------------------------------------- periods

def _periods() -> list[tuple[str, str]]:
    """Every period a figure may cover: calendar years, halves, quarters and months, 2005-2024."""
    out = []
    for y in range(2005, 2025):
        out.append((f"{y}-01-01", f"{y}-12-31"))
        out.append((f"{y}-01-01", f"{y}-06-30"))
        for q in range(4):
            m = 3 * q + 1
            out.append((f"{y}-{m:02d}-01", f"{y}-{m + 2:02d}-{calendar.monthrange(y, m + 2)[1]:02d}"))
        for m in range(1, 13):
            out.append((f"{y}-{m:02d}-01", f"{y}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"))
    return out


def _year_before(d: str) -> str:
    y, rest = d.split("-", 1)
    if rest == "02-29":
        rest = "02-28"
    return f"{int(y) - 1}-{rest}"


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


# ----------------------------------------------------------------------------- tables

def sources_rows(n: int, rng) -> list[list[str]]:
    rows = []
    days = rng.integers(0, 3650, n)
    base = np.datetime64("2015-01-01")
    for i in range(n):
        sid = f"src-{i + 1:05d}"
        published = str(base + np.timedelta64(int(days[i]), "D"))
        rows.append([sid, f"Trade report {i + 1}, with figures for Kazakhstan and China",
                     PUBLISHERS[i % len(PUBLISHERS)], f"https://example.org/reports/{i + 1}",
                     published, "day", LANGS[i % len(LANGS)], KINDS[i % len(KINDS)], "",
                     f"src-{i:05d}" if i and i % 97 == 0 else "", ""])
    return rows


def people_rows(n: int) -> list[list[str]]:
    return [[f"person-{i + 1:04d}", f"Person {i + 1:04d}", "KZ" if i % 2 else "CN",
             "" if i % 5 else "Role at the time given in the source."] for i in range(n)]


def trade_rows(n: int, n_sources: int, n_people: int, rng) -> list[list[str]]:
    """n clean rows: every cell valid against the schema, every row valid against the rules."""
    periods = _periods()
    pick = rng.integers(0, 1 << 30, size=(16, n))
    measure_draw = rng.random(n)
    values = rng.integers(1, 500_000, n)
    rows = []
    for i in range(n):
        p = pick[:, i]
        start, end = periods[p[0] % len(periods)]
        md = measure_draw[i]
        base_start = base_end = reference = ""
        if md < 0.85:
            measure, unit, scale = "value", VALUE_UNITS[p[1] % len(VALUE_UNITS)], VALUE_SCALES[p[2] % len(VALUE_SCALES)]
            value = f"{values[i] / 10:.1f}"
            span = f"reached ${value} {scale}" if unit == "USD" else f"{value} {scale} {unit}"
        elif md < 0.90:
            measure, unit, scale, reference = "share", "percent", "one", SHARE_REFS[p[1] % len(SHARE_REFS)]
            value = f"{values[i] % 1000 / 10:.1f}"
            span = f"{value}% of the total"
        elif md < 0.95:
            measure, unit, scale, reference = "rank", "rank", "one", "cn_regions"
            value = str(1 + values[i] % 31)
            span = f"ranked {value} among the regions"
        else:
            measure, unit, scale = "growth", "percent", "one"
            base_start, base_end = _year_before(start), _year_before(end)
            value = f"{values[i] % 900 / 10:.1f}"
            span = f"grew by {value}%, year on year"
        derived = p[3] % 20 == 0
        rows.append([
            f"tv-{i + 1:07d}",
            BASES[p[4] % len(BASES)],
            "KZ" if p[5] % 10 else "central_asia",
            "CN" if p[6] % 10 < 7 else f"CN-{PROVINCES[p[6] % len(PROVINCES)]}",
            FLOWS[p[7] % len(FLOWS)],
            GROUPS[p[8] % len(GROUPS)],
            start, end, measure, reference, base_start, base_end, value, "", scale, unit,
            QUALIFIERS[p[9] % len(QUALIFIERS)],
            "reported" if p[10] % 10 else "forecast",
            "true" if derived else "false",
            f"tv-{1 + p[11] % max(i, 1):07d} + tv-{1 + p[12] % max(i, 1):07d}" if derived else "",
            f"person-{1 + p[13] % n_people:04d}" if p[13] % 5 == 0 else "",
            f"src-{1 + p[14] % n_sources:05d}",
            span,
            f"KC-{p[15] % 1000:03d}" if p[15] % 3 == 0 else "",
            NOTES[p[15] % len(NOTES)] if p[15] % 10 == 1 else "",
        ])
    return rows


# ----------------------------------------------------------------------------- faults

def inject_faults(rows: list[list[str]], names: list[str], rng, rate: float = FAULT_RATE) -> tuple[dict, list[dict]]:
    """Break about `rate` of the rows, one fault each, every class about equally often.

    Returns (extra: data row index -> extra trailing cell or a marker to drop the last cell,
    faults: one record per expected finding, with its data row index). Rows keep their line
    (no multi-line cells), so line = data row index + 2.
    """
    n = len(rows)
    col = {name: i for i, name in enumerate(names)}
    classes = list(FAULT_CLASSES)
    count = max(len(classes), int(round(n * rate)))
    # Row 0 is never broken: a duplicate key copies the id of an earlier clean row.
    targets = np.sort(rng.choice(np.arange(1, n), size=count, replace=False))
    kinds = [classes[k % len(classes)] for k in range(count)]
    order = rng.permutation(count)
    kinds = [kinds[k] for k in order]
    faulty = set(int(t) for t in targets)
    ragged: dict[int, str | None] = {}
    faults: list[dict] = []
    used_originals: set[int] = set()
    pick = rng.integers(0, 1 << 30, size=count)

    def record(row, cls, code, field, value, **extra):
        faults.append({"class": cls, "row_index": row, "line": row + 2, "field": field, "code": code,
                       "value": value, **extra})

    for k, (row, cls) in enumerate(zip(targets.tolist(), kinds)):
        cells = rows[row]
        code, field = FAULT_CLASSES[cls]
        r = int(pick[k])
        if cls == "type-number":
            cells[col["value"]] = BAD_NUMBERS[r % len(BAD_NUMBERS)]
        elif cls == "type-boolean":
            cells[col["derived"]] = BAD_BOOLEANS[r % len(BAD_BOOLEANS)]
            cells[col["derivation"]] = ""  # a derivation beside a non-boolean would be judged by no rule
        elif cls == "bad-date":
            cells[col["period_start"]] = BAD_DATES[r % len(BAD_DATES)]
        elif cls == "enum":
            cells[col["flow"]] = BAD_FLOWS[r % len(BAD_FLOWS)]
        elif cls == "minimum":
            cells[col["value"]] = f"-{1 + r % 9999 / 10:.1f}"
        elif cls == "pattern":
            cells[col["partner_scope"]] = BAD_SCOPES[r % len(BAD_SCOPES)]
        elif cls == "required-blank":
            cells[col["qualifier"]] = ""
        elif cls == "duplicate-key":
            # the id of an earlier row that is itself clean and not copied yet
            original = r % row
            for _ in range(row):
                if original not in faulty and original not in used_originals:
                    break
                original = (original + 1) % row
            else:
                raise ValueError("too few rows to place a duplicate key")
            used_originals.add(original)
            cells[col["trade_id"]] = rows[original][col["trade_id"]]
            record(row, cls, "unique-error", "trade_id", cells[col["trade_id"]], first_line=original + 2)
        elif cls == "foreign-key":
            cells[col["source_id"]] = f"src-missing-{r % 100000:05d}"
        elif cls == "period-order":
            # the period's end moved before its start (a growth's base period stays a year earlier)
            start = cells[col["period_start"]]
            cells[col["period_end"]] = str(np.datetime64(start) - np.timedelta64(1 + r % 40, "D"))
        elif cls == "missing-cell":
            cells[col["notes"]] = ""
            ragged[row] = None
        elif cls == "extra-cell":
            ragged[row] = f"stray-{r % 1000}"
        elif cls == "formula-cell":
            cells[col["source_span"]] = FORMULAS[r % len(FORMULAS)]
        value = cells[col[field]] if field else ragged.get(row)
        record(row, cls, code, field, value)
    faults.sort(key=lambda f: (f["line"], f["field"] or "", f["code"]))
    return ragged, faults


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
