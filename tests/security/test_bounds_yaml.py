"""Issue 10: YAML (descriptor, schema, rules, resolutions) is measured before it is built.

A 700-byte document of nested aliases ("billion laughs") stands for 10^9 nodes; wherever the
value is walked later (enum, missingValues, primaryKey, a rule's `where:`) that is gigabytes.
Each is refused with the file and the line where the limit was crossed, exit 2, within a
memory rlimit that the expanded document could never fit in.
"""
from __future__ import annotations

import pytest

from bounds_helpers import one_table, run_kzcn, write_descriptor


def laughs(levels: int = 9, indent: str = "") -> str:
    """Anchors a0..a{levels}, each a list of ten aliases of the one before: 10^levels leaves."""
    out = [f'{indent}a0: &a0 ["lol"]']
    for i in range(1, levels + 1):
        out.append(f"{indent}a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(out) + "\n"


def bomb_descriptor(key: str) -> str:
    """A datapackage.yaml whose `key` (in the field's constraints or the schema) is the bomb."""
    where = {"enum": "      constraints: {enum: *a9}\n", "missingValues": "", "primaryKey": ""}[key]
    schema_key = {"missingValues": "    missingValues: *a9\n", "primaryKey": "    primaryKey: *a9\n"}.get(key, "")
    return ("name: hostile\nx-bomb:\n" + laughs(indent="  ") +
            "resources:\n- name: t\n  path: t.csv\n  schema:\n" + schema_key +
            "    fields:\n    - name: a\n      type: string\n" + where)


@pytest.mark.parametrize("key", ["enum", "missingValues", "primaryKey"])
def test_alias_bomb_in_the_descriptor_is_refused(tmp_path, key):
    text = bomb_descriptor(key)
    assert len(text) < 1000
    (tmp_path / "t.csv").write_text("a\nlol\n")
    write_descriptor(tmp_path, [], text=text, name="datapackage.yaml")
    r = run_kzcn("validate", tmp_path, cwd=tmp_path, mem_mb=1000, timeout=120)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "datapackage.yaml:" in r.stderr and "aliases expand the document past the limit" in r.stderr
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr


def rules_bomb() -> str:
    """A rules file whose `when:` selector is the bomb: every value of its `in` list is compared
    with the cells as text, so str() would walk 10^9 leaves."""
    chain = ["          - &a0 [lol]"] + [f"          - &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]"
                                          for i in range(1, 10)]
    return ("rules:\n  - id: bomb\n    kind: conditional_required\n    severity: error\n    rationale: r.\n"
            "    params:\n      table: t\n      when:\n        a:\n          in:\n" + "\n".join(
                c.replace("          - ", "            - ") for c in chain) + "\n      require: [a]\n")


def test_alias_bomb_in_a_rules_where_is_refused(tmp_path):
    one_table(tmp_path, b"a\nlol\n")
    rules = tmp_path / "validation" / "rules.yaml"
    rules.parent.mkdir()
    text = rules_bomb()
    assert len(text) < 1000
    rules.write_text(text)
    r = run_kzcn("validate", tmp_path, cwd=tmp_path, mem_mb=1000, timeout=120)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "rules.yaml:" in r.stderr and "aliases expand" in r.stderr


def test_nesting_deeper_than_the_limit_is_refused(tmp_path):
    (tmp_path / "t.csv").write_text("a\nx\n")
    deep = "[" * 100_000 + "]" * 100_000
    write_descriptor(tmp_path, [], name="datapackage.yaml", text=(
        f"name: deep\nx-deep: {deep}\nresources:\n- name: t\n  path: t.csv\n"))
    r = run_kzcn("validate", tmp_path, cwd=tmp_path, mem_mb=1000, timeout=120)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "datapackage.yaml:2:" in r.stderr and "nesting deeper than the limit" in r.stderr


def test_a_cycle_of_aliases_is_refused(tmp_path):
    (tmp_path / "t.csv").write_text("a\nx\n")
    write_descriptor(tmp_path, [], name="datapackage.yaml", text=(
        "name: cycle\nx-loop: &loop [1, *loop]\nresources:\n- name: t\n  path: t.csv\n"))
    r = run_kzcn("validate", tmp_path, cwd=tmp_path, timeout=120)
    assert r.returncode == 2 and "a cycle" in r.stderr, r.stderr


def test_a_schema_file_over_the_byte_limit_is_not_read_whole(tmp_path):
    # 64 MB of YAML comment: read_capped stops at the limit + 1 byte
    schema = tmp_path / "t.schema.yaml"
    with open(schema, "wb") as fh:
        fh.write(b"fields: [{name: a, type: string}]\n")
        fh.write(b"#" * (64 << 20))
    one_table(tmp_path, b"a\nx\n")
    write_descriptor(tmp_path, [{"name": "t", "path": "t.csv", "schema": "t.schema.yaml"}])
    r = run_kzcn("validate", tmp_path, cwd=tmp_path, env={"KZCN_MAX_CONFIG_BYTES": "1000000"},
                 mem_mb=1000, timeout=120)
    # a schema that cannot be read is that resource's finding (exit 1), the rest still checked
    assert r.returncode == 1, r.stdout + r.stderr
    assert "t.schema.yaml" in r.stdout and "over the limit of 1,000,000 bytes" in r.stdout
    assert r.peak_mb < 400


def test_dev_zero_as_a_schema_costs_no_more_than_the_limit(tmp_path):
    one_table(tmp_path, b"a\nx\n")
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    write_descriptor(tmp_path, [{"name": "t", "path": "t.csv", "schema": "zero.yaml"}])
    r = run_kzcn("validate", tmp_path, cwd=tmp_path, mem_mb=1000, timeout=120)
    # refused before a byte is read: a link out of the package, and not a regular file
    assert r.returncode == 1, r.stdout + r.stderr
    assert "zero.yaml" in r.stdout and "scheme-error" in r.stdout
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr


def test_ordinary_yaml_is_unchanged(repo_root):
    import yaml

    from kzcn.package import yamlfast

    for path in [*sorted((repo_root / "schemas").glob("*.yaml")), repo_root / "validation" / "rules.yaml"]:
        text = path.read_text(encoding="utf-8")
        assert yamlfast.safe_load(text) == yaml.safe_load(text), path
