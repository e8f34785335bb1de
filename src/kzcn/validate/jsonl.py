"""`--format jsonl`: one JSON object per line, each finding as it is found, then a summary line.

A finding line is the finding exactly as the JSON report has it (code, severity, message,
resource, path, line, field, ..., row, column). The lines come in the order the run finds
them: table by table (layers 1 and 2, by line), then foreign keys, then the rules, then
findings only the end of the run decides (descriptor findings, the count of findings not
listed). At most `findings_per_code` findings per code per resource are written, the first
found. The last line is `{"summary": true, "valid": ..., "stats": {...}}`, the stats of the
JSON report (counts of every finding, listed or not). A reader can act on each line as it
comes and on a report of millions of rows without holding it.
"""
from __future__ import annotations

import sys
from collections import Counter

from .findings import _encode_str, _scalar


def finding_line(f) -> str:
    d = f.to_dict()
    return "{" + ", ".join(f"{_encode_str(k)}: {_scalar(v)}" for k, v in d.items()) + "}\n"


def summary_line(report) -> str:
    import json

    return json.dumps({"summary": True, "valid": report.valid, "stats": report.stats}, ensure_ascii=False) + "\n"


class JsonlWriter:
    """The `on_findings` callback of kzcn.validate: writes each finding as a line, capped per code."""

    def __init__(self, out=None, cap: int | None = None):
        if cap is None:
            from ..package.limits import current

            cap = current().findings_per_code
        self.out, self.cap = out or sys.stdout, cap
        self.listed: Counter = Counter()

    def __call__(self, found) -> None:
        lines = []
        for f in found:
            key = (f.resource, f.code)
            if self.listed[key] < self.cap:
                self.listed[key] += 1
                lines.append(finding_line(f))
        if lines:
            self.out.write("".join(lines))
            self.out.flush()

    def finish(self, report) -> None:
        self.out.write(summary_line(report))
        self.out.flush()


def render_jsonl(report) -> str:
    """A finished report in the same line format (its findings in report order)."""
    return "".join(finding_line(f) for f in report.sorted()) + summary_line(report)
