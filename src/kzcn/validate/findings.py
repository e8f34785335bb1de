"""Findings and the report that gathers them: the contract CI, the JSON report and the pages share.

A finding says what is wrong, where (resource, path, line as an editor shows it, field) and in
plain words why. The JSON shape is a published contract:
{"valid", "errors", "warnings", "stats"}, each finding
{"code", "severity", "resource", "path", "line", "field", "message"}, plus "rule" for rules, and
"rule_rationale" and "hint" on every finding: the rule's one-line reason and what to do about it
for layer 3, null for layers 1 and 2 (whose codes explain themselves in the catalogue); then
"row" and "column", frictionless's rowNumber and fieldNumber where a finding has them (null
otherwise), and "pointer" on a descriptor finding. Keys are only ever added, never renamed.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"

# Exit codes of every command: what happened, not how.
EXIT_VALID = 0
EXIT_INVALID = 1
EXIT_CANNOT_RUN = 2


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    resource: str | None = None
    path: str | None = None
    line: int | None = None
    field: str | None = None
    rule: str | None = None
    rule_rationale: str | None = None  # the rule's one-line rationale (rules.yaml), layer 3 only
    hint: str | None = None  # what a curator does about it: the rule's `hint`, else its kind's

    def to_dict(self) -> dict:
        # built by hand: dataclasses.asdict deep-copies field by field, a third of the time of
        # writing a report with ten thousand findings
        d = {"code": self.code, "severity": self.severity, "message": self.message, "resource": self.resource,
             "path": self.path, "line": self.line, "field": self.field}
        if self.rule is not None:
            d["rule"] = self.rule
        d["rule_rationale"] = self.rule_rationale
        d["hint"] = self.hint
        d["row"] = d["column"] = None  # frictionless's rowNumber and fieldNumber, where known (catalogue.Located)
        return d

    def sort_key(self):
        return (self.path or "", self.line if self.line is not None else -1, self.field or "", self.code)


@dataclass
class Report:
    """All findings of one run, every layer together; valid means no errors."""

    findings: list[Finding] = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def valid(self) -> bool:
        return not self.errors

    def exit_code(self, strict: bool = False) -> int:
        if self.errors or (strict and self.warnings):
            return EXIT_INVALID
        return EXIT_VALID

    def sorted(self) -> list[Finding]:
        return sorted(self.findings, key=Finding.sort_key)

    def to_dict(self) -> dict:
        return {
            "valid": self.valid,
            "errors": [f.to_dict() for f in sorted(self.errors, key=Finding.sort_key)],
            "warnings": [f.to_dict() for f in sorted(self.warnings, key=Finding.sort_key)],
            "stats": self.stats,
        }

    def to_json(self) -> str:
        return dumps_report(self.to_dict()) + "\n"


_encode_str = json.encoder.encode_basestring  # C when available: what json.dumps(ensure_ascii=False) uses


def _scalar(v) -> str:
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if type(v) is str:
        return _encode_str(v)
    if type(v) is int:
        return int.__repr__(v)
    return json.dumps(v, ensure_ascii=False)


def _findings(items: list) -> str:
    if not items:
        return "[]"
    out = []
    for f in items:
        out.append("    {\n" + ",\n".join(f"      {_encode_str(k)}: {_scalar(v)}" for k, v in f.items()) + "\n    }")
    return "[\n" + ",\n".join(out) + "\n  ]"


def dumps_report(d: dict) -> str:
    """`json.dumps(d, indent=2, ensure_ascii=False)`, byte for byte, for a report's dict.

    The standard encoder writes indented JSON in pure Python; on a report with ten thousand
    findings that took longer than finding them. Findings are flat mappings of strings and
    numbers, so they are written here with the C string encoder; anything of another shape
    goes through json.dumps as before.
    """
    flat = (isinstance(d, dict) and list(d) == ["valid", "errors", "warnings", "stats"]
            and all(isinstance(d[k], list) for k in ("errors", "warnings"))
            and all(type(f) is dict and f and all(type(k) is str for k in f)
                    and all(v is None or type(v) in (str, int, bool) for v in f.values())
                    for k in ("errors", "warnings") for f in d[k]))
    if not flat:
        return json.dumps(d, indent=2, ensure_ascii=False, sort_keys=False)
    stats = json.dumps(d["stats"], indent=2, ensure_ascii=False, sort_keys=False).replace("\n", "\n  ")
    return (f'{{\n  "valid": {_scalar(d["valid"])},\n  "errors": {_findings(d["errors"])},\n'
            f'  "warnings": {_findings(d["warnings"])},\n  "stats": {stats}\n}}')
