"""`kzcn build [TARGET] [--out DIR] [--validation-report FILE]`: write build/datapackage/."""
from __future__ import annotations


def add_arguments(p):
    p.add_argument("target", nargs="?", default=None,
                   help="package folder or descriptor (default: the package in the current folder or the "
                        "nearest one above it)")
    p.add_argument("--out", default=None, help="package folder to write (default: build/datapackage beside the descriptor)")
    p.add_argument("--validation-report", default=None, metavar="FILE",
                   help="validation report to include (from `kzcn metrics`); default: validate now")
    from .validate import add_trusted

    add_trusted(p)


def run(args) -> int:
    from ..release.build import build
    from ..validate.formats import _plural as plural

    result = build(args.target, out=args.out, validation_report=args.validation_report, trusted=args.trusted)
    errors, warnings = len(result.report.get("errors", [])), len(result.report.get("warnings", []))
    print(f"built {result.out} from {result.descriptor}: version {result.version}, {result.tables} tables, "
          f"{result.rows} rows, created {result.created}; validation: {plural(errors, 'error')}, "
          f"{plural(warnings, 'warning')}")
    if errors:
        print(f"note: the data has {plural(errors, 'validation error')}; `kzcn release` will refuse it "
              f"(run `kzcn validate` to see them)")
    return 0
