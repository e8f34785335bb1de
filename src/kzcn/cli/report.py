"""`kzcn report [TARGET] [--output DIR] [--rules FILE] [--strict] [--exit-zero] [--screenshot]`.

Writes the quality report (see kzcn.report). Exit 0 when the data is valid, 1 when it has errors
(or warnings under --strict) — the report is written either way, that is its point — and 2
when it cannot run; with --exit-zero (a pipeline stage that records) 0 unless it cannot run.
great_expectations, matplotlib and jinja2 are imported only when it runs.
"""
from __future__ import annotations


def add_arguments(p):
    p.add_argument("target", nargs="?", default=None,
                   help="package folder or descriptor (datapackage.json/.yaml); default: the package in the "
                        "current folder or the nearest one above it")
    p.add_argument("--output", "-o", default=None,
                   help="output folder (default: build/ beside the descriptor): expectations/, gx/ and report/ go there")
    p.add_argument("--rules", default=None,
                   help="consistency rules file (default: validation/rules.yaml beside the descriptor, if any)")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.add_argument("--exit-zero", action="store_true",
                   help="exit 0 even when the data has errors (a pipeline stage that records, not gates)")
    p.add_argument("--screenshot", action="store_true",
                   help="also draw the summary page to summary.png in the output folder (beside report/, "
                        "which stays exactly what the pipeline records) with headless Chromium")
    from .validate import add_trusted

    add_trusted(p)


MAINTAINER_MODULES = {"great_expectations", "matplotlib", "jinja2", "PIL"}


def run(args) -> int:
    from ..errors import UsageError
    from ..report.stage import build_report
    from ..validate.formats import _plural as plural

    try:
        run = build_report(args.target, output=args.output, rules=args.rules, strict=args.strict,
                           screenshot=args.screenshot, trusted=args.trusted)
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in MAINTAINER_MODULES:
            raise
        raise UsageError(f"the quality report needs {exc.name}, one of the maintainer tools: "
                         f"pip install 'kzcn-data[maintainer]'") from None
    s = run.summary
    rules = s["rules"]
    print(f"checked {run.descriptor}")
    print(f"kzcn report: {plural(s['errors'], 'error')}, {plural(s['warnings'], 'warning')}; rules: {rules['passed']} passed, "
          f"{rules['failed']} failed, {rules['warned']} warned, {rules['not_applicable']} not applicable; "
          f"expectations met: {s['expectations']['successful']} of {s['expectations']['evaluated']}")
    print(f"summary page: {run.index}")
    print(f"Data Docs:    {run.docs_index}")
    if run.screenshot:
        print(f"screenshot:   {run.screenshot}")
    return 0 if args.exit_zero else run.exit_code
