"""`kzcn diff OLD NEW`: what changed in the data between two releases, table by table.

A side is a release zip, a package folder (a build, an unzipped release, a checkout) or a git
revision of this repository, read with `git show` (no checkout, the working tree is never
touched). Rows are matched by primary key; cells are compared as the text the CSV holds,
so a release (normalised bytes) and a revision (curated bytes) compare on equal terms.
"""
from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import csvnorm
from . import gitread
from .members import member_limit, read_file, read_member
from ..errors import TargetError, UsageError
from ..validate.formats import _plural as plural

DESCRIPTORS = ("datapackage.json", "datapackage.yaml")
MARKDOWN_LIMIT = 50  # rows listed per table and kind in release notes; `kzcn diff` lists all


@dataclass
class TableSnap:
    name: str
    fields: list[str]
    primary_key: list[str]
    rows: dict[tuple, dict[str, str]]


@dataclass
class Snapshot:
    label: str
    version: str | None
    tables: dict[str, TableSnap] = field(default_factory=dict)


def _parse_structured(data: bytes, name: str, where: str) -> dict:
    try:
        if name.endswith(".json"):
            out = json.loads(data.decode("utf-8"))
        else:
            from ..package.yamlfast import safe_load  # within the YAML budget: an archive is untrusted

            out = safe_load(data.decode("utf-8"))
    except Exception as exc:  # json and yaml raise many kinds; all mean "not parseable"
        raise TargetError(f"{where}: cannot parse {name}: {str(exc).splitlines()[0]}") from None
    if not isinstance(out, dict):
        raise TargetError(f"{where}: {name} is not a mapping")
    return out


def _table(name: str, schema: dict, data: bytes, where: str) -> TableSnap:
    parsed = csvnorm.parse_csv(data, where)
    header = parsed.header
    pk = schema.get("primaryKey") or []
    pk = [pk] if isinstance(pk, str) else list(pk)
    key_fields = pk if pk and all(k in header for k in pk) else list(header)
    rows: dict[tuple, dict[str, str]] = {}
    for raw in parsed.rows:
        row = {h: (raw[i] if i < len(raw) else "") for i, h in enumerate(header)}
        key = tuple(row[k] for k in key_fields)
        n = 1
        while key in rows:  # a duplicate key (invalid data): keep both, numbered
            n += 1
            key = tuple(row[k] for k in key_fields) + (f"#{n}",)
        rows[key] = row
    return TableSnap(name=name, fields=list(header), primary_key=key_fields, rows=rows)


def snapshot_from_reader(label: str, read, where: str) -> Snapshot:
    """Build a snapshot from `read(relpath) -> bytes | None` over a package's files."""
    for name in DESCRIPTORS:
        data = read(name)
        if data is not None:
            descriptor = _parse_structured(data, name, where)
            break
    else:
        raise TargetError(f"{where}: no datapackage.json or datapackage.yaml")
    snap = Snapshot(label=label, version=descriptor.get("version"))
    for res in descriptor.get("resources") or []:
        if isinstance(res, dict) and res.get("derived") is True:
            continue  # trade_series & co. follow from the curated tables; a diff is about those
        rname, rel, schema = res.get("name"), res.get("path"), res.get("schema") or {}
        if isinstance(schema, str):
            sdata = read(schema)
            if sdata is None:
                raise TargetError(f"{where}: schema {schema} of table {rname} not found")
            schema = _parse_structured(sdata, schema, where)
        data = read(rel) if isinstance(rel, str) else None
        if data is None:
            raise TargetError(f"{where}: {rel} (table {rname}) not found")
        snap.tables[rname] = _table(rname, schema, data, f"{where}:{rel}")
    return snap


def _safe(rel: str) -> bool:
    p = PurePosixPath(rel)
    return not p.is_absolute() and ".." not in p.parts


def from_zip(path: Path) -> Snapshot:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise TargetError(f"{path}: not a readable zip archive: {exc}") from None
    with zf:
        names = set(zf.namelist())
        candidates = sorted((n for n in names if PurePosixPath(n).name == "datapackage.json"
                             and len(PurePosixPath(n).parts) <= 2), key=len)
        if not candidates:
            raise TargetError(f"{path}: no datapackage.json at the top of the archive")
        prefix = candidates[0][: -len("datapackage.json")]

        def read(rel):
            name = prefix + rel
            return read_member(zf, name, str(path)) if _safe(rel) and name in names else None

        return snapshot_from_reader(str(path), read, str(path))


