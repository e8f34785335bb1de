"""Find and read a Frictionless data package: the descriptor, its resources and their Table Schemas.

This is the one place that knows where the data lives. In a checkout the package is the
repository root (datapackage.yaml beside datasets/ and schemas/); in an installed wheel the
same files are shipped under kzcn/_data. Schemas may be inline or a path to YAML or JSON.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import TargetError, UsageError

DESCRIPTOR_NAMES = ("datapackage.yaml", "datapackage.json")


def default_root() -> Path:
    """The package the code ships with: the checkout it runs from, else the wheel's copy."""
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
        raise UsageError(f"unknown table {name!r}; the tables are: {known}")


def find_descriptor(target: str | Path | None) -> Path:
    """Turn a target (None, a folder, or a descriptor file) into the descriptor's path."""
    base = Path(target) if target is not None else default_root()
    if base.is_dir():
        for name in DESCRIPTOR_NAMES:
            if (base / name).is_file():
                return base / name
        raise TargetError(f"{base}: no datapackage.yaml or datapackage.json in this folder")
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
    """Open a package from a folder or descriptor (default: the one shipped with the code)."""
    path = find_descriptor(target).resolve()
    return _cached(str(path), path.stat().st_mtime)
