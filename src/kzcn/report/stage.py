"""The quality report stage (`kzcn report`): load inputs, process, save outputs, one entry point.

Inputs: a data package (default: the one around the current folder, found upward like git) and
its consistency rules. Process: the
validator's findings (kzcn.validate), the Great Expectations suites compiled from the Table
Schemas run through a file-backed context (kzcn.report.gx_run), the dataset at a glance, the charts.
Outputs, under one output folder (default: build/ beside the package's descriptor):

    expectations/<table>.json   the suites, as great_expectations serialises them (released)
    gx/                         the GE project; replaced on every run
    report/index.html           the summary page: the entry point, readable offline
    report/rules.html           every cross-table rule, pass or fail, with its findings
    report/docs/                the GE Data Docs site (offline views, linked both ways)
    report/summary.json         the outcome counts, for DVC metrics and tests
    summary.png                 with --screenshot: the summary page drawn by headless Chromium,
                                beside report/ and not in it: report/ is the DVC pipeline's output
                                (and the release's), and a picture that only `make report` draws
                                must not make it differ from what `dvc repro` recorded

Each of the three folders is written whole into a temporary folder beside it, marked as ours
(kzcn.atomic.MARKER) and swapped in only when everything is written, so a report killed or out
of disk leaves the previous one; an existing folder without the marker (a user's own gx/) is
never replaced. Resource and package names are checked (kzcn.package.paths) before they become
file names, and every page carries a Content-Security-Policy that lets no script run.

Importing this module is cheap: great_expectations, matplotlib and jinja2 are imported inside
the functions that use them, so only running the report pays for them.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..validate.findings import ERROR, WARNING, Finding, Report
from ..package.descriptor import Package, open_package

TEMPLATES = Path(__file__).resolve().parent / "templates"
MAX_FINDINGS_PER_RULE = 200
NOT_APPLICABLE = "rule-not-applicable"
RULE_ERROR = "rule-error"

PASSED, FAILED, WARNED, SKIPPED = "passed", "failed", "warned", "not applicable"
SCREENSHOT = "summary.png"  # beside report/, never in it (see above)
STATUSES = (PASSED, FAILED, WARNED, SKIPPED)


@dataclass
class RuleOutcome:
    """One rule of the rules file (or one the validator reported without it), with its findings."""

    id: str
    kind: str
    severity: str
    rationale: str
    defined_at: str | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == WARNING)

    @property
    def status(self) -> str:
        codes = {f.code for f in self.findings}
        if self.errors:
            return FAILED
        if NOT_APPLICABLE in codes and codes <= {NOT_APPLICABLE}:
            return SKIPPED
        if self.warnings:
            return WARNED
        return PASSED

    @property
    def anchor(self) -> str:
        return f"rule-{self.id}"


@dataclass
class ReportRun:
    """What one `kzcn report` run wrote and found."""

    output: Path
    index: Path
    rules_page: Path
    docs_index: Path
    summary_json: Path
    expectations: dict[str, Path]
    summary: dict
    exit_code: int
    screenshot: Path | None = None
    descriptor: Path | None = None  # the descriptor read, absolute (for the command's summary)

    def moved(self, output: Path, temps) -> "ReportRun":
        """The same run with its paths where the temporary folders were swapped in."""
        def final(p):
            if p is None:
                return None
            for name, tmp in temps.items():
                if Path(p).is_relative_to(tmp):
                    return output / name / Path(p).relative_to(tmp)
            return p

        return ReportRun(output=output, index=final(self.index), rules_page=final(self.rules_page),
                         docs_index=final(self.docs_index), summary_json=final(self.summary_json),
                         expectations={k: final(v) for k, v in self.expectations.items()},
                         summary=self.summary, exit_code=self.exit_code, screenshot=final(self.screenshot),
                         descriptor=self.descriptor)


# --- inputs ------------------------------------------------------------------------------------

def default_rules_path(package: Package) -> Path | None:
    """validation/rules.yaml if it is a file inside the package (kzcn.package.paths)."""
    from ..package.paths import contained_or_none

    path = contained_or_none(package.root, "validation/rules.yaml", "rules file", package.trusted)
    return path if path is not None and path.is_file() else None


def read_rules(rules_path: Path | None, trusted: bool = False) -> list:
    """The rules as the validator reads them (kzcn.validate.rules.config): one reader for the file."""
    if rules_path is None:
        return []
    from ..validate.rules.config import load_rules

    return list(load_rules(Path(rules_path), trusted=trusted).rules)


# --- process -----------------------------------------------------------------------------------

def rule_outcomes(rules, findings: list[Finding], root: Path | None = None) -> list[RuleOutcome]:
    """Every rule of the file in file order, then any rule id the findings name that the file lacks."""
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        if f.rule is not None:
            by_rule.setdefault(f.rule, []).append(f)
    out = []
    for r in rules:
        where = None
        if getattr(r, "path", None) is not None:
            p = Path(r.path)
            try:
                p = p.resolve().relative_to(Path(root).resolve()) if root is not None else p
            except ValueError:
                pass
            where = f"{p.as_posix()}:{r.line}"
        out.append(RuleOutcome(r.id, r.kind, r.severity, r.rationale, where,
                               sorted(by_rule.pop(r.id, []), key=Finding.sort_key)))
    for rule_id in sorted(by_rule):
        fs = sorted(by_rule[rule_id], key=Finding.sort_key)
        out.append(RuleOutcome(rule_id, "", fs[0].severity, "", None, fs))
    return out


def outcome_counts(outcomes: list[RuleOutcome]) -> dict:
    counts = Counter(o.status for o in outcomes)
    return {"total": len(outcomes), **{s.replace(" ", "_"): counts.get(s, 0) for s in STATUSES}}


def structure_findings(findings: list[Finding]) -> list[Finding]:
    """Findings of the structure and schema layers (no rule id), in file and line order."""
    return sorted((f for f in findings if f.rule is None), key=Finding.sort_key)


def _date_range(frame) -> tuple[str | None, str | None]:
    import pandas as pd

    lows, highs = [], []
    for name in frame.columns:
        col = frame[name]
        if pd.api.types.is_datetime64_any_dtype(col) and col.notna().any():
            lows.append(col.min())
            highs.append(col.max())
    if not lows:
        return None, None
    return min(lows).strftime("%Y-%m-%d"), max(highs).strftime("%Y-%m-%d")


def glance(package: Package, reads: dict) -> dict:
    """The dataset at a glance: tables, rows, sources, date coverage."""
    tables, lows, highs = [], [], []
    for r in package.resources:
        read = reads[r.name]
        lo, hi = _date_range(read.frame) if read.frame is not None else (None, None)
        if lo:
            lows.append(lo)
            highs.append(hi)
        tables.append({"name": r.name, "title": r.schema.get("title") or r.descriptor.get("title") or r.name,
                       "path": r.relpath, "rows": read.rows, "columns": len(r.field_names),
                       "dates_from": lo, "dates_to": hi, "problem": read.problem})
    sources = reads.get("sources")
    kinds = {}
    if sources is not None and sources.frame is not None and "kind" in sources.frame.columns:
        counted = sources.frame["kind"].fillna("unknown").astype(str).value_counts()
        kinds = {k: int(counted[k]) for k in sorted(counted.index)}
    return {
        "tables": tables,
        "table_count": len(tables),
        "row_count": sum(t["rows"] for t in tables),
        "source_count": sources.rows if sources is not None else 0,
        "source_kinds": kinds,
        "dates_from": min(lows) if lows else None,
        "dates_to": max(highs) if highs else None,
    }


def summary_dict(package: Package, report: Report, outcomes, suites, facts) -> dict:
    """The numbers of the run, stable for the same data (DVC metrics, tests)."""
    return {
        "dataset": package.descriptor.get("name"),
        "version": package.version,
        "valid": report.valid,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "rules": outcome_counts(outcomes),
        "rule_outcomes": {o.id: {"status": o.status, "errors": o.errors, "warnings": o.warnings} for o in outcomes},
        "expectations": {
            "evaluated": sum(s.evaluated for s in suites.values()),
            "successful": sum(s.successful for s in suites.values()),
            "suites_failed": sorted(t for t, s in suites.items() if not s.success),
        },
        "suites": {t: {"evaluated": s.evaluated, "successful": s.successful, "success": s.success,
                       "result_page": s.result_page, "skipped": s.skipped} for t, s in suites.items()},
        "tables": {t["name"]: t["rows"] for t in facts["tables"]},
    }


# --- outputs -----------------------------------------------------------------------------------

def _environment():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["where"] = lambda f: f"{f.path}:{f.line}" if f.path and f.line else (f.path or f.resource or "")
    return env


def render_pages(context: dict) -> dict[str, str]:
    env = _environment()
    return {name: env.get_template(f"{name}.html.j2").render(**context) for name in ("index", "rules")}


def build_report(target=None, output=None, rules=None, strict: bool = False,
                 screenshot: bool = False, trusted: bool = False) -> ReportRun:
    """Run the whole report stage; returns what it wrote. Exit code as `kzcn validate` would give.

    `output` defaults to build/ beside the descriptor, wherever the command is run from."""
    from ..atomic import TempFolders
    from .outputs import OUTPUT_FOLDERS, check_output
    from ..validate.run import validate
    from .frames import read_table

    # load inputs
    package = open_package(target, trusted=trusted)
    output = Path(output) if output is not None else package.root / "build"
    run_name = check_output(package, output, rules)
    rules_path = Path(rules) if rules is not None else default_rules_path(package)
    report = validate(package.descriptor_path, rules=rules, strict=strict, trusted=trusted)
    rule_list = read_rules(rules_path, trusted) if report.stats["layers"]["rules"].get("status") == "ran" else []
    reads = {r.name: read_table(r) for r in package.resources}

    from ..atomic import write_failure
    from ..errors import UsageError

    shot = output / SCREENSHOT
    if screenshot:
        from ..atomic import output_problem
        from ..validate.run import input_files

        problem = output_problem(shot, input_files(package, rules))
        if problem:
            raise UsageError(f"{shot}: {problem}; nothing written")
    try:
        with TempFolders(output, OUTPUT_FOLDERS) as temps:
            run = _write(package, report, rule_list, rules_path, reads, temps, run_name, strict)
            staged = dict(temps.items())
            temps.commit()
    except OSError as exc:  # disk full, read-only, quota: name the file, keep the previous report
        raise UsageError(write_failure(exc, output)) from None
    run = run.moved(output, staged)
    if screenshot:
        from .browser import screenshot as take_screenshot

        run.screenshot = take_screenshot(run.index, shot)
    return run


def _write(package, report, rule_list, rules_path, reads, temps, run_name, strict) -> ReportRun:
    """Process and save into the temporary folders (`temps[name]`); the ReportRun names them."""
    from . import charts as charts_mod
    from ..atomic import mark, write_text_atomic
    from .expectations import compile_suites, export_suites
    from .gx_run import run_expectations
    from .pages import secure_pages

    from .frames import derived_frames

    frames = {name: read.frame for name, read in reads.items()}
    frames.update(derived_frames(package))  # the trade chart plots trade_series, as released
    output = temps.base
    report_dir = temps["report"]
    docs_dir = report_dir / "docs"
    specs = compile_suites(package)
    exported = export_suites(package, temps["expectations"])
    suites = run_expectations(specs, frames, temps["gx"], docs_dir, run_name=run_name)
    mark(temps["gx"])  # the GE run starts its project afresh: mark it ours again, or the next run refuses it
    outcomes = rule_outcomes(rule_list, report.findings, package.root)
    facts = glance(package, reads)
    charts = charts_mod.all_charts(frames)
    summary = summary_dict(package, report, outcomes, suites, facts)

    import great_expectations

    context = {
        "package": {"name": package.descriptor.get("name") or "data package",
                    "title": package.descriptor.get("title") or package.descriptor.get("name") or "data package",
                    "version": package.version or "unversioned"},
        "report": report, "summary": summary, "facts": facts, "outcomes": outcomes,
        "counts": summary["rules"], "structure": structure_findings(report.findings),
        "suites": suites, "charts": charts, "rules_file": (rules_path.name if rules_path else None),
        "max_findings": MAX_FINDINGS_PER_RULE, "gx_version": great_expectations.__version__,
        "docs_index": "docs/index.html",
    }
    pages = render_pages(context)

    # save outputs
    index, rules_page = report_dir / "index.html", report_dir / "rules.html"
    write_text_atomic(index, pages["index"])
    write_text_atomic(rules_page, pages["rules"])
    secure_pages(report_dir)
    summary_json = report_dir / "summary.json"
    write_text_atomic(summary_json, json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    failed = bool(report.errors) or bool(summary["expectations"]["suites_failed"]) or (strict and bool(report.warnings))
    return ReportRun(output=output, index=index, rules_page=rules_page, docs_index=docs_dir / "index.html",
                     summary_json=summary_json, expectations=exported, summary=summary,
                     exit_code=1 if failed else 0, descriptor=package.descriptor_path.resolve())