def from_folder(path: Path, trusted: bool = False) -> Snapshot:
    """A package folder, read through kzcn.package.paths: nothing outside it unless `trusted`."""
    from ..package.paths import UnsafePath, contain

    def read(rel):
        try:
            p = contain(path, rel, "path", trusted)
            return read_file(p) if p.is_file() else None
        except UnsafePath as exc:
            raise TargetError(f"{path}: {exc}") from None

    return snapshot_from_reader(str(path), read, str(path))


def from_revision(repo: Path, rev: str) -> Snapshot:
    commit = gitread.resolve_commit(repo, rev)
    if commit is None:
        raise UsageError(f"{rev!r} is not a zip file, a package folder or a git revision of {repo}")

    def read(rel):
        return gitread.show(repo, commit, f"./{rel}", limit=member_limit()) if _safe(rel) else None

    return snapshot_from_reader(rev, read, f"{rev} ({commit[:10]})")


def default_repo() -> Path:
    """Revisions are read at the package around the current folder (found upward, like git):
    `git show REV:./datapackage.yaml` there, so a package in a subfolder of its repository
    works too. Never the checkout the code runs from. No package: exit 2, asking for --repo."""
    from ..package.descriptor import package_root

    return package_root(give="--repo DIR for revisions")


def load_side(spec: str, repo: Path | None = None, trusted: bool = False) -> Snapshot:
    """Turn OLD or NEW into a snapshot: zip file, package folder, else git revision."""
    path = Path(spec)
    if path.is_file():
        if zipfile.is_zipfile(path):
            return from_zip(path)
        if path.name in DESCRIPTORS:
            return from_folder(path.parent, trusted)
        raise UsageError(f"{spec}: not a release zip or a datapackage descriptor")
    if path.is_dir() and any((path / d).is_file() for d in DESCRIPTORS):
        return from_folder(path, trusted)
    return from_revision(repo or default_repo(), spec)


def _key_dict(table: TableSnap, key: tuple) -> dict[str, str]:
    out = dict(zip(table.primary_key, key))
    if len(key) > len(table.primary_key):
        out["#"] = key[-1]
    return out


def diff_tables(old: TableSnap | None, new: TableSnap | None) -> dict:
    if old is None or new is None:
        t = new or old
        status = "added" if old is None else "removed"
        keyed = [{"key": _key_dict(t, k), "row": t.rows[k]} for k in sorted(t.rows)]
        return {"name": t.name, "status": status, "fields_added": t.fields if status == "added" else [],
                "fields_removed": t.fields if status == "removed" else [], "primary_key": t.primary_key,
                "rows_added": keyed if status == "added" else [], "rows_removed": keyed if status == "removed" else [],
                "changed": []}
    if old.primary_key != new.primary_key and all(k in old.fields for k in new.primary_key):
        old = _table_rekeyed(old, new.primary_key)
    common = [f for f in new.fields if f in old.fields]
    added = sorted(set(new.rows) - set(old.rows))
    removed = sorted(set(old.rows) - set(new.rows))
    changed = []
    for key in sorted(set(new.rows) & set(old.rows)):
        a, b = old.rows[key], new.rows[key]
        for f in common:
            if a.get(f, "") != b.get(f, ""):
                changed.append({"key": _key_dict(new, key), "field": f, "old": a.get(f, ""), "new": b.get(f, "")})
    fields_added = [f for f in new.fields if f not in old.fields]
    fields_removed = [f for f in old.fields if f not in new.fields]
    dirty = added or removed or changed or fields_added or fields_removed or old.fields != new.fields
    return {"name": new.name, "status": "changed" if dirty else "unchanged",
            "fields_added": fields_added, "fields_removed": fields_removed, "primary_key": new.primary_key,
            "rows_added": [{"key": _key_dict(new, k), "row": new.rows[k]} for k in added],
            "rows_removed": [{"key": _key_dict(old, k), "row": old.rows[k]} for k in removed],
            "changed": changed}


def _table_rekeyed(t: TableSnap, pk: list[str]) -> TableSnap:
    rows = {}
    for row in t.rows.values():
        rows[tuple(row.get(k, "") for k in pk)] = row
    return TableSnap(name=t.name, fields=t.fields, primary_key=pk, rows=rows)


