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

    Read through `limits.read_capped`: never more than `Limits.config_bytes` + 1 bytes, so a
    descriptor, schema or rules file that is /dev/zero or huge is refused, not swallowed."""
    from .limits import current, read_capped

    try:
        return read_capped(path, current().config_bytes, what).decode("utf-8")
    except FileNotFoundError:
        raise TargetError(f"{path}: {what} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TargetError(f"{path}: cannot read: {exc}") from None


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
    except Exception as exc:  # yaml and json raise many kinds; all mean "not parseable"
        if path.suffix != ".json":
            raise yaml_error(path, exc) from None
        raise TargetError(f"{path}: not valid JSON: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise TargetError(f"{path}: expected a mapping at the top level, found {type(data).__name__}")
    return data


@dataclass(frozen=True)
class Resource:
    """One tabular resource: its name, the absolute path of its CSV and its Table Schema."""

    name: str
    path: Path
    relpath: str
    schema: dict
    descriptor: dict = field(repr=False)

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.schema.get("fields", [])]

    @property
    def primary_key(self) -> list[str]:
        pk = self.schema.get("primaryKey") or []
        return [pk] if isinstance(pk, str) else list(pk)

    @property
    def foreign_keys(self) -> list[dict]:
        out = []
        for fk in self.schema.get("foreignKeys") or []:
            fields = fk.get("fields")
            ref = fk.get("reference") or {}
            rfields = ref.get("fields")
            out.append({
                "fields": [fields] if isinstance(fields, str) else list(fields or []),
                "resource": ref.get("resource", "") or self.name,
                "reference_fields": [rfields] if isinstance(rfields, str) else list(rfields or []),
            })
        return out

    def field(self, name: str) -> dict:
        for f in self.schema.get("fields", []):
            if f["name"] == name:
                return f
        raise KeyError(name)


@dataclass(frozen=True)
class Package:
    """A data package read from its descriptor, with schemas resolved."""

    root: Path
    descriptor_path: Path
    descriptor: dict
    resources: tuple[Resource, ...]

    @property
    def table_names(self) -> list[str]:
        return [r.name for r in self.resources]

    @property
    def version(self) -> str | None:
        return self.descriptor.get("version")

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


def find_descriptor(target: str | Path | None) -> Path:
    """Turn a target into the descriptor's path: a descriptor file, a folder holding one, or
    None for the package around the current folder (see discover_descriptor)."""
    if target is None:
        return discover_descriptor()
    base = Path(target)
    if base.is_dir():
        for name in DESCRIPTOR_NAMES:
            if (base / name).is_file():
                return base / name
        where = "" if base.is_absolute() else f" ({base.absolute()})"
        raise TargetError(f"{base}: no datapackage.yaml or datapackage.json in this folder{where}")
    if not base.exists():
        raise TargetError(f"{base}: no such file or folder")
    return base


def _resolve_schema(root: Path, schema) -> dict:
    if schema is None:
        return {"fields": []}
    if isinstance(schema, str):
        return read_structured(root / schema)
    if isinstance(schema, dict):
        return schema
    raise TargetError(f"schema must be a path or a mapping, found {type(schema).__name__}")


def read_package(descriptor_path: Path) -> Package:
    descriptor = read_structured(descriptor_path)
    root = descriptor_path.parent
    resources = []
    for i, res in enumerate(descriptor.get("resources") or []):
        if not isinstance(res, dict):
            raise TargetError(f"{descriptor_path}: resource {i + 1} is not a mapping")
        name = res.get("name") or f"resource{i + 1}"
        rel = res.get("path")
        if isinstance(rel, list):
            rel = rel[0] if rel else None
        if not isinstance(rel, str):
            raise TargetError(f"{descriptor_path}: resource {name!r} has no local path (inline data is not supported)")
        schema = _resolve_schema(root, res.get("schema"))
        resources.append(Resource(name=name, path=(root / rel), relpath=rel, schema=schema, descriptor=res))
    return Package(root=root, descriptor_path=descriptor_path, descriptor=descriptor, resources=tuple(resources))


@lru_cache(maxsize=8)
def _cached(descriptor_path: str, mtime: float) -> Package:
    return read_package(Path(descriptor_path))


def open_package(target: str | Path | None = None) -> Package:
    """Open the package a command works on: a folder or descriptor, or (None) the package
    around the current folder — never the data the code was installed with."""
    path = find_descriptor(target).resolve()
    return _cached(str(path), path.stat().st_mtime)


def open_shipped(root: str | Path | None = None) -> Package:
    """Open the dataset the code ships with (or `root` when given): what kzcn.load reads."""
    return open_package(root if root is not None else shipped_root())
