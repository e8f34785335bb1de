"""`kzcn metrics [TARGET] [--report FILE] [--output FILE]`: the pipeline's validate stage.

Writes the validation report (JSON) and DVC metrics (rows per table, findings by severity,
code and rule). Exits 0 whenever it could run, errors in the data included: the numbers are
the point here, and `kzcn release` is the gate that refuses data with errors.
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
    return 0
