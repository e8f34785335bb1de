"""Keys for a package's resources that never collide, even when two resources share a name.

Reports key per-resource numbers by resource name (the JSON report's `stats.tables`, the
report stage's summary). A duplicate name is a descriptor error (`package-error` at
/resources), but its resources are still read and checked, so their numbers must not overwrite
each other: the first resource of a name keeps the name as its key, and each later one is keyed
by the name and its place in the descriptor, `data (/resources/2)`, the JSON pointer the
duplicate-name finding speaks of. A package whose names are unique is keyed by its names,
exactly as before.
"""
from __future__ import annotations


def resource_keys(names: list) -> list[str]:
    """One key per resource, in descriptor order, all distinct; `names[i]` itself wherever it is unique."""
    taken = {str(n) for n in names}
    seen: set[str] = set()
    out = []
    for i, name in enumerate(names):
        key = str(name)
        if key in seen:
            key = f"{name} (/resources/{i})"
            while key in taken or key in seen:  # a resource really named so: keep the keys apart
                key += "'"
        seen.add(key)
        out.append(key)
    return out
