"""Which official profile a descriptor claims, and the profile itself (vendored JSON Schema files).

A v2 descriptor names its profile in `$schema` (https://datapackage.org/profiles/2.0/...); a v1
descriptor in `profile` (`data-package`, `tabular-data-package`), and one that says nothing is
v1, as the v2 specification prescribes. The files beside this module are copies of the
official profiles (see README.md here); nothing is fetched, so a profile named by a URL we do
not hold is reported and the descriptor is checked against the nearest one we do.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Profiles:
    """The package and Table Schema profiles one descriptor is checked against."""

    version: str          # "2.0", "1.0" or "1" (the classic v1 site profiles)
    package: str          # file name under profiles/
    schema: str
    draft4: bool
    note: str | None = None  # why these, when the descriptor asked for something we do not hold


V2 = Profiles("2.0", "v2.0/datapackage.json", "v2.0/tableschema.json", False)
V1_0 = Profiles("1.0", "v1.0/datapackage.json", "v1.0/tableschema.json", False)
V1 = Profiles("1", "v1-specs-site/data-package.json", "v1-specs-site/table-schema.json", True)
V1_TABULAR = Profiles("1", "v1-specs-site/tabular-data-package.json", "v1-specs-site/table-schema.json", True)


def choose(descriptor: dict) -> Profiles:
    """The profiles `descriptor` declares: `$schema` (v2), else `profile` (v1), else v1."""
    declared = descriptor.get("$schema")
    if isinstance(declared, str) and declared:
        if "/profiles/2." in declared:
            return V2
        if "/profiles/1.0/" in declared:
            return V1_0
        return Profiles(**{**V2.__dict__, "note": f"$schema {declared!r} is not a Data Package profile this "
                                                  f"validator holds; checked against the v2.0 profile"})
    profile = descriptor.get("profile")
    if profile is None or profile == "data-package" or (isinstance(profile, str) and profile.endswith("/data-package.json")):
        return V1
    if profile == "tabular-data-package" or (isinstance(profile, str) and profile.endswith("/tabular-data-package.json")):
        return V1_TABULAR
    return Profiles(**{**V1.__dict__, "note": f"profile {profile!r} is not a profile this validator holds "
                                              f"(nothing is fetched); checked against the v1 data-package profile"})


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """A vendored profile, read once per process."""
    return json.loads((HERE / name).read_text(encoding="utf-8"))
