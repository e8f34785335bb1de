"""The rules' fast cell access (`RuleTable.at`) and ISO lookups give what pandas and pycountry give.

Both exist for speed (kzcn.validate.rules.ruletable, kzcn.validate.rules.isocodes), so each is
checked against the slow thing it replaces, on every path it can take.
"""
from __future__ import annotations

import random
import string

import pandas as pd
import pytest

from kzcn.validate.rules.ruletable import RuleTable, _FastAt


@pytest.mark.parametrize("lines", [
    [2, 3, 4, 5, 6],             # one run of lines: arithmetic
    [2, 3, 7, 8, 20],            # gaps (multi-line cells, blank rows left out): a dict
    [9, 2, 5, 3],                # out of file order: a dict
    [],                          # no rows
    list(range(2, 2 + _FastAt.DICT_UP_TO + 50, 2)),  # sorted with gaps, large: binary search
])
def test_cells_by_line_match_pandas_at(lines):
    frame = pd.DataFrame({"v": [f"x{i}" for i in range(len(lines))], "n": list(range(len(lines)))},
                         index=pd.Index(lines, dtype="int64"))
    table = RuleTable(frame)
    for line in lines[:200] + lines[-200:]:
        assert table.at[line, "v"] == frame.at[line, "v"]
        assert table.at[line, "n"] == frame.at[line, "n"]
    present = set(lines)
    for missing in [0, 1, -5, (max(lines) if lines else 0) + 1, 10**9] + [x + 1 for x in lines[:50]]:
        if missing in present:
            continue
        with pytest.raises(KeyError):
            table.at[missing, "v"]


def test_iso_lookups_agree_with_pycountry_on_every_code_and_on_noise():
    pycountry = pytest.importorskip("pycountry")
    from kzcn.validate.rules.isocodes import DATABASES, lookup, subdivision_country

    rnd = random.Random(12)
    for kind, (_, _, field) in DATABASES.items():
        db = getattr(pycountry, kind)
        codes = [getattr(o, field) for o in db if field in o._fields]
        assert codes, kind
        noise = ["".join(rnd.choice(string.ascii_letters + "-0123456789") for _ in range(rnd.randint(0, 6)))
                 for _ in range(3000)]
        for value in codes + [c.lower() for c in codes] + [c.swapcase() for c in codes] + noise + ["", " KZ"]:
            found = db.get(**{field: value})
            mine = lookup(kind, value)
            assert (found is None) == (mine is None), (kind, value)
            if found is not None:
                assert getattr(found, field) == mine
                if kind == "subdivisions":
                    assert found.country_code == subdivision_country(mine)


def test_na_answers_as_pandas_does_for_every_kind_of_cell():
    import numpy as np

    from kzcn.validate.rules.context import na

    class Text(str):
        pass

    cells = ["", "x", Text("y"), 0, 1, -7, 10**30, True, False, 0.0, -0.0, 2.5, float("nan"), float("inf"),
             -float("inf"), None, pd.NA, pd.NaT, np.nan, np.float64("nan"), np.float32(1), np.int64(3),
             np.bool_(True), np.datetime64("NaT"), np.datetime64("2020-01-01"), pd.Timestamp("2020-01-01"),
             [1, None], (None,)]
    for cell in cells:
        try:
            expected = cell is None or bool(pd.isna(cell))
        except (TypeError, ValueError):
            expected = False
        assert na(cell) is expected, repr(cell)
