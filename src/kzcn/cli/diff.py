"""`kzcn diff OLD NEW [--format text|json|markdown] [--repo DIR]`: rows added, removed, changed."""
from __future__ import annotations


def add_arguments(p):
    p.add_argument("old", help="release zip, package folder, or git revision (tag, branch, commit)")
    p.add_argument("new", help="release zip, package folder, or git revision")
    p.add_argument("--format", choices=["text", "json", "markdown"], default="text", help="output format (default: text)")
    p.add_argument("--repo", default=None, help="git repository for revisions (default: the one around the current folder)")
    from .limits_args import add_limit_arguments

    add_limit_arguments(p, ("file_bytes",))


def run(args) -> int:
    from pathlib import Path

    from ..package.limits import using
    from ..release.diff import diff, render
    from .limits_args import limits_from

    with using(limits_from(args)):
        result = diff(args.old, args.new, repo=Path(args.repo) if args.repo else None)
    print(render(result, args.format), end="")
    return 0
