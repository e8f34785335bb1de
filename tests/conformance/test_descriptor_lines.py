"""Descriptor findings carry the line (and column) of their JSON pointer's node, in YAML and JSON.

frictionless reports a descriptor fault with a property name only; we give the JSON pointer,
and now the line an editor shows and the node's column (`text_column`), so `--format github`
annotates the line (`line=`, `col=`) and the JSON report has `line`. The expected line of each
case is found in the file's text (the line that holds the faulty key), not written down.
"""
from __future__ import annotations

import json

import pytest
import yaml

from corpus import CSV, kzcn

YAML_DESCRIPTOR = """\
name: p
title:
  en: x
licenses:
  - id: CC-BY-4.0
resources:
  - name: data
    path: data.csv
    schema:
      fields:
        - name: id
          type: integer
        - name: name
          type: string
          format: "%Y-%m-%d"
"""


def _line_of(text: str, needle: str) -> tuple[int, int]:
    """(1-based line, 1-based column) of the first line containing `needle`, at the needle."""
    for i, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return i, line.index(needle) + 1
    raise AssertionError(needle)


def _write(folder, name, text, files=None):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data.csv").write_bytes(CSV)
    for fname, content in (files or {}).items():
        (folder / fname).write_text(content)
    (folder / name).write_text(text)
    return folder / name


def test_a_yaml_descriptor_gives_each_pointer_its_line_and_column(tmp_path):
    target = _write(tmp_path, "datapackage.yaml", YAML_DESCRIPTOR)
    _, _, report = kzcn(target)
    got = {f.pointer: (f.line, f.text_column) for f in report.errors}
    assert got == {"/title": _line_of(YAML_DESCRIPTOR, "title:"),
                   "/licenses/0": _line_of(YAML_DESCRIPTOR, "id: CC-BY-4.0"),
                   "/resources/0/schema/fields/1/format": _line_of(YAML_DESCRIPTOR, "format:")}
    field = next(f for f in report.errors if f.code == "field-error")
    assert field.field_number == 2  # frictionless's fieldNumber is still the JSON's `column`
    assert field.to_dict()["column"] == 2 and field.to_dict()["text_column"] == field.text_column


def test_github_annotations_attach_to_the_line(tmp_path, kzcn_cli):
    target = _write(tmp_path, "datapackage.yaml", YAML_DESCRIPTOR)
    done = kzcn_cli("validate", target.name, "--format", "github", cwd=tmp_path)
    line, col = _line_of(YAML_DESCRIPTOR, "title:")
    assert f"::error file=datapackage.yaml,line={line},col={col},title=package-error::" in done.stdout
    report = json.loads(kzcn_cli("validate", target.name, "--format", "json", cwd=tmp_path).stdout)
    assert {e["pointer"]: e["line"] for e in report["errors"]}["/title"] == line


def test_a_yaml_schema_file_gives_the_line_in_that_file(tmp_path):
    schema = "fields:\n  - name: id\n    type: integer\n  - name: name\n    format: nope\n"
    descriptor = yaml.safe_dump({"name": "p", "resources": [{"name": "data", "path": "data.csv", "schema": "schema.yaml"}]})
    target = _write(tmp_path, "datapackage.yaml", descriptor, {"schema.yaml": schema})
    _, _, report = kzcn(target)
    [f] = report.errors
    assert (f.path, f.pointer, (f.line, f.text_column)) == ("schema.yaml", "/fields/1/format", _line_of(schema, "format:"))


def test_a_json_descriptor_gets_lines_too(tmp_path):
    descriptor = {"name": "p", "title": {"en": "x"}, "resources": [
        {"name": "data", "path": "data.csv", "schema": {"fields": [{"name": "id", "type": "bogus"}, {"name": "name"}]}}]}
    text = json.dumps(descriptor, indent=2)
    _, _, report = kzcn(_write(tmp_path, "datapackage.json", text))
    got = {f.pointer: f.line for f in report.errors}
    assert got == {"/title": _line_of(text, '"title"')[0], "/resources/0/schema/fields/0/type": _line_of(text, '"bogus"')[0]}


def test_an_absent_property_points_at_the_object_that_lacks_it(tmp_path):
    text = "name: p\nresources:\n  - path: data.csv\n    schema:\n      fields:\n        - name: id\n        - name: name\n"
    _, _, report = kzcn(_write(tmp_path, "datapackage.yaml", text))
    [f] = [e for e in report.errors if e.pointer == "/resources/0"]
    assert (f.code, f.line) == ("resource-error", _line_of(text, "- path: data.csv")[0])


@pytest.mark.parametrize("indent", ["\t", 0])
def test_json_the_yaml_parser_cannot_mark_keeps_its_pointer(tmp_path, indent):
    """Tabs (YAML forbids them as indentation) or one line: a line when it can be had, never a wrong one."""
    text = json.dumps({"name": "p", "title": {"en": "x"}, "resources": [{"name": "data", "path": "data.csv"}]}, indent=indent)
    _, _, report = kzcn(_write(tmp_path, "datapackage.json", text))
    [f] = report.errors
    assert f.pointer == "/title" and f.line in (None, _line_of(text, '"title"')[0])


def test_a_descriptor_line_on_an_inline_resource_is_not_moved_into_its_data(tmp_path):
    text = ("name: p\nresources:\n  - name: t\n    title: {en: x}\n    data:\n      - [id]\n      - [1]\n"
            "    schema:\n      fields:\n        - {name: id, type: integer}\n")
    _, _, report = kzcn(_write(tmp_path, "datapackage.yaml", text))
    [f] = [e for e in report.errors if e.pointer is not None]
    assert (f.pointer, f.line, f.path) == ("/resources/0/title", _line_of(text, "title:")[0], "datapackage.yaml")
    assert f.message.startswith("{'en': 'x'} is not of type 'string'")
