"""`kzcn validate [TARGET] [--format text|json|github] [--strict] [--rules FILE] [--output FILE]`.

Exit 0: valid; 1: the data has errors (or warnings, under --strict); 2: it could not run (bad
usage, target missing or unreadable, no package in or above the current folder, rules file
missing). TARGET defaults to the package around the current folder, found upward like git. The
report names the descriptor it checked and goes to stdout in the
chosen format; --output also writes the JSON report to a file, atomically, and refuses to
overwrite any file of the package it validates. Nothing heavy is imported until `run`.
"""
from __future__ import annotations


def add_arguments(p):
    p.add_argument("target", nargs="?", default=None,
                   help="package folder or descriptor (datapackage.json/.yaml); default: the package in the current "
                        "folder or the nearest one above it (never the data the code was installed with)")
    p.add_argument("--format", choices=["text", "json", "github"], default="text", help="report format (default: text)")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.add_argument("--rules", default=None, help="consistency rules file (default: validation/rules.yaml beside the descriptor, if any)")
    p.add_argument("--output", "-o", default=None, help="also write the JSON report to this file (atomically)")
    from .limits_args import add_limit_arguments

    add_limit_arguments(p)


def _inputs(report_target, rules) -> set:
    """Every file the run reads: an --output path among them would destroy data."""
    from pathlib import Path

    from ..package.descriptor import open_package

    package = open_package(report_target)
    files = {package.descriptor_path.resolve()}
    for res in package.resources:
        files.add(res.path.resolve())
        schema = res.descriptor.get("schema")
        if isinstance(schema, str):
            files.add((package.root / schema).resolve())
    if rules:
        files.add(Path(rules).resolve())
    default_rules = package.root / "validation"
    if default_rules.is_dir():
        files.update(p.resolve() for p in default_rules.iterdir() if p.is_file())
    return files


def run(args) -> int:
    from ..package.limits import using
    from ..validate.run import use_batch_memory_pool
    from .limits_args import limits_from

    limits = limits_from(args)
    use_batch_memory_pool()
    with using(limits):
        return _run(args, limits)


def _run(args, limits) -> int:
    from pathlib import Path

    from ..errors import UsageError
    from ..validate.formats import render
    from ..validate.run import validate

    if args.output:
        out = Path(args.output).resolve()
        if out.is_dir():
            raise UsageError(f"--output {args.output}: is a folder; give a file name")
        if out in _inputs(args.target, args.rules):
            raise UsageError(f"--output {args.output}: refusing to overwrite a file of the package being validated")
    report = validate(args.target, rules=args.rules, strict=args.strict, limits=limits)
    print(render(report, args.format), end="")
    if args.output:
        from ..atomic import write_text_atomic

        try:
            write_text_atomic(args.output, report.to_json())
        except OSError as exc:
            raise UsageError(f"--output {args.output}: cannot write: {exc.strerror or exc}") from None
    return report.exit_code(args.strict)
