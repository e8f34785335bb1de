"""Find and read a Frictionless data package: the descriptor, its resources and their Table Schemas.

This is the one place that knows where data lives, and there are two answers, kept apart on
purpose:

- the package a command works on (`kzcn validate`, `build`, `metrics`, `report`, and
  `kzcn.validate()`): the TARGET given, else the one in the current folder, found by searching
  upward for datapackage.yaml / datapackage.json the way git finds .git (`find_descriptor`,
  `package_root`). Never the copy the code was installed with: a curator whose venv comes
  from another checkout would otherwise be told VALID about files nobody read.
- the dataset the code ships with (`shipped_root`, `open_shipped`): what `kzcn.load()` reads
  for a researcher — the checkout the code runs from, or the wheel's kzcn/_data.

Schemas may be inline or a path to YAML or JSON.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import TargetError, UnknownTableError, did_you_mean

DESCRIPTOR_NAMES = ("datapackage.yaml", "datapackage.json")


def shipped_root() -> Path:
    """The dataset the code ships with: the checkout it runs from, else the wheel's copy.

    Only for reading the shipped data (kzcn.load and friends); commands find their package
    from the current folder instead (find_descriptor).
    """
    here = Path(__file__).resolve().parents[1]  # src/kzcn (or site-packages/kzcn)
    checkout = here.parent.parent
    if (checkout / "datapackage.yaml").is_file() and (checkout / "schemas").is_dir():
        return checkout
    return here / "_data"


def read_text(path: Path, what: str = "file") -> str:
    """A configuration file's text, or a TargetError naming the file (never a traceback).

    Only a regular file is opened (paths.read_regular), and never more than
    `Limits.config_bytes` + 1 bytes of it, so a descriptor, schema or rules file that is a FIFO,
    a device, /dev/zero or huge is refused, not swallowed.
    """
    from .limits import current
    from .paths import read_regular

    try:
        return read_regular(path, current().config_bytes, what).decode("utf-8")
    except FileNotFoundError:
        raise TargetError(f"{path}: {what} not found") from None
    except OSError as exc:
        raise TargetError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise TargetError(f"{path}: cannot read: not UTF-8 ({exc.reason} at byte {exc.start})") from None


def yaml_error(path: Path, exc: Exception) -> TargetError:
    """The one way we word a YAML syntax error: file, line, the parser's first line."""
    mark = getattr(exc, "problem_mark", None)
    line = f"{mark.line + 1}:" if mark is not None else ""
    return TargetError(f"{path}:{line} not valid YAML: {str(exc).splitlines()[0]}")


def read_structured(path: Path) -> dict:
    """Read a YAML or JSON file into a dict, with a message naming the file when it fails."""
    text = read_text(path)
    try:
        if path.suffix == ".json":
            data = json.loads(text)
        else:
            from .yamlfast import safe_load

            data = safe_load(text)
    except RecursionError:
        raise TargetError(f"{path}: nested too deeply to read") from None
    except Exception as exc:  # yaml and json raise many kinds; all mean "not parseable"
        if path.suffix != ".json":
            raise yaml_error(path, exc) from None
        raise TargetError(f"{path}: not valid JSON: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise TargetError(f"{path}: expected a mapping at the top level, found {type(data).__name__}")
    return data


@dataclass(frozen=True)
class Resource:
    """One tabular resource: its name, the absolute path of its CSV and its Table Schema.

    `refused` says why the resource's file, schema or dialect may not be read (a path leaving
    the package, a FIFO: kzcn.package.paths; a schema missing or remote: kzcn.package.schemaref);
    then `path` names nothing and nothing is read.
    `problems` are faults of the descriptor's shape, found while reading it (a schema-error each).
    """

    name: str
    path: Path
    relpath: str
    schema: dict
    descriptor: dict = field(repr=False)
    refused: str | None = None
    problems: tuple[str, ...] = ()
    parts: tuple[tuple[str, Path], ...] = ()  # (relpath, path) of each file when `path` is a list
    refused_code: str = "scheme-error"  # the finding `refused` makes: schema-error for a schema not read
    raw_schema: dict | None = field(default=None, repr=False, compare=False)  # as written, for the profile check

    @property
    def inline(self) -> bool:
        """The rows are in the descriptor (`data:`), not in a file."""
        return "data" in self.descriptor and not self.parts and self.descriptor.get("path") is None

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.schema.get("fields", []) if isinstance(f, dict) and isinstance(f.get("name"), str)]

    @property
    def primary_key(self) -> list[str]:
        pk = self.schema.get("primaryKey") or []
        return [pk] if isinstance(pk, str) else [k for k in pk if isinstance(k, str)] if isinstance(pk, list) else []

    @property
    def foreign_keys(self) -> list[dict]:
        out = []
        fks = self.schema.get("foreignKeys")
        for fk in fks if isinstance(fks, list) else []:
            if not isinstance(fk, dict):
                continue
            fields = fk.get("fields")
            ref = fk.get("reference") if isinstance(fk.get("reference"), dict) else {}
            rfields = ref.get("fields")
            resource = ref.get("resource", "")
            out.append({
                "fields": [fields] if isinstance(fields, str) else list(fields) if isinstance(fields, list) else [],
                "resource": (resource if isinstance(resource, str) else "") or self.name,
                "reference_fields": [rfields] if isinstance(rfields, str) else list(rfields) if isinstance(rfields, list) else [],
            })
        return out

    def read_bytes(self) -> bytes:
        """The file's bytes; UnsafePath (a TargetError naming the path) when it may not be read."""
        from .paths import UnsafePath, read_regular

        if self.refused:
            raise UnsafePath(self.refused)
        return read_regular(self.path)

    def field(self, name: str) -> dict:
        for f in self.schema.get("fields", []):
            if isinstance(f, dict) and f.get("name") == name:
                return f
        raise KeyError(name)


