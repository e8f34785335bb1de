"""The faults benchmarks/generate.py injects, and the finding each must produce.

Why a module of its own: the fault classes are the benchmark's contract with the validator
(class -> code and field, the line as an editor shows it), read by the generator, the checks
(faultcheck.py), the streaming and Dask benchmarks and the tests; the package writer around
them (generate.py) is a separate job. Every class is one the validator knows; each faulty row
gets one fault, the classes in equal shares.
"""
from __future__ import annotations

import numpy as np

FAULT_RATE = 0.01
PERIOD_RULE = "figure-period-order"  # the one per-row rule a fault class breaks

# fault class -> (expected code, field); the order is the order of their share of the faults.
FAULT_CLASSES = {
    "type-number": ("type-error", "value"),
    "type-boolean": ("type-error", "derived"),
    "bad-date": ("type-error", "period_start"),
    "enum": ("constraint-error", "flow"),
    "minimum": ("constraint-error", "value"),
    "pattern": ("constraint-error", "partner_scope"),
    "required-blank": ("constraint-error", "qualifier"),
    "duplicate-key": ("primary-key", "trade_id"),  # + unique-error on the same cell (see below)
    "foreign-key": ("foreign-key", "source_id"),
    "period-order": (PERIOD_RULE, "period_end"),
    "missing-cell": ("missing-cell", "notes"),
    "extra-cell": ("extra-cell", ""),  # a cell beyond the header has no field (frictionless's fieldName "")
    "formula-cell": ("formula-cell", "source_span"),
}

BAD_NUMBERS = ["1.2.3", "twelve", "12 mln", "n/a", "5..0", "1e", "12%"]
BAD_BOOLEANS = ["yes", "no", "Y", "T", "2"]
BAD_DATES = ["2023-02-30", "2023-13-01", "2021-00-10", "01/02/2023", "2022-06-1x", "2019-04-31", "2020-06"]
BAD_FLOWS = ["exports", "Turnover", "re-export", "transit"]
BAD_SCOPES = ["CN-Shandong", "China", "KZ", "cn-sd", "CN-S"]
FORMULAS = ["=HYPERLINK(\"http://x\")", "+6% on the year", "@SUM(A1:A9)", "-5% year on year", "=1+1"]


def inject_faults(rows: list[list[str]], names: list[str], rng, rate: float = FAULT_RATE) -> tuple[dict, list[dict]]:
    """Break about `rate` of the rows, one fault each, every class about equally often.

    Returns (extra: data row index -> extra trailing cell or a marker to drop the last cell,
    faults: one record per expected finding, with its data row index). Rows keep their line
    (no multi-line cells), so line = data row index + 2.
    """
    n = len(rows)
    col = {name: i for i, name in enumerate(names)}
    classes = list(FAULT_CLASSES)
    count = max(len(classes), int(round(n * rate)))
    # Row 0 is never broken: a duplicate key copies the id of an earlier clean row.
    targets = np.sort(rng.choice(np.arange(1, n), size=count, replace=False))
    kinds = [classes[k % len(classes)] for k in range(count)]
    order = rng.permutation(count)
    kinds = [kinds[k] for k in order]
    faulty = set(int(t) for t in targets)
    ragged: dict[int, str | None] = {}
    faults: list[dict] = []
    used_originals: set[int] = set()
    pick = rng.integers(0, 1 << 30, size=count)

    def record(row, cls, code, field, value, **extra):
        faults.append({"class": cls, "row_index": row, "line": row + 2, "field": field, "code": code,
                       "value": value, **extra})

    for k, (row, cls) in enumerate(zip(targets.tolist(), kinds)):
        cells = rows[row]
        code, field = FAULT_CLASSES[cls]
        r = int(pick[k])
        if cls == "type-number":
            cells[col["value"]] = BAD_NUMBERS[r % len(BAD_NUMBERS)]
        elif cls == "type-boolean":
            cells[col["derived"]] = BAD_BOOLEANS[r % len(BAD_BOOLEANS)]
            cells[col["derivation"]] = ""  # a derivation beside a non-boolean would be judged by no rule
        elif cls == "bad-date":
            cells[col["period_start"]] = BAD_DATES[r % len(BAD_DATES)]
        elif cls == "enum":
            cells[col["flow"]] = BAD_FLOWS[r % len(BAD_FLOWS)]
        elif cls == "minimum":
            cells[col["value"]] = f"-{1 + r % 9999 / 10:.1f}"
        elif cls == "pattern":
            cells[col["partner_scope"]] = BAD_SCOPES[r % len(BAD_SCOPES)]
        elif cls == "required-blank":
            cells[col["qualifier"]] = ""
        elif cls == "duplicate-key":
            # the id of an earlier row that is itself clean and not copied yet
            original = r % row
            for _ in range(row):
                if original not in faulty and original not in used_originals:
                    break
                original = (original + 1) % row
            else:
                raise ValueError("too few rows to place a duplicate key")
            used_originals.add(original)
            cells[col["trade_id"]] = rows[original][col["trade_id"]]
            record(row, cls, "unique-error", "trade_id", cells[col["trade_id"]], first_line=original + 2)
        elif cls == "foreign-key":
            cells[col["source_id"]] = f"src-missing-{r % 100000:05d}"
        elif cls == "period-order":
            # the period's end moved before its start (a growth's base period stays a year earlier)
            start = cells[col["period_start"]]
            cells[col["period_end"]] = str(np.datetime64(start) - np.timedelta64(1 + r % 40, "D"))
        elif cls == "missing-cell":
            cells[col["notes"]] = ""
            ragged[row] = None
        elif cls == "extra-cell":
            ragged[row] = f"stray-{r % 1000}"
        elif cls == "formula-cell":
            cells[col["source_span"]] = FORMULAS[r % len(FORMULAS)]
        value = cells[col[field]] if field else ragged.get(row)
        record(row, cls, code, field, value)
    faults.sort(key=lambda f: (f["line"], f["field"] or "", f["code"]))
    return ragged, faults
