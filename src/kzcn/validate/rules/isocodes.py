"""ISO codes from pycountry's own data files, read as plain sets: the same answers, a fifth of the time.

`references.code_problem` asks one question of pycountry: is this a code, and (for a
subdivision) of which country. Importing pycountry asks importlib.metadata for its version
(a scan of every installed distribution), and its databases build an object per entry and an
index per field: 0.25 s of CPU on a cold `kzcn validate` of the curated repository, for four
lookups. So this module opens the JSON files pycountry ships, found by `find_spec` without
running pycountry's __init__, and keeps only the field each lookup reads, lower-cased as
pycountry's indices are (its `get` is case-insensitive; a code listed twice: the last wins, as
there). Where pycountry is not importable as files (a zip, a frozen build), the lookups go
through pycountry itself, so the answers never depend on how it was installed.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

# kind -> (database file, root key, field looked up), as pycountry's classes declare them
DATABASES = {
    "countries": ("iso3166-1.json", "3166-1", "alpha_2"),
    "subdivisions": ("iso3166-2.json", "3166-2", "code"),
    "languages": ("iso639-3.json", "639-3", "alpha_2"),
    "currencies": ("iso4217.json", "4217", "alpha_3"),
}


@lru_cache(maxsize=None)
def _folder() -> Path | None:
    import importlib.util

    try:
        spec = importlib.util.find_spec("pycountry")
    except (ImportError, ValueError):
        return None
    for location in (spec.submodule_search_locations or []) if spec else []:
        folder = Path(location) / "databases"
        if all((folder / name).is_file() for name, _, _ in DATABASES.values()):
            return folder
    return None


@lru_cache(maxsize=None)
def _index(kind: str) -> dict | None:
    """Lower-cased code -> the code as listed, or None when only pycountry itself can answer."""
    folder = _folder()
    if folder is None:
        return None
    name, root, field = DATABASES[kind]
    with open(folder / name, encoding="utf-8") as f:
        entries = json.load(f)[root]
    return {e[field].lower(): e[field] for e in entries if isinstance(e.get(field), str)}


def lookup(kind: str, value: str) -> str | None:
    """The code as pycountry lists it when `value` is one (any case), else None."""
    if not isinstance(value, str):
        return None
    index = _index(kind)
    if index is not None:
        return index.get(value.lower())
    import pycountry

    try:
        found = getattr(pycountry, kind).get(**{DATABASES[kind][2]: value})
    except (KeyError, LookupError):
        return None
    return getattr(found, DATABASES[kind][2]) if found else None


def subdivision_country(code: str) -> str:
    """The country of a subdivision code as pycountry gives it (`country_code`): the part before '-'."""
    return code.split("-")[0]
