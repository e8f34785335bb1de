"""`kzcn validate [TARGET] [--format text|json|github] [--strict] [--rules FILE]`."""
from __future__ import annotations


def add_arguments(p):
    p.add_argument("target", nargs="?", default=None,
                   help="repository folder or data package descriptor (datapackage.json/.yaml); default: this dataset")
    p.add_argument("--format", choices=["text", "json", "github"], default="text", help="report format (default: text)")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.add_argument("--rules", default=None, help="consistency rules file (default: validation/rules.yaml beside the descriptor, if any)")
    p.add_argument("--output", "-o", default=None, help="also write the JSON report to this file (atomically)")


def run(args) -> int:
    from ..validate import validate
    from ..report_format import render

    report = validate(args.target, rules=args.rules, strict=args.strict)
    print(render(report, args.format), end="")
    if args.output:
        from ..atomic import write_text_atomic

        write_text_atomic(args.output, report.to_json())
    return report.exit_code(args.strict)
