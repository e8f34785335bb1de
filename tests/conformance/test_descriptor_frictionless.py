"""Descriptor faults, v1 and v2, through the real frictionless and kzcn: the same verdict and findings.

Every case is a small package built here; both validators run on it and their errors, as
(code, row, field), must be equal, except where a case lists a difference with who is right
per the specification and why (DIFFERENCES). kzcn's messages must carry the JSON pointer of
the faulty property.
"""
from __future__ import annotations

import pytest

from corpus import CSV, SCHEMA, V2, build, frictionless, kzcn, resource

GOOD = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}


def pkg(*resources, v2=False, **props):
    return {**({"$schema": V2} if v2 else {}), "name": "p", **props, "resources": list(resources) or [resource()]}


def fk(fields, ref_resource, ref_fields):
    return {**SCHEMA, "foreignKeys": [{"fields": fields, "reference": {"resource": ref_resource, "fields": ref_fields}}]}


CASES = {}
for v2 in (False, True):
    tag = "v2" if v2 else "v1"
    CASES |= {
        f"{tag}-valid": (pkg(v2=v2), ()),
        f"{tag}-duplicate-resource-names": (pkg(resource(), resource(), v2=v2), ("/resources",)),
        f"{tag}-primary-key-names-no-field": (pkg(resource(schema={**SCHEMA, "primaryKey": ["nope"]}), v2=v2), ()),
        f"{tag}-foreign-key-names-no-field": (pkg(resource(schema=fk(["nope"], "data", ["id"])), v2=v2), ()),
        f"{tag}-foreign-key-names-no-resource": (pkg(resource(schema=fk(["id"], "other", ["id"])), v2=v2), ()),
        f"{tag}-string-format-that-does-not-exist": (
            pkg(resource(schema={"fields": [{"name": "id", "type": "integer"},
                                            {"name": "name", "type": "string", "format": "%Y-%m-%d"}]}), v2=v2),
            ("/resources/0/schema/fields/1/format",)),
        f"{tag}-licence-with-only-an-id": (pkg(v2=v2, licenses=[{"id": "CC-BY-4.0"}]), ("/licenses/0",)),
        f"{tag}-title-is-an-object": (pkg(v2=v2, title={"en": "x"}), ("/title",)),
        f"{tag}-resource-without-a-name": (pkg({"path": "data.csv", "schema": SCHEMA}, v2=v2), ("/resources/0",)),
        f"{tag}-unknown-field-type": (
            pkg(resource(schema={"fields": [{"name": "id", "type": "bogus"}, {"name": "name"}]}), v2=v2),
            ("/resources/0/schema/fields/0/type",)),
        f"{tag}-constraint-of-the-wrong-type": (
            pkg(resource(schema={"fields": [{"name": "id", "type": "integer", "constraints": {"required": "yes"}},
                                            {"name": "name"}]}), v2=v2),
            ("/resources/0/schema/fields/0/constraints/required",)),
        f"{tag}-constraint-its-type-does-not-have": (
            pkg(resource(schema={"fields": [{"name": "id", "type": "integer", "constraints": {"minLength": 3}},
                                            {"name": "name"}]}), v2=v2), ()),
        f"{tag}-keywords-not-a-list": (pkg(v2=v2, keywords="a,b"), ("/keywords",)),
    }
CASES |= {
    "v1-resource-name-not-a-name": (pkg(resource(name="Bad Name")), ("/resources/0/name",)),
    # v2 relaxed names: lowercase letters, digits, ., -, _ SHOULD be used, no longer MUST
    "v2-resource-name-with-a-space-is-valid": (pkg(resource(name="Bad Name"), v2=True), ()),
    "v1-no-resources": ({"name": "p"}, ("",)),
    "v1-resource-not-a-mapping": ({"name": "p", "resources": ["x"]}, ("/resources/0",)),
    "v1-missing-values-not-a-list": (pkg(resource(schema={**SCHEMA, "missingValues": 5})),
                                     ("/resources/0/schema/missingValues",)),
    "v1-schema-file-with-a-bad-field": (pkg(resource(schema="schema.json")), ("/fields/1/format",)),
}
FILES = {"v1-schema-file-with-a-bad-field": {
    "schema.json": '{"fields": [{"name": "id", "type": "integer"}, {"name": "name", "format": "nope"}]}'}}

