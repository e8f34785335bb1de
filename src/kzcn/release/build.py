"""`kzcn build`: the Frictionless data package a stranger can open, with the same bytes every time.

Stage shape: load inputs (descriptor, schemas, CSVs, validation report, the data's date),
process (normalise every CSV, compile datapackage.json and the README data dictionary), save
outputs (one folder swapped in whole). Nothing here reads the clock: `created` is
SOURCE_DATE_EPOCH or the time of the last commit that changed the data, so the same commit
gives the same bytes on any machine, and committing dvc.lock does not change the release.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from . import csvnorm
from . import gitread
from ..atomic import make_temp_dir, swap_into_place
from .datadict import TableEntry, render_readme
from .detzip import slow_hook
from ..errors import DataError, UsageError
from ..package.descriptor import Package, open_package

REPORT_PATH = "validation/report.json"
RESOLUTIONS_PATH = "validation/resolutions.yaml"  # shipped: the decisions behind the derived tables
LICENCE_FILE = "LICENSE-DATA.md"
# Top-level order of datapackage.json; keys the source descriptor adds come after, in its order.
DESCRIPTOR_ORDER = ("profile", "name", "title", "description", "version", "created", "homepage",
                    "keywords", "licenses", "contributors", "sources")


def default_out(package: Package) -> Path:
    return package.root / "build" / "datapackage"


def created_time(root: Path) -> str:
    """SOURCE_DATE_EPOCH if set, else when the data last changed in git; never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            seconds = int(epoch)
        except ValueError:
            raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds") from None
    else:
        seconds = gitread.last_change_time(root)
        if seconds is None:
            raise UsageError(f"{root}: cannot date the data: not a git repository with commits touching "
                             f"{', '.join(gitread.DATA_INPUTS)}; set SOURCE_DATE_EPOCH (seconds since 1970)")
    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _safe_relpath(relpath: str, where: str) -> str:
    """The path a resource gets inside the built package: the one rule of kzcn.package.paths."""
    from ..package.paths import lexical_problem

    problem = lexical_problem(relpath)
    if problem:
        raise DataError(f"{where}: resource path {relpath!r}: {problem}")
    return PurePosixPath(relpath).as_posix()


@dataclass(frozen=True)
class BuildInputs:
    package: Package
    csv_bytes: list[bytes]  # each resource's table as one CSV's bytes, in descriptor order (names may repeat)
    report: dict
    created: str
    licence: bytes | None
    resolutions: bytes | None = None


def _built_relpath(r) -> str:
    """Where the release writes a table: its (first) file's path, without a compression extension,
    as the release holds one plain CSV per table (a.csv.gz -> a.csv; [a.csv, b.csv] -> a.csv)."""
    from ..package.streams import compression_of, inner_name

    return inner_name(r.relpath, compression_of(r.relpath, r.descriptor)[0])


def load_inputs(target=None, validation_report: Path | None = None, trusted: bool = False) -> BuildInputs:
    from .metrics import read_report, run_validator

    from ..package.paths import UnsafePath, check_name, check_version, contain, read_regular

    package = open_package(target, trusted=trusted)
    if not package.version:
        raise UsageError(f"{package.descriptor_path}: no `version`; the release is named after it")
    check_version(package.version, f"{package.descriptor_path}: version")
    check_name(package.descriptor.get("name") or "kzcn-data", f"{package.descriptor_path}: package name")
    from ..package.tablebytes import csv_bytes as table_bytes

    csv_bytes = []
    for r in package.resources:
        check_name(r.name, f"{package.descriptor_path}: resource name")
        try:  # several files, compressed: one CSV's bytes; inline or Parquet: NotCsv, exit 2
            csv_bytes.append(table_bytes(r, "kzcn build"))
        except UnsafePath as exc:  # a TargetError, not an OSError: the order of these is free
            raise DataError(f"{package.descriptor_path}: {exc}") from None
    report = (read_report(validation_report) if validation_report
              else run_validator(package.descriptor_path, trusted=trusted))
    try:
        licence_path = contain(package.root, LICENCE_FILE, "licence file", trusted)
        licence = read_regular(licence_path) if licence_path.is_file() else None
    except UnsafePath as exc:
        raise DataError(str(exc)) from None
    try:
        res_path = contain(package.root, RESOLUTIONS_PATH, "resolutions file", trusted)
        resolutions = read_regular(res_path) if res_path.is_file() else None
    except UnsafePath as exc:
        raise DataError(str(exc)) from None
    return BuildInputs(package=package, csv_bytes=csv_bytes, report=report,
                       created=created_time(package.root), licence=licence, resolutions=resolutions)


