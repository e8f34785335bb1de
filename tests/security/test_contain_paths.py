"""Every path a package names stays inside the package: attacks on what validate, build and diff read.

Each test builds a hostile package in a temp folder with a secret file beside it (outside the
package) and a token in the environment, runs the real command as CI would, and checks: exit 1
with a scheme-error naming the path (or exit 2 with a message for a command that must stop),
the secret and the token in no output and no file, and nothing in the temp tree changed.
"""
from __future__ import annotations

import json
import os

import pytest

from conftest import SECRET, assert_clean_exit, leaked, run_kzcn, snapshot, write_package

SCHEMA = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}


def _resource(path, **more):
    return [{"name": "t", "path": path, "schema": SCHEMA, **more}]


def _validate_refuses(pkg, tmp, needle, fmt="github"):
    before = snapshot(tmp)
    done = run_kzcn("validate", pkg, "--format", fmt)
    assert_clean_exit(done, (1,))
    assert "scheme-error" in done.stdout and needle in done.stdout, done.stdout
    assert not leaked(done, pkg), leaked(done, pkg)
    assert snapshot(tmp) == before
    return done


def test_an_absolute_resource_path_is_refused_unread(sandbox):
    pkg, secret, tmp = sandbox
    write_package(pkg, _resource(str(secret)))
    done = _validate_refuses(pkg, tmp, "absolute path")
    assert str(secret).replace(":", "%3A") in done.stdout or str(secret) in done.stdout


@pytest.mark.parametrize("path", ["../outside/secret.csv", "data/../../outside/secret.csv"])
def test_a_dotdot_resource_path_is_refused_unread(sandbox, path):
    pkg, _, tmp = sandbox
    write_package(pkg, _resource(path))
    _validate_refuses(pkg, tmp, "..")


@pytest.mark.parametrize("path", ["~/secret.csv", "$HOME/secret.csv", "${HOME}/x.csv", "file:///etc/passwd"])
def test_home_variables_and_file_urls_are_refused(sandbox, path):
    pkg, _, tmp = sandbox
    write_package(pkg, _resource(path))
    _validate_refuses(pkg, tmp, "not read", fmt="text")


def test_a_symlink_out_of_the_package_is_refused_unread(sandbox):
    pkg, secret, tmp = sandbox
    write_package(pkg, _resource("data.csv"))
    os.symlink(secret, pkg / "data.csv")
    _validate_refuses(pkg, tmp, "leads outside the package")


def test_proc_environ_through_a_symlink_leaks_no_token(sandbox):
    pkg, _, tmp = sandbox
    write_package(pkg, _resource("env.csv"))
    os.symlink("/proc/self/environ", pkg / "env.csv")
    _validate_refuses(pkg, tmp, "leads outside the package")


def test_a_fifo_is_refused_before_it_is_opened(sandbox):
    pkg, _, tmp = sandbox
    write_package(pkg, _resource("pipe.csv"))
    os.mkfifo(pkg / "pipe.csv")  # opening it for reading would block forever
    _validate_refuses(pkg, tmp, "FIFO")


def test_a_device_is_refused(sandbox):
    pkg, _, tmp = sandbox
    write_package(pkg, _resource("zero.csv"))
    os.symlink("/dev/zero", pkg / "zero.csv")  # reads forever, were it read
    done = run_kzcn("validate", pkg, "--trusted")  # even trusted: only regular files are read
    assert_clean_exit(done, (1,))
    assert "scheme-error" in done.stdout and "device" in done.stdout


@pytest.mark.parametrize("key", ["schema", "dialect"])
def test_a_schema_or_dialect_path_out_of_the_package_is_refused(sandbox, key):
    pkg, _, tmp = sandbox
    res = {"name": "t", "path": "t.csv", "schema": SCHEMA, key: "../outside/secret.yaml"}
    write_package(pkg, [res])
    _validate_refuses(pkg, tmp, f"{key} '../outside/secret.yaml'")


def test_a_schema_symlinked_out_is_refused(sandbox):
    pkg, _, tmp = sandbox
    write_package(pkg, [{"name": "t", "path": "t.csv", "schema": "t.schema.yaml"}])
    os.symlink(tmp / "outside" / "secret.yaml", pkg / "t.schema.yaml")
    _validate_refuses(pkg, tmp, "leads outside the package")


def test_a_rules_file_symlinked_out_is_refused(sandbox):
    pkg, _, tmp = sandbox
    write_package(pkg)
    (pkg / "validation").mkdir()
    os.symlink(tmp / "outside" / "secret.yaml", pkg / "validation" / "rules.yaml")
    _validate_refuses(pkg, tmp, "rules file")


@pytest.mark.parametrize("ref", ["../../outside/secret.yaml", "/proc/self/environ"])
def test_a_resolutions_path_out_of_the_package_is_refused(sandbox, ref):
    pkg, _, tmp = sandbox
    write_package(pkg)
    (pkg / "validation").mkdir()
    (pkg / "validation" / "rules.yaml").write_text(f"resolutions: {json.dumps(ref)}\nrules: []\n")
    _validate_refuses(pkg, tmp, "resolutions file")


def test_a_descriptor_symlinked_out_of_its_folder_is_refused(sandbox):
    pkg, _, tmp = sandbox
    (tmp / "outside" / "datapackage.json").write_text(json.dumps({"resources": [
        {"name": "t", "path": "secret.csv", "schema": SCHEMA}]}))
    os.symlink(tmp / "outside" / "datapackage.json", pkg / "datapackage.json")
    before = snapshot(tmp)
    done = run_kzcn("validate", pkg)
    assert_clean_exit(done, (2,))
    assert "descriptor" in done.stderr and "outside the package" in done.stderr
    assert not leaked(done, pkg) and snapshot(tmp) == before


def test_trusted_reads_your_own_files_outside_the_folder(sandbox):
    pkg, secret, _ = sandbox
    write_package(pkg, _resource(str(secret)))
    done = run_kzcn("validate", pkg, "--trusted", "--format", "json")
    assert_clean_exit(done, (0,))
    assert json.loads(done.stdout)["stats"]["rows"] == 1


def test_build_refuses_a_path_out_of_the_package(sandbox):
    pkg, secret, tmp = sandbox
    write_package(pkg, _resource("data.csv"))
    os.symlink(secret, pkg / "data.csv")
    before = snapshot(tmp)
    done = run_kzcn("build", pkg, "--out", tmp / "out")
    assert_clean_exit(done, (1, 2))
    assert "data.csv" in done.stderr and "outside the package" in done.stderr
    assert not leaked(done, pkg) and snapshot(tmp) == before


def test_diff_refuses_a_symlink_out_of_a_package_folder(sandbox):
    pkg, secret, tmp = sandbox
    write_package(pkg, _resource("data.csv"))
    os.symlink(secret, pkg / "data.csv")
    clean = tmp / "clean"
    write_package(clean)
    before = snapshot(tmp)
    done = run_kzcn("diff", clean, pkg, "--format", "json")
    assert_clean_exit(done, (2,))
    assert "data.csv" in done.stderr and "outside the package" in done.stderr
    assert not leaked(done, pkg) and snapshot(tmp) == before
