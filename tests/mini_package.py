"""Write a tiny data package (CSV bytes + Table Schema) into a folder and validate it."""
from __future__ import annotations

import json
from pathlib import Path

from kzcn.validate.run import validate


def write_package(folder: Path, tables: dict, extra: dict | None = None) -> Path:
    """tables: name -> (csv bytes or str, schema dict or None, resource extras dict or None)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    resources = []
    for name, spec in tables.items():
        data, schema = spec[0], spec[1]
        more = spec[2] if len(spec) > 2 and spec[2] else {}
        path = folder / f"{name}.csv"
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        res = {"name": name, "path": path.name, **more}
        if schema is not None:
            res["schema"] = schema
        resources.append(res)
    descriptor = folder / "datapackage.json"
    descriptor.write_text(json.dumps({"name": "mini", "resources": resources, **(extra or {})}, indent=1))
    return descriptor


def run(folder: Path, data, schema=None, **more):
    """Validate one table `t` made of `data`; the report."""
    return validate(write_package(folder, {"t": (data, schema, more or None)}))


def found(report, rules: bool = False):
    """(code, line, field) of each layer-1/2 finding, in report order."""
    return [(f.code, f.line, f.field) for f in report.findings if rules or f.rule is None]


def schema(*fields, **props):
    """schema(("id", "integer", {"required": True}), ("name", "string")) -> Table Schema dict."""
    out = []
    for f in fields:
        name, ftype = f[0], f[1]
        d = {"name": name, "type": ftype}
        if len(f) > 2 and f[2]:
            d["constraints"] = f[2]
        out.append(d)
    return {"fields": out, **props}
