"""`kzcn download VERSION [--dest DIR]`: fetch a published release, check its sha256, cache it."""
from __future__ import annotations


def add_arguments(p):
    p.add_argument("version", nargs="?", default=None, help="data version, e.g. 0.1.0 (see --list)")
    p.add_argument("--dest", default=None, metavar="DIR",
                   help="also copy the verified zip and its .sha256 into DIR")
    p.add_argument("--list", action="store_true", help="list the published versions and exit")


def run(args) -> int:
    from ..package.download import fetch_release, known_versions, registry_entry
    from ..errors import UsageError

    if args.list:
        print("\n".join(known_versions()))
        return 0
    if not args.version:
        raise UsageError(f"give a VERSION; the published versions are: {', '.join(known_versions()) or 'none'}")
    package = fetch_release(args.version, repair=True)  # a changed cache is fetched again
    print(f"{args.version}: {package}")
    if args.dest:
        import shutil
        from pathlib import Path

        from ..atomic import write_text_atomic
        from ..package.download import download_zip

        entry = registry_entry(args.version)
        dest = Path(args.dest)
        dest.mkdir(parents=True, exist_ok=True)
        target = dest / entry["file"]
        tmp = dest / f".{entry['file']}.tmp"
        shutil.copyfile(download_zip(args.version), tmp)
        tmp.replace(target)
        write_text_atomic(dest / f"{entry['file']}.sha256", f"{entry['sha256']}  {entry['file']}\n")
        print(f"{args.version}: {target}")
    return 0
