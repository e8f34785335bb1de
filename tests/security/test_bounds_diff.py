"""Issue 10: `kzcn diff` reads zip members within a size cap, streamed, both sizes checked.

A 200 MB member of zeros deflates to about 200 KB; `zf.read` inflated it whole (a 4 MB zip
with a 4 GB member took 6 GB). The declared size is checked before anything is inflated, and
at most limit + 1 bytes are ever read. A YAML descriptor inside an archive is parsed within
the YAML budget too.
"""
from __future__ import annotations

import json
import zipfile

from bounds_helpers import MB, run_kzcn

DESCRIPTOR = {"name": "z", "resources": [{"name": "t", "path": "t.csv",
                                          "schema": {"fields": [{"name": "a", "type": "string"}]}}]}


def release_zip(path, csv: bytes | None = None, big: int = 0, descriptor=None, name="datapackage.json"):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"z/{name}", descriptor if descriptor is not None else json.dumps(DESCRIPTOR))
        if big:
            with zf.open("z/t.csv", "w", force_zip64=True) as fh:
                fh.write(b"a\n")
                block = b"0" * MB
                for _ in range(big // MB):
                    fh.write(block)
        else:
            zf.writestr("z/t.csv", csv or b"a\nx\n")
    return path


def test_a_member_over_the_cap_is_refused_without_inflating_it(tmp_path):
    bomb = release_zip(tmp_path / "bomb.zip", big=200 * MB)
    assert bomb.stat().st_size < 2 * MB
    ok = release_zip(tmp_path / "ok.zip")
    r = run_kzcn("diff", ok, bomb, "--max-file-bytes", "10000000", cwd=tmp_path, mem_mb=1000, timeout=300)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "member z/t.csv declares 209,715,202 bytes, over the limit of 10,000,000" in r.stderr
    assert "--max-file-bytes" in r.stderr and "Traceback" not in r.stderr
    assert r.peak_mb < 400


def test_a_member_under_the_cap_is_compared(tmp_path):
    a = release_zip(tmp_path / "a.zip", b"a\nx\n")
    b = release_zip(tmp_path / "b.zip", b"a\nx\ny\n")
    r = run_kzcn("diff", a, b, "--format", "json", cwd=tmp_path, timeout=300)
    assert r.returncode == 0, r.stderr
    assert '"y"' in r.stdout


def test_the_bytes_read_are_checked_too(tmp_path):
    """A member whose central directory understates its size: the reader stops at the declared
    size (zipfile's own bound) or at limit + 1; either way never more than the cap is held."""
    from kzcn.package.limits import Limits, using
    from kzcn.release.members import read_member

    path = release_zip(tmp_path / "liar.zip", b"a\n" + b"0" * 5000)
    with zipfile.ZipFile(path) as zf, using(Limits(file_bytes=1000)):
        zf.getinfo("z/t.csv").file_size = 10  # what a forged header would say
        try:
            data = read_member(zf, "z/t.csv", str(path))
        except Exception as exc:  # noqa: BLE001 - refused: as a TargetError naming the member
            assert type(exc).__name__ == "TargetError" and "z/t.csv" in str(exc)
        else:
            assert len(data) <= 1000


def test_a_yaml_alias_bomb_inside_an_archive_is_refused(tmp_path):
    levels = ['a0: &a0 ["lol"]'] + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    schema = "x-bomb:\n" + "\n".join("  " + x for x in levels) + "\nfields: [{name: a, type: string}]\n"
    descriptor = {"name": "z", "resources": [{"name": "t", "path": "t.csv", "schema": "t.schema.yaml"}]}
    bomb = release_zip(tmp_path / "bomb.zip", descriptor=json.dumps(descriptor))
    with zipfile.ZipFile(bomb, "a") as zf:
        zf.writestr("z/t.schema.yaml", schema)
    ok = release_zip(tmp_path / "ok.zip")
    r = run_kzcn("diff", ok, bomb, cwd=tmp_path, mem_mb=1000, timeout=300)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "t.schema.yaml" in r.stderr and "aliases expand the document past the limit" in r.stderr
