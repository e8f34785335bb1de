"""`kzcn release [--build DIR] [--dist DIR] [--previous ZIP|REV|none]`: the release zip, .sha256, notes."""
from __future__ import annotations


def add_arguments(p):
    p.add_argument("--build", default=None, metavar="DIR",
                   help="built package (default: build/datapackage beside the descriptor of the package in the "
                        "current folder or the nearest one above it)")
    p.add_argument("--dist", default=None, metavar="DIR",
                   help="where to write the release (default: dist/ beside that descriptor)")
    p.add_argument("--report-dir", default=None, metavar="DIR",
                   help="quality report to include as report/ (default: build/report, if it exists; `none` to leave out)")
    p.add_argument("--expectations-dir", default=None, metavar="DIR",
                   help="expectation suites to include as expectations/ (default: build/expectations, if it exists; `none` to leave out)")
    p.add_argument("--previous", default=None, metavar="ZIP|REV|none",
                   help="release to compare with in the notes: a zip, a package folder or a git revision "
                        "(default: the newest vX.Y.Z tag older than this version; `none` to skip)")


def run(args) -> int:
    from ..release.dist import release

    path, out = release(args.build, args.dist, args.report_dir, args.expectations_dir, args.previous)
    print(f"released {path} ({len(out.files[out.zip_name])} bytes, sha256 {out.sha256})")
    print(f"from {out.descriptor}")
    return 0
