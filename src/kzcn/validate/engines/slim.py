"""What of a table's TableCheck goes back from a worker to the driver.

After layers 1 and 2 the driver still needs a table for two things: foreign keys (the typed key
columns of both sides, the rows' lines and numbers, and the text of the referring cells for the
messages) and, when a rules file will run, layer 3's typed frames. A package with rules is the
curated kind (small tables), so its checks come back whole; without rules only the columns
some foreign key names come back (`keep`), which for a large table is a few columns of many.

At 100 GB this gathering is what would not scale: the key columns alone would not fit on the
driver. A file above the chunk size does not come this way: its keys are a shuffle by hash
partition on the cluster and its foreign keys are checked against a broadcast of the
referenced keys (engines.shuffle); only findings and counts reach the driver.
"""
from __future__ import annotations

import dataclasses


def key_fields(package) -> dict:
    """{table: field names some foreign key reads}, on either side of the key."""
    need: dict = {res.name: set() for res in package.resources}
    for res in package.resources:
        schema = res.schema if isinstance(res.schema, dict) else {}
        for fk in schema.get("foreignKeys") or []:
            if not isinstance(fk, dict):
                continue
            need.setdefault(res.name, set()).update(_names(fk.get("fields")))
            ref = fk.get("reference") if isinstance(fk.get("reference"), dict) else {}
            target = ref.get("resource") or res.name
            if isinstance(target, str):
                need.setdefault(target, set()).update(_names(ref.get("fields")))
    return need


def _names(value) -> list:
    """Field names as a foreign key lists them (one name or a list); anything else names none
    (foreign_keys.py reports it)."""
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def slim(check, keep):
    """`check` with only the casts and text columns of the fields in `keep` (None: all of it)."""
    if check is None or keep is None:
        return check
    parsed = check.parsed
    numbers = {f["name"]: i for i, f in enumerate(check.header.columns) if f is not None}
    wanted = {numbers[name] for name in keep if name in numbers}
    columns = [col if i in wanted else None for i, col in enumerate(parsed.columns)]
    return dataclasses.replace(check, parsed=dataclasses.replace(parsed, columns=columns, extras={}),
                               casts={k: v for k, v in check.casts.items() if k in keep})
