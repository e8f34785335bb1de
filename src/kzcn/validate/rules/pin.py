"""Pin resolutions to the figures they were decided on: fill in `values:` where an entry lacks it.

    python -m kzcn.validate.rules.pin [TARGET] [--rules validation/rules.yaml] [--check]

Curators append entries to validation/resolutions.yaml by hand; the maintainer runs this after
merging them. For each entry without `values`, it writes the current figure of every row it
names (pins.py: "41 billion USD"), so that a later change to one of those figures re-opens the
finding (kzcn validate warns `resolution-value-changed`). Entries that already have `values`
are left as they are, and so is every other byte of the file: the `values:` line is inserted
after the entry's `rows:`, comments and wording untouched. Rows with no figure (a meeting) are
not pinned; an entry none of whose rows has one is left alone.

`--check` writes nothing and exits 1 when some entry could be pinned (for CI). Exit 0 done (or
nothing to do), 2 it could not run (no package, a faulty rules or resolutions file).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ...errors import KzcnError


def _frames(package, tables: set[str]) -> dict:
    from ...package.load import read_raw, typed_frame
    from .ruletable import RuleTable

    frames = {}
    for name in tables:
        if name not in package.table_names:
            continue
        res = package.resource(name)
        frame = typed_frame(res, read_raw(res))
        frame.index = frame.index + 2  # the line of each row, header = line 1
        frames[name] = RuleTable(frame)
    return frames


def _entry_nodes(node) -> list:
    """The mapping node of each entry of the top-level `resolutions` list."""
    for k, v in getattr(node, "value", []) or []:
        if getattr(k, "value", None) == "resolutions" and isinstance(getattr(v, "value", None), list):
            return v.value
    return []


def _insertion(item) -> tuple[int, int] | None:
    """(line index to insert before, indentation) after the entry's `rows:` value."""
    for k, v in item.value:
        if getattr(k, "value", None) == "rows":
            # a block list ends where the next key starts: take its last item's line instead
            last = v.value[-1] if isinstance(v.value, list) and v.value and not v.flow_style else v
            return last.end_mark.line + 1, k.start_mark.column
    return None


def pin_text(text: str, node, plans: dict[int, dict]) -> str:
    """The resolutions file with a `values:` line added to each planned entry (index -> pins)."""
    lines = text.splitlines(keepends=True)
    eol = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    inserts = []
    for i, item in enumerate(_entry_nodes(node)):
        if i in plans:
            where = _insertion(item)
            if where is not None:
                pins = ", ".join(f"{json.dumps(r, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
                                 for r, v in plans[i].items())
                inserts.append((where[0], " " * where[1] + f"values: {{{pins}}}" + eol))
    for line, new in sorted(inserts, reverse=True):
        if line >= len(lines) and lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += eol
        lines.insert(line, new)
    return "".join(lines)


def plan(package, ruleset) -> dict[int, dict]:
    """index of each entry without values -> {row: figure now}, for rows that have a figure."""
    from .pins import row_figures

    wanted = {r.table for r in ruleset.resolutions if r.values is None}
    frames = _frames(package, wanted)
    out = {}
    for i, res in enumerate(ruleset.resolutions):
        if res.values is not None:
            continue
        now = row_figures(package, frames, res.table, list(res.rows))
        pins = {row: fig for row, fig in now.items() if fig}
        if pins:
            out[i] = pins
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kzcn.validate.rules.pin", description=__doc__.splitlines()[0])
    parser.add_argument("target", nargs="?", help="package folder or descriptor (default: the one around the current folder)")
    parser.add_argument("--rules", help="rules file (default: validation/rules.yaml of the package)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if an entry could be pinned")
    args = parser.parse_args(argv)
    try:
        from ...package.descriptor import open_package
        from ...package.yamlfast import compose
        from ..run import resolve_rules
        from .config import load_rules

        package = open_package(args.target)
        rules_path = resolve_rules(package, args.rules)
        if rules_path is None or not Path(rules_path).is_file():
            print(f"no rules file in {package.root}", file=sys.stderr)
            return 2
        ruleset = load_rules(rules_path, trusted=package.trusted)
        if ruleset.resolutions_path is None:
            print(f"{rules_path} names no resolutions file: nothing to pin", file=sys.stderr)
            return 0 if not ruleset.refused else 2
        todo = plan(package, ruleset)
        path = Path(ruleset.resolutions_path)
        if not todo:
            print(f"{path}: every entry with a figure is pinned")
            return 0
        lines = ", ".join(str(ruleset.resolutions[i].line) for i in sorted(todo))
        if args.check:
            print(f"{path}: {len(todo)} entr{'y' if len(todo) == 1 else 'ies'} without values (line {lines}); "
                  f"run python -m kzcn.validate.rules.pin")
            return 1
        text = path.read_bytes().decode("utf-8")
        new = pin_text(text, compose(text), todo)
        _reloads(path, new, {r.id for r in ruleset.rules})
        from ...atomic import write_text_atomic

        write_text_atomic(path, new)
        print(f"{path}: pinned {len(todo)} entr{'y' if len(todo) == 1 else 'ies'} (line {lines})")
        return 0
    except KzcnError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _reloads(path: Path, new: str, rule_ids: set[str]) -> None:
    """The new text must read back as resolutions (TargetError otherwise), or nothing is written."""
    import tempfile

    from .config import load_resolutions

    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / path.name
        probe.write_text(new, encoding="utf-8")
        load_resolutions(probe, rule_ids)


if __name__ == "__main__":
    sys.exit(main())