@dataclass(frozen=True)
class Package:
    """A data package read from its descriptor, with schemas resolved."""

    root: Path
    descriptor_path: Path
    descriptor: dict
    resources: tuple[Resource, ...]
    trusted: bool = False

    @property
    def table_names(self) -> list[str]:
        return [r.name for r in self.resources]

    @property
    def version(self) -> str | None:
        v = self.descriptor.get("version")
        return v if isinstance(v, str) else None if v is None else str(v)

    def resource(self, name: str) -> Resource:
        for r in self.resources:
            if r.name == name:
                return r
        known = ", ".join(self.table_names)
        raise UnknownTableError(f"unknown table {name!r}{did_you_mean(name, self.table_names)}; "
                                f"the tables are: {known}")


def _current_folder() -> Path:
    try:
        return Path.cwd()
    except OSError as exc:  # the folder was deleted under the shell
        raise TargetError(f"cannot tell the current folder ({exc.strerror or exc}); give a TARGET") from None


def discover_descriptor(start: str | Path | None = None, give: str = "a TARGET") -> Path:
    """The descriptor of the package around `start` (default: the current folder).

    Searches `start` and then every folder above it for datapackage.yaml, then
    datapackage.json, as git searches for .git; the nearest wins. With none found: a
    TargetError (exit 2) that names the folder searched from and asks for `give` (the option
    that names a package instead).
    """
    here = Path(start).absolute() if start is not None else _current_folder()
    misnamed = None
    for folder in (here, *here.parents):
        for name in DESCRIPTOR_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        if misnamed is None and (folder / "datapackage.yml").is_file():
            misnamed = folder / "datapackage.yml"
    hint = (f" ({misnamed} is not read: name it datapackage.yaml)" if misnamed else "")
    raise TargetError(f"no datapackage.yaml or datapackage.json in {here} or any folder above it; "
                      f"give {give}{hint}")


def package_root(start: str | Path | None = None, give: str = "a TARGET") -> Path:
    """The folder of the package around `start` (default: the current folder), where its
    default outputs (build/, dist/) go."""
    return discover_descriptor(start, give).parent


def find_descriptor(target: str | Path | None, trusted: bool = False) -> Path:
    """Turn a target into the descriptor's path: a descriptor file, a folder holding one, or
    None for the package around the current folder (see discover_descriptor).

    A descriptor found in a folder is a package file like any other: it must be a regular file
    inside that folder (not a symlink out of it) unless `trusted`.
    """
    from .paths import contain

    if target is None:
        found = discover_descriptor()
        contain(found.parent, found.name, "descriptor", trusted)
        return found
    base = Path(target)
    if base.is_dir():
        for name in DESCRIPTOR_NAMES:
            if (base / name).exists() or (base / name).is_symlink():
                contain(base, name, "descriptor", trusted)
                return base / name
        where = "" if base.is_absolute() else f" ({base.absolute()})"
        raise TargetError(f"{base}: no datapackage.yaml or datapackage.json in this folder{where}")
    if not base.exists():
        raise TargetError(f"{base}: no such file or folder")
    contain(base.parent, base.name, "descriptor", trusted)
    return base


def _read_part(root: Path, value, what: str, trusted: bool):
    """A schema or dialect: inline (a mapping), or a path read through paths.contain."""
    from .paths import contain

    if value is None or isinstance(value, dict):
        return value
    if isinstance(value, str):
        return read_structured(contain(root, value, what, trusted))
    raise TargetError(f"{what} must be a path or a mapping, found {type(value).__name__}")