def _json_bytes(data) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def process(inputs: BuildInputs) -> dict[str, bytes]:
    """Every file of the package as {relative path: bytes}."""
    package = inputs.package
    files: dict[str, bytes] = {}
    resources, entries = [], []
    for r, raw in zip(package.resources, inputs.csv_bytes):
        rel = _safe_relpath(_built_relpath(r), str(package.descriptor_path))
        data, nrows = csvnorm.normalise(raw, r.schema, r.relpath)
        digest = hashlib.sha256(data).hexdigest()
        files[rel] = data
        extra = {k: v for k, v in r.descriptor.items() if k not in ("name", "path", "schema", "compression")}
        resource = {"name": r.name, "profile": "tabular-data-resource", "path": rel}
        for key in ("title", "description"):
            if key in r.schema and key not in extra:
                resource[key] = r.schema[key]
        resource.update(extra)
        resource.update({"format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                         "bytes": len(data), "hash": f"sha256:{digest}", "schema": r.schema})
        resources.append(resource)
        entries.append(TableEntry(name=r.name, path=rel, schema=r.schema, rows=nrows, bytes=len(data), sha256=digest))
    from .derived import compute

    for t in compute(package, check_schema=inputs.report.get("valid") is True):
        digest = hashlib.sha256(t.data).hexdigest()
        files[t.relpath] = t.data
        resources.append({"name": t.name, "profile": "tabular-data-resource", "path": t.relpath,
                          "title": t.schema.get("title"), "description": t.schema.get("description"),
                          "derived": True, "derivedFrom": list(t.derived_from),
                          "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                          "bytes": len(t.data), "hash": f"sha256:{digest}", "schema": t.schema})
        entries.append(TableEntry(name=t.name, path=t.relpath, schema=t.schema, rows=t.rows, bytes=len(t.data),
                                  sha256=digest, derived_from=t.derived_from))

    src = dict(package.descriptor)
    src.pop("resources", None)
    src.pop("$schema", None)
    src["profile"] = "tabular-data-package"
    src["created"] = inputs.created
    descriptor = {k: src[k] for k in DESCRIPTOR_ORDER if k in src}
    descriptor.update({k: v for k, v in src.items() if k not in descriptor})
    descriptor["resources"] = resources

    files["datapackage.json"] = _json_bytes(descriptor)
    files[REPORT_PATH] = _json_bytes(inputs.report)
    if inputs.resolutions is not None:
        files[RESOLUTIONS_PATH] = inputs.resolutions
    files["README.md"] = render_readme(descriptor, entries, inputs.report, REPORT_PATH,
                                       RESOLUTIONS_PATH if inputs.resolutions is not None else None).encode("utf-8")
    if inputs.licence is not None:
        files[LICENCE_FILE] = inputs.licence
    return files


def save_outputs(files: dict[str, bytes], out: Path, inputs=()) -> None:
    """Write into a marked temporary folder beside `out`, then swap it in whole.

    `out` is replaced only if it is absent, empty or a folder kzcn made (kzcn.atomic.MARKER), and
    never holds an input; every file lands under it (paths.inside). Disk full or any OSError:
    the temporary folder goes, the previous build stays, the message names the file."""
    import shutil

    from ..atomic import mark, output_problem, ownership_problem, write_failure
    from ..package.paths import inside

    problem = output_problem(out, inputs, folder=True) or ownership_problem(out)
    if problem:
        raise UsageError(f"--out {out}: {problem}; nothing written")
    tmp = None
    try:
        tmp = make_temp_dir(out)
        mark(tmp)
        for rel in sorted(files):
            path = inside(tmp, rel)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(files[rel])
            os.chmod(path, 0o644)
            slow_hook()
        swap_into_place(tmp, out)
    except OSError as exc:
        if tmp is not None and tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        raise UsageError(write_failure(exc, out)) from None


@dataclass(frozen=True)
class BuildResult:
    out: Path
    version: str
    created: str
    tables: int
    rows: int
    report: dict
    descriptor: Path | None = None  # the source descriptor, absolute (for the summary line)


def build(target=None, out: Path | None = None, validation_report: Path | None = None,
          trusted: bool = False) -> BuildResult:
    """The one entry point: build the package for `target` (default: the package around the
    current folder), into build/datapackage beside its descriptor unless `out` says otherwise."""
    inputs = load_inputs(target, validation_report, trusted)
    files = process(inputs)
    out = Path(out) if out else default_out(inputs.package)
    from ..validate.run import input_files

    save_outputs(files, out, input_files(inputs.package))
    descriptor = json.loads(files["datapackage.json"])
    rows = sum(len(csvnorm.parse_csv(files[r["path"]], r["path"]).rows) for r in descriptor["resources"])
    return BuildResult(out=out, version=inputs.package.version, created=inputs.created,
                       tables=len(descriptor["resources"]), rows=rows, report=inputs.report,
                       descriptor=inputs.package.descriptor_path.resolve())
