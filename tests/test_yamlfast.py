"""kzcn.package.yamlfast: libyaml's speed, the pure-Python parser's data and error messages."""
from __future__ import annotations

import pytest
import yaml

from kzcn.package import yamlfast


def test_same_data_and_line_marks_as_the_pure_parser(repo_root):
    for path in [*sorted((repo_root / "schemas").glob("*.yaml")), repo_root / "validation" / "rules.yaml",
                 repo_root / "datapackage.yaml"]:
        text = path.read_text(encoding="utf-8")
        assert yamlfast.safe_load(text) == yaml.safe_load(text), path
        fast, pure = yamlfast.compose(text), yaml.compose(text, Loader=yaml.SafeLoader)
        # the items of each top-level list (rules, resolutions): the lines findings point at
        fast_lines = [item.start_mark.line for _, v in fast.value if isinstance(v, yaml.SequenceNode) for item in v.value]
        pure_lines = [item.start_mark.line for _, v in pure.value if isinstance(v, yaml.SequenceNode) for item in v.value]
        assert pure_lines or path.name != "rules.yaml", "the rules file has a list of rules"
        assert fast_lines == pure_lines, path


@pytest.mark.parametrize("text", ["a: [1, 2\nb: 3\n", "key: value: other\n", "- a\nb: c\n", "when: 2023-02-30\n"])
def test_a_broken_document_fails_as_the_pure_parser_fails(text):
    try:
        expected = ("ok", yaml.safe_load(text))
    except Exception as exc:  # noqa: BLE001
        expected = ("error", type(exc), str(exc))
    try:
        got = ("ok", yamlfast.safe_load(text))
    except Exception as exc:  # noqa: BLE001
        got = ("error", type(exc), str(exc))
    assert got == expected
