"""`make bench`: time `kzcn validate` beside frictionless, Great Expectations and a bare pyarrow parse.

What a full run (`make bench`, no arguments) measures, in order: the generated packages of 10k,
100k and 1M rows, clean and faulty, every tool side by side (scale.py); the curated repository
cold; the small packages cold (small.py); the Dask engine on a multi-file package
(dask_bench.py, when distributed is installed); the streamed 100 MB, 1 GB and 3 GB files
(streaming.py). Every process is measured by measure.py (wall, CPU, its own peak RSS).

Writes benchmarks/RESULTS.md (results_md.py: machine, versions, how long the run took, the
Targets table of targets.py, every section) and benchmarks/data/last-run.json (every number).

    .venv/bin/python benchmarks/run.py              # what `make bench` runs (~25 min on 2 cores)
    .venv/bin/python benchmarks/run.py --quick      # 10k and 100k rows, fewer runs, no Dask, no streaming
    .venv/bin/python benchmarks/run.py --streaming-only   # 100 MB, 1 GB, 3 GB files streamed (benchmarks/streaming.py)
    .venv/bin/python benchmarks/run.py --render-only      # RESULTS.md again from benchmarks/data/last-run.json
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import dask_bench  # noqa: E402
import generate  # noqa: E402
import machine  # noqa: E402
import results_md  # noqa: E402
import scale  # noqa: E402
import sections  # noqa: E402
import small  # noqa: E402
import streaming  # noqa: E402
import targets  # noqa: E402
import tools  # noqa: E402

LAST_RUN = HERE / "data" / "last-run.json"


def has_dask() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


PARTS = ("packages", "repo", "small", "dask", "streaming")  # in the order a run measures them


def plan(args: argparse.Namespace, dask_installed: bool) -> dict:
    """What a run with these arguments measures: sizes, tools, streamed sizes, and which parts
    run (the others with the reason). `make bench` (no arguments) runs every part."""
    sizes = args.sizes.split(",") if args.sizes else (["10k", "100k"] if args.quick else list(generate.SIZES))
    names = tuple(t for t in args.tools.split(",") if t)
    if "pyarrow" not in names:
        names = ("pyarrow", *names)
    stream_sizes = [s for s in args.streaming_sizes.split(",") if s]
    skip = {p for p in args.skip.split(",") if p}
    not_run = {p: f"--skip {p}" for p in skip}
    if args.quick:
        not_run.setdefault("dask", "--quick")
        not_run.setdefault("streaming", "--quick")
    if not dask_installed:
        not_run.setdefault("dask", "distributed is not installed: pip install 'kzcn-data[dask]'")
    if not stream_sizes:
        not_run.setdefault("streaming", "--streaming-sizes ''")
    p = {"sizes": sizes, "tools": names, "quick": args.quick, "stream_sizes": stream_sizes,
         "parts": [part for part in PARTS if part not in not_run], "not_run": not_run}
    p["full"] = (p["parts"] == list(PARTS) and sizes == list(generate.SIZES) and set(names) == set(tools.TOOLS)
                 and stream_sizes == list(streaming.SIZES) and not args.quick)
    return p


def run(p: dict, log) -> dict:
    """Every part of the plan, in order; the numbers, with each part's seconds."""
    env = {**os.environ, "DVC_NO_ANALYTICS": "1", "GX_ANALYTICS_ENABLED": "False", "PYTHONWARNINGS": "ignore"}
    tools.compile_kzcn()
    quick, repeats = p["quick"], 3 if p["quick"] else tools.REPO_RUNS
    results = {"started": sections.now(), "machine": machine.machine(), "versions": machine.versions(),
               "packages": {}, "timings": [], "repo": {}, "part_seconds": {}, "not_run": p["not_run"]}
    measures = {
        "packages": lambda: scale.run_packages(p["sizes"], quick, p["tools"], env, log),
        "repo": lambda: scale.run_repo(repeats, env, log),
        "small": lambda: small.measure(tools.KZCN, tools.FRICTIONLESS, tools.ROOT, repeats, log),
        "dask": lambda: dask_bench.measure(tools.KZCN, log),
        "streaming": lambda: streaming.measure(tools.KZCN, HERE / "data", p["stream_sizes"], log),
    }
    t0 = time.perf_counter()
    for part in p["parts"]:
        started = time.perf_counter()
        got = measures[part]()
        results["part_seconds"][part] = round(time.perf_counter() - started, 1)
        if part == "packages":
            results["packages"], results["timings"] = got
        else:
            results[part] = got
    if "dask" in p["not_run"]:
        results["dask_skipped"] = p["not_run"]["dask"]
    results["total_seconds"] = round(time.perf_counter() - t0, 1)
    results["quick"] = quick
    results["full_run"] = p["full"]
    return results


def _replace(out: Path, text: str) -> None:
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, out)


