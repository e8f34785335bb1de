"""`kzcn registry [--update] [--dist DIR]`: list, or record dist/'s releases in kzcn/registry.json."""
from __future__ import annotations


def add_arguments(p):
    p.add_argument("--update", action="store_true",
                   help="record every dist/kzcn-data-<version>.zip (maintainers, before publishing)")
    p.add_argument("--dist", default=None, metavar="DIR",
                   help="release folder (default: dist/ beside the descriptor of the package in the current "
                        "folder or the nearest one above it)")
    p.add_argument("--registry", default=None, metavar="FILE", help="registry file (default: the one shipped in kzcn/)")


def run(args) -> int:
    from pathlib import Path

    from ..package import download
    from ..package.download import known_versions, read_registry

    path = Path(args.registry) if args.registry else download.REGISTRY_FILE
    if args.update:
        from ..package.descriptor import package_root
        from ..release.registry import update

        changes = update(Path(args.dist) if args.dist else package_root(give="--dist") / "dist", path)
        for line in changes:
            print(line)
        print(f"{path}: {'updated' if changes else 'already up to date'}")
        return 0
    registry = read_registry(path)
    for v in known_versions(registry):
        print(f"{v}  {registry[v]['sha256']}  {registry[v]['file']}")
    return 0
