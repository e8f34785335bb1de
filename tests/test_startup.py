"""What a cold `kzcn validate` imports: no pandas without rules, no jsonschema for a descriptor that conforms.

Start-up is most of a small package's time (benchmarks/RESULTS.md, "Small packages, cold"), and
pandas alone is 0.4 s of it: pyarrow imports it on its first conversion of a Python value unless
told otherwise (kzcn.validate.lazypandas). Measured as imports, not seconds, so the test does not
depend on the machine's load.
"""
from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
sys.argv = ["kzcn", "validate", "--format", "json"] + sys.argv[1:]
from kzcn.cli import entry
try:
    entry()
except SystemExit as exc:
    code = exc.code
print(json.dumps({"pandas": sys.modules.get("pandas") is not None, "jsonschema": "jsonschema" in sys.modules,
                  "code": code}), file=sys.stderr)
"""


def probe(cwd, *args):
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True, text=True, timeout=300)
    return json.loads(done.stderr.strip().splitlines()[-1]), done.stdout


def small_package(folder, csv="id,name\n1,a\n2,b\n", **schema_more):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data.csv").write_text(csv)
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "name"}], **schema_more}
    (folder / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [
        {"name": "data", "path": "data.csv", "schema": schema}]}))
    return folder


def test_a_package_without_rules_imports_neither_pandas_nor_jsonschema(tmp_path):
    imported, out = probe(small_package(tmp_path / "ok"))
    assert imported == {"pandas": False, "jsonschema": False, "code": 0}
    bad, out = probe(small_package(tmp_path / "bad", csv="id,name\n1,a\nx,b\n"))
    assert bad == {"pandas": False, "jsonschema": False, "code": 1}
    assert [e["code"] for e in json.loads(out)["errors"]] == ["type-error"]


def test_a_faulty_descriptor_imports_jsonschema_to_word_its_errors(tmp_path):
    imported, out = probe(small_package(tmp_path, primaryKey=5))
    assert imported["jsonschema"] and imported["code"] == 1
    assert any(e.get("pointer") == "/resources/0/schema/primaryKey" for e in json.loads(out)["errors"])


def test_rules_still_get_pandas(tmp_path):
    """The curated package has rules: pandas is imported, and pyarrow knows it (its frames convert)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    imported, out = probe(root)
    assert imported == {"pandas": True, "jsonschema": False, "code": 0}
    assert json.loads(out)["stats"]["layers"]["rules"]["status"] == "ran"


def test_deferring_then_restoring_leaves_pyarrow_knowing_pandas():
    code = ("import sys\nfrom kzcn.validate import lazypandas\nimport pyarrow as pa\n"
            "assert lazypandas.defer()\npa.array(['x'])\nassert sys.modules.get('pandas') is None\n"
            "lazypandas.restore()\nimport pandas as pd\n"
            "assert pa.array(pd.Series([1, 2])).type == pa.int64()\n"
            "assert pa.Table.from_pandas(pd.DataFrame({'a': [1]})).to_pandas()['a'].tolist() == [1]\nprint('ok')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.stdout.strip() == "ok", done.stderr
