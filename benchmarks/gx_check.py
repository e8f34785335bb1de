"""The Great Expectations side of the benchmark: one checkpoint expressing our per-table rules.

Run as a whole process, as a GE user would: a file-backed context in a temporary folder
(progress bars off), a pandas datasource with one CSV asset per table, one suite per table
and a checkpoint over all of them. Prints a JSON summary (expectations evaluated / failed,
unexpected cells in all) on stdout.

What the suites express, compiled from the same Table Schemas and rules file as `kzcn validate`:
- kzcn.report.expectations.compile_suite: column list, required, unique, primary key, enum, length,
  pattern (the suites `kzcn report` ships);
- types: GE has no "this text must parse as a number/date" check on a text column, so a number
  is a full-match regex, a date `expect_column_values_to_match_strftime_format`, a boolean a
  value set (frictionless's true/false values);
- foreign keys: `expect_column_values_to_be_in_set` with the referenced table's keys (read
  by this script, inside the timed process);
- `minimum: 0` on a text column: "no leading minus" (GE's `between` raises on text, and only
  text keeps one bad cell from turning a whole column into object dtype);
- rules.yaml: conditional_required -> not null under a row condition; date_order -> column
  pair A >= B (ISO dates compare as text);
- formula cells: free-text fields must not start with =, +, - or @.
Every cell is read as text (dtype=str, blanks as null); rows with extra cells are skipped by
pandas (`on_bad_lines="skip"`): GE has no notion of a ragged row.

    python benchmarks/gx_check.py benchmarks/data/trade-10k-faulty/datapackage.json
"""
from __future__ import annotations

import json
import logging
import sys
import tempfile
import warnings
from pathlib import Path

NUMBER = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\Z"
INTEGER = r"^[+-]?\d+\Z"
BOOLEAN_VALUES = ["true", "True", "TRUE", "1", "false", "False", "FALSE", "0"]
FORMULA = r"^[=+\-@]"


def _class_name(etype: str) -> str:
    return "".join(part.capitalize() for part in etype.split("_"))


def _condition(when):
    """A rules.yaml selector as a GE row condition (only the forms the benchmark rules use)."""
    from great_expectations.expectations.row_conditions import Column

    cond = None
    for field, value in (when or {}).items():
        if isinstance(value, bool):
            c = Column(field).is_in(["true", "True", "TRUE", "1"] if value else ["false", "False", "FALSE", "0"])
        elif isinstance(value, list):
            c = Column(field).is_in([str(v) for v in value])
        elif isinstance(value, dict) and "present" in value:
            c = Column(field).is_not_null() if value["present"] else Column(field).is_null()
        else:
            c = Column(field) == str(value)
        cond = c if cond is None else cond & c
    return cond


def _type_expectations(field: dict) -> list[tuple[str, dict]]:
    name, typ = field["name"], field.get("type", "string")
    c = field.get("constraints") or {}
    out = []
    if typ == "number":
        out.append(("expect_column_values_to_match_regex", {"column": name, "regex": NUMBER}))
    elif typ == "integer":
        out.append(("expect_column_values_to_match_regex", {"column": name, "regex": INTEGER}))
    elif typ == "date":
        out.append(("expect_column_values_to_match_strftime_format", {"column": name, "strftime_format": "%Y-%m-%d"}))
    elif typ == "boolean":
        out.append(("expect_column_values_to_be_in_set", {"column": name, "value_set": BOOLEAN_VALUES}))
    if typ in ("number", "integer") and c.get("minimum") == 0:
        out.append(("expect_column_values_to_not_match_regex", {"column": name, "regex": r"^\s*-"}))
    if typ == "string" and "enum" not in c and "pattern" not in c and not field.get("format"):
        out.append(("expect_column_values_to_not_match_regex", {"column": name, "regex": FORMULA}))
    return out