def _resource(root: Path, descriptor_path: Path, i: int, res: dict, trusted: bool) -> Resource:
    from .paths import UnsafePath, contain

    problems = []
    name = res.get("name")
    if not isinstance(name, str) or not name:
        if name is not None:
            problems.append(f"resource {i + 1}: name must be text, found {type(name).__name__}")
        name = f"resource{i + 1}"
    rel, listed, parts = res.get("path"), None, ()
    if isinstance(rel, list):  # several files read as one table (kzcn.validate.parts)
        listed = rel
        rel = rel[0] if rel and isinstance(rel[0], str) else f"resource {name!r} path"
    elif rel is None and "data" in res:  # inline rows (kzcn.validate.inline): findings name the descriptor
        rel = descriptor_path.name
    if not isinstance(rel, str):
        raise TargetError(f"{descriptor_path}: resource {name!r} has no local path")
    refused, refused_code, path, schema = None, "scheme-error", root / f".kzcn-refused-{i + 1}", {"fields": []}
    from .schemaref import read_schema

    ref = read_schema(root, res.get("schema"), f"resource {name!r} schema", trusted)
    try:
        if listed is not None:
            parts = _parts(root, name, listed, trusted)
            path = parts[0][1]
        elif res.get("path") is None:
            path = root / f".kzcn-inline-{i + 1}"  # nothing to open: the rows are in the descriptor
        elif "://" in rel and not rel.lower().startswith("file:"):
            path = root / f".kzcn-remote-{i + 1}"  # the validator reports it; nothing fetches it
        else:
            path = contain(root, rel, f"resource {name!r} path", trusted)
        if ref.refused:  # this resource alone is not checked (kzcn.package.schemaref)
            raise UnsafePath(ref.refused)
        schema = ref.schema
        dialect = _read_part(root, res.get("dialect"), f"resource {name!r} dialect", trusted)
        if isinstance(res.get("dialect"), str):
            res = {**res, "dialect": dialect}
    except UnsafePath as exc:
        refused, path, schema = str(exc), root / f".kzcn-refused-{i + 1}", {"fields": []}
        refused_code = ref.code if ref.refused and str(exc) == ref.refused else "scheme-error"
    except TargetError as exc:  # a schema or dialect file that cannot be read: this resource's fault
        problems.append(str(exc))
        schema = {"fields": []}
    if schema is None:
        schema = {"fields": []}
    from .shape import clean_resource, clean_schema

    schema, found = clean_schema(schema)
    where = (f"{res['schema']}: " if isinstance(res.get("schema"), str)
             else f"{descriptor_path.name}: resource {name!r} schema: ")
    problems += [where + p for p in found]
    res, found = clean_resource(res)
    problems += [f"{descriptor_path.name}: resource {name!r}: {p}" for p in found]
    return Resource(name=name, path=path, relpath=rel, schema=schema, descriptor=res,
                    refused=refused, problems=tuple(problems), parts=parts if not refused else (),
                    refused_code=refused_code, raw_schema=ref.schema if isinstance(ref.schema, dict) else None)


def _parts(root: Path, name: str, listed: list, trusted: bool) -> tuple[tuple[str, Path], ...]:
    """Each file of a multi-file resource, contained like any path: one that may not be read
    refuses the whole resource (UnsafePath), so no part of a table is checked alone."""
    from .paths import UnsafePath, contain

    if not listed:
        raise UnsafePath(f"resource {name!r} path: the list of files is empty; nothing to read")
    out = []
    for k, rel in enumerate(listed, start=1):
        what = f"resource {name!r} path (file {k} of {len(listed)})"
        if isinstance(rel, str) and "://" in rel and not rel.lower().startswith("file:"):
            raise UnsafePath(f"{what} {rel[:200]!r}: remote files are not fetched (no network); not read")
        out.append((rel, contain(root, rel, what, trusted)))
    return tuple(out)


def read_package(descriptor_path: Path, trusted: bool = False) -> Package:
    from .tabletarget import is_table_file, table_descriptor

    # a bare CSV is a package of one resource with an inferred schema (kzcn.package.tabletarget)
    descriptor = table_descriptor(descriptor_path) if is_table_file(descriptor_path) else read_structured(descriptor_path)
    root = descriptor_path.parent
    resources = []
    listed = descriptor.get("resources")
    for i, res in enumerate(listed if isinstance(listed, list) else []):  # not a list: the profile says so
        if not isinstance(res, dict):  # the profile check reports it; the other resources are read
            continue
        resources.append(_resource(root, descriptor_path, i, res, trusted))
    return Package(root=root, descriptor_path=descriptor_path, descriptor=descriptor, resources=tuple(resources),
                   trusted=trusted)


@lru_cache(maxsize=8)
def _cached(descriptor_path: str, mtime: float, trusted: bool) -> Package:
    return read_package(Path(descriptor_path), trusted)


def open_package(target: str | Path | None = None, trusted: bool = False) -> Package:
    """Open the package a command works on: a folder or descriptor, or (None) the package
    around the current folder — never the data the code was installed with.

    Every path the package names stays inside its root (kzcn.package.paths) unless `trusted`.
    """
    found = find_descriptor(target, trusted)
    path = found.parent.resolve() / found.name if not trusted else found.resolve()
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise TargetError(f"{found}: cannot read: {exc.strerror or exc}") from None
    return _cached(str(path), mtime, bool(trusted))


def open_shipped(root: str | Path | None = None) -> Package:
    """Open the dataset the code ships with (or `root` when given): what kzcn.load reads."""
    return open_package(root if root is not None else shipped_root())
