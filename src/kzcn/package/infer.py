"""A Table Schema for a resource that declares none, inferred the way frictionless infers it.

Other people's packages often leave a resource without a schema; frictionless then infers one
from a sample (the first 100 rows, header included) and validates against it, so a `type-error`
it reports on row 120 of a schema-less file depends on that inference. To agree with it we
replay its algorithm: the same candidate types in the same order, the same 0.9 confidence, the
same early decision row by row, the same names for blank (`field3`) and repeated (`name2`)
labels. Cells are judged with kzcn.package.cast's exact readers, which follow frictionless's.
"""
from __future__ import annotations

from .cast import as_array, reader

CANDIDATES = ["yearmonth", "geopoint", "duration", "geojson", "object", "array", "datetime", "time", "date",
              "integer", "number", "boolean", "year", "string"]
SAMPLE_ROWS = 100  # frictionless's sample_size, header row included
CONFIDENCE = 0.9


def deduplicate(names: list[str]) -> list[str]:
    """Later repeats become name2, name3, ... (frictionless's deduplicate_names)."""
    out, used = [], set()
    for name in names:
        new, suffix = name, 2
        while new in used:
            new = f"{name}{suffix}"
            suffix += 1
        out.append(new)
        used.add(new)
    return out


def field_names(labels: list[str] | None, width: int) -> list[str]:
    if labels:
        names = [(lab or "").strip() for lab in labels]
    else:
        names = [""] * width
    return deduplicate([n or f"field{i}" for i, n in enumerate(names, start=1)])


def sample_rows(parsed, header: bool) -> list[list]:
    """The data rows frictionless's inference sees, as lists of cells (short rows stay short)."""
    import numpy as np
    import pyarrow as pa

    k = min(parsed.n_rows, SAMPLE_ROWS - (1 if header else 0))
    first = np.argsort(parsed.row_numbers, kind="stable")[:k]  # rows are not always in file order
    take = pa.array(first, pa.int64())
    columns = [as_array(c).take(take).to_pylist() for c in parsed.columns]
    counts = parsed.cell_counts[first]
    # a null within the row's cells was an empty cell read as null
    return [[("" if columns[i][r] is None else columns[i][r]) for i in range(min(int(counts[r]), parsed.width))]
            for r in range(k)]


def infer_fields(names: list[str], fragment: list[list], missing_values=("",)) -> list[dict]:
    """One {"name", "type"} per name; `any` where no candidate reaches the confidence."""
    if not fragment:
        return [{"name": n, "type": "any"} for n in names]
    readers = [(t, reader({"type": t})) for t in CANDIDATES]
    missing = set(missing_values)
    fields: list = [None] * len(names)
    max_score = [len(fragment)] * len(names)
    threshold = len(fragment) * (CONFIDENCE - 1)
    scores = [[0] * len(readers) for _ in names]
    for cells in fragment:
        for index, name in enumerate(names):
            if fields[index] is not None:
                continue
            source = cells[index] if len(cells) > index else None
            is_missing = source in missing
            if is_missing:
                max_score[index] -= 1
            for k, (t, read) in enumerate(readers):
                if scores[index][k] < threshold:
                    continue
                if not is_missing:
                    ok = source is None or str(source) in missing or read(source) is not None
                    scores[index][k] += 1 if ok else -1
                if max_score[index] > 0 and scores[index][k] >= max_score[index] * CONFIDENCE:
                    fields[index] = {"name": name, "type": t}
                    break
    return [f or {"name": n, "type": "any"} for f, n in zip(fields, names)]


def infer_schema(parsed, header: bool = True) -> dict:
    """The schema frictionless would infer for this parsed file."""
    names = field_names(parsed.labels, parsed.width)
    return {"fields": infer_fields(names, sample_rows(parsed, header))}
