"""Every finding code of layers 1 and 2 of `kzcn validate`, each declared once, frictionless-style.

A code is a small declaration: code, title, description, message template, default severity,
layer, and whether frictionless-py reports the same thing under the same code. Codes that
frictionless has keep its name (so anyone who knows Frictionless reads our reports at once);
the defects it lets through (unclosed quotes, whitespace around quotes, stray quotes, mixed line
endings, spreadsheet formulas, a byte order mark) get codes of our own. The README's table of
codes is generated from this module (`markdown_table()`), so the two cannot drift apart.

Findings made here carry frictionless's coordinates beside ours: `row` (its rowNumber: the CSV
record, header = 1) and `field_number` (1-based position), in the JSON report as `row` and
`column` next to `line` (the line an editor shows; it differs from `row` only after a quoted
cell that spans lines); a descriptor finding also has `pointer`, the JSON pointer of the faulty
property.
"""
from __future__ import annotations

from dataclasses import dataclass

from .findings import ERROR, WARNING, Finding

DESCRIPTOR, FILE, STRUCTURE, SCHEMA = "descriptor", "file", "structure", "schema"


@dataclass(frozen=True)
class Code:
    code: str
    title: str
    description: str
    template: str
    severity: str = ERROR
    layer: str = STRUCTURE
    frictionless: bool = True


_CODES = [
    # -- descriptor: the package, resource and schema descriptors against the official profiles
    Code("package-error", "Package descriptor problem", "The data package descriptor breaks its profile (Data "
         "Package v1 or v2: a `title` that is not text, `resources` missing, a licence with neither `name` nor "
         "`path`) or names two resources alike; the message gives the JSON pointer of the faulty property.",
         "{detail}", layer=DESCRIPTOR),
    Code("resource-error", "Resource descriptor problem", "A resource descriptor breaks its profile (no `name`, "
         "a `path` of the wrong shape) or names a resource that does not exist (a foreign key's reference); "
         "the rest of the package is still checked.", "{detail}", layer=DESCRIPTOR),
    Code("field-error", "Field descriptor problem", "A field of a Table Schema breaks its profile: an unknown "
         "type, a format its type does not have (`format: '%Y-%m-%d'` on a string), a constraint of the wrong "
         "type or one its type does not support; the field's affected check is skipped.", "{detail}",
         layer=DESCRIPTOR),
    # -- file: the bytes as a whole
    Code("scheme-error", "File not found or not allowed", "The resource's file does not exist, is not a local "
         "file, or may not be read: a path out of the package (absolute, `..`, `~`, `$VAR`, `file://`, a symlink "
         "leading out) or not a regular file (a FIFO, a device); such a file is named and never opened.",
         "{detail}", layer=FILE),
    Code("source-error", "Empty or unreadable file", "The file is empty, or cannot be read as a table at all "
         "(a truncated or corrupt compressed file, a zip of several files, inline data that is not rows).",
         "{detail}", layer=FILE),
    Code("format-error", "Unsupported format", "The resource is not one this validator can read (another "
         "format than CSV, Parquet or inline data, a compression other than gz, zip, bz2 and xz, or a dialect "
         "option it does not support).", "{detail}", layer=FILE),
    Code("encoding-error", "Not UTF-8", "The file is not valid UTF-8; the message names the encoding the "
         "bytes look like (UTF-16, cp1251, latin-1) and the first bad byte.", "{detail}", layer=FILE),
    Code("byte-order-mark", "Byte order mark", "The file starts with a UTF-8 byte order mark (BOM), as "
         "spreadsheet programs write it; other readers take it as part of the first label.",
         "the file starts with a UTF-8 byte order mark (BOM, bytes EF BB BF); save it as UTF-8 without BOM",
         layer=FILE, frictionless=False),
    Code("hash-count", "Hash mismatch", "The file's hash differs from the `hash` the descriptor declares.",
         "the file's {algorithm} is {actual}, the descriptor declares {expected}", layer=FILE),
    Code("byte-count", "Size mismatch", "The file's size differs from the `bytes` the descriptor declares.",
         "the file has {actual} bytes, the descriptor declares {expected}", layer=FILE),
    Code("row-count", "Row count mismatch", "The number of data rows differs from the `rows` the descriptor declares.",
         "the file has {actual} data rows, the descriptor declares {expected}", layer=FILE),
    Code("field-count", "Field count mismatch", "The number of fields differs from the `fields` the descriptor declares.",
         "the table has {actual} fields, the descriptor declares {expected}", layer=FILE),
    Code("mixed-line-endings", "Mixed line endings", "Rows end with different line breaks (CRLF, LF, CR) in one file.",
         "line {line} ends with {found} but earlier lines end with {expected} ({counts}); use one kind throughout",
         layer=FILE, frictionless=False),
    # -- structure: records, quotes, header
    Code("unclosed-quote", "Unclosed quote", "A quoted cell opens a quote that is never closed, so the rest of "
         "the file is read into that one cell.",
         "a quote opened in field {field_number} is never closed: everything after it, to the end of the file "
         "({lines}), is read as one cell",
         frictionless=False),
    Code("quote-whitespace", "Whitespace around a quoted cell", "Spaces or tabs between a delimiter and the "
         "quote of a quoted cell: CSV readers then keep the quotes as text.",
         "whitespace {where} the quotes of cell {field_number}: {snippet}; remove it", frictionless=False),
    Code("stray-quote", "Stray quote", "A quote character inside an unquoted cell, or text after the closing "
         "quote of a quoted cell (RFC 4180: quote the cell and double the quote).",
         "a quote inside cell {field_number} that is not quoted as a whole: {snippet}", frictionless=False),
    Code("blank-header", "Blank header", "The header row is empty.", "the header row is empty"),
    Code("blank-label", "Blank label", "A header label is empty.",
         "the label in column {field_number} is blank; the schema names it {field_name!r}"),
    Code("duplicate-label", "Duplicate label", "A header label repeats an earlier one.",
         "the label {label!r} in column {field_number} repeats the label of column {first}"),
    Code("incorrect-label", "Label does not match the schema", "A header label differs from the schema's "
         "field name at the same position.",
         "the label {label!r} in column {field_number} should be {field_name!r} (the schema's field at this position)"),
    Code("extra-label", "Extra label", "The header has a column the schema does not declare.",
         "the header has an extra column {field_number} {label!r} that the schema does not declare"),
    Code("missing-label", "Missing label", "The schema declares a field the header does not have.",
         "the header has no column for the schema's field {field_name!r} (position {field_number})"),
    Code("blank-row", "Blank row", "A row whose cells are all empty (or an empty line).",
         "the row is blank: every cell is empty"),
    Code("extra-cell", "Extra cell", "A row has more cells than the header.",
         "an extra cell {cell!r} in column {field_number}: the header has {width} columns"),
    Code("missing-cell", "Missing cell", "A row has fewer cells than the header.",
         "the row has {count} cells, the header has {width}: no cell for field {field_name!r} (column {field_number})"),
    Code("repeated-header", "Header repeated in a later file", "A later file of a multi-file resource starts "
         "with the first file's header row. The spec puts the header in the first file only, so the row is read "
         "as data (frictionless drops it instead, and with it the first row of a file written as the spec says).",
         "the first row repeats the header of {first}: the header belongs in the first file only, so this row is "
         "read as data; remove it", severity=WARNING, frictionless=False),
    Code("formula-cell", "Spreadsheet formula", "A text cell starts with =, +, - or @, so a spreadsheet "
         "would run it as a formula when the file is opened (CSV injection). A sign followed only by digits, "
         "spaces, dots, dashes and parentheses (a phone number such as +55 21 2345-6789, a signed number) is "
         "not a formula and is not reported.",
         "the text {cell!r} starts with {char!r}: {effect}",
         severity=WARNING, frictionless=False),
    # -- schema: types, constraints, keys
    Code("schema-error", "Schema problem", "The Table Schema itself is faulty (it breaks the Table Schema "
         "profile, a key names a field that does not exist), or cannot be read (missing, remote: nothing is "
         "fetched); the affected check is skipped, or the resource is not checked.", "{detail}", layer=SCHEMA),
    Code("type-error", "Wrong type", "A cell is not a value of its field's type (a word in a number column, "
         "an impossible date). The cell alone is reported; the rest of the column is still checked.",
         "{cell!r} is not {expected}", layer=SCHEMA),
    Code("constraint-error", "Constraint violated", "A cell breaks a constraint of its field: required, enum, "
         "minimum/maximum, minLength/maxLength, pattern.", "{detail}", layer=SCHEMA),
    Code("unique-error", "Duplicate value", "A value repeats in a field whose values must be unique.",
         "{cell!r} repeats the value of line {first_line}; field {field_name!r} must be unique", layer=SCHEMA),
    Code("primary-key", "Primary key violated", "A row's primary key repeats an earlier row's, or is blank "
         "(all of it; or, beyond frictionless, one part of a composite key).", "{detail}", layer=SCHEMA),
    Code("foreign-key", "Foreign key violated", "A row refers to a row of another (or the same) table that does "
         "not exist.", "{detail}", layer=SCHEMA),
]

