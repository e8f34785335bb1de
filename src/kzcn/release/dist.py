"""`kzcn release`: zip the built package into dist/ with its sha256 and release notes.

Stage shape: load inputs (the built package, checked file by file against its own
datapackage.json; the quality report if `kzcn report` made one; the previous release),
process (a deterministic zip, its sha256, the notes), save outputs (kzcn.release.publish: all
three as one unit, under a lock). Data with validation errors is refused: a release is a
promise that it passed. The package name and version become file names, so they are checked
(kzcn.package.paths) before anything is written.

Same inputs, same bytes: the zip holds no time, owner or machine detail (see kzcn.release.detzip),
and the notes hold no clock either. Files in the zip sit under one folder,
kzcn-data-<version>/, so unzipping never scatters files into the current folder.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from . import diff as diffmod
from . import gitread
from .detzip import files_under, write_zip
from ..errors import DataError, UsageError
from ..package.download import version_key

TAG = re.compile(r"^v(\d+\.\d+\.\d+)$")




def release_name(name: str, version: str) -> str:
    return f"{name}-{version}"


@dataclass(frozen=True)
class ReleaseInputs:
    build_dir: Path
    descriptor: dict
    files: dict[str, Path]  # archive name (below the top folder) -> file
    report: dict
    previous: diffmod.Snapshot | None


def verify_build(build_dir: Path) -> tuple[dict, dict]:
    """The built package's descriptor and validation report, after checking every data file
    against the size and sha256 that datapackage.json records for it."""
    dp = build_dir / "datapackage.json"
    if not dp.is_file():
        raise UsageError(f"{build_dir}: no built package here; run `kzcn build` first")
    try:
        descriptor = json.loads(dp.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise DataError(f"{dp}: not valid JSON ({exc}); run `kzcn build` again") from None
    from ..package.paths import UnsafePath, contain

    for res in descriptor.get("resources", []):
        try:
            path = contain(build_dir, res.get("path") if isinstance(res, dict) else None, "resource path")
        except UnsafePath as exc:
            raise DataError(f"{dp}: {exc}; run `kzcn build` again") from None
        if not path.is_file():
            raise DataError(f"{path}: missing from the build; run `kzcn build` again")
        data = path.read_bytes()
        if len(data) != res.get("bytes") or f"sha256:{hashlib.sha256(data).hexdigest()}" != res.get("hash"):
            raise DataError(f"{path}: does not match its size and sha256 in datapackage.json "
                            f"(edited after the build?); run `kzcn build` again")
    report_path = build_dir / "validation" / "report.json"
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{report_path}: no validation report in the build; run `kzcn build` again") from None
    except ValueError as exc:
        raise DataError(f"{report_path}: not valid JSON ({exc})") from None
    return descriptor, report


def refuse_invalid(report: dict, version: str, report_path: Path) -> None:
    errors = report.get("errors") or []
    if report.get("valid") is True and not errors:
        return
    first = ""
    if errors:
        e = errors[0]
        where = ":".join(str(x) for x in (e.get("path"), e.get("line")) if x is not None)
        first = f"; first: {where} {e.get('field') or ''} {e.get('code')}: {e.get('message')}".replace("  ", " ")
    raise DataError(f"refusing to release {version}: the validation report ({report_path}) lists "
                    f"{len(errors)} errors{first}. Fix the data, then run `kzcn build` (or `dvc repro`) again")


def previous_tag(repo: Path | None, version: str) -> str | None:
    """The newest release tag vX.Y.Z older than `version` in the repository, if any."""
    if repo is None:
        return None
    current = version_key(version)
    older = [(version_key(m.group(1)), t) for t in gitread.tags(repo) if (m := TAG.match(t))]
    older = [x for x in older if x[0] < current]
    return max(older)[1] if older else None


def load_inputs(build_dir: Path, extras: dict[str, Path | None], previous: str | None) -> ReleaseInputs:
    descriptor, report = verify_build(build_dir)
    version = descriptor.get("version")
    version_key(version)
    refuse_invalid(report, version, build_dir / "validation" / "report.json")
    files = files_under(build_dir)
    for prefix, folder in extras.items():
        if folder is not None and folder.is_dir():
            files.update(files_under(folder, prefix=f"{prefix}/"))
    snapshot = None
    if previous != "none":
        repo = gitread.toplevel(build_dir.resolve().parent)
        spec = previous or previous_tag(repo, version)
        if spec:
            snapshot = diffmod.load_side(spec, repo)
    return ReleaseInputs(build_dir=build_dir, descriptor=descriptor, files=files, report=report, previous=snapshot)


def zip_bytes(inputs: ReleaseInputs, top: str) -> bytes:
    buf = io.BytesIO()
    write_zip(buf, {f"{top}/{name}": path.read_bytes() for name, path in inputs.files.items()})
    return buf.getvalue()


def render_notes(inputs: ReleaseInputs, zip_name: str, data: bytes, digest: str, change: dict | None) -> str:
    d = inputs.descriptor
    lic = ", ".join(x.get("name", "") for x in d.get("licenses", []))
    out = [f"# {d.get('name')} {d.get('version')}", "",
           f"{d.get('title', '')}", "",
           f"- File: `{zip_name}` ({len(data)} bytes)",
           f"- sha256: `{digest}` (check with `sha256sum -c {zip_name}.sha256`)",
           f"- Created: {d.get('created')} (when the data last changed in git)",
           f"- Licence: {lic}", "",
           "## Tables", "", "| table | rows | bytes |", "|---|---|---|"]
    from .csvnorm import parse_csv

    for res in d.get("resources", []):
        rows = len(parse_csv((inputs.build_dir / res["path"]).read_bytes(), res["path"]).rows)
        out.append(f"| {res['name']} | {rows} | {res['bytes']} |")
    errors, warnings = inputs.report.get("errors", []), inputs.report.get("warnings", [])
    out += ["", "## Validation", "", f"{len(errors)} errors, {len(warnings)} warnings "
            f"(full report: `validation/report.json` in the zip)."]
    codes: dict[str, int] = {}
    for w in warnings:
        codes[w.get("rule") or w.get("code")] = codes.get(w.get("rule") or w.get("code"), 0) + 1
    out += [f"- {k}: {v}" for k, v in sorted(codes.items())]
    extras = sorted({name.split("/", 1)[0] for name in inputs.files} & {"report", "expectations"})
    if extras:
        out += ["", f"Also in the zip: {', '.join(f'`{e}/`' for e in extras)} (quality report from `kzcn report`)."]
    out += ["", "## Changes", ""]
    if change is None:
        out.append("No previous release to compare with (first release, or `--previous none`).")
    else:
        out.append(diffmod.render_markdown(change).rstrip("\n"))
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class ReleaseOutputs:
    zip_name: str
    files: dict[str, bytes]  # dist file name -> bytes; the zip first
    sha256: str
    descriptor: Path | None = None  # the built package's datapackage.json, absolute (for the summary)


def process(inputs: ReleaseInputs) -> ReleaseOutputs:
    from ..package.paths import check_name, check_version

    where = inputs.build_dir / "datapackage.json"
    top = release_name(check_name(inputs.descriptor.get("name") or "kzcn-data", f"{where}: package name"),
                       check_version(inputs.descriptor.get("version"), f"{where}: version"))
    zip_name = f"{top}.zip"
    data = zip_bytes(inputs, top)
    digest = hashlib.sha256(data).hexdigest()
    change = None
    if inputs.previous is not None:
        change = diffmod.diff_snapshots(inputs.previous, diffmod.from_folder(inputs.build_dir))
        change["new"]["label"] = zip_name
    notes = render_notes(inputs, zip_name, data, digest, change)
    return ReleaseOutputs(zip_name=zip_name, sha256=digest, files={
        zip_name: data,
        f"{zip_name}.sha256": f"{digest}  {zip_name}\n".encode(),
        f"{top}.notes.md": notes.encode("utf-8"),
    })


def save_outputs(outputs: ReleaseOutputs, dist: Path) -> None:
    """Publish zip, .sha256 and notes as one unit (kzcn.release.publish)."""
    from ..atomic import output_problem
    from .publish import publish

    problem = output_problem(dist, folder=True)
    if problem:
        raise UsageError(f"--dist {dist}: {problem}; nothing written")
    publish(outputs.files, dist)


def release(build_dir: Path | None = None, dist: Path | None = None, report_dir: Path | None = None,
            expectations_dir: Path | None = None, previous: str | None = None) -> tuple[Path, ReleaseOutputs]:
    """The one entry point. Defaults: build/datapackage, build/report, build/expectations, dist/
    beside the descriptor of the package around the current folder (found upward, like git;
    report and expectations only if present; "none" leaves them out); `previous` is a zip,
    folder or revision, None for the last vX.Y.Z tag older than this version, or "none".
    The package is looked for only when a default is needed, so with --build and --dist given
    the command runs anywhere."""
    from ..package.descriptor import package_root

    if not build_dir or not dist:
        root = package_root(give="--build and --dist")
        build_dir = build_dir or root / "build" / "datapackage"
        dist = dist or root / "dist"
    build_dir, dist = Path(build_dir), Path(dist)
    extras = {name: None if given == "none" else Path(given) if given else build_dir.parent / name
              for name, given in (("report", report_dir), ("expectations", expectations_dir))}
    outputs = process(load_inputs(build_dir, extras, previous))
    outputs = replace(outputs, descriptor=(build_dir / "datapackage.json").resolve())
    save_outputs(outputs, dist)
    return dist / outputs.zip_name, outputs
