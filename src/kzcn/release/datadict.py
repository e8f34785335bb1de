"""The release's README: a data dictionary written from the Table Schemas, never by hand.

Every table and every field with its type, unit, constraints and description, so a reader
with only the zip (Excel, R, a text editor) knows what each column means. A field has a unit
when its schema says so (`unit`), or when the table carries the unit per row in a companion
column (`value` -> `unit`/`scale`, `capacity` -> `capacity_unit`/`capacity_scale`).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TableEntry:
    name: str
    path: str
    schema: dict
    rows: int
    bytes: int
    sha256: str


def _cell(text) -> str:
    """Markdown table cell: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _code(text) -> str:
    return f"`{text}`" if text not in (None, "") else ""


def constraints_text(field: dict) -> str:
    c = field.get("constraints") or {}
    parts = []
    if c.get("required"):
        parts.append("required")
    if c.get("unique"):
        parts.append("unique")
    if "enum" in c:
        if field.get("categoriesOrdered") is True:
            parts.append("one of " + " < ".join(_code(v) for v in c["enum"]) + " (ordered)")
        else:
            parts.append("one of " + ", ".join(_code(v) for v in c["enum"]))
    for key, label in (("minimum", "≥"), ("maximum", "≤"), ("exclusiveMinimum", ">"), ("exclusiveMaximum", "<")):
        if key in c:
            parts.append(f"{label} {c[key]}")
    if "minLength" in c:
        parts.append(f"at least {c['minLength']} characters")
    if "maxLength" in c:
        parts.append(f"at most {c['maxLength']} characters")
    if "pattern" in c:
        parts.append(f"matches {_code(c['pattern'])}")
    if field.get("format") not in (None, "default"):
        parts.append(f"format {field['format']}")
    return "; ".join(parts)


def unit_text(field: dict, schema: dict) -> str:
    if field.get("unit"):
        return str(field["unit"])
    if field.get("type") not in ("number", "integer"):
        return ""
    names = {f["name"] for f in schema.get("fields", [])}
    name = field["name"]
    unit = next((n for n in (f"{name}_unit", "unit" if name == "value" else None) if n in names), None)
    scale = next((n for n in (f"{name}_scale", "scale" if name == "value" else None) if n in names), None)
    if unit and scale:
        return f"per row: `{unit}` × `{scale}`"
    if unit:
        return f"per row: `{unit}`"
    return ""


def _keys_text(schema: dict) -> list[str]:
    lines = []
    pk = schema.get("primaryKey")
    if pk:
        pk = [pk] if isinstance(pk, str) else pk
        lines.append(f"Primary key: {', '.join(_code(k) for k in pk)}.")
    for fk in schema.get("foreignKeys") or []:
        fields = fk.get("fields")
        fields = [fields] if isinstance(fields, str) else fields
        ref = fk.get("reference") or {}
        rfields = ref.get("fields")
        rfields = [rfields] if isinstance(rfields, str) else rfields
        target = _code(ref["resource"]) if ref.get("resource") else "this table"
        lines.append(f"Foreign key: {', '.join(_code(f) for f in fields)} → "
                     f"{target} ({', '.join(_code(f) for f in rfields)}).")
    return lines


def table_section(entry: TableEntry) -> list[str]:
    s = entry.schema
    out = [f"### {entry.name}", ""]
    if s.get("title"):
        out.append(f"**{s['title']}** — `{entry.path}`, {entry.rows} rows.")
    else:
        out.append(f"`{entry.path}`, {entry.rows} rows.")
    out.append("")
    if s.get("description"):
        out += [" ".join(s["description"].split()), ""]
    keys = _keys_text(s)
    if keys:
        out += keys + [""]
    out += ["| field | title | type | unit | constraints | description |",
            "|---|---|---|---|---|---|"]
    for f in s.get("fields", []):
        out.append("| " + " | ".join([
            _code(f["name"]), _cell(f.get("title", "")), _cell(f.get("type", "string")),
            _cell(unit_text(f, s)), _cell(constraints_text(f)), _cell(f.get("description", "")),
        ]) + " |")
    missing = s.get("missingValues", [""])
    shown = ", ".join('an empty cell' if m == "" else _code(m) for m in missing)
    out += ["", f"Missing values are written as {shown}.", ""]
    return out


def render_readme(descriptor: dict, tables: list[TableEntry], report: dict, report_path: str) -> str:
    """The whole README.md of a built package (deterministic: no clock, no machine names)."""
    d = descriptor
    title = d.get("title") or d.get("name")
    out = [f"# {title}", ""]
    if d.get("description"):
        out += [" ".join(d["description"].split()), ""]
    out.append(f"- Name: `{d.get('name')}`")
    out.append(f"- Version: {d.get('version')} (semantic versioning for data: major = a schema change "
               f"that breaks readers, minor = new rows or tables, patch = corrections)")
    out.append(f"- Created: {d.get('created')} (when the data last changed in git)")
    for lic in d.get("licenses", []):
        label = lic.get("title") or lic.get("name")
        out.append(f"- Licence: {label} ({lic.get('name')}) {lic.get('path', '')}".rstrip())
    if d.get("homepage"):
        out.append(f"- Homepage: {d['homepage']}")
    for c in d.get("contributors", []):
        out.append(f"- Contributor: {c.get('title')}" + (f" ({', '.join(c['roles'])})" if c.get("roles") else ""))
    out += ["", "## Files", "",
            "| table | file | rows | bytes | sha256 |", "|---|---|---|---|---|"]
    for t in tables:
        out.append(f"| {t.name} | `{t.path}` | {t.rows} | {t.bytes} | `{t.sha256}` |")
    out += ["", "`datapackage.json` describes every file (Frictionless Data Package, tabular profile) "
            "with its schema, size and sha256; `frictionless validate datapackage.json` checks them all. "
            "CSV files are UTF-8, comma-separated, LF line ends, one header row, rows ordered by primary key.",
            "",
            "Open a table with its types:",
            "",
            "```python",
            "import pandas as pd",
            f"df = pd.read_csv(\"{tables[0].path if tables else 'datasets/x.csv'}\", keep_default_na=False, na_values=[\"\"])",
            "```",
            "",
            "## Validation", ""]
    errors, warnings = report.get("errors", []), report.get("warnings", [])
    out.append(f"`{report_path}` is the validation report of this data (`kzcn validate --format json`): "
               f"{'valid' if report.get('valid') else 'NOT valid'}, {len(errors)} errors, {len(warnings)} warnings. "
               f"Line numbers in it refer to the curated files in the source repository "
               f"(the files here are re-sorted by primary key).")
    out += ["", "## Data dictionary", ""]
    for t in tables:
        out += table_section(t)
    return "\n".join(out).rstrip("\n") + "\n"
