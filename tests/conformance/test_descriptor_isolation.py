"""A schema that cannot be read affects its own resource only, and the run ends with exit 1.

Missing, remote or outside the package: frictionless reports the schema and stops checking the
package; kzcn reports the same code for that resource and still checks every other resource
(the difference is the point: one report shows everything), exiting 1 with the finding, not 2.
The remote case uses a URL on 127.0.0.1 with nothing listening, so frictionless's attempt to
fetch it stays on this machine; kzcn fetches nothing.
"""
from __future__ import annotations

import socket

import pytest

from corpus import SCHEMA, build, frictionless, kzcn, resource
from conftest import run_kzcn

BAD_ROWS = b"id,name\n1,a\nx,b\n"  # row 3: a type error in the good resource


def closed_port_url() -> str:
    with socket.socket() as s:  # a port that was free a moment ago: nothing answers there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/schema.json"


def two_resources(schema_ref) -> dict:
    return {"name": "p", "resources": [resource(schema=schema_ref),
                                       {"name": "good", "path": "good.csv", "schema": SCHEMA}]}


@pytest.mark.parametrize("kind", ["missing", "remote"])
def test_a_schema_not_read_beside_a_good_resource(kind, tmp_path):
    ref = "nope.schema.json" if kind == "missing" else closed_port_url()
    target = build(tmp_path, two_resources(ref), {"good.csv": BAD_ROWS})
    f_valid, theirs = frictionless(target)
    assert not f_valid and theirs == [("schema-error", None, None)]  # and it checked nothing else
    valid, ours, report = kzcn(target)
    # the same schema-error, and the other resource still checked (frictionless stops before it)
    assert not valid and ours == [("schema-error", None, None), ("type-error", 3, "id")]
    schema_error = next(f for f in report.errors if f.code == "schema-error")
    assert schema_error.resource == "data"
    if kind == "remote":
        assert "remote schema not fetched" in schema_error.message and "run with a local copy" in schema_error.message
        assert ref in schema_error.message  # the URL as written, not a local path made of it
    else:
        assert "'nope.schema.json': file not found" in schema_error.message
    done = run_kzcn("validate", target, "--format", "json")
    assert done.returncode == 1, done.stderr


def test_a_schema_outside_the_package_beside_a_good_resource(tmp_path):
    """Outside the package: frictionless says resource-error "path is not safe"; kzcn's contract for every
    path that leaves the package is scheme-error (README, SECURITY.md). Either way the resource is not read."""
    (tmp_path / "outside.json").write_text('{"fields": [{"name": "id"}]}')
    target = build(tmp_path / "pkg", two_resources("../outside.json"), {"good.csv": BAD_ROWS})
    assert frictionless(target) == (False, [("resource-error", None, None)])
    valid, ours, _ = kzcn(target)
    assert ours == [("scheme-error", None, None), ("type-error", 3, "id")]


def test_a_schema_file_that_is_not_yaml(tmp_path):
    target = build(tmp_path, two_resources("broken.yaml"), {"good.csv": BAD_ROWS, "broken.yaml": "fields: [\n"})
    valid, ours, report = kzcn(target)
    assert ours == [("schema-error", None, None), ("type-error", 3, "id")]
    assert "'broken.yaml'" in report.errors[0].message and "not valid YAML" in report.errors[0].message
