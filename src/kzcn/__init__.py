"""kzcn-data: the Kazakhstan–China cooperation dataset and the tools that keep it trustworthy.

The public API is small and imported lazily, so that `import kzcn` costs no more than the
function you call: loading needs pandas, validating does not need great_expectations or dvc.
The errors are exported too: an unknown table raises UnknownTableError (a KeyError), a bad or
unpublished version UnknownVersionError (a ValueError), both kzcn.UsageError.
"""
from __future__ import annotations

from .errors import (DataError, KzcnError, TargetError, UnknownTableError, UnknownVersionError,
                     UsageError)

__all__ = ["load", "load_package", "tables", "validate", "schema", "__version__", "KzcnError",
           "UsageError", "TargetError", "DataError", "UnknownTableError", "UnknownVersionError"]
__version__ = "0.3.0"


def load(name, version=None, *, root=None):
    """Return one table as a typed pandas DataFrame (see kzcn.package.load.load).

    Reads the dataset shipped with the installed code (or a published `version`, or the
    package at `root`), wherever you call it from: unlike `kzcn validate`, it does not look
    at the current folder.
    """
    from .package.load import load as _load

    return _load(name, version=version, root=root)


def load_package(version=None, *, root=None):
    """Return every table as a dict of typed DataFrames: the shipped dataset, as load() reads it."""
    from .package.load import load_package as _load_package

    return _load_package(version=version, root=root)


def tables(*, root=None):
    """List the table names of the shipped dataset (or the package at `root`), in descriptor order."""
    from .package.descriptor import open_shipped
    from .package.series import derivable

    package = open_shipped(root)
    return package.table_names + derivable(package)


def schema(name, *, root=None):
    """Return the pandera DataFrameSchema compiled from a table's Table Schema (shipped dataset)."""
    from .package.pandera_schema import pandera_schema
    from .package.descriptor import open_shipped
    from .package.load import resource_of

    return pandera_schema(resource_of(open_shipped(root), name).schema)


def validate(target=None, *, rules=None, strict=False, limits=None, trusted=False, engine="local", workers=None,
             scheduler=None, chunk_size=None, on_findings=None):
    """Validate a data package; returns a Report.

    `target` is a folder or a descriptor (datapackage.yaml/.json); None means the package in
    the current folder or the nearest folder above it — never the data the code was installed
    with. No package found: kzcn.errors.TargetError. `limits` (a kzcn.package.limits.Limits)
    raises or lowers the bounds on file sizes, header widths and findings listed per code;
    default: the documented ones, or KZCN_MAX_* overrides. Paths the package names must stay
    inside it unless `trusted` (your own files only). `engine="dask"` (the extra
    kzcn-data[dask]) checks the tables on a Dask cluster: a local one of `workers` processes,
    or the one at `scheduler` (tcp://host:port); the report is the same. A CSV file larger than
    `chunk_size` (bytes or "32MiB"; default 32 MiB; 0: never) is checked in chunks in bounded
    memory, same findings; `on_findings(list)` receives findings as each stage finds them
    (kzcn.validate.emit).
    """
    from .validate.run import validate as _validate

    return _validate(target, rules=rules, strict=strict, limits=limits, trusted=trusted, engine=engine,
                     workers=workers, scheduler=scheduler, chunk_size=chunk_size, on_findings=on_findings)
