"""The Targets table at the top of RESULTS.md: every target of issue 15, met or not, from one run.

Why one table: the targets are spread over four measurements (the 1M-row packages timed side
by side with the pyarrow floor and frictionless, the repository cold, the streamed large files,
the Dask engine on a multi-file package); a reader should see at a glance which are met, each
with the numbers that decide it. A target whose measurement is not in this run says so ("not
measured") instead of disappearing. Each row: target, measured, status (met, not met, not
measured, or reported where the issue asks for a number but sets no bound).
"""
from __future__ import annotations

import re

import generate
import streaming

PARSE_RATIO = 3.0  # kzcn within this many times the pyarrow parse floor, at 1M rows
FRICTIONLESS_RATIO = 40.0  # kzcn at least this many times faster than frictionless, at 1M rows
MEMORY_RATIO = 4.0  # kzcn's peak RSS under this many times the CSV, read whole at 1M rows
STATUS_TEXT = {"met": "**met**", "not met": "**not met**", "not measured": "not measured", "reported": "reported"}


def _row(target: str, measured: str, status: str | bool) -> dict:
    if isinstance(status, bool):
        status = "met" if status else "not met"
    return {"target": target, "measured": measured, "status": status}


def timing(results: dict, package: str, tool: str) -> dict | None:
    return next((t for t in results.get("timings", []) if t["package"] == package and t["tool"] == tool), None)


def _spread(t: dict) -> str:
    return f"{t['median']:.2f} s ({t['min']:.2f}-{t['max']:.2f}, {t['runs']} runs)"


def one_million(results: dict) -> list[dict]:
    """kzcn against the pyarrow floor and frictionless, its memory and its exactness, at 1M rows."""
    rows = []
    for variant in ("clean", "faulty"):
        name = generate.package_name("1m", variant == "faulty")
        k, p, f = (timing(results, name, t) for t in ("kzcn", "pyarrow", "frictionless"))
        floor_target = f"1M rows {variant}: kzcn within {PARSE_RATIO:g}x the pyarrow parse"
        fric_target = f"1M rows {variant}: kzcn at least {FRICTIONLESS_RATIO:g}x faster than frictionless"
        if k is None:
            rows += [_row(floor_target, "1M rows not in this run", "not measured"),
                     _row(fric_target, "1M rows not in this run", "not measured")]
            continue
        pkg = results["packages"][name]
        if p:
            ratio = k["median"] / p["median"]
            rows.append(_row(floor_target, f"median kzcn {_spread(k)} / pyarrow {_spread(p)} = {ratio:.2f}x "
                                           f"(fastest runs: {k['min'] / p['min']:.2f}x)", ratio <= PARSE_RATIO))
        if f:
            ratio = f["median"] / k["median"]
            rows.append(_row(fric_target, f"median frictionless {_spread(f)} / kzcn {k['median']:.2f} s = {ratio:.1f}x "
                                          f"(fastest runs: {f['min'] / k['min']:.1f}x)", ratio >= FRICTIONLESS_RATIO))
        else:
            rows.append(_row(fric_target, "frictionless not in this run", "not measured"))
        mem = k["rss_mb"] * 1024 * 1024 / pkg["csv_bytes"]
        rows.append(_row(f"1M rows {variant}: kzcn peak memory under {MEMORY_RATIO:g}x the CSV on disk",
                         f"{k['rss_mb']:.0f} MB / {pkg['csv_bytes'] / 1e6:.0f} MB = {mem:.2f}x", mem < MEMORY_RATIO))
        check = pkg.get("kzcn_check", {})
        rows.append(_row(f"1M rows {variant}: every injected fault found exactly, nothing spurious",
                         check.get("describe", check.get("error", "not checked")), bool(check.get("exact"))))
    return rows


def repository(results: dict) -> list[dict]:
    target = "curated repository, cold: kzcn validate no slower than frictionless validate"
    repo = results.get("repo") or {}
    if "kzcn" not in repo or "frictionless" not in repo:
        return [_row(target, "the repository not in this run", "not measured")]
    k, f = repo["kzcn"]["median"], repo["frictionless"]["median"]
    return [_row(target, f"{k:.2f} s vs {f:.2f} s ({f / k:.2f}x)", k <= f)]


