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
    derived_from: tuple[str, ...] = ()  # a derived table: what it is computed from (else curated)


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
    if entry.derived_from:
        out += [f"Derived (computed by the release, not curated) from {', '.join(_code(x) for x in entry.derived_from)}.", ""]
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


DERIVED_TEXT = (
    "The derived tables hold one preferred figure per series and period, in base units (scale one), "
    "with `n_statements`, `low` and `high` over the rows that state it. The preferred row is the one a "
    "`prefer` decision of the resolutions file names, else the first in one default order: rows a `prefer` "
    "decision passed over come last; exact before a range or \"about\"/\"nearly\", before an open-ended "
    "figure (\"more than\"); the more reliable source (`sources.reliability`); a statistical, official or "
    "dataset source stating the figure itself, before any other source, before a quoted speaker; the latest "
    "publication (a revision); the lowest row id. `preferred_by` says which decided. Only reported value "
    "figures with a period enter (forecasts, shares, ranks and growth rates do not); derived rows "
    "(`derived` true) only when no source states the figure.")


def _resolutions_text(path: str) -> list[str]:
    return ["## Resolutions", "",
            f"`{path}` is the curated record of known conflicts between figures and how each was decided: "
            "per entry the consistency rule whose finding it settles (`rule`), the `table` and the primary keys "
            "of the `rows` involved, the `decision` (`prefer` with the row to use in `prefer`; `both_stand` when "
            "both are right, e.g. a revision or two definitions; `accept` for a single row that is a true fact), "
            "the `reason` in the curators' words and its `source`. The validator does not report a finding a "
            "resolution covers; the derived tables follow its `prefer` decisions.", ""]


PROVENANCE_TEXT = (
    "Every fact row names its `source_id` (a row of `sources`) and the `source_span` that carries the "
    "figure. `candidate_id`, where present, is the id of the entry in the curators' worklist the row was "
    "curated from: working material that is not part of this package, kept for provenance only.")


def render_readme(descriptor: dict, tables: list[TableEntry], report: dict, report_path: str,
                  resolutions_path: str | None = None) -> str:
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
    if resolutions_path:
        out += [""] + _resolutions_text(resolutions_path)[:-1]
    if any(t.derived_from for t in tables):
        out += ["", "## Derived tables", "", DERIVED_TEXT]
    out += ["", "## Provenance", "", PROVENANCE_TEXT]
    out += ["", "## Data dictionary", ""]
    for t in tables:
        out += table_section(t)
    return "\n".join(out).rstrip("\n") + "\n"
