"""Layer 2 of `kzcn validate`: the header against the schema, every cell against its field, and keys.

Works on whole Arrow columns (kzcn.package.cast reads them as their types) and turns only the
faulty cells into findings. The semantics follow frictionless-py 5.21 (the version installed
here), which the conformance tests compare us with; each module's docstring gives its part.

What lives here:
- header: `check_header`, how the header's labels pair with the schema's fields (`Header`);
- cells: `check_cells`, one pass over a table's cells (blank, short and long rows), making the
  `TableCheck` the later checks read; field: one column's type and constraints;
- keys: `key_findings`, unique fields and the primary key;
- foreign_keys: `foreign_key_findings`, keys into other tables (run once every table is read);
- formulas: `formula_findings`, text cells a spreadsheet would run as a formula;
- problems: `schema_problems`, faults in the schema descriptor itself;
- vocabulary: which constraints apply to which type, shared by problems and field.

May import: kzcn.validate.catalogue, kzcn.validate.structure, kzcn.package (and numpy,
pyarrow). Never kzcn.validate.rules, release, report or cli.
"""
from __future__ import annotations

from .cells import TableCheck, check_cells
from .foreign_keys import foreign_key_findings
from .formulas import formula_findings
from .header import Header, check_header
from .keys import key_findings
from .problems import schema_problems

__all__ = ["Header", "TableCheck", "check_cells", "check_header", "foreign_key_findings", "formula_findings",
           "key_findings", "schema_problems"]
