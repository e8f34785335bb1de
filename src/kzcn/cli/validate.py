"""`kzcn validate [TARGET] [--format text|json|github|jsonl] [--strict] [--rules FILE] [--output FILE]
[--chunk-size SIZE] [--engine local|dask [--workers N | --scheduler ADDRESS]]`.

Exit 0: valid; 1: the data has errors (or warnings, under --strict); 2: it could not run (bad
usage, target missing or unreadable, no package in or above the current folder, rules file
missing). TARGET defaults to the package around the current folder, found upward like git. The
report names the descriptor it checked and goes to stdout in the
chosen format; --output also writes the JSON report to a file, atomically, and refuses to
overwrite any file the run reads, a symlink, a device or a FIFO. Every path the package
names stays inside it unless --trusted. Nothing heavy is imported until `run`.
"""
from __future__ import annotations


def add_arguments(p):
    p.add_argument("target", nargs="?", default=None,
                   help="package folder or descriptor (datapackage.json/.yaml); default: the package in the current "
                        "folder or the nearest one above it (never the data the code was installed with)")
    p.add_argument("--format", choices=["text", "json", "github", "jsonl"], default="text",
                   help="report format (default: text); jsonl: one finding per line as found, then a summary line")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.add_argument("--rules", default=None, help="consistency rules file (default: validation/rules.yaml beside the descriptor, if any)")
    p.add_argument("--output", "-o", default=None, help="also write the JSON report to this file (atomically)")
    p.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="where the tables are checked: this process (default) or a Dask cluster "
                        "(needs pip install 'kzcn-data[dask]'); the report is the same")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="--engine dask: start a local cluster of N worker processes (default: one per core)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="--engine dask: use the running cluster at ADDRESS (tcp://host:port)")
    p.add_argument("--chunk-size", default=None, metavar="SIZE",
                   help="check CSV files larger than SIZE (e.g. 32MiB, 512KiB) in chunks of about that size, in "
                        "bounded memory, with the same findings; 0: read every file whole (default: 32MiB)")
    from .limits_args import add_limit_arguments

    add_limit_arguments(p)
    add_trusted(p)


TRUSTED_HELP = ("read paths the package names even outside its folder (absolute, .., symlinks): "
                "only for your own files, never for a pull request")


def add_trusted(p):
    p.add_argument("--trusted", action="store_true", help=TRUSTED_HELP)


def run(args) -> int:
    from ..package.limits import using
    from ..validate.run import use_batch_memory_pool
    from .limits_args import limits_from

    limits = limits_from(args)
    use_batch_memory_pool()
    if args.rules is None and not _has_rules(args):
        from ..validate.lazypandas import defer

        defer()  # no rules, no pandas (kzcn.validate.lazypandas): a third of a cold start
    with using(limits):
        return _run(args, limits)


def _has_rules(args) -> bool:
    """Whether the run will read a rules file (then pandas is needed, or may be)."""
    from ..package.descriptor import open_package
    from ..validate.run import resolve_rules

    try:
        return resolve_rules(open_package(args.target, trusted=args.trusted), None) is not None
    except Exception:  # noqa: BLE001 - validate() reports the problem itself; assume rules
        return True


def _run(args, limits) -> int:
    from ..atomic import output_problem
    from ..errors import UsageError
    from ..package.descriptor import open_package
    from ..validate.formats import render
    from ..validate.run import input_files, validate

    if args.output:
        inputs = input_files(open_package(args.target, trusted=args.trusted), args.rules)
        problem = output_problem(args.output, inputs)
        if problem:
            raise UsageError(f"--output {args.output}: refusing to overwrite it: it {problem}")
    from ..validate.stream import parse_size

    chunk = None
    if args.chunk_size is not None:
        try:
            chunk = 0 if str(args.chunk_size).strip() == "0" else parse_size(args.chunk_size)
        except ValueError as exc:
            raise UsageError(f"--chunk-size: {exc}") from None
    writer = None
    if args.format == "jsonl":
        from ..validate.jsonl import JsonlWriter

        writer = JsonlWriter(cap=limits.findings_per_code)
    report = validate(args.target, rules=args.rules, strict=args.strict, limits=limits, trusted=args.trusted,
                      chunk_size=chunk, on_findings=writer,
                      engine=args.engine, workers=args.workers, scheduler=args.scheduler)
    if writer is not None:
        writer.finish(report)
    else:
        print(render(report, args.format), end="")
    if args.output:
        from ..atomic import write_text_atomic

        try:
            write_text_atomic(args.output, report.to_json())
        except OSError as exc:
            raise UsageError(f"--output {args.output}: cannot write: {exc.strerror or exc}; "
                             f"the previous file, if any, is intact") from None
    return report.exit_code(args.strict)