def write_results(results: dict, out: Path) -> str:
    """RESULTS.md from `results`; a section this run did not measure is kept as the page had it."""
    text = results_md.render(results)
    current = out.read_text(encoding="utf-8") if out.exists() else ""
    kept = dask_bench.section_of(current)
    if "dask" not in results and kept:
        text = dask_bench.splice(text, kept)
    kept = streaming.current_section(current)
    if not results.get("streaming") and kept:  # a --quick run keeps the last streaming measurement
        text = streaming.splice(text, kept)
    _replace(out, text)
    return text


def _write_section(out: Path, module, measured: dict, raw: str | None, what: str) -> None:
    """Keep a one-part run's measurement (benchmarks/data/RAW) and rewrite only its section of
    RESULTS.md (benchmarks/sections.py), atomically."""
    if raw:
        (HERE / "data").mkdir(exist_ok=True)
        (HERE / "data" / raw).write_text(json.dumps(measured, indent=1) + "\n", encoding="utf-8")
    current = out.read_text(encoding="utf-8") if out.exists() else ""
    _replace(out, module.splice(current, module.render(measured)))
    print(f"wrote the {what} section of {out}")


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="10k and 100k rows, fewer runs, no Dask, no streaming")
    ap.add_argument("--sizes", help="comma-separated sizes among " + ", ".join(generate.SIZES))
    ap.add_argument("--tools", default=",".join(tools.TOOLS), help="comma-separated tools among " + ", ".join(tools.TOOLS))
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    ap.add_argument("--small-only", action="store_true",
                    help="measure only the small packages, cold (benchmarks/small.py) and rewrite that section")
    ap.add_argument("--dask-only", action="store_true",
                    help="measure only the Dask engine beside the local one (benchmarks/dask_bench.py) and "
                         "rewrite that section")
    ap.add_argument("--streaming-only", action="store_true",
                    help="measure only streaming validation on large files (benchmarks/streaming.py) and rewrite that section")
    ap.add_argument("--streaming-sizes", default=",".join(streaming.SIZES),
                    help="comma-separated sizes among " + ", ".join(streaming.SIZES) + " (empty: none)")
    ap.add_argument("--skip", default="", help="comma-separated parts to leave out of a run, among " + ", ".join(PARTS[1:]))
    ap.add_argument("--render-only", action="store_true",
                    help="rewrite RESULTS.md from benchmarks/data/last-run.json (or --results) without measuring")
    ap.add_argument("--results", type=Path, default=LAST_RUN, help="the numbers --render-only reads")
    return ap


def _shown_args(argv: list[str]) -> list[str]:
    """run.py's arguments as RESULTS.md shows them: what was measured, not where it was written."""
    shown, skip = [], False
    for a in argv:
        if skip:
            skip = False
        elif a == "--out":
            skip = True
        elif not a.startswith("--out="):
            shown.append(a)
    return shown


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    ap = _parser()
    args = ap.parse_args(argv)

    def log(msg):
        print(msg, flush=True)

    if args.small_only:
        measured = small.measure(tools.KZCN, tools.FRICTIONLESS, tools.ROOT, tools.REPO_RUNS, log)
        _write_section(args.out, small, measured, None, "small-packages")
        return 0
    if args.dask_only:
        if not has_dask():
            ap.error("--dask-only needs the extra: pip install 'kzcn-data[dask]'")
        measured = dask_bench.measure(tools.KZCN, log)
        _write_section(args.out, dask_bench, measured, "last-dask-run.json", "Dask")
        return 0 if all(c["same_report"] for c in measured["configs"].values()) else 1
    p = plan(args, has_dask())
    if any(s not in streaming.SIZES for s in p["stream_sizes"]):
        ap.error(f"unknown streaming size among {args.streaming_sizes}")
    unknown = [s for s in p["sizes"] if s not in generate.SIZES] + [t for t in p["tools"] if t not in tools.TOOLS]
    unknown += [f"--skip {part}" for part in p["not_run"] if part not in PARTS or part == "packages"]
    if unknown:
        ap.error(f"unknown size, tool or part: {', '.join(unknown)}")
    if args.streaming_only:
        measured = streaming.measure(tools.KZCN, HERE / "data", p["stream_sizes"], log)
        _write_section(args.out, streaming, measured, "last-streaming.json", "streaming")
        return 0 if all(r["check"].get("exact") for r in measured["sizes"].values()) else 1
    if args.render_only:
        try:
            results = json.loads(args.results.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            print(f"run.py: cannot read the numbers to render from {args.results}: {exc}", file=sys.stderr)
            return 2
        write_results(results, args.out)
        print(f"wrote {args.out}")
        return 0
    results = run(p, log)
    results["argv"] = _shown_args(argv)
    LAST_RUN.parent.mkdir(exist_ok=True)
    LAST_RUN.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    write_results(results, args.out)
    log(f"wrote {args.out} and {LAST_RUN}")
    for t in targets.all_targets(results):
        log(f"{t['status'].upper():12s} {t['target']}: {t['measured']}")
    failed = [t for t in results["timings"] if not t["ok"]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
