"""`kzcn diff OLD NEW [--format text|json|markdown] [--repo DIR]`: rows added, removed, changed."""
from __future__ import annotations


def add_arguments(p):
    p.add_argument("old", help="release zip, package folder, or git revision (tag, branch, commit)")
    p.add_argument("new", help="release zip, package folder, or git revision")
    p.add_argument("--format", choices=["text", "json", "markdown"], default="text", help="output format (default: text)")
    p.add_argument("--repo", default=None,
                   help="git repository (package folder) for revisions (default: the package in the current "
                        "folder or the nearest one above it)")
    from .limits_args import add_limit_arguments

    add_limit_arguments(p, ("file_bytes",))
    from .validate import add_trusted

    add_trusted(p)


def run(args) -> int:
    from pathlib import Path

    from ..package.limits import using
    from ..release.diff import diff, render
    from ..release.verdict import render_verdict, verdict
    from .limits_args import limits_from

    repo = Path(args.repo) if args.repo else None
    with using(limits_from(args)):
        result = diff(args.old, args.new, repo=repo, trusted=args.trusted)
        result["new_validation"] = verdict(args.new, repo)
    text = render(result, args.format)
    if args.format != "json":
        text += ("\n" if args.format == "markdown" else "") + render_verdict(result["new_validation"]) + "\n"
    print(text, end="")
    return 0
