"""YAML through libyaml when PyYAML has it, with the pure-Python parser's results and errors.

A cold `kzcn validate` on this repository reads a dozen YAML files (descriptor, schemas, rules,
resolutions); PyYAML's pure-Python parser spent a quarter of the run on them, libyaml a tenth
of that. Both build the same data with the same constructor. A document libyaml rejects (or
whose construction fails) is parsed again by the pure-Python parser, so that what a person
reads about a broken file does not depend on how PyYAML was built.
"""
from __future__ import annotations

import yaml

_FAST = getattr(yaml, "CSafeLoader", None)


def safe_load(text: str):
    if _FAST is not None:
        try:
            return yaml.load(text, Loader=_FAST)
        except Exception:  # noqa: BLE001 - the pure-Python parser gives the error as before
            pass
    return yaml.safe_load(text)


def compose(text: str):
    """The node tree (with line marks) as `yaml.compose(text, Loader=yaml.SafeLoader)` gives it."""
    if _FAST is not None:
        try:
            return yaml.compose(text, Loader=_FAST)
        except Exception:  # noqa: BLE001
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)
