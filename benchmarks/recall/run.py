"""`make recall`: seed mutations into a copy of the package, validate each, count what the rules catch.

Why in-process on one copy: a mutation changes one CSV, so the copy keeps its other files and only
that CSV is rewritten (and restored) per mutation; `kzcn.validate(copy)` then reads the new bytes
(the package reader caches the descriptor by path and mtime, the tables are read on every call).
A mutation is caught when the mutated report has an error or warning, keyed by (code, resource,
line, field), that the curated report does not have; "at the row" when one of them points at the
mutated row's line in the mutated table. Identical mutations are validated once.

    PYTHONPATH=benchmarks .venv/bin/python -m recall.run [--seed 20261201] [--per-cell 50]
"""
from __future__ import annotations

import argparse
import calendar
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

from .csvcells import read_table
from .matrix import FIGURE_TABLES, build
from .model import TableModel
from . import families

ROOT = Path(__file__).resolve().parents[2]
SEED = 20261201
PER_CELL = 50
COPY = ("datapackage.yaml", "datasets", "schemas", "validation")


def _published(root: Path, resources: dict) -> dict:
    """source id -> the last day its publication date (with its precision) allows."""
    if "sources" not in resources:
        return {}
    path, schema = resources["sources"]
    table = read_table("sources", path.read_text(encoding="utf-8"))
    pk = schema.get("primaryKey")
    date = next((f["name"] for f in schema["fields"] if f.get("type") == "date"), None)
    prec = next((f["name"] for f in schema["fields"] if f["name"].endswith("precision")), None)
    out = {}
    for r in table.rows:
        d = r.get(date or "")
        if not d:
            continue
        p = r.get(prec or "", "day")
        if p == "year":
            d = d[:4] + "-12-31"
        elif p == "month":
            y, mth = int(d[:4]), int(d[5:7])
            d = f"{d[:7]}-{calendar.monthrange(y, mth)[1]:02d}"
        out[r[pk]] = d
    return out


def load(root: Path):
    """Tables, models and the shared context of the package at root."""
    descriptor = yaml.safe_load((root / "datapackage.yaml").read_text(encoding="utf-8"))
    resources = {}
    for res in descriptor["resources"]:
        schema = yaml.safe_load((root / res["schema"]).read_text(encoding="utf-8"))
        resources[res["name"]] = (root / res["path"], schema)
    ctx = {"published": _published(root, resources), "publication_fields": {}}
    tables, models = {}, {}
    for name in FIGURE_TABLES:
        if name not in resources:
            continue
        path, schema = resources[name]
        tables[name] = read_table(name, path.read_text(encoding="utf-8"))
        models[name] = m = TableModel(name, schema, tables[name].rows)
        ctx["publication_fields"][name] = families.publication_dates(m, m.rows, ctx) if m.source_fk else []
    return descriptor, resources, tables, models, ctx


def _keys(report) -> set:
    return {(f.code, f.resource, f.line, f.field) for f in report.findings if f.severity in ("error", "warning")}


def _copy_package(root: Path, tmp: str) -> Path:
    copy = Path(tmp) / "package"
    copy.mkdir()
    for name in COPY:
        src = root / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, copy / name)
    return copy


_WORKER: dict = {}


def _worker_start(root: str) -> None:
    """A pool worker's own copy of the package (workers never share files)."""
    import kzcn

    tmp = tempfile.mkdtemp(prefix="kzcn-recall-")
    _WORKER["copy"] = copy = _copy_package(Path(root), tmp)
    _WORKER["base"] = _keys(kzcn.validate(str(copy)))


def _validate_edit(job) -> set:
    """Findings the edited table adds to the curated report (the copy is restored afterwards)."""
    import kzcn

    rel, text, original = job
    copy, base = _WORKER["copy"], _WORKER["base"]
    target = copy / rel
    target.write_bytes(text.encode("utf-8"))
    try:
        return _keys(kzcn.validate(str(copy))) - base
    finally:
        target.write_bytes(original.encode("utf-8"))


