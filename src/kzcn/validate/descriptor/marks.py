"""The line and column of a descriptor finding's JSON pointer, from the parser's node marks.

A descriptor finding names the faulty property by JSON pointer (`/resources/0/schema/fields/1`),
which a person has to walk by hand; CI annotations need a line to attach to. The YAML parser
records where every node starts (`yaml.compose` gives each node a `start_mark`), so the
pointer is walked through the node tree of the file the finding names (the descriptor, or the
schema file a resource points to) and the finding gets that line, and the node's column as
`text_column` (the JSON's `column` stays frictionless's fieldNumber, as the contract says).

Where the pointer ends in a mapping key, the key's mark is used (`title:` is the line to fix,
not the line its value starts on); a pointer to a property that is absent (a `required` fault
points at the object that lacks it) gets the mark of the nearest node that exists.

JSON descriptors get lines the same way at no extra cost: a JSON document is a YAML flow
mapping, so the same parser marks it. A file the YAML parser cannot read (a JSON file with a
tab where YAML forbids one, an escape YAML does not know) keeps its findings without a line:
the pointer still says where. The files are parsed again only when there are findings to place.
"""
from __future__ import annotations

import dataclasses

YAML_LIKE = (".yaml", ".yml", ".json")


def _unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


def _mark(root, pointer: str):
    """The start mark of the node at `pointer` (a key's mark for a mapping entry), or of the
    deepest node on the way that exists."""
    import yaml

    node, mark = root, root.start_mark
    for part in [_unescape(p) for p in pointer.split("/")[1:]] if pointer else []:
        if isinstance(node, yaml.MappingNode):
            found = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part]
            if not found:
                return mark
            key, node = found[-1]  # a repeated key: the last wins, as the parsers read it
            mark = key.start_mark
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
            mark = node.start_mark
        else:
            return mark
    return mark


def _tree(path, limit: int):
    from ...package.paths import read_regular
    from ...package.yamlfast import compose

    try:
        return compose(read_regular(path, limit).decode("utf-8-sig"))
    except Exception:  # noqa: BLE001 - unreadable here: the finding keeps its pointer, no line
        return None


def _file_of(package, relpath: str):
    """The file a finding's `path` names: the descriptor, or a schema file inside the package."""
    if relpath == package.descriptor_path.name:
        return package.descriptor_path
    from ...package.paths import contained_or_none

    try:
        return contained_or_none(package.root, relpath, "schema file", package.trusted)
    except Exception:  # noqa: BLE001 - unsafe or odd: not read for a line
        return None


def with_lines(findings: list, package) -> list:
    """The findings with `line` (and `text_column`) set from their pointer where the file can be marked."""
    from ...package.limits import current

    todo = [f for f in findings if getattr(f, "pointer", None) is not None and f.line is None and f.path
            and str(f.path).lower().endswith(YAML_LIKE)]
    if not todo:
        return findings
    limit = current().config_bytes
    trees: dict = {}
    out, ids = [], {id(f) for f in todo}
    for f in findings:
        if id(f) in ids:
            if f.path not in trees:
                path = _file_of(package, f.path)
                trees[f.path] = _tree(path, limit) if path is not None else None
            root = trees[f.path]
            if root is not None:
                mark = _mark(root, f.pointer)
                f = dataclasses.replace(f, line=mark.line + 1, text_column=mark.column + 1)
        out.append(f)
    return out
