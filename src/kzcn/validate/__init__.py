"""`kzcn validate`: three layers over a data package, every finding in one report.

What lives here: the orchestrator that runs the layers in order (run), layer 1 on each file's
bytes (structure), layer 2 on the header, cells and keys against the Table Schema
(schema_checks), layer 3, the cross-table consistency rules written as data (rules/), the
finding and report types (findings), the catalogue of finding codes (catalogue), the text,
JSON and GitHub renderings (formats), and the README tables generated from the catalogue and
the rules (readme_sections).

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
    def __call__(self, target=None, *, rules=None, strict: bool = False):
        from .run import validate

        return validate(target, rules=rules, strict=strict)


sys.modules[__name__].__class__ = _CallableModule
