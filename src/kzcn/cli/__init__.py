"""The `kzcn` command: one entry point, one small module per subcommand, imported only when used.

Exit codes: 0 valid/done, 1 the data has errors (or warnings under --strict), 2 could not run.
No input makes it print a Python traceback: expected failures are KzcnError with a message;
anything else is reported as an internal error in one line (KZCN_DEBUG=1 shows the traceback).

What lives here: this entry point and one module per subcommand (validate, metrics, build,
release, diff, download, registry, report), each with add_arguments(parser) and run(args), and
the --max-* flags the commands reading untrusted files share (limits_args).
May import every stage (report, release, validate, package); nothing imports cli.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from ..errors import KzcnError
from ..validate.findings import EXIT_CANNOT_RUN

# name -> (module, one-line help). Each module has add_arguments(parser) and run(args) -> int,
# and imports nothing heavy at module level.
COMMANDS = {
    "validate": ("kzcn.cli.validate", "check structure, schema and consistency rules"),
    "metrics": ("kzcn.cli.metrics", "pipeline validate stage: validation report and DVC metrics"),
    "build": ("kzcn.cli.build", "write the Frictionless data package to build/datapackage"),
    "release": ("kzcn.cli.release", "zip the built package into dist/ with its sha256 and notes"),
    "diff": ("kzcn.cli.diff", "rows added, removed and changed between two releases or revisions"),
    "download": ("kzcn.cli.download", "fetch a published release, check its sha256, cache it"),
    "registry": ("kzcn.cli.registry", "list or update the sha256 registry of published releases"),
    "report": ("kzcn.cli.report", "quality report: GE suites and Data Docs, rule results, charts"),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse exits 2 on bad usage already; keep its message short
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_CANNOT_RUN)


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = _Parser(prog="kzcn", description="kzcn-data: validate, build, release and load the Kazakhstan–China dataset.")
    parser.add_argument("--version", action="version", version=f"kzcn {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (module, help_) in COMMANDS.items():
        p = sub.add_parser(name, help=help_, description=help_)
        importlib.import_module(module).add_arguments(p)
        p.set_defaults(_module=module)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return EXIT_CANNOT_RUN
    try:
        return int(importlib.import_module(args._module).run(args) or 0)
    except KzcnError as exc:
        print(f"kzcn {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"kzcn {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the promise is: never a traceback for any input
        if os.environ.get("KZCN_DEBUG"):
            raise
        print(f"kzcn {args.command}: internal error: {type(exc).__name__}: {exc} "
              f"(please report it; KZCN_DEBUG=1 shows the traceback)", file=sys.stderr)
        return EXIT_CANNOT_RUN


def entry() -> None:
    """The console script. OpenBLAS starts a thread per core when numpy is imported (60 ms of a
    cold start here) for linear algebra no command does: one thread, unless the caller says
    otherwise. Set here, before anything imports numpy, and only for the `kzcn` process."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    code = main()
    if sys.argv[1:2] == ["validate"]:
        _exit_now(code)
    sys.exit(code)


def _exit_now(code: int) -> None:
    """End `kzcn validate` without the interpreter's teardown: freeing numpy's, pyarrow's and
    pandas' modules one by one is 50-80 ms of a 0.4 s run, for a process that is about to end.
    Safe for this command only: its report is written and closed (--output atomically) before
    this point, and it leaves no temporary files or atexit work behind; other commands (report,
    build) may, so they exit the usual way. What is still buffered is flushed first; a reader
    that went away (a closed pipe) changes nothing, as in main()."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)
