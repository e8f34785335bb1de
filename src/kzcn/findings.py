"""Findings and the report that gathers them: the contract CI, the JSON report and the pages share.

A finding says what is wrong, where (resource, path, line as an editor shows it, field) and in
plain words why. The JSON shape is a published contract:
{"valid", "errors", "warnings", "stats"}, each finding
{"code", "severity", "resource", "path", "line", "field", "message"} (plus "rule" for rules).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

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

    def to_dict(self) -> dict:
        d = {k: v for k, v in asdict(self).items() if k != "rule"}
        if self.rule is not None:
            d["rule"] = self.rule
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
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
