"""`kzcn diff OLD NEW [--format text|json|markdown] [--repo DIR]`: rows added, removed, changed."""
from __future__ import annotations


def add_arguments(p):
    p.add_argument("old", help="release zip, package folder, or git revision (tag, branch, commit)")
    p.add_argument("new", help="release zip, package folder, or git revision")
    p.add_argument("--format", choices=["text", "json", "markdown"], default="text", help="output format (default: text)")
    p.add_argument("--repo", default=None, help="git repository for revisions (default: the one around the current folder)")
    from .validate import add_trusted

    add_trusted(p)


def run(args) -> int:
    from pathlib import Path

    from ..release.diff import diff, render

    result = diff(args.old, args.new, repo=Path(args.repo) if args.repo else None, trusted=args.trusted)
    print(render(result, args.format), end="")
    return 0