def diff_snapshots(old: Snapshot, new: Snapshot) -> dict:
    names = list(new.tables) + [n for n in old.tables if n not in new.tables]
    tables = [diff_tables(old.tables.get(n), new.tables.get(n)) for n in names]
    changed_rows = {(t["name"], tuple(sorted(c["key"].items()))) for t in tables for c in t["changed"]}
    return {
        "old": {"label": old.label, "version": old.version},
        "new": {"label": new.label, "version": new.version},
        "summary": {
            "tables_added": [t["name"] for t in tables if t["status"] == "added"],
            "tables_removed": [t["name"] for t in tables if t["status"] == "removed"],
            "tables_changed": [t["name"] for t in tables if t["status"] == "changed"],
            "rows_added": sum(len(t["rows_added"]) for t in tables),
            "rows_removed": sum(len(t["rows_removed"]) for t in tables),
            "rows_changed": len(changed_rows),
            "cells_changed": sum(len(t["changed"]) for t in tables),
        },
        "tables": tables,
    }


def diff(old_spec: str, new_spec: str, repo: Path | None = None, trusted: bool = False) -> dict:
    """The one entry point: compare two releases, folders or revisions."""
    return diff_snapshots(load_side(old_spec, repo, trusted), load_side(new_spec, repo, trusted))


def _key_text(key: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in key.items())


def _side(s: dict) -> str:
    return f"{s['label']} (version {s['version']})" if s.get("version") else s["label"]


def _table_counts(t: dict) -> str:
    nrows = len({tuple(sorted(c["key"].items())) for c in t["changed"]})
    return (f"{len(t['rows_added'])} added, {len(t['rows_removed'])} removed, "
            f"{nrows} changed ({plural(len(t['changed']), 'cell')})")


def render_text(d: dict) -> str:
    s = d["summary"]
    out = [f"kzcn diff {_side(d['old'])} -> {_side(d['new'])}",
           f"rows: {s['rows_added']} added, {s['rows_removed']} removed, {s['rows_changed']} changed "
           f"({plural(s['cells_changed'], 'cell')})"]
    for t in d["tables"]:
        if t["status"] == "unchanged":
            continue
        if t["status"] in ("added", "removed"):
            out.append(f"{t['name']}: table {t['status']} ({plural(len(t['rows_added'] or t['rows_removed']), 'row')})")
            continue
        out.append(f"{t['name']}: {_table_counts(t)}")
        for f in t["fields_added"]:
            out.append(f"  + field {f}")
        for f in t["fields_removed"]:
            out.append(f"  - field {f}")
        for r in t["rows_added"]:
            out.append(f"  + {_key_text(r['key'])}")
        for r in t["rows_removed"]:
            out.append(f"  - {_key_text(r['key'])}")
        for c in t["changed"]:
            out.append(f"  ~ {_key_text(c['key'])}: {c['field']}: {c['old']!r} -> {c['new']!r}")
    unchanged = [t["name"] for t in d["tables"] if t["status"] == "unchanged"]
    if unchanged:
        out.append(f"unchanged: {', '.join(unchanged)}")
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _md_value(value: str) -> str:
    return f"`{_md(value)}`" if value != "" else "*(blank)*"


def render_markdown(d: dict, limit: int = MARKDOWN_LIMIT) -> str:
    """For release notes: counts per table, then the rows (first `limit` of each kind)."""
    s = d["summary"]
    out = [f"Compared with {_side(d['old'])}: {plural(s['rows_added'], 'row')} added, {s['rows_removed']} removed, "
           f"{s['rows_changed']} changed ({plural(s['cells_changed'], 'cell')}).", ""]
    for t in d["tables"]:
        if t["status"] == "unchanged":
            continue
        if t["status"] in ("added", "removed"):
            out += [f"- **{t['name']}**: table {t['status']} ({plural(len(t['rows_added'] or t['rows_removed']), 'row')})"]
            continue
        out.append(f"- **{t['name']}**: {_table_counts(t)}")
        items = ([f"  - field added: `{f}`" for f in t["fields_added"]]
                 + [f"  - field removed: `{f}`" for f in t["fields_removed"]]
                 + [f"  - added: {_md(_key_text(r['key']))}" for r in t["rows_added"]]
                 + [f"  - removed: {_md(_key_text(r['key']))}" for r in t["rows_removed"]]
                 + [f"  - changed: {_md(_key_text(c['key']))}, `{c['field']}`: "
                    f"{_md_value(c['old'])} → {_md_value(c['new'])}" for c in t["changed"]])
        out += items[:limit]
        if len(items) > limit:
            out.append(f"  - … and {len(items) - limit} more (`kzcn diff` lists them all)")
    unchanged = [t["name"] for t in d["tables"] if t["status"] == "unchanged"]
    if unchanged:
        out.append(f"- unchanged: {', '.join(unchanged)}")
    return "\n".join(out) + "\n"


def render(d: dict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(d, indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return render_markdown(d)
    return render_text(d)

