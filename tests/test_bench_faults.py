"""The benchmark's 10k-row faulty package: kzcn finds every injected fault exactly, and nothing else.

benchmarks/generate.py breaks about 1% of the rows, one fault each, of every class the validator
knows, and records the finding each must produce (line, field, code). `make bench` checks this
at 10k, 100k and 1M rows while timing; this test checks it on every `make test`, without timing.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

import bench_modules

import kzcn

ROOT = Path(__file__).resolve().parents[1]


_load = bench_modules.load


generate = _load("generate")
faultcheck = _load("faultcheck")


@pytest.fixture(scope="module")
def faulty_10k(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "trade-10k-faulty"
    generate.generate(out, 10_000, faulty=True)
    return out


def test_every_fault_class_is_injected(faulty_10k):
    manifest = faultcheck.load_manifest(faulty_10k)
    classes = Counter(f["class"] for f in manifest["expected_findings"])
    assert set(classes) == set(generate.FAULT_CLASSES)
    assert 90 <= manifest["fault_rows"] <= 110  # about 1% of 10,000 rows, one fault per row
    lines = [f["line"] for f in manifest["expected_findings"]]
    assert min(lines) >= 2 and max(lines) <= 10_001
    # the manifest's lines are the file's lines: check a few cells against the bytes
    text = (faulty_10k / generate.TRADE_PATH).read_text(encoding="utf-8").splitlines()
    for f in manifest["expected_findings"]:
        if f["class"] in ("enum", "pattern", "foreign-key", "bad-date"):
            assert f["value"] in text[f["line"] - 1], f


def test_kzcn_finds_each_fault_exactly(faulty_10k):
    report = kzcn.validate(faulty_10k / "datapackage.json").to_dict()
    result = faultcheck.compare(report, faultcheck.load_manifest(faulty_10k))
    assert result["missing"] == [], faultcheck.describe(result)
    assert result["spurious"] == [], faultcheck.describe(result)
    assert result["matched"] == result["expected"] > 100
    assert report["valid"] is False


def test_clean_package_has_no_finding(tmp_path):
    out = tmp_path / "trade-10k-clean"
    generate.generate(out, 10_000, faulty=False)
    report = kzcn.validate(out / "datapackage.json").to_dict()
    assert report["errors"] == [] and report["warnings"] == [], report["errors"][:3] + report["warnings"][:3]
    assert report["stats"]["tables"]["trade_volumes"]["rows"] == 10_000


def test_generation_is_deterministic(tmp_path, faulty_10k):
    again = tmp_path / "trade-10k-faulty"
    generate.generate(again, 10_000, faulty=True)
    first = json.loads((faulty_10k / "manifest.json").read_text())
    second = json.loads((again / "manifest.json").read_text())
    assert first["files"] == second["files"]  # same sizes and sha256 for every CSV
    assert first["expected_findings"] == second["expected_findings"]


def test_serial_and_threaded_parse_give_the_same_report(faulty_10k, monkeypatch):
    """On two cores pyarrow parses in one thread and numbers the ragged rows; on more it parses
    in threads and the rows are found by counting cells. Both must find the same."""
    import kzcn.validate.structure.fast

    reports = []
    for serial in (True, False):
        monkeypatch.setattr(kzcn.validate.structure.fast, "serial_parse", lambda s=serial: s)
        report = kzcn.validate(faulty_10k / "datapackage.json").to_dict()
        report["stats"].pop("elapsed_seconds")
        reports.append(report)
    assert reports[0] == reports[1]
    assert any(f["code"] == "extra-cell" for f in reports[0]["errors"])
