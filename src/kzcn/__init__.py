"""kzcn-data: the Kazakhstan–China cooperation dataset and the tools that keep it trustworthy.

The public API is small and imported lazily, so that `import kzcn` costs no more than the
function you call: loading needs pandas, validating does not need great_expectations or dvc.
"""
from __future__ import annotations

__all__ = ["load", "load_package", "tables", "validate", "schema", "__version__"]
__version__ = "0.1.0"


def load(name, version=None, *, root=None):
    """Return one table as a typed pandas DataFrame (see kzcn.package.load.load)."""
    from .package.load import load as _load

    return _load(name, version=version, root=root)


def load_package(version=None, *, root=None):
    """Return every table of the package as a dict of typed DataFrames."""
    from .package.load import load_package as _load_package

    return _load_package(version=version, root=root)


def tables(*, root=None):
    """List the table names of the package, in the order of datapackage.yaml."""
    from .package.descriptor import open_package

    return open_package(root).table_names


def schema(name, *, root=None):
    """Return the pandera DataFrameSchema compiled from a table's Table Schema."""
    from .package.pandera_schema import pandera_schema
    from .package.descriptor import open_package

    return pandera_schema(open_package(root).resource(name).schema)


def validate(target=None, *, rules=None, strict=False, trusted=False):
    """Validate the repository (default) or any data package descriptor; returns a Report.

    Paths the package names must stay inside it unless `trusted` (your own files only)."""
    from .validate.run import validate as _validate

    return _validate(target, rules=rules, strict=strict, trusted=trusted)