def measure(root: Path = ROOT, seed: int = SEED, per_cell: int = PER_CELL, progress=None,
            jobs: int = 1) -> dict:
    """Draw the cells' mutations, validate each distinct mutated package once, in `jobs` processes.

    Why processes: each validation is pure CPU in one interpreter; the mutated packages are
    independent, so N workers (each with its own copy) divide the wall time by about N. The
    result does not depend on `jobs`: the draws happen before, in this process, from the seed.
    """
    import kzcn

    t0 = time.time()
    root = Path(root).resolve()
    descriptor, resources, tables, models, ctx = load(root)
    cells = build(models, ctx, seed, per_cell)
    with tempfile.TemporaryDirectory(prefix="kzcn-recall-") as tmp:
        copy = _copy_package(root, tmp)
        baseline = kzcn.validate(str(copy))
        _WORKER.update(copy=copy, base=_keys(baseline))
        pending: dict = {}
        digests: dict = {}  # id(mutation) -> its package's digest
        for cell in cells:
            for mut in cell.mutations:
                table = tables[mut.table]
                text = table.edit({mut.row: dict(mut.changes)})
                digest = (mut.table, hashlib.sha1(text.encode("utf-8")).hexdigest())
                rel = Path(resources[mut.table][0]).relative_to(root)
                pending.setdefault(digest, (rel, text, table.text))
                digests[id(mut)] = digest
        keys = list(pending)
        if jobs > 1 and len(keys) > 1:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(jobs, initializer=_worker_start, initargs=(str(root),)) as pool:
                found = []
                for k, new in enumerate(pool.map(_validate_edit, (pending[d] for d in keys), chunksize=4)):
                    found.append(new)
                    if progress and (k + 1) % 50 == 0:
                        progress(f"[{k + 1}/{len(keys)}] mutated packages validated")
        else:
            found = []
            for k, d in enumerate(keys):
                found.append(_validate_edit(pending[d]))
                if progress and (k + 1) % 50 == 0:
                    progress(f"[{k + 1}/{len(keys)}] mutated packages validated")
        seen = dict(zip(keys, found))
        for cell in cells:
            cell.results = []
            for mut in cell.mutations:
                new = seen[digests[id(mut)]]
                line = tables[mut.table].lines[mut.row]
                at_row = any(res == mut.table and ln == line for _, res, ln, _ in new)
                cell.results.append((mut, bool(new), at_row, sorted({c for c, *_ in new})))
    return {"seed": seed, "per_cell": per_cell, "cells": cells, "baseline": baseline.findings,
            "seconds": time.time() - t0, "validations": len(seen), "root": str(root),
            "lines": {name: t.lines for name, t in tables.items()}}


def summary(result: dict) -> dict:
    """Per cell: (caught, n) or the reason it does not apply; per class: (caught, n)."""
    cells, classes = {}, {}
    for cell in result["cells"]:
        if cell.why:
            cells[(cell.family, cell.table)] = cell.why
            continue
        res = cell.results
        cells[(cell.family, cell.table)] = (sum(c for _, c, _, _ in res), len(res), sum(a for _, _, a, _ in res))
        for mut, caught, _, _ in res:
            got, n = classes.get(mut.cls, (0, 0))
            classes[mut.cls] = (got + caught, n + 1)
    return {"cells": cells, "classes": classes}


def recall_of(entry) -> float | None:
    return None if isinstance(entry, str) else entry[0] / entry[1]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--per-cell", type=int, default=PER_CELL)
    ap.add_argument("--root", type=Path, default=ROOT)
    ap.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "RECALL.md")
    ap.add_argument("--json", type=Path, help="also write every mutation and what caught it")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="processes validating mutated packages (default: one per core)")
    args = ap.parse_args(argv)
    from .report import render

    result = measure(args.root, args.seed, args.per_cell, progress=lambda s: print(s, file=sys.stderr),
                     jobs=args.jobs)
    command = f"make recall  (PYTHONPATH=benchmarks .venv/bin/python -m recall.run --seed {args.seed} --per-cell {args.per_cell})"
    args.output.write_text(render(result, command), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps([
            {"family": c.family, "table": c.table, "why": c.why, "mutations": [
                {"class": m.cls, "line": result["lines"][m.table][m.row], "about": m.about,
                 "changes": dict(m.changes), "caught": got, "at_row": at, "codes": codes}
                for m, got, at, codes in getattr(c, "results", [])]}
            for c in result["cells"]], ensure_ascii=False, indent=1), encoding="utf-8")
    s = summary(result)
    print(f"wrote {args.output} in {result['seconds']:.0f} s ({result['validations']} validations)")
    for (fam_, table), entry in s["cells"].items():
        if not isinstance(entry, str):
            print(f"  {fam_:26} {table:19} {entry[0]:3}/{entry[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