def streamed(results: dict) -> list[dict]:
    """Peak RSS on the 1 GB file, flat in size, time per GB, exact findings, same report as whole."""
    s = results.get("streaming") or {}
    sizes = s.get("sizes") or {}
    target_gb = f"streaming: peak RSS ≤ {streaming.TARGET_RSS_MB / 1024:g} GB on the 1 GB file"
    target_flat = (f"streaming: peak RSS flat in file size ({', '.join(streaming.SIZES)}; largest peak at most "
                   f"{streaming.FLAT_RATIO:g}x the smallest)")
    target_gbs = "streaming: time per GB"
    target_exact = f"streaming: every fault counted, the first {s.get('cap', streaming.CAP):,} per code at their exact line, field and code"
    if not sizes:
        why = (results.get("not_run") or {}).get("streaming")
        text = "streaming not in this run" + (f" ({why})" if why else "")
        return [_row(t, text, "not measured") for t in (target_gb, target_flat, target_gbs, target_exact)]
    rows = []
    one = sizes.get("1GB")
    rows.append(_row(target_gb, f"{one['rss_mb']:,.0f} MB" if one else "the 1 GB file not in this run",
                     one["rss_mb"] <= streaming.TARGET_RSS_MB if one else "not measured"))
    flat = streaming.flat_in_size(sizes)
    missing = [label for label in streaming.SIZES if label not in sizes]
    note = f" ({', '.join(missing)} not in this run)" if missing else ""
    if not flat:
        status = "not measured"
    elif not flat[0]:
        status = "not met"  # already not flat over the sizes measured
    else:
        status = "not measured" if missing else "met"  # flat so far, but not over every size
    rows.append(_row(target_flat, (flat[1] if flat else "one size only") + note, status))
    rows.append(_row(target_gbs, "; ".join(f"{label} {r['seconds_per_gb']:.1f} s/GB ({r['seconds']:.1f} s)"
                                           for label, r in sizes.items()), "reported"))
    rows.append(_row(target_exact, "; ".join(f"{label}: {'yes' if r['check'].get('exact') and r['check'].get('counted') else 'NO'}"
                                             for label, r in sizes.items()), streaming.all_exact(sizes)))
    whole = s.get("whole")
    if whole:
        rows.append(_row(f"streaming: the {whole['label']} file's report the same as read whole (`--chunk-size 0`)",
                         f"{'identical' if whole['identical'] else 'DIFFERENT'} (elapsed time aside); whole "
                         f"{whole['rss_mb']:,.0f} MB, streamed {sizes.get(whole['label'], {}).get('rss_mb', 0):,.0f} MB peak",
                         bool(whole["identical"])))
    return rows


def _workers(label: str, config: dict) -> int | None:
    """How many Dask workers a configuration ran with (None: the single-process engine)."""
    command = str(config.get("command", ""))
    if "--engine dask" not in command and "dask" not in label.lower():
        return None
    got = re.search(r"--workers[ =](\d+)", command) or re.search(r"(\d+) workers?", label)
    return int(got.group(1)) if got else None


def _seconds(config: dict | None) -> tuple[str, float] | None:
    """The time to compare: in-process (the report's elapsed_seconds) if recorded, else wall."""
    for key, what in (("elapsed", "in-process"), ("wall", "wall")):
        if config and isinstance(config.get(key), (int, float)) and config[key] > 0:
            return what, float(config[key])
    return None


def dask_cases(d, name: str = "") -> list[tuple[str, dict]]:
    """Every measurement with `configs` in results["dask"], at any depth (today one; more may come)."""
    if isinstance(d, dict):
        if isinstance(d.get("configs"), dict):
            return [(name, d)]
        return [case for key, value in d.items() for case in dask_cases(value, f"{name} {key}".strip())]
    if isinstance(d, list):
        return [case for i, value in enumerate(d) for case in dask_cases(value, f"{name} {i + 1}".strip())]
    return []


def dask(results: dict) -> list[dict]:
    """The same report from every engine, and the speed-up from 1 to 2 workers, per Dask case."""
    same_target, scale_target = "Dask: the same report as the single-process engine", "Dask: faster with 2 workers than with 1"
    cases = dask_cases(results.get("dask"))
    if not cases:
        why = "Dask engine not in this run" + (f" ({results['dask_skipped']})" if results.get("dask_skipped") else "")
        return [_row(same_target, why, "not measured"), _row(scale_target, why, "not measured")]
    rows = []
    for name, case in cases:
        where = f" ({name})" if len(cases) > 1 and name else ""
        configs = case["configs"]
        what = (f"{case.get('rows', 0):,} rows in {case.get('files', '?')} files" if "rows" in case else "")
        same = [bool(c.get("same_report")) for c in configs.values()]
        rows.append(_row(same_target + where, f"{sum(same)}/{len(same)} configurations{', ' + what if what else ''}",
                         all(same)))
        by_workers = {_workers(label, c): c for label, c in configs.items()}
        one, two = by_workers.get(1), by_workers.get(2)
        s1, s2 = _seconds(one), _seconds(two)
        if not (s1 and s2) or s1[0] != s2[0]:
            rows.append(_row(scale_target + where, "1 and 2 workers not both measured", "not measured"))
            continue
        (what, t1), (_, t2) = s1, s2
        wall = (f"; wall {one['wall']:.1f} s -> {two['wall']:.1f} s" if what != "wall" and one.get("wall") and two.get("wall") else "")
        rows.append(_row(scale_target + where, f"{what} {t1:.1f} s -> {t2:.1f} s = {t1 / t2:.2f}x{wall} "
                                               f"on {case.get('cores', '?')} cores", t1 / t2 > 1.0))
    return rows


def all_targets(results: dict) -> list[dict]:
    return one_million(results) + repository(results) + streamed(results) + dask(results)


def render(results: dict) -> list[str]:
    lines = ["## Targets", "",
             "Issue 15's targets, from this run: the 1M-row tools timed side by side (each package's tools one after "
             "another, medians with the spread and the number of runs), the streamed files and the Dask engine "
             "as measured in their sections below.", "",
             "| target | measured | met |", "|---|---|---|"]
    for t in all_targets(results):
        lines.append(f"| {t['target']} | {t['measured']} | {STATUS_TEXT[t['status']]} |")
    return lines + [""]
