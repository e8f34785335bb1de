"""The fast profile evaluator (kzcn.package.schemacheck) gives jsonschema's verdict, always.

kzcn decides whether a descriptor conforms without importing jsonschema (its import alone costs
more than validating a small package); jsonschema is only asked to word the errors. So the two
must agree on every descriptor: the curated package's, and some 250 seeded mutations of it
(a property set to a value of another type, or removed), under every profile.
Also: the profiles ship inside the package (no read of /work/shared at run time) and which one a
descriptor gets.
"""
from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import json_tree
import pytest
from jsonschema import Draft4Validator, Draft7Validator

from kzcn.package import profiles
from kzcn.package.descriptor import open_package
from kzcn.package.schemacheck import Unsupported, conforms, equal

ROOT = Path(__file__).resolve().parents[2]
ALL = [profiles.V1, profiles.V1_TABULAR, profiles.V1_0, profiles.V2]
VALUES = [5, -1, 1.5, 2.0, "x", "Bad Name", "", [], [1, 1], ["a"], {}, {"a": 1}, None, True, False]


def curated_descriptor() -> dict:
    """The curated descriptor with every schema inlined (what the profiles see of a package)."""
    package = open_package(ROOT)
    out = copy.deepcopy(package.descriptor)
    for res, raw in zip(out["resources"], package.resources):
        res["schema"] = copy.deepcopy(raw.raw_schema)
        res["profile"] = "tabular-data-resource"
    return out


def mutate(doc: dict, rng: random.Random) -> dict:
    doc = copy.deepcopy(doc)
    paths = [p for p in json_tree.paths(doc) if p]
    path = rng.choice(paths)
    parent = doc
    for p in path[:-1]:
        parent = parent[p]
    action = rng.random()
    if action < 0.15 and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = copy.deepcopy(rng.choice(VALUES))
    return doc


_VALIDATORS: dict = {}


def jsonschema_valid(doc, chosen) -> bool:
    if chosen.package not in _VALIDATORS:
        cls = Draft4Validator if chosen.draft4 else Draft7Validator
        _VALIDATORS[chosen.package] = cls(profiles.load(chosen.package))
    return _VALIDATORS[chosen.package].is_valid(doc)


@pytest.mark.parametrize("chosen", ALL, ids=lambda c: c.package)
def test_same_verdict_as_jsonschema_on_mutations(chosen):
    base = curated_descriptor()
    if chosen is profiles.V1_TABULAR:
        base["profile"] = "tabular-data-package"
    rng = random.Random(12)
    profile = profiles.load(chosen.package)
    # plus a descriptor every profile rejects: the v1 data-package profile leaves schemas unchecked,
    # so most mutations (which land in the schemas) are valid under it
    docs = [base, {**base, "resources": "x"}] + [mutate(base, rng) for _ in range(40)]
    verdicts = []
    for doc in docs:
        ours = conforms(doc, profile, chosen.draft4)
        assert ours == jsonschema_valid(doc, chosen), json.dumps(doc)[:400]
        verdicts.append(ours)
    assert any(verdicts) and not all(verdicts)  # the mutations reach both verdicts


@pytest.mark.parametrize("chosen", ALL, ids=lambda c: c.schema)
def test_same_verdict_on_table_schemas(chosen):
    rng = random.Random(7)
    profile = profiles.load(chosen.schema)
    validator = (Draft4Validator if chosen.draft4 else Draft7Validator)(profile)
    for res in open_package(ROOT).resources:
        for schema in [res.raw_schema] + [mutate(res.raw_schema, rng) for _ in range(8)]:
            assert conforms(schema, profile, chosen.draft4) == validator.is_valid(schema), json.dumps(schema)[:400]


def test_json_equality_is_not_python_equality():
    assert equal(1, 1.0) and not equal(True, 1) and not equal(0, False) and equal([1, {"a": 2}], [1.0, {"a": 2.0}])
    assert conforms([True, 1], {"uniqueItems": True}) and not conforms([1, 1.0], {"uniqueItems": True})
    assert not conforms(1, {"enum": [True]}) and conforms(2.0, {"type": "integer"})
    assert not conforms(2.0, {"type": "integer"}, draft4=True)  # draft-04: 2.0 is a number, not an integer


def test_an_unknown_keyword_is_never_half_checked():
    with pytest.raises(Unsupported):
        conforms({"a": 1}, {"additionalProperties": False})


def test_the_profiles_ship_with_the_code():
    here = Path(profiles.__file__).parent
    assert here.is_relative_to(ROOT / "src" / "kzcn")
    for chosen in ALL:
        assert (here / chosen.package).is_file() and (here / chosen.schema).is_file()
    readme = (here / "README.md").read_text()
    assert "6a201af8ed2eacbb3a2440e82e4c55d5807f9c09" in readme and "Unlicense" in readme
    assert "/work/shared" not in (ROOT / "src/kzcn/package/profiles/__init__.py").read_text()


@pytest.mark.parametrize("descriptor, expected", [
    ({}, profiles.V1),
    ({"profile": "data-package"}, profiles.V1),
    ({"profile": "tabular-data-package"}, profiles.V1_TABULAR),
    ({"$schema": "https://datapackage.org/profiles/2.0/datapackage.json"}, profiles.V2),
    ({"$schema": "https://datapackage.org/profiles/1.0/datapackage.json"}, profiles.V1_0),
])
def test_which_profile(descriptor, expected):
    assert profiles.choose(descriptor) == expected
