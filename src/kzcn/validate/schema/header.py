"""The header against the schema: how the file's labels pair with the schema's fields.

Its own module because every later check reads the pairing it makes (`Header.columns`), and
the label rules are frictionless-py 5.21's (the version the conformance tests compare us with):
- labels: positional (`fieldsMatch: exact`, the default) or by name (`equal`, `subset`,
  `superset`, `partial`); stripped before comparison; a blank label is `blank-label`, a repeated
  one `duplicate-label`, otherwise a mismatch is `incorrect-label`. A label without a field
  (`extra-label`) or a field without a label (`missing-label`) is reported once, in the header,
  and its column is then read as untyped / left out: rows are measured against the header.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import catalogue as cat
from .vocabulary import as_list


@dataclass
class Header:
    """How the header's columns pair with the schema's fields."""

    columns: list            # field dict (or None: a column the schema does not declare) per column
    dropped: list            # schema fields with no column
    findings: list


def _norm(label: str, ignore_case: bool) -> str:
    return label.casefold() if ignore_case else label


def check_header(labels, fields: list[dict], schema: dict, width: int, where: dict,
                 declared: bool = True, ignore_case: bool = False, inferred: bool = False) -> Header:
    """Compare the header's labels with the schema's fields, frictionless-style (see module doc)."""
    findings = []
    if labels is None:  # dialect header: false -> columns are the fields in order
        cols = list(fields[:width]) + [None] * max(0, width - len(fields))
        return Header(cols, list(fields[width:]), findings)
    stripped = [("" if c is None else str(c)).strip() for c in labels]
    if not stripped:
        findings.append(cat.make("blank-header", line=1, **where))
        return Header(list(fields[:width]) + [None] * max(0, width - len(fields)), list(fields[width:]), findings)

    first_at: dict = {}  # label -> its first position: one pass, not a scan of the labels before each
    for i, lab in enumerate(stripped, start=1):
        first_at.setdefault(lab, i)

    def label_findings(pairs):
        for pos, (fdef, label) in enumerate(pairs, start=1):
            name = fdef["name"] if fdef else None
            if not label:
                findings.append(cat.make("blank-label", line=1, field=name, field_number=pos, **where,
                                         msg=(f"the label in column {pos} is blank" +
                                              (f"; the schema names it {name!r}" if name and not inferred else ""))))
                continue
            if first_at[label] < pos:
                findings.append(cat.make("duplicate-label", line=1, field=name, field_number=pos, **where,
                                         label=label, first=first_at[label]))
                continue
            if fdef is not None and declared and _norm(label, ignore_case) != _norm(fdef["name"], ignore_case):
                findings.append(cat.make("incorrect-label", line=1, field=name, field_number=pos, **where,
                                         label=label))

    mode = schema.get("fieldsMatch", "exact") if declared else "exact"
    if not declared:
        label_findings([(None, lab) for lab in stripped])
        return Header([None] * width, [], findings)
    if mode == "exact":
        for pos in range(len(fields) + 1, len(stripped) + 1):
            findings.append(cat.make("extra-label", line=1, field_number=pos, **where, label=stripped[pos - 1]))
        for pos in range(len(stripped) + 1, len(fields) + 1):
            fdef = fields[pos - 1]
            findings.append(cat.make("missing-label", line=1, field=fdef["name"], field_number=pos, **where))
        label_findings(list(zip(fields, stripped)))
        cols = [fields[i] if i < len(fields) else None for i in range(width)]
        return Header(cols, list(fields[len(stripped):]), findings)

    # matching by name: equal, subset, superset, partial
    by_name = {_norm(f["name"], ignore_case): f for f in fields}
    label_findings([(None, lab) for lab in stripped])
    cols, seen = [], set()
    for pos, label in enumerate(stripped, start=1):
        fdef = by_name.get(_norm(label, ignore_case))
        if fdef is not None and fdef["name"] in seen:
            fdef = None
        if fdef is None and mode in ("exact", "equal", "superset"):
            findings.append(cat.make("extra-label", line=1, field_number=pos, **where, label=label))
        if fdef is not None:
            seen.add(fdef["name"])
        cols.append(fdef)
    cols += [None] * max(0, width - len(cols))
    pk = set(as_list(schema.get("primaryKey")))
    dropped = [f for f in fields if f["name"] not in seen]
    number = len(stripped)
    for fdef in dropped:
        required = (fdef.get("constraints") or {}).get("required") or fdef["name"] in pk
        if mode in ("equal", "subset") or required:
            number += 1
            findings.append(cat.make("missing-label", line=1, field=fdef["name"], field_number=number, **where))
    if mode == "partial" and fields and not seen:
        findings.append(cat.make("schema-error", line=1, **where,
                                 detail="none of the schema's fields is in the header (fieldsMatch: partial)"))
    return Header(cols, dropped, findings)
