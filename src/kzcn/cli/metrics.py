"""`kzcn metrics [TARGET] [--report FILE] [--output FILE] [--fail-on-errors]`: the pipeline's validate stage.

Writes the validation report (JSON) and DVC metrics (rows per table, findings by severity,
code and rule). Exits 0 whenever it could run, errors in the data included: the numbers are
the point here, and `kzcn release` is the gate that refuses data with errors. The pipeline
passes --fail-on-errors: both files are still written, then it exits 1, so `dvc repro` stops
before any stage is recorded and the tracked dvc.lock keeps describing the last valid data.
"""
from __future__ import annotations


def add_arguments(p):
    p.add_argument("target", nargs="?", default=None,
                   help="package folder or descriptor (default: the package in the current folder or the "
                        "nearest one above it)")
    p.add_argument("--report", default=None, metavar="FILE",
                   help="validation report to write (default: build/validation/report.json beside the descriptor)")
    p.add_argument("--output", "-o", default=None, metavar="FILE",
                   help="metrics file to write (default: build/metrics.json beside the descriptor)")
    p.add_argument("--fail-on-errors", action="store_true",
                   help="exit 1 when the data has errors, after writing both files (the pipeline's gate: "
                        "dvc repro then records nothing for data that cannot be released)")
    from .validate import add_trusted

    add_trusted(p)


def run(args) -> int:
    from ..release.metrics import run as run_stage
    from ..validate.formats import _plural as plural

    out = run_stage(args.target, report_path=args.report, metrics_path=args.output, trusted=args.trusted)
    m = out.metrics
    print(f"checked {out.descriptor}")
    print(f"{m['rows_total']} rows in {len(m['rows'])} tables; "
          f"{plural(m['findings']['error'], 'error')}, {plural(m['findings']['warning'], 'warning')}")
    if args.fail_on_errors and m["findings"]["error"]:
        import sys

        print(f"kzcn metrics: the data has {plural(m['findings']['error'], 'error')}: stopping the pipeline "
              f"before anything is recorded (dvc.lock unchanged); see `kzcn validate` or "
              f"{args.report or 'build/validation/report.json'}", file=sys.stderr)
        return 1
    return 0