CATALOGUE: dict[str, Code] = {c.code: c for c in _CODES}


@dataclass(frozen=True)
class Located(Finding):
    """A finding with frictionless's coordinates beside ours (kept out of the JSON contract)."""

    row: int | None = None
    field_number: int | None = None
    pointer: str | None = None  # JSON pointer of the faulty property, for descriptor findings
    text_column: int | None = None  # the pointer's node: its column on `line` (descriptor.marks)

    def to_dict(self) -> dict:
        d = Finding.to_dict(self)
        d["row"], d["column"] = self.row, self.field_number
        if self.pointer is not None:
            d["pointer"] = self.pointer
        if self.text_column is not None:
            d["text_column"] = self.text_column
        return d


def message(code: str, **params) -> str:
    """The code's message template filled in (missing parameters are a programming error)."""
    return CATALOGUE[code].template.format(**params)


def make(code: str, *, resource=None, path=None, line=None, field=None, row=None, field_number=None,
         severity: str | None = None, msg: str | None = None, pointer: str | None = None, **params) -> Located:
    """A finding of a catalogued code, its severity from the catalogue unless given."""
    entry = CATALOGUE[code]
    if msg is None:
        msg = entry.template.format(field_number=field_number, field_name=field, line=line, row=row, **params)
    return Located(code=code, severity=severity or entry.severity, message=msg, resource=resource,
                   path=path, line=line, field=field, row=row, field_number=field_number, pointer=pointer)


def markdown_table() -> str:
    """The catalogue as the Markdown table the README shows."""
    out = ["| code | layer | severity | frictionless | what it means |", "|---|---|---|---|---|"]
    for c in _CODES:
        desc = c.description.replace("|", "\\|")
        out.append(f"| `{c.code}` | {c.layer} | {c.severity} | {'same code' if c.frictionless else 'not checked'} "
                   f"| **{c.title}.** {desc} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # `python -m kzcn.validate.catalogue` prints the README's table of codes
    print(markdown_table(), end="")
