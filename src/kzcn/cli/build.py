"""`kzcn build [TARGET] [--out DIR] [--validation-report FILE]`: write build/datapackage/."""
from __future__ import annotations


def add_arguments(p):
    p.add_argument("target", nargs="?", default=None,
                   help="repository folder or datapackage.yaml (default: this dataset)")
    p.add_argument("--out", default=None, help="package folder to write (default: build/datapackage beside the descriptor)")
    p.add_argument("--validation-report", default=None, metavar="FILE",
                   help="validation report to include (from `kzcn metrics`); default: validate now")
    from .validate import add_trusted

    add_trusted(p)


def run(args) -> int:
    from ..release.build import build

    result = build(args.target, out=args.out, validation_report=args.validation_report, trusted=args.trusted)
    errors, warnings = len(result.report.get("errors", [])), len(result.report.get("warnings", []))
    print(f"built {result.out}: version {result.version}, {result.tables} tables, {result.rows} rows, "
          f"created {result.created}; validation: {errors} errors, {warnings} warnings")
    if errors:
        print(f"note: the data has {errors} validation errors; `kzcn release` will refuse it "
              f"(run `kzcn validate` to see them)")
    return 0
