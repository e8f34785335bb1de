"""At most `Limits.findings_per_code` findings per code per resource; the rest are counted.

A file of a billion blank lines has a billion faults of one kind; one Python object per fault
would need more memory than the file (5 GB for 1 GB of blank lines), and nobody reads past the
first thousand. So the places that make findings by the row (cells, blank and ragged rows,
keys, quotes) ask the run's `Budget` first, keep the earliest positions by line and only count
the others; `cap_report` then cuts every (resource, code) to the limit in report order, and adds
one summary finding per capped code saying how many are not listed. The totals in the report's
stats count every finding, listed or not, so `valid`, the exit code and `by_code` are unchanged.
"""
from __future__ import annotations

import contextvars
import threading
from collections import Counter

import numpy as np

FLAG = "--max-findings-per-code"


class Budget:
    """The findings cap of one run and the counts of findings it did not make."""

    def __init__(self, cap: int):
        self.cap = cap
        self.dropped: Counter = Counter()   # (resource, code) -> findings counted, not made
        self.severity: dict = {}            # (resource, code) -> severity of the dropped ones
        self._lock = threading.Lock()

    def drop(self, resource, code: str, n: int, severity: str | None = None) -> None:
        if n > 0:
            with self._lock:
                self.dropped[(resource, code)] += int(n)
                if severity is not None:
                    self.severity.setdefault((resource, code), severity)

    def first_index(self, positions, lines: np.ndarray, resource, code: str, room: int | None = None,
                    weights: np.ndarray | None = None, severity: str | None = None) -> np.ndarray:
        """Indices into `positions` of the `room` (default: the cap) of earliest line, in their
        order; the others are counted as dropped (`weights[position]` findings each, default one)."""
        room = self.cap if room is None else max(0, room)
        positions = np.asarray(positions, dtype=np.int64)
        if len(positions) <= room:
            return np.arange(len(positions))
        order = np.argsort(lines[positions], kind="stable")
        rest = order[room:]
        dropped = int(weights[positions[rest]].sum()) if weights is not None else len(rest)
        self.drop(resource, code, dropped, severity)
        return np.sort(order[:room])

    def first(self, positions, lines: np.ndarray, resource, code: str, room: int | None = None,
              weights: np.ndarray | None = None, severity: str | None = None) -> np.ndarray:
        """The positions `first_index` keeps."""
        positions = np.asarray(positions, dtype=np.int64)
        return positions[self.first_index(positions, lines, resource, code, room, weights, severity)]


_current: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("kzcn_budget", default=None)


def current() -> Budget:
    """The run's budget (a fresh one with the current limit outside a run)."""
    budget = _current.get()
    if budget is None:
        from ..package.limits import current as limits

        budget = Budget(limits().findings_per_code)
        _current.set(budget)
    return budget


def start(cap: int):
    """A new budget for one run; returns the token to `finish` it with."""
    return _current.set(Budget(cap))


def finish(token) -> None:
    _current.reset(token)


def cap_report(findings: list, budget: Budget) -> tuple[list, dict, Counter]:
    """(the findings to list, {code: findings not listed}, total count per (severity, code)).

    Keeps the first `cap` findings of each (resource, code) in the given order, and after the
    last one listed of each capped code adds a summary finding with the number left out."""
    from .findings import Finding

    cap = budget.cap
    seen: Counter = Counter()
    dropped: Counter = Counter(budget.dropped)
    severity: dict = dict(budget.severity)
    kept: list = []
    path_of: dict = {}
    for f in findings:
        key = (f.resource, f.code)
        path_of.setdefault(key, f.path)
        severity.setdefault(key, f.severity)
        if seen[key] < cap:
            seen[key] += 1
            kept.append(f)
        else:
            dropped[key] += 1
    totals: Counter = Counter()
    for f in kept:
        totals[(f.severity, f.code)] += 1
    truncated: Counter = Counter()
    for (resource, code), n in sorted(dropped.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        if n <= 0:
            continue
        sev = severity.get((resource, code), "error")
        totals[(sev, code)] += n
        truncated[code] += n
        where = f" in {resource}" if resource else ""
        kept.append(Finding(code=code, severity=sev, resource=resource, path=path_of.get((resource, code)),
                            message=(f"{n:,} more {code} findings{where} are not listed (at most {cap:,} per "
                                     f"code per resource; raise it with {FLAG})")))
    return kept, dict(sorted(truncated.items())), totals
