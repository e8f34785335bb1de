"""`kzcn validate`: three layers over a data package, every finding in one report.

What lives here, in the order a run goes through it: the orchestrator that only puts the
layers in order (run); layers 1 and 2 on one table (table); layer 1 on each file's bytes,
from the file checks (hash, bytes, encoding, format) through the byte scan to the two parse
paths (structure/); layer 2 on the header, cells, keys and foreign keys against the Table
Schema (schema/); the typed frames handed to layer 3 (frames); layer 3, the cross-table
consistency rules written as data (rules/); the cap on findings listed per code, counting the
rest (budget); where layers 1 and 2 run, this process or a Dask cluster (engines/); the finding and report types (findings), the
catalogue of finding codes (catalogue), the text, JSON and GitHub renderings (formats), and
the README tables generated from the catalogue and the rules (readme_sections).

May import: kzcn.package, kzcn.errors, kzcn.atomic. Never release, report or cli, and never
great_expectations, dvc or matplotlib (a test checks `sys.modules`).

`kzcn.validate(target)` is the public API (a function in kzcn/__init__.py), but importing any
module of this package rebinds the attribute `kzcn.validate` to this package. Making the
package callable keeps `kzcn.validate(...)` working however the names were imported.
"""
from __future__ import annotations

import sys
import types


class _CallableModule(types.ModuleType):
    def __call__(self, target=None, *, rules=None, strict: bool = False, limits=None, trusted: bool = False,
                 engine: str = "local", workers: int | None = None, scheduler: str | None = None,
                 chunk_size=None, on_findings=None):
        from .run import validate

        return validate(target, rules=rules, strict=strict, limits=limits, trusted=trusted, engine=engine,
                        workers=workers, scheduler=scheduler, chunk_size=chunk_size, on_findings=on_findings)


sys.modules[__name__].__class__ = _CallableModule