def build_suites(package, rules: list[dict]) -> dict[str, list[tuple[str, dict]]]:
    """table -> [(expectation type, kwargs)], from the schemas and the rules file."""
    import pandas as pd

    from kzcn.report.expectations import compile_suite

    suites = {}
    keys = {}
    for res in package.resources:
        items = []
        for e in compile_suite(res)["expectations"]:
            if e["type"] == "expect_column_values_to_be_between":
                continue  # bounds on text: see _type_expectations
            items.append((e["type"], dict(e["kwargs"])))
        for field in res.schema.get("fields", []):
            items.extend(_type_expectations(field))
        suites[res.name] = items
    for res in package.resources:
        for fk in res.foreign_keys:
            target = package.resource(fk["resource"])
            key = (target.name, fk["reference_fields"][0])
            if key not in keys:
                frame = pd.read_csv(target.path, dtype=str, keep_default_na=False, usecols=[key[1]])
                keys[key] = sorted(set(frame[key[1]]) - {""})
            suites[res.name].append(("expect_column_values_to_be_in_set",
                                     {"column": fk["fields"][0], "value_set": keys[key]}))
    for rule in rules:
        p = rule["params"]
        tables = p["table"] if isinstance(p["table"], list) else [p["table"]]
        for table in tables:
            if rule["kind"] == "conditional_required":
                for field in p["require"]:
                    kw = {"column": field}
                    cond = _condition(p.get("when"))
                    if cond is not None:
                        kw["row_condition"] = cond
                    suites[table].append(("expect_column_values_to_not_be_null", kw))
            elif rule["kind"] == "date_order":
                suites[table].append(("expect_column_pair_values_a_to_be_greater_than_b",
                                      {"column_A": p["end"], "column_B": p["start"], "or_equal": True,
                                       "ignore_row_if": "either_value_is_missing"}))
            else:
                raise SystemExit(f"rule kind {rule['kind']} has no Great Expectations form here")
    return suites


def main(argv=None) -> int:
    import yaml

    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print("usage: gx_check.py DESCRIPTOR", file=sys.stderr)
        return 2
    descriptor = Path(args[0]).resolve()
    warnings.simplefilter("ignore")
    logging.disable(logging.WARNING)

    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    from kzcn.package.descriptor import open_package

    package = open_package(descriptor)
    rules_path = package.root / "validation" / "rules.yaml"
    rules = yaml.safe_load(rules_path.read_text(encoding="utf-8"))["rules"] if rules_path.is_file() else []
    suites = build_suites(package, rules)

    with tempfile.TemporaryDirectory(prefix="kzcn-gx-bench-") as tmp:
        ctx = gx.get_context(mode="file", project_root_dir=tmp)
        ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
        ctx.variables.save()
        source = ctx.data_sources.add_pandas("bench")
        definitions = []
        for res in package.resources:
            asset = source.add_csv_asset(res.name, filepath_or_buffer=res.path, dtype={n: "str" for n in res.field_names},
                                         keep_default_na=False, na_values="", on_bad_lines="skip")
            batch = asset.add_batch_definition_whole_dataframe(res.name)
            suite = gx.ExpectationSuite(name=res.name)
            for etype, kwargs in suites[res.name]:
                suite.add_expectation(getattr(gx.expectations, _class_name(etype))(**kwargs))
            suite = ctx.suites.add(suite)
            definitions.append(ctx.validation_definitions.add(
                gx.ValidationDefinition(name=res.name, data=batch, suite=suite)))
        checkpoint = ctx.checkpoints.add(gx.Checkpoint(
            name="bench", validation_definitions=definitions,
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": 5}))
        result = checkpoint.run()

    summary = {"success": bool(result.success), "evaluated": 0, "failed": 0, "unexpected": 0,
               "exceptions": 0, "failures": []}
    for run in result.run_results.values():
        for r in run.results:
            summary["evaluated"] += 1
            if r.success:
                continue
            summary["failed"] += 1
            if r.exception_info and r.exception_info.get("raised_exception"):
                summary["exceptions"] += 1
            count = (r.result or {}).get("unexpected_count") or 0
            summary["unexpected"] += int(count)
            cfg = r.expectation_config
            summary["failures"].append({"table": run.suite_name if hasattr(run, "suite_name") else None,
                                        "type": cfg.type, "column": cfg.kwargs.get("column")
                                        or cfg.kwargs.get("column_A"), "unexpected": int(count)})
    json.dump(summary, sys.stdout, indent=1)
    print()
    return 0 if summary["success"] else 1


if __name__ == "__main__":
    sys.exit(main())
