"""The README's generated sections: the finding codes, the consistency rules and their family x table matrix.

Both tables come from their one source (kzcn.validate.catalogue, validation/rules.yaml), so the README
cannot drift from what the validator does: `python -m kzcn.validate.readme_sections` rewrites them and
a test fails when the committed README is out of date.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

MARK = "<!-- generated:{name} (python -m kzcn.validate.readme_sections) -->"
END = "<!-- end:{name} -->"


def sections(root: Path) -> dict[str, str]:
    from . import catalogue
    from .rules.config import markdown_table
    from .rules.matrix import markdown_matrix

    rules = root / "validation" / "rules.yaml"
    return {
        "codes": catalogue.markdown_table().rstrip("\n"),
        "rules": markdown_table(rules).rstrip("\n"),
        "matrix": markdown_matrix(rules).rstrip("\n"),
    }


def render(readme: str, root: Path) -> str:
    for name, body in sections(root).items():
        start, end = MARK.format(name=name), END.format(name=name)
        pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
        if not pattern.search(readme):
            raise SystemExit(f"README.md: marker {start!r} ... {end!r} not found")
        readme = pattern.sub(lambda _m: f"{start}\n{body}\n{end}", readme)
    return readme


def main() -> int:
    from ..atomic import write_text_atomic
    from ..package.descriptor import package_root

    root = package_root()  # the checkout around the current folder, as every command finds it
    path = root / "README.md"
    if not path.is_file():
        raise SystemExit(f"{path}: no README.md beside the package's descriptor")
    new = render(path.read_text(encoding="utf-8"), root)
    write_text_atomic(path, new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
