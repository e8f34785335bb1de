"""YAML through libyaml when PyYAML has it, with the pure-Python parser's results and errors,
within a budget.

A cold `kzcn validate` on this repository reads a dozen YAML files (descriptor, schemas, rules,
resolutions); PyYAML's pure-Python parser spent a quarter of the run on them, libyaml a tenth
of that. Both build the same data with the same constructor. A document libyaml rejects (or
whose construction fails) is parsed again by the pure-Python parser, so that what a person
reads about a broken file does not depend on how PyYAML was built.

Every one of these files can arrive in a pull request, so a document is measured before it is
built: one pass over its parse events (flat, no recursion) counts its size as if every alias
were expanded (nodes plus the characters of its scalars) and its nesting depth. A 700-byte
"billion laughs" would otherwise become gigabytes wherever the value is later walked (an enum,
a primary key, a rule's `where:`). Over `Limits.yaml_nodes`, deeper than `Limits.yaml_depth`,
an alias inside its own anchor (a cycle) or text longer than `Limits.config_bytes`: a
`YAMLBudgetError` (a `yaml.YAMLError`) with the line where the limit was crossed.
"""
from __future__ import annotations

import yaml

from .limits import ENV, current

_FAST = getattr(yaml, "CSafeLoader", None)


class YAMLBudgetError(yaml.YAMLError):
    """A document over a limit; `problem_mark` is where, as for PyYAML's own errors."""

    def __init__(self, message: str, mark=None):
        super().__init__(message)
        self.problem_mark = mark

    def __str__(self) -> str:
        return self.args[0]


def check_budget(text: str, loader_cls=None) -> None:
    """Raise YAMLBudgetError when the document is too long, too deep or expands past the limit.

    A syntax error is left for the real parse to report (with the pure parser's words).
    """
    limits = current()
    if len(text) > limits.config_bytes:
        raise YAMLBudgetError(f"the document is {len(text):,} characters, over the limit of "
                              f"{limits.config_bytes:,} (raise it with {ENV['config_bytes']})")
    loader = (loader_cls or _FAST or yaml.SafeLoader)(text)
    max_nodes, max_depth = limits.yaml_nodes, limits.yaml_depth
    sizes: dict = {}   # anchor -> expanded size of its node
    stack: list = []   # open collections: [anchor, expanded size so far]
    total = 0
    try:
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                break
            kind = type(event)
            if kind is yaml.ScalarEvent:
                n = 1 + len(event.value)
                if event.anchor:
                    sizes[event.anchor] = n
            elif kind is yaml.AliasEvent:
                if any(a == event.anchor for a, _ in stack):
                    raise YAMLBudgetError(f"alias *{event.anchor} refers to a node that contains it "
                                          f"(a cycle); not supported", event.start_mark)
                n = sizes.get(event.anchor, 1)
            elif kind in (yaml.SequenceStartEvent, yaml.MappingStartEvent):
                if len(stack) >= max_depth:
                    raise YAMLBudgetError(f"nesting deeper than the limit of {max_depth} levels "
                                          f"(raise it with {ENV['yaml_depth']})", event.start_mark)
                stack.append([event.anchor, 1])
                total += 1
                continue
            elif kind in (yaml.SequenceEndEvent, yaml.MappingEndEvent):
                anchor, n = stack.pop()
                if anchor:
                    sizes[anchor] = n
                if stack:
                    stack[-1][1] += n
                continue
            else:  # stream/document start and end
                continue
            total += n
            if stack:
                stack[-1][1] += n
            if total > max_nodes:
                raise YAMLBudgetError(f"aliases expand the document past the limit of {max_nodes:,} "
                                      f"(nodes plus characters of text; raise it with {ENV['yaml_nodes']})",
                                      event.start_mark)
    except YAMLBudgetError:
        raise
    except Exception as exc:  # noqa: BLE001 - a syntax error: the parse below reports it in PyYAML's words
        if "nesting depth" in str(exc):  # libyaml's own bound, met while scanning ahead of our count
            raise YAMLBudgetError(f"nesting deeper than the limit of {max_depth} levels "
                                  f"(raise it with {ENV['yaml_depth']})", getattr(exc, "problem_mark", None)) from None
        return
    finally:
        loader.dispose()


def safe_load(text: str):
    check_budget(text)
    if _FAST is not None:
        try:
            return yaml.load(text, Loader=_FAST)
        except Exception:  # noqa: BLE001 - the pure-Python parser gives the error as before
            pass
    return yaml.safe_load(text)


def compose(text: str):
    """The node tree (with line marks) as `yaml.compose(text, Loader=yaml.SafeLoader)` gives it."""
    check_budget(text)
    if _FAST is not None:
        try:
            return yaml.compose(text, Loader=_FAST)
        except Exception:  # noqa: BLE001
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)
