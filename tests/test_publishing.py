"""Publishing is checked by the tools GitHub, PyPI and Zenodo users rely on, run offline here.

actionlint over .github/workflows (no error, no deprecated action runtime), zizmor --offline (no
high-severity finding), cffconvert --validate on CITATION.cff, the Zenodo metadata's required keys,
one version everywhere a release states it, and the release workflow's shape: it rebuilds, checks
the zip's sha256 against src/kzcn/registry.json before anything is uploaded, and grants each job
only the permission it needs. Each linter is also shown a known-bad file, so that "no finding"
means the linter looked.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from release_helpers import ROOT, VERSION, build_and_release, copy_package, kzcn

BIN = Path(sys.executable).parent
ACTIONLINT = BIN / "actionlint"
ZIZMOR = BIN / "zizmor"
# cffconvert needs jsonschema<4, frictionless >=4.20: `make install` gives it a venv of its own.
CFFCONVERT = ROOT / ".venv" / "cffconvert" / "bin" / "cffconvert"
WORKFLOWS = ROOT / ".github" / "workflows"
RELEASE = WORKFLOWS / "release.yml"
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s*([\w.-]+/[\w./-]+)@([0-9a-f]{40})\s+#\s*v\d+(?:\.\d+){0,2}\s*$")

OLD_WORKFLOW = """\
name: old
on: [push]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
"""


def _tool(path: Path) -> str:
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `make install` (the test extra installs it)")
    return str(path)


def _run(cmd, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=300)


def _workflow(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


def _old_workflow_dir(tmp_path: Path) -> Path:
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "old.yml").write_text(OLD_WORKFLOW, encoding="utf-8")
    return folder


# --- actionlint --------------------------------------------------------------------------------

def test_actionlint_reports_nothing_on_the_workflows():
    files = sorted(WORKFLOWS.glob("*.y*ml"))
    assert {f.name for f in files} >= {"validate.yml", "release.yml"}
    done = _run([_tool(ACTIONLINT), "-no-color", *files])
    assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr
    assert "deprecated" not in done.stdout + done.stderr


def test_actionlint_knows_the_node20_removal(tmp_path):
    """The check above is not vacuous: offline, actionlint flags an action on the removed runtime."""
    folder = _old_workflow_dir(tmp_path)
    done = _run([_tool(ACTIONLINT), "-no-color", folder / "old.yml"], cwd=tmp_path)
    assert done.returncode == 1
    assert 'runtime "node20" is deprecated' in done.stdout and "actions/checkout@v4" in done.stdout


# --- zizmor ------------------------------------------------------------------------------------

def _zizmor(folder: Path, cwd: Path) -> list[dict]:
    done = _run([_tool(ZIZMOR), "--offline", "--format", "json", folder], cwd=cwd)
    assert done.returncode in (0, 11, 12, 13, 14), done.stderr  # 1x: findings, highest severity x
    return json.loads(done.stdout)


def test_zizmor_finds_nothing_of_high_severity():
    findings = _zizmor(WORKFLOWS, ROOT)
    high = [(f["ident"], f["desc"], f["locations"][0]["symbolic"]["key"]) for f in findings
            if f["determinations"]["severity"] == "High" and not f.get("ignored")]
    assert high == []


def test_zizmor_flags_an_unpinned_action(tmp_path):
    findings = _zizmor(_old_workflow_dir(tmp_path), tmp_path)
    idents = {(f["ident"], f["determinations"]["severity"]) for f in findings}
    assert ("unpinned-uses", "High") in idents and ("artipacked", "Medium") in idents


# --- the workflows by hand: pins, permissions, credentials ---------------------------------------

def test_every_action_is_pinned_by_commit_with_its_version():
    for path in sorted(WORKFLOWS.glob("*.y*ml")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(r"^\s*(-\s+)?uses:", line):
                assert PINNED.match(line), f"{path.name}:{n}: not pinned by full commit SHA with # vX.Y.Z: {line.strip()}"


def test_permissions_are_per_job_and_checkout_keeps_no_token():
    for path in sorted(WORKFLOWS.glob("*.y*ml")):
        wf = _workflow(path)
        assert wf.get("permissions") == {}, f"{path.name}: top-level permissions must be {{}}"
        for name, job in wf["jobs"].items():
            assert "permissions" in job, f"{path.name}: job {name} names no permissions"
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step.get("with", {}).get("persist-credentials") is False, f"{path.name}: {name}"


def test_release_workflow_rebuilds_checks_then_publishes():
    wf = _workflow(RELEASE)
    assert wf["on"] == {"push": {"tags": ["v*"]}}
    jobs = wf["jobs"]
    assert set(jobs) == {"build", "github-release", "pypi"}
    # each permission on the one job that needs it
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["github-release"]["permissions"] == {"contents": "write"}
    assert jobs["pypi"]["permissions"] == {"id-token": "write"}
    assert jobs["pypi"]["environment"]["name"] == "pypi"
    assert "build" in jobs["github-release"]["needs"]
    assert {"build", "github-release"} <= set(jobs["pypi"]["needs"])

    runs = [s.get("run", "") for s in jobs["build"]["steps"]]
    make = next(i for i, r in enumerate(runs) if r.strip() == "make")
    check = next(i for i, r in enumerate(runs) if ".ci/check-release" in r)
    wheel = next(i for i, r in enumerate(runs) if "-m build" in r)
    upload = next(i for i, s in enumerate(jobs["build"]["steps"]) if "upload-artifact" in s.get("uses", ""))
    assert make < check < upload and wheel < upload
    assert "GITHUB_REF_NAME" in runs[check]

    release = "\n".join(s.get("run", "") for s in jobs["github-release"]["steps"])
    assert "gh release create" in release
    for part in ('kzcn-data-$version.zip"', "kzcn-data-$version.zip.sha256", "kzcn-data-$version.notes.md"):
        assert part in release
    token = next(s for s in jobs["github-release"]["steps"] if "run" in s)["env"]["GH_TOKEN"]
    assert token == "${{ secrets.GITHUB_TOKEN }}"

    publish = [s for s in jobs["pypi"]["steps"] if s.get("uses", "").startswith("pypa/gh-action-pypi-publish@")]
    assert len(publish) == 1 and "password" not in publish[0].get("with", {})  # trusted publishing, no token


# --- .ci/check-release: what the release workflow relies on ------------------------------------

@pytest.fixture(scope="module")
def scratch_release(tmp_path_factory) -> Path:
    """A scratch repository with a real release in dist/ and a registry recording it (`kzcn registry`)."""
    root = copy_package(tmp_path_factory.mktemp("publish") / "repo")
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    build_and_release(root)
    (root / "src" / "kzcn").mkdir(parents=True)
    kzcn("registry", "--update", "--dist", root / "dist", "--registry", root / "src" / "kzcn" / "registry.json")
    return root


def _check_release(tag: str, root: Path) -> subprocess.CompletedProcess:
    return _run([sys.executable, ROOT / ".ci" / "check-release", tag, "--root", root])


def test_check_release_accepts_the_release_the_registry_names(scratch_release):
    done = _check_release(f"v{VERSION}", scratch_release)
    assert done.returncode == 0, done.stderr
    assert f"kzcn-data-{VERSION}.zip matches the registry" in done.stdout


def test_check_release_refuses_a_zip_the_registry_does_not_name(scratch_release, tmp_path):
    root = Path(shutil.copytree(scratch_release, tmp_path / "repo"))
    zip_path = root / "dist" / f"kzcn-data-{VERSION}.zip"
    data = bytearray(zip_path.read_bytes())
    data[-1] ^= 1  # same size, other bytes
    zip_path.write_bytes(bytes(data))
    done = _check_release(f"v{VERSION}", root)
    assert done.returncode == 1
    assert "but the registry records" in done.stderr and "sha256" in done.stderr


def test_check_release_refuses_a_tag_that_is_not_the_version(scratch_release):
    done = _check_release("v9.9.9", scratch_release)
    assert done.returncode == 1
    assert f"tag v9.9.9 but datapackage.yaml's version is {VERSION}" in done.stderr
    assert "has no entry for 9.9.9" in done.stderr


def test_check_release_refuses_a_version_missing_from_the_registry(scratch_release, tmp_path):
    root = Path(shutil.copytree(scratch_release, tmp_path / "repo"))
    (root / "src" / "kzcn" / "registry.json").write_text('{"releases": {}}\n', encoding="utf-8")
    done = _check_release(f"v{VERSION}", root)
    assert done.returncode == 1 and "run `make registry`" in done.stderr


# --- citation and archive metadata -------------------------------------------------------------

def test_citation_cff_is_valid():
    done = _run([_tool(CFFCONVERT), "--validate", "-i", ROOT / "CITATION.cff"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "valid according to schema version 1.2.0" in done.stdout


def test_cffconvert_refuses_a_broken_citation(tmp_path):
    broken = tmp_path / "CITATION.cff"
    broken.write_text((ROOT / "CITATION.cff").read_text(encoding="utf-8").replace("type: dataset", "type: datset"),
                      encoding="utf-8")
    done = _run([_tool(CFFCONVERT), "--validate", "-i", broken])
    assert done.returncode != 0


def test_citation_says_what_the_dataset_is():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert cff["authors"] == [{"name": "kzcn-data maintainers"}]  # an entity, not a person
    assert cff["license"] == "CC-BY-4.0"
    assert cff["repository-code"] == "https://github.com/kzcn-data/kzcn-data"
    assert cff["keywords"] and cff["title"]


def test_one_version_in_every_file_a_release_states_it():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    py = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert str(cff["version"]) == VERSION, "CITATION.cff's version is not datapackage.yaml's"
    assert py == VERSION, "pyproject.toml's version is not datapackage.yaml's (the wheel ships this data)"


def test_zenodo_metadata_has_what_zenodo_requires():
    meta = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    assert meta["upload_type"] == "dataset"
    assert meta["license"] == "cc-by-4.0"
    assert meta["title"] and meta["description"]
    assert meta["creators"] and all(c.get("name") for c in meta["creators"])
    assert meta["keywords"] and all(isinstance(k, str) and k for k in meta["keywords"])
    repo = [r for r in meta["related_identifiers"] if r["identifier"] == "https://github.com/kzcn-data/kzcn-data"]
    assert repo and repo[0]["relation"] and repo[0]["scheme"] == "url"
