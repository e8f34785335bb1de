"""The documented limits are the ones that apply: README's Limits table against kzcn.package.limits,
and the flags and environment variables that change them (a bad value is a usage error, exit 2)."""
from __future__ import annotations

import re

import pytest

from bounds_helpers import one_table, run_kzcn
from kzcn.package.limits import ENV, Limits, from_env

MIB = 1 << 20


def _shown(value: int) -> str:
    if value % (1 << 30) == 0:
        return f"{value >> 30} GiB"
    if value % MIB == 0:
        return f"{value // MIB} MiB"
    return f"{value:,}"


def test_the_readme_table_states_the_defaults(repo_root):
    text = (repo_root / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Limits"):text.index("### Consistency rules")]
    rows = {m.group(2): m.group(1) for m in re.finditer(r"\| ([^|]+?) \| [^|]*`(KZCN_MAX_[A-Z_]+)`", section)}
    limits = Limits()
    for name, env in ENV.items():
        shown = _shown(getattr(limits, name)) if name != "yaml_depth" else f"{limits.yaml_depth} levels"
        assert rows.get(env) == shown, (env, rows.get(env), shown)


def test_environment_overrides_and_bad_values(monkeypatch):
    monkeypatch.setenv("KZCN_MAX_FIELDS", "12")
    assert from_env().fields == 12
    monkeypatch.setenv("KZCN_MAX_FIELDS", "many")
    with pytest.raises(Exception, match="KZCN_MAX_FIELDS: 'many' is not a whole number"):
        from_env()


@pytest.mark.parametrize("value", ["0", "-3", "lots"])
def test_a_bad_flag_value_is_a_usage_error(tmp_path, value):
    one_table(tmp_path, b"a\nx\n")
    r = run_kzcn("validate", tmp_path, "--max-fields", value, cwd=tmp_path, timeout=120)
    assert r.returncode == 2 and "--max-fields" in r.stderr and "Traceback" not in r.stderr
