"""The tree shows the flow: imports point one way, modules stay small enough to hold in a head.

cli -> report, release -> validate -> package; errors and atomic serve every stage. A module
that imports against the flow (package reading validate, validate reading release) is what
turns a layout back into a tangle, so the test reads every import of every module, including
the ones inside functions.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "kzcn"
BENCHMARKS = SRC.parents[1] / "benchmarks"
SHARED = {"kzcn", "kzcn.errors", "kzcn.atomic"}
# stage -> the stages it may import besides itself and SHARED
ALLOWED = {
    "package": set(),
    "validate": {"package"},
    "release": {"validate", "package"},
    "report": {"validate", "package"},
    "cli": {"report", "release", "validate", "package"},
}
MODULES = sorted(SRC.rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Absolute names of the kzcn modules (or packages) a module imports, anywhere in it."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "kzcn"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] == "kzcn":
                out.add(mod)
    return out


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ALLOWED else None


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_point_one_way(path):
    stage = _stage(_module_name(path))
    if stage is None:  # kzcn/__init__.py, errors.py, atomic.py
        allowed = set(ALLOWED) if path.name == "__init__.py" else set()
    else:
        allowed = ALLOWED[stage] | {stage}
    against = sorted(m for m in _imports(path) - SHARED
                     if _stage(m) not in allowed and m not in SHARED)
    assert not against, f"{path.relative_to(SRC)} imports against the flow: {against}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_over_400_lines(path):
    lines = len(path.read_text().splitlines())
    assert lines <= 400, f"{path.relative_to(SRC)} has {lines} lines; split it along its seams"


BENCH_MODULES = sorted(p for p in BENCHMARKS.rglob("*.py") if p.relative_to(BENCHMARKS).parts[0] != "data")


def test_benchmarks_are_found():
    assert len(BENCH_MODULES) > 10 and (BENCHMARKS / "run.py") in BENCH_MODULES


@pytest.mark.parametrize("path", BENCH_MODULES, ids=lambda p: "benchmarks/" + str(p.relative_to(BENCHMARKS)))
def test_no_benchmark_module_over_400_lines(path):
    """The benchmarks are code the project maintains too (`make bench`, `make recall`): same limit."""
    lines = len(path.read_text().splitlines())
    assert lines <= 400, f"benchmarks/{path.relative_to(BENCHMARKS)} has {lines} lines; split it along its seams"


def test_few_modules_at_the_top():
    top = sorted(p.name for p in SRC.glob("*.py"))
    assert len(top) <= 8, top
    assert {p.name for p in SRC.iterdir() if p.is_dir() and p.name != "__pycache__"} >= set(ALLOWED)


def test_every_stage_says_what_it_may_import():
    for stage in ALLOWED:
        doc = ast.get_docstring(ast.parse((SRC / stage / "__init__.py").read_text())) or ""
        assert "May import" in doc or "may import" in doc, stage
