"""benchmarks/run.py and its Targets table: `make bench` is the full run, and every target of
issue 15 is judged from the numbers a run recorded, met or not as the numbers say.

The numbers here are made up on purpose, on both sides of each bound, and go through the same
summary (scale.summarise) and rendering (results_md, targets, the section modules) as a real
run's; nothing is measured, so the test is about the judging and the page, not about speed.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import bench_modules

run = bench_modules.load("run")
targets = bench_modules.load("targets")
scale = bench_modules.load("scale")
streaming = bench_modules.load("streaming")
generate = bench_modules.load("generate")

ROOT = Path(__file__).resolve().parents[1]


def _timing(package: str, tool: str, seconds: list[float], rss_mb: float = 100.0) -> dict:
    s = scale.summarise([{"seconds": x, "cpu": x, "rss_mb": rss_mb, "rc": 0, "stderr": ""} for x in seconds])
    s.update(package=package, tool=tool, size="1m", variant=package.rsplit("-", 1)[-1], command=["x"], ok=True)
    return s


def _one_million(kzcn: float, floor: float, frictionless: float) -> dict:
    """Packages and timings at 1M rows with the given medians (spread around them)."""
    packages, timings = {}, []
    for faulty in (False, True):
        name = generate.package_name("1m", faulty)
        packages[name] = {"size": "1m", "rows": 1_000_000, "variant": "faulty" if faulty else "clean",
                          "csv_bytes": 173_000_000, "all_csv_bytes": 174_000_000, "fault_rows": 0,
                          "expected_findings": 0, "kzcn_check": {"exact": True, "describe": "all found"}}
        for tool, median in (("pyarrow", floor), ("kzcn", kzcn), ("frictionless", frictionless)):
            timings.append(_timing(name, tool, [median * 0.9, median, median * 1.2]))
    return {"packages": packages, "timings": timings}


def _streamed(rss: dict) -> dict:
    sizes = {}
    for label, mb in rss.items():
        size = streaming.SIZES[label]
        sizes[label] = {"bytes": size, "rows": size // 170, "seconds": size / 3e7, "rss_mb": mb, "rc": 1,
                        "seconds_per_gb": size / 3e7 / (size / 1e9), "load_avg": 1.0, "cpu": 1.0,
                        "check": {"exact": True, "counted": True, "expected": 10}, "command": f"kzcn validate <{label}>"}
    return {"sizes": sizes, "cap": 1000}


def _config(workers: int | None, elapsed: float, same: bool = True) -> dict:
    extra = f" --engine dask --workers {workers}" if workers else ""
    return {"command": f"kzcn validate datapackage.json --format json{extra}", "wall": elapsed + 3,
            "wall_min": elapsed + 2, "wall_max": elapsed + 4, "cpu": elapsed, "elapsed": elapsed,
            "rcs": [1], "same_report": same}


def _dask(one: float, two: float, same: bool = True) -> dict:
    return {"rows": 2_000_000, "files": 8, "bytes": 349_000_000, "runs": 3, "load": "1 1 1", "load_after": "1 1 1",
            "cores": 2, "configs": {"local": _config(None, 18.0), "dask, 1 worker": _config(1, one),
                                    "dask, 2 workers": _config(2, two, same)}}


def _by_target(rows: list[dict]) -> dict:
    return {r["target"]: r["status"] for r in rows}


def test_make_bench_runs_every_part():
    recipe = (ROOT / "Makefile").read_text().split("\nbench:", 1)[1].split("\n")[1].strip()
    assert recipe == "$(BIN)/python benchmarks/run.py"  # no arguments: the full run
    p = run.plan(run._parser().parse_args([]), dask_installed=True)
    assert p["parts"] == list(run.PARTS) and p["full"] and not p["not_run"]
    assert p["sizes"] == list(generate.SIZES) and p["stream_sizes"] == list(streaming.SIZES)
    assert set(p["tools"]) == set(bench_modules.load("tools").TOOLS)


@pytest.mark.parametrize("args, missing", [(["--quick"], {"dask", "streaming"}), (["--skip", "dask,small"], {"dask", "small"}),
                                           (["--streaming-sizes", ""], {"streaming"}), (["--sizes", "1m"], set())])
def test_a_partial_run_is_not_the_full_one(args, missing):
    p = run.plan(run._parser().parse_args(args), dask_installed=True)
    assert set(p["not_run"]) == missing
    assert not p["full"]
    assert set(p["parts"]) == set(run.PARTS) - missing


def test_without_distributed_the_dask_part_says_why():
    p = run.plan(run._parser().parse_args([]), dask_installed=False)
    assert "dask" not in p["parts"] and "not installed" in p["not_run"]["dask"] and not p["full"]
    rows = targets.dask({"dask_skipped": p["not_run"]["dask"]})
    assert {r["status"] for r in rows} == {"not measured"} and "not installed" in rows[0]["measured"]


@pytest.mark.parametrize("kzcn, floor_met, fric_met", [(2.9, True, True), (3.1, False, False), (1.0, True, True)])
def test_one_million_ratios_judged_on_medians(kzcn, floor_met, fric_met):
    floor, frictionless = 1.0, 120.0  # 120 / 2.9 = 41x, 120 / 3.1 = 39x
    status = _by_target(targets.one_million(_one_million(kzcn, floor, frictionless)))
    for variant in ("clean", "faulty"):
        assert status[f"1M rows {variant}: kzcn within 3x the pyarrow parse"] == ("met" if floor_met else "not met")
        assert status[f"1M rows {variant}: kzcn at least 40x faster than frictionless"] == ("met" if fric_met else "not met")
    measured = targets.one_million(_one_million(kzcn, floor, frictionless))[0]["measured"]
    assert f"{kzcn * 0.9:.2f}-{kzcn * 1.2:.2f}" in measured and "3 runs" in measured  # the spread is shown


def test_every_target_is_listed_when_nothing_was_measured():
    rows = targets.all_targets({"packages": {}, "timings": []})
    assert len(rows) >= 10 and {r["status"] for r in rows} == {"not measured"}
    text = " ".join(r["target"] for r in rows)
    for words in ("3x the pyarrow", "40x faster", "1 GB file", "flat in file size", "time per GB", "2 workers"):
        assert words in text


@pytest.mark.parametrize("rss, one_gb, flat", [
    ({"100MB": 400, "1GB": 500, "3GB": 550}, "met", "met"),
    ({"100MB": 300, "1GB": 527, "3GB": 538}, "met", "not met"),
    ({"100MB": 400, "1GB": 1100, "3GB": 1200}, "not met", "not met"),
    ({"100MB": 400, "1GB": 500}, "met", "not measured"),  # flat so far, 3 GB missing
    ({"100MB": 400}, "not measured", "not measured"),
])
def test_streaming_targets(rss, one_gb, flat):
    rows = targets.streamed({"streaming": _streamed(rss)})
    status = [r["status"] for r in rows]
    assert status[0] == one_gb and status[1] == flat
    assert status[2] == "reported" and all(f"{label} " in rows[2]["measured"] for label in rss)
    assert status[3] == "met"


def test_dask_scaling_and_same_report():
    rows = targets.dask({"dask": _dask(32.0, 20.0)})
    assert [r["status"] for r in rows] == ["met", "met"] and "1.60x" in rows[1]["measured"]
    rows = targets.dask({"dask": _dask(32.0, 32.5, same=False)})
    assert [r["status"] for r in rows] == ["not met", "not met"]


def test_dask_cases_found_at_any_depth_and_without_two_workers():
    more = {"cases": [_dask(30.0, 20.0), {**_dask(30.0, 20.0), "configs": {"local": _config(None, 5.0),
                                                                           "dask, 1 worker": _config(1, 9.0)}}]}
    rows = targets.dask({"dask": more})
    assert len(rows) == 4
    assert [r["status"] for r in rows] == ["met", "met", "met", "not measured"]
    no_elapsed = _dask(30.0, 20.0)
    for c in no_elapsed["configs"].values():
        del c["elapsed"]
    scaling = targets.dask({"dask": no_elapsed})[1]
    assert scaling["status"] == "met" and "wall 33.0 s -> 23.0 s" in scaling["measured"]  # falls back to wall time


def _full_results() -> dict:
    machine = bench_modules.load("machine")
    results = {"started": "2026-12-01 18:00 UTC", "machine": machine.machine(), "versions": machine.versions(),
               "repo": {tool: {**_timing("repo", tool, [s]), "command": ["x"]} for tool, s in (("kzcn", 0.8), ("frictionless", 1.0))},
               "total_seconds": 1500.0, "quick": False, "full_run": True, "argv": [],
               "part_seconds": {"packages": 600.0, "dask": 400.0, "streaming": 500.0},
               **_one_million(2.5, 1.0, 110.0), "streaming": _streamed({"100MB": 380, "1GB": 520, "3GB": 540}),
               "dask": _dask(32.0, 20.0)}
    return results


def test_render_only_writes_the_page_from_the_numbers(tmp_path):
    numbers = tmp_path / "last-run.json"
    numbers.write_text(json.dumps(_full_results()))
    out = tmp_path / "RESULTS.md"
    assert run.main(["--render-only", "--results", str(numbers), "--out", str(out)]) == 0
    text = out.read_text()
    assert "`make bench` took 25.0 minutes in all (generated packages 10.0, Dask engine 6.7, streaming 8.3)" in text
    table = text.split("## Targets", 1)[1].split("\n## ", 1)[0]
    assert table.count("| **met** |") + table.count("| **not met** |") + table.count("| reported |") == \
        len(targets.all_targets(_full_results()))
    assert "not measured" not in table
    assert re.search(r"- kzcn-data: \d+\.\d+\.\d+", text)
    for marker in ("small-packages", "dask-engine", "streaming"):
        assert text.count(f"<!-- {marker}:") == (0 if marker == "small-packages" else 2)


def test_a_partial_run_says_so_and_keeps_the_sections_it_did_not_measure(tmp_path):
    full = tmp_path / "RESULTS.md"
    numbers = tmp_path / "full.json"
    numbers.write_text(json.dumps(_full_results()))
    run.main(["--render-only", "--results", str(numbers), "--out", str(full)])
    kept = streaming.current_section(full.read_text())
    partial = {**_full_results(), "full_run": False, "argv": ["--sizes", "1m", "--skip", "streaming"]}
    del partial["streaming"]
    numbers.write_text(json.dumps(partial))
    run.main(["--render-only", "--results", str(numbers), "--out", str(full)])
    text = full.read_text()
    assert "**partial run** (`benchmarks/run.py --sizes 1m --skip streaming`)" in text
    assert "`make bench` took" not in text
    assert streaming.current_section(text) == kept  # the last streaming measurement stays


def test_render_only_without_numbers_is_a_clear_error(tmp_path, capsys):
    missing = tmp_path / "none.json"
    assert run.main(["--render-only", "--results", str(missing), "--out", str(tmp_path / "R.md")]) == 2
    assert str(missing) in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert run.main(["--render-only", "--results", str(bad), "--out", str(tmp_path / "R.md")]) == 2
    assert not (tmp_path / "R.md").exists()
