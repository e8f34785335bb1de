"""Walking a JSON-like tree (dicts and lists), for tests that mutate descriptors place by place.

Shared by the descriptor-profile fuzz (tests/conformance) and the containment fuzz
(tests/security): both pick a place in a document and replace what is there.
"""
from __future__ import annotations


def paths(value, prefix=()):
    """Every place in a JSON-like tree: the tree itself (the empty path), then each key or index below it."""
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from paths(v, prefix + (i,))
