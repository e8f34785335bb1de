"""benchmarks/dask_bench.py's RESULTS.md section states what was met and what was not, from the
numbers it is given (both cases: several files and one large file)."""
from __future__ import annotations

import bench_modules

dask_bench = bench_modules.load("dask_bench")


def _row(elapsed: float, same: bool = True) -> dict:
    return {"command": "kzcn validate datapackage.json", "wall": elapsed + 2, "wall_min": elapsed + 1,
            "wall_max": elapsed + 3, "cpu": elapsed, "elapsed": elapsed, "elapsed_min": elapsed - 0.5,
            "elapsed_max": elapsed + 0.5, "rcs": [1], "same_report": same}


def _measured(multi: tuple, single: tuple, same: bool = True) -> dict:
    configs = lambda t: dict(zip(("local", "dask, 1 worker", "dask, 2 workers"),  # noqa: E731
                                 (_row(t[0]), _row(t[1]), _row(t[2], same))))
    return {"rows": 2_000_000, "files": 8, "bytes": 349e6, "runs": 3, "load": "1.0", "load_after": "1.5",
            "cores": 2, "configs": configs(multi),
            "single": {"rows": 2_000_000, "bytes": 349e6, "load": "1.2", "configs": configs(single)}}


def test_the_section_says_what_is_met():
    text = dask_bench.render(_measured((9.0, 22.0, 16.0), (10.0, 14.0, 8.0)))
    assert text.startswith(dask_bench.START) and text.rstrip().endswith(dask_bench.END)
    assert "- several files: a speed-up from 1 to 2 workers: met (1.38x); 2 workers faster than one process: not met (0.56x)." in text
    assert "- one file: a speed-up from 1 to 2 workers: met (1.75x); 2 workers faster than one process: met (1.25x)." in text
    assert "every run (elapsed time aside): met." in text
    assert "Scaling from 1 to 2 workers: 1.75x in-process" in text


def test_a_miss_is_said_as_a_miss():
    text = dask_bench.render(_measured((9.0, 10.0, 10.0), (10.0, 9.0, 9.5), same=False))
    assert "several files: a speed-up from 1 to 2 workers: not met (1.00x)" in text
    assert "one file: a speed-up from 1 to 2 workers: not met (0.95x)" in text
    assert "every run (elapsed time aside): NOT met." in text and "| NO |" in text
