"""Run the compiled suites through a file-backed Great Expectations context; build its Data Docs.

The context lives under <output>/gx and is wiped on every run, so results never pile up under
`uncommitted/`; the run id is fixed (name from the data version, time from SOURCE_DATE_EPOCH or
1980-01-01) and stands in for GE's batch load time, so the result pages keep their paths and
their bytes from build to build and our summary page can link to them. Progress bars are switched off in the context (GE ignores TQDM_DISABLE). The
Data Docs site is written straight into the report folder with our offline views (kzcn.report.gx_docs).

great_expectations is imported inside the functions: only `kzcn report` pays for it.
"""
from __future__ import annotations

import datetime as _dt
import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

SITE_NAME = "kzcn_site"
DATASOURCE = "kzcn"
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 20}
SAMPLE = 10
LINE_INDEX = "line"  # kzcn.report_frames indexes frames by the line an editor shows


@dataclass
class FailedExpectation:
    expectation: str
    column: str | None
    unexpected_count: int | None
    lines: list[int] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    observed: str | None = None
    exception: str | None = None


@dataclass
class SuiteOutcome:
    """One table's suite run: counts, the failures, and the Data Docs pages (relative to the site)."""

    table: str
    evaluated: int = 0
    successful: int = 0
    failures: list[FailedExpectation] = field(default_factory=list)
    result_page: str | None = None
    suite_page: str | None = None
    skipped: str | None = None  # why the suite did not run (the table could not be read)

    @property
    def unsuccessful(self) -> int:
        return self.evaluated - self.successful

    @property
    def success(self) -> bool:
        return self.skipped is None and self.unsuccessful == 0


def run_time() -> _dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc)
    return _dt.datetime(1980, 1, 1, tzinfo=_dt.timezone.utc)


def site_config(docs_dir: Path) -> dict:
    """A filesystem Data Docs site in docs_dir, drawn with our offline views."""
    views = {"module_name": "kzcn.report.gx_docs", "class_name": "OfflinePageView"}
    return {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
        "site_index_builder": {
            "class_name": "DefaultSiteIndexBuilder",
            "show_cta_footer": False,
            "view": {"module_name": "kzcn.report.gx_docs", "class_name": "OfflineIndexPageView"},
        },
        "site_section_builders": {
            "expectations": {"view": views},
            "validations": {"view": views},
            "profiling": "None",
        },
    }


def _clear(folder: Path) -> None:
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.exists():
        shutil.rmtree(folder)


def _quiet_logs() -> None:
    for name in ("great_expectations", "great_expectations.core", "great_expectations.data_context"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _text(value) -> str:
    return "" if value is None else str(value)


def _exception_message(info: dict) -> str | None:
    """GE gives {"raised_exception", "exception_message"} or, per metric, a dict of those."""
    candidates = [info] + [v for v in info.values() if isinstance(v, dict)]
    for c in candidates:
        if c.get("raised_exception") or c.get("exception_message"):
            message = _text(c.get("exception_message")).strip()
            return message.splitlines()[0] if message else "raised an exception"
    return None


def _failure(r) -> FailedExpectation:
    config = r.expectation_config
    kwargs = config.kwargs
    column = kwargs.get("column")
    if column is None and "column_list" in kwargs and config.type != "expect_table_columns_to_match_ordered_list":
        column = ", ".join(kwargs["column_list"])  # a compound key
    result = r.result or {}
    lines = result.get("partial_unexpected_index_list") or result.get("unexpected_index_list") or []
    flat = []
    for item in lines[:SAMPLE]:
        if isinstance(item, dict):  # with a named index GE gives {column: value, "line": n}
            item = item.get(LINE_INDEX)
        try:
            flat.append(int(item))
        except (TypeError, ValueError):
            pass
    exception = _exception_message(r.exception_info or {})
    observed = result.get("observed_value")
    return FailedExpectation(
        expectation=config.type,
        column=column,
        unexpected_count=result.get("unexpected_count"),
        lines=flat,
        values=[_text(v) for v in (result.get("partial_unexpected_list") or [])[:SAMPLE]],
        observed=None if observed is None else _text(observed),
        exception=exception,
    )


def run_expectations(specs: dict[str, dict], frames: dict, project_root: Path, docs_dir: Path,
                     run_name: str) -> dict[str, SuiteOutcome]:
    """Validate each table's frame (None: not readable) with its suite; build the Data Docs site.

    `specs` are kzcn.report.expectations.compile_suite dicts; returns table -> SuiteOutcome.
    """
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.base import ProgressBarsConfig

    _quiet_logs()
    project_root, docs_dir = Path(project_root), Path(docs_dir)
    _clear(project_root)
    _clear(docs_dir)
    project_root.mkdir(parents=True, exist_ok=True)
    ctx = gx.get_context(mode="file", project_root_dir=str(project_root))
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    ctx.variables.save()
    for name in list(ctx.get_site_names()):
        ctx.delete_data_docs_site(name)
    ctx.add_data_docs_site(SITE_NAME, site_config(docs_dir.resolve()))

    source = ctx.data_sources.add_pandas(DATASOURCE)
    run_id = RunIdentifier(run_name=run_name, run_time=run_time())
    outcomes: dict[str, SuiteOutcome] = {}
    for table, spec in specs.items():
        outcome = outcomes[table] = SuiteOutcome(table=table, suite_page=f"expectations/{table}.html")
        suite = ctx.suites.add(gx.ExpectationSuite(**spec))
        frame = frames.get(table)
        if frame is None:
            outcome.skipped = "the file could not be read as CSV"
            continue
        batch = source.add_dataframe_asset(table).add_batch_definition_whole_dataframe(table)
        definition = ctx.validation_definitions.add(gx.ValidationDefinition(name=table, data=batch, suite=suite))
        result = definition.run(batch_parameters={"dataframe": frame}, result_format=RESULT_FORMAT, run_id=run_id)
        stats = result.statistics
        outcome.evaluated = int(stats.get("evaluated_expectations", 0))
        outcome.successful = int(stats.get("successful_expectations", 0))
        outcome.failures = [_failure(r) for r in result.results if not r.success]

    store = ctx.validation_results_store
    for key in store.list_keys():
        table = key.expectation_suite_identifier.name
        if table in outcomes:
            outcomes[table].result_page = "validations/" + "/".join(key.to_tuple()) + ".html"
        # GE stamps each batch with the wall-clock time it was loaded; the run time stands in
        # for it, so that the same data gives the same result pages.
        stored = store.get(key)
        markers = stored.meta.get("batch_markers")
        if isinstance(markers, dict) and "ge_load_time" in markers:
            markers["ge_load_time"] = run_id.run_time.strftime("%Y%m%dT%H%M%S.%fZ")
            store.set(key, stored)
    ctx.build_data_docs(site_names=[SITE_NAME])
    # GE copies its fonts, logos and tutorial GIFs (4-5 MB) into every site; our offline views
    # reference none of them.
    _clear(docs_dir / "static")
    return outcomes
