"""The conformance corpus, case by case: the real frictionless beside kzcn, written to CONFORMANCE.md.

    .venv/bin/python benchmarks/conformance.py            # writes benchmarks/CONFORMANCE.md
    .venv/bin/python benchmarks/conformance.py --out -    # prints it

The corpus is the tests in tests/conformance/: each builds small packages and runs them through
both validators with the helpers of corpus.py and resource_cases.py. This script runs those
very tests (pytest, in-process) with a listener installed (tests/conformance/recording.py), so
every package a test compares becomes one row: what it exercises, each side's verdict and
error codes, and whether they are equal. Where they are not, the row quotes the corpus's own
statement of the difference: the case's entry in its module's DIFFERENCES, else the test's
docstring, else the comments that open the test. Nothing is restated here, so the table cannot
drift from what the tests assert; the `test` column says whether the test (which asserts the
difference, or the equality) passed.
"""
from __future__ import annotations

import argparse
import inspect
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "conformance"


class Collector:
    """A pytest plugin: which test is running, what each validator said during it, how it ended."""

    def __init__(self, recording):
        self.recording = recording
        self.item = None
        self.cases: dict = {}  # (nodeid, target) -> {"item", side: (valid, found, codes)}
        self.outcomes: dict = {}

    def sink(self, side, target, valid, found, codes):
        case = self.cases.setdefault((self.item.nodeid, str(target)), {"item": self.item})
        case.setdefault(side, (valid, found, codes))  # a package judged twice: the first judgement

    def pytest_runtest_setup(self, item):
        self.item = item
        self.recording.SINK = self.sink

    def pytest_runtest_teardown(self, item):
        self.recording.SINK = None

    def pytest_runtest_logreport(self, report):
        if report.when == "call" or report.outcome != "passed":
            self.outcomes.setdefault(report.nodeid, report.outcome)


def _one_line(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").strip())


def _comments(func) -> str:
    """The comments in a test's body, whole-line or after code (its statement when it has no docstring)."""
    import io
    import tokenize

    try:
        source = inspect.getsource(func)
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (OSError, TypeError, tokenize.TokenError, SyntaxError):
        return ""
    return " ".join(t.string.lstrip("# ") for t in tokens if t.type == tokenize.COMMENT)


def statement(item) -> str:
    """The corpus's own words for why this case differs (or what it checks)."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    differences = getattr(item.module, "DIFFERENCES", {})
    for value in params.values():
        if isinstance(value, str) and value in differences:
            return _one_line(differences[value][-1])
    return _one_line(item.function.__doc__) or _one_line(_comments(item.function))


def _verdict(side) -> str:
    if side is None:
        return "not run"
    valid, _, codes = side
    counted = Counter(codes)
    listed = ", ".join(f"{c}" + (f" ×{n}" if n > 1 else "") for c, n in sorted(counted.items()))
    return ("VALID" if valid else "INVALID") + (f": {listed}" if listed else "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _title(module) -> str:
    return _one_line((module.__doc__ or "").strip().split("\n\n")[0])


def rows(collector) -> list[dict]:
    out = []
    per_test = Counter(nodeid for nodeid, _ in collector.cases)
    for (nodeid, target), case in collector.cases.items():
        item = case["item"]
        theirs, ours = case.get("frictionless"), case.get("kzcn")
        name = nodeid.split("::", 1)[1]
        if per_test[nodeid] > 1:
            name += f" · {Path(target).parent.name}/{Path(target).name}"
        if theirs is None or ours is None:
            side = "kzcn" if theirs is None else "frictionless"
            agreement = f"{side} only" + (f": {statement(item)}" if statement(item) else "")
        elif theirs[:2] == ours[:2]:
            agreement = "equal"
        else:
            agreement = "differs: " + (statement(item) or "(no statement in the corpus)")
        out.append({"module": item.module.__name__, "title": _title(item.module), "case": name,
                    "exercises": item.function.__name__.removeprefix("test_").replace("_", " "),
                    "frictionless": _verdict(theirs), "kzcn": _verdict(ours), "agreement": agreement,
                    "test": collector.outcomes.get(nodeid, "?")})
    return out


def render(found: list[dict], seconds: float, versions: dict) -> str:
    both = [r for r in found if r["frictionless"] != "not run" and r["kzcn"] != "not run"]
    equal = sum(r["agreement"] == "equal" for r in both)
    failed = sum(r["test"] != "passed" for r in found)
    lines = [
        "# Conformance corpus: frictionless beside kzcn, case by case",
        "",
        "Written by `benchmarks/conformance.py` (`.venv/bin/python benchmarks/conformance.py`), which runs the",
        "tests of tests/conformance/ and records every package they compare. A difference is quoted from the",
        "corpus itself (its DIFFERENCES entry, the test's docstring or opening comments); the test asserts it.",
        f"frictionless {versions['frictionless']}, kzcn {versions['kzcn']}; {seconds:.0f} s.",
        "",
        f"**{len(found)} cases**: {len(both)} through both validators, {equal} equal, {len(both) - equal} "
        f"stated differences; {len(found) - len(both)} through one side only (a kzcn-only check, or a "
        f"reference package a test runs through frictionless alone); tests not passed: {failed}.",
        "",
    ]
    module = None
    for r in found:
        if r["module"] != module:
            module = r["module"]
            lines += ["", f"## {module}", "", _cell(r["title"]), "",
                      "| case | exercises | frictionless | kzcn | equal, or the stated difference | test |",
                      "|---|---|---|---|---|---|"]
        lines.append("| " + " | ".join(_cell(r[k]) for k in ("case", "exercises", "frictionless", "kzcn",
                                                            "agreement", "test")) + " |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "CONFORMANCE.md"), help="file to write, or - for stdout")
    parser.add_argument("-k", dest="select", default=None, help="only the tests pytest -k selects (the file is then partial)")
    args = parser.parse_args(argv)
    sys.path[:0] = [str(CORPUS), str(ROOT / "tests")]  # the tests' own imports: `import corpus`, conftest
    import warnings

    import pytest
    import recording

    warnings.filterwarnings("ignore")
    collector = Collector(recording)
    started = time.perf_counter()
    code = pytest.main([str(CORPUS), "-q", "-p", "no:cacheprovider", "-W", "ignore",
                        *(["-k", args.select] if args.select else [])], plugins=[collector])
    seconds = time.perf_counter() - started
    if code not in (0, 1):  # 1: some test failed, which the table shows; anything else: it could not run
        print(f"benchmarks/conformance.py: pytest could not run the corpus (exit {code})", file=sys.stderr)
        return 2
    from importlib.metadata import version

    text = render(rows(collector), seconds, {"frictionless": version("frictionless"), "kzcn": version("kzcn-data")})
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text)
        print(f"wrote {args.out}: {len(collector.cases)} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
