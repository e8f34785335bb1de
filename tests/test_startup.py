"""What a cold `kzcn validate` imports: no pandas without rules, no jsonschema for a descriptor that conforms.

Start-up is most of a small package's time (benchmarks/RESULTS.md, "Small packages, cold"), and
pandas alone is 0.4 s of it: pyarrow imports it on its first conversion of a Python value unless
told otherwise (kzcn.validate.lazypandas). Measured as imports, not seconds, so the test does not
depend on the machine's load. The probe runs the console script's own entry point (which ends
the process with os._exit, kzcn.cli._exit_now) and looks at sys.modules just before it exits.
"""
from __future__ import annotations

import json
import subprocess
import sys

# Heavy, or pulled in only for work a package without rules never needs: a JSON descriptor
# that conforms, one CSV resource, no rules file. Each was imported by some path once, or could be.
NOT_ON_THE_FAST_PATH = (
    "pandas", "jsonschema", "yaml", "pycountry", "pyarrow.pandas_compat", "concurrent.futures",
    "logging", "importlib.metadata", "pyarrow.parquet", "pyarrow.dataset", "great_expectations",
    "dvc", "pandera", "frictionless", "urllib.request", "http.client", "email", "matplotlib")

PROBE = """
import json, os, sys
sys.argv = ["kzcn", "validate", "--format", "json"] + sys.argv[1:]
import kzcn.cli

exit_now = kzcn.cli._exit_now

def look_then_exit(code):
    names = json.loads(os.environ["PROBE_MODULES"])
    print(json.dumps({"imported": sorted(n for n in names if sys.modules.get(n) is not None),
                      "pandas": sys.modules.get("pandas") is not None, "jsonschema": "jsonschema" in sys.modules,
                      "code": code, "openblas": os.environ.get("OPENBLAS_NUM_THREADS")}), file=sys.stderr)
    exit_now(code)

kzcn.cli._exit_now = look_then_exit
kzcn.cli.entry()
"""


def probe(cwd, *args, full=False):
    import os

    env = {**os.environ, "PROBE_MODULES": json.dumps(NOT_ON_THE_FAST_PATH)}
    env.pop("OPENBLAS_NUM_THREADS", None)
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=env)
    seen = json.loads(done.stderr.strip().splitlines()[-1])
    assert done.returncode == seen["code"]  # os._exit carried the exit code
    if not full:
        seen = {k: seen[k] for k in ("pandas", "jsonschema", "code")}
    return seen, done.stdout


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


def test_a_package_without_rules_imports_none_of_the_heavy_modules(tmp_path):
    seen, out = probe(small_package(tmp_path / "ok"), full=True)
    assert seen["code"] == 0 and json.loads(out)["valid"] is True
    assert seen["imported"] == []
    assert seen["openblas"] == "1"  # the console script asks numpy's OpenBLAS for one thread
    seen, out = probe(small_package(tmp_path / "bad", csv="id,name\n1,a\nx,b\n"), full=True)
    assert (seen["code"], seen["imported"]) == (1, [])


def test_the_curated_rules_read_iso_codes_without_importing_pycountry():
    from pathlib import Path

    seen, out = probe(Path(__file__).resolve().parents[1], full=True)
    assert seen["code"] == 0 and "pycountry" not in seen["imported"] and "pandas" in seen["imported"]
