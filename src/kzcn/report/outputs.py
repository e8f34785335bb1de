"""Where `kzcn report` may write, decided before it writes anything.

The output folder may be the package itself (`--output .`), but the three folders the report
replaces (gx/, expectations/, report/) must be absent, empty or made by kzcn (kzcn.atomic.MARKER),
and hold no input of the run; a user's own gx/ is never deleted. Resource and package names and
the version become file names (suites, GE result pages), so they are checked first
(kzcn.package.paths).
"""
from __future__ import annotations

from pathlib import Path

from ..package.descriptor import Package

OUTPUT_FOLDERS = ("gx", "expectations", "report")  # swapped in this order: report/ last


def check_output(package: Package, output: Path, rules) -> str:
    """Refuse, before anything is written, an output that would destroy something; the run name."""
    from ..atomic import output_problem, ownership_problem
    from ..errors import UsageError
    from ..package.paths import check_name, check_version
    from ..validate.run import input_files

    for r in package.resources:
        check_name(r.name, f"{package.descriptor_path}: resource name")
    name = check_name(package.descriptor.get("name") or "data", f"{package.descriptor_path}: package name")
    version = check_version(package.version, f"{package.descriptor_path}: version") if package.version else "unversioned"
    inputs = input_files(package, rules)
    problem = output_problem(output, (), folder=True)  # it may hold inputs: only its three folders are replaced
    if problem:
        raise UsageError(f"--output {output}: {problem}; nothing written")
    for sub in OUTPUT_FOLDERS:
        problem = output_problem(output / sub, inputs, folder=True) or ownership_problem(output / sub)
        if problem:
            raise UsageError(f"{output / sub}: {problem}; nothing written (move it away or choose another --output)")
    return f"{name}-{version}"
