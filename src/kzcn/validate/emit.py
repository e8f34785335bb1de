"""Findings handed to a caller as each stage finds them (`validate(on_findings=...)`, `--format jsonl`).

A table's findings are handed on once its layers 1 and 2 are done (a streamed table: once its
last chunk is merged, so the cap and the order by line hold), then each foreign key's, then the
rules', then whatever only the end of the run decides (descriptor findings, which replace the
schema reader's own reports of the same fault). Each finding is handed on once. The report
returned at the end is the same as without a callback.
"""
from __future__ import annotations

from collections import Counter

from .descriptor import DESCRIPTOR_CODES


def _key(f) -> tuple:
    return (f.resource, f.code, f.line, f.field, f.message)


class Emitter:
    """Passes findings to `callback` (a list at a time), each once, in the order found."""

    def __init__(self, callback):
        self.callback = callback
        self.sent: Counter = Counter()

    def _send(self, found) -> None:
        from .run import _sort_key

        found = sorted(found, key=_sort_key)
        for f in found:
            self.sent[_key(f)] += 1
        if found:
            self.callback(found)

    def table(self, found: list, locate=None) -> None:
        """A table's layer 1 and 2 findings (descriptor-level ones wait for the end of the run)."""
        if locate is not None:
            from .locate import relocate

            found = relocate(found, {found[0].resource: locate}) if found else found
        self._send([f for f in found if not (f.code in DESCRIPTOR_CODES and f.line is None)])

    def more(self, found: list, locate: dict | None = None) -> None:
        if locate:
            from .locate import relocate

            found = relocate(found, locate)
        self._send(found)

    def rest(self, final: list) -> None:
        """Every finding of the final report not handed on yet."""
        left = []
        for f in final:
            k = _key(f)
            if self.sent[k] > 0:
                self.sent[k] -= 1
            else:
                left.append(f)
        if left:
            self.callback(left)