# case -> (kzcn's errors beyond frictionless's, frictionless's beyond kzcn's, who is right and why)
DIFFERENCES = {
    "v1-resource-not-a-mapping": (
        [], [("resource-error", None, None)],
        "frictionless adds a resource-error \"'name' is a required property\" for the string it could not read as "
        "a resource; the one fault is that it is not a mapping (the package-error both report)"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_descriptor_case_agrees_with_frictionless(case, tmp_path):
    descriptor, pointers = CASES[case]
    target = build(tmp_path, descriptor, FILES.get(case))
    f_valid, theirs = frictionless(target)
    k_valid, ours, report = kzcn(target)
    beyond, missing, _why = DIFFERENCES.get(case, ([], [], ""))
    assert sorted(ours) == sorted([t for t in theirs if t not in missing] + beyond), (ours, theirs)
    assert k_valid == f_valid == (case.endswith("-valid"))
    got = {getattr(f, "pointer", None) for f in report.errors}
    for pointer in pointers:  # the faulty property, in the finding and in its message
        assert pointer in got, (pointer, [f.message for f in report.errors])
        assert any(f.message.endswith(f"at {pointer or '/'}") for f in report.errors)


def test_frictionless_messages_and_ours_name_the_same_property(tmp_path):
    """frictionless: "'%Y-%m-%d' is not one of [...] at property 'format'"; ours names the full pointer."""
    descriptor, _ = CASES["v2-string-format-that-does-not-exist"]
    _, _, report = kzcn(build(tmp_path, descriptor))
    [f] = report.errors
    assert (f.code, f.resource, f.field, f.path) == ("field-error", "data", "name", "datapackage.json")
    assert "'%Y-%m-%d' is not one of ['default', 'email', 'uri', 'binary', 'uuid']" in f.message
    assert report.to_dict()["errors"][0]["pointer"] == "/resources/0/schema/fields/1/format"


def test_a_licence_with_only_an_id_says_what_it_needs(tmp_path):
    _, _, report = kzcn(build(tmp_path, pkg(licenses=[{"id": "CC-BY-4.0"}])))
    assert [f.message for f in report.errors] == ["{'id': 'CC-BY-4.0'} needs 'name' or 'path' at /licenses/0"]


def test_an_unknown_type_is_reported_once(tmp_path):
    """The profile and the schema reader both see it; the profile's finding, with the pointer, stands."""
    descriptor, _ = CASES["v1-unknown-field-type"]
    _, _, report = kzcn(build(tmp_path, descriptor))
    assert [(f.code, f.field) for f in report.errors] == [("field-error", "id")]
    assert "field type 'bogus' is not supported" in report.errors[0].message


# -- where kzcn and frictionless differ on purpose, each asserted on both sides


def test_an_empty_resources_list_breaks_the_profile(tmp_path):
    """Data Package v1 and v2: `resources` MUST have at least one item (the profiles' minItems: 1);
    frictionless accepts an empty list. We follow the specification."""
    target = build(tmp_path, {"name": "p", "resources": []})
    assert frictionless(target) == (True, [])
    valid, ours, report = kzcn(target)
    assert not valid and ours == [("package-error", None, None)] and report.errors[0].pointer == "/resources"


def test_an_empty_fields_list_breaks_the_profile(tmp_path):
    """Table Schema v1 and v2: `fields` MUST have at least one item; frictionless accepts the schema and
    reports each column as an extra-label. We report the schema and infer the fields, as for no schema."""
    target = build(tmp_path, pkg(resource(schema={"fields": []})))
    f_valid, theirs = frictionless(target)
    assert not f_valid and theirs == [("extra-label", None, "")] * 2
    valid, ours, report = kzcn(target)
    assert ours == [("schema-error", None, None)] and report.errors[0].pointer == "/resources/0/schema/fields"


def test_an_unknown_schema_url_is_a_warning(tmp_path):
    """A `$schema` we do not hold: frictionless says nothing; we check against v2 and say so (a warning:
    the descriptor may be right, we cannot tell offline)."""
    target = build(tmp_path, pkg(**{"$schema": "https://example.org/my-profile.json"}))
    assert frictionless(target) == (True, [])
    valid, ours, report = kzcn(target)
    assert valid and [(w.code, w.pointer) for w in report.warnings] == [("package-error", "/$schema")]


def test_a_yml_descriptor_is_read(tmp_path):
    """`frictionless validate datapackage.yml` says VALID having checked no data at all (PITFALLS.md);
    YAML is YAML: we read the descriptor and check its data."""
    target = build(tmp_path, pkg(), {"data.csv": b"id,name\n1,a\nx,b\n"}, name="datapackage.yml")
    assert frictionless(target) == (True, [])
    valid, ours, _ = kzcn(target)
    assert not valid and ours == [("type-error", 3, "id")]


def test_a_profile_tabular_package_needs_tabular_resources(tmp_path):
    """`profile: tabular-data-package` (v1) requires `profile: tabular-data-resource` on every resource:
    frictionless calls it a package-error, the profile puts the fault in the resource (resource-error,
    pointer /resources/0); adding the resource profile satisfies both."""
    target = build(tmp_path, pkg(profile="tabular-data-package"))
    assert frictionless(target) == (False, [("package-error", None, None)])
    valid, ours, report = kzcn(target)
    assert ours == [("resource-error", None, None)] and report.errors[0].pointer == "/resources/0"
    fixed = build(tmp_path / "fixed", pkg(resource(profile="tabular-data-resource"), profile="tabular-data-package"))
    assert frictionless(fixed) == (True, []) and kzcn(fixed)[:2] == (True, [])


def test_a_reference_to_a_field_the_other_table_lacks(tmp_path):
    """A foreign key to data.zzz, which does not exist: frictionless reports every row as a foreign-key
    violation, which hides the cause; the schema is what is wrong (Table Schema: reference fields MUST
    exist in the referenced resource), so we report one schema-error."""
    target = build(tmp_path, pkg(resource(schema=fk(["id"], "data", ["zzz"]))))
    _, theirs = frictionless(target)
    assert theirs == [("foreign-key", 2, None), ("foreign-key", 3, None)]
    _, ours, report = kzcn(target)
    assert ours == [("schema-error", None, None)] and "zzz" in report.errors[0].message


def test_the_curated_package_conforms():
    from pathlib import Path

    from kzcn.package.descriptor import open_package
    from kzcn.validate.descriptor import descriptor_findings

    root = Path(__file__).resolve().parents[2]
    assert descriptor_findings(open_package(root)) == []


def test_csv_bytes_are_what_the_cases_assume():
    assert CSV.decode().splitlines()[0].split(",") == [f["name"] for f in GOOD["fields"]]
