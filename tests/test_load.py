"""kzcn.load gives the dtypes the schema implies, field by field, for every table."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import csv_edits

import kzcn
from kzcn.errors import DataError, UsageError
from kzcn.package.descriptor import open_shipped
from kzcn.package.load import resource_of

PACKAGE = open_shipped()  # what kzcn.load reads: the dataset shipped with the code
TABLES = kzcn.tables()    # its tables, then the derived ones (trade_series, indicator_series)


def expected_dtype(field):
    """Derived from the Table Schema alone, independently of kzcn.package.dtypes."""
    enum = (field.get("constraints") or {}).get("enum")
    t = field["type"]
    if t == "string" and enum:
        return pd.CategoricalDtype(categories=enum, ordered=field.get("categoriesOrdered") is True)
    return {"string": pd.StringDtype(), "integer": pd.Int64Dtype(), "number": pd.Float64Dtype(),
            "boolean": pd.BooleanDtype(), "date": np.dtype("datetime64[ns]")}[t]


def test_tables_are_the_curated_then_the_derived():
    assert TABLES[: len(PACKAGE.table_names)] == PACKAGE.table_names
    assert TABLES[len(PACKAGE.table_names):] == ["trade_series", "indicator_series"]


@pytest.mark.parametrize("name", TABLES)
def test_load_types_every_field_from_its_schema(name):
    df = kzcn.load(name)
    fields = resource_of(PACKAGE, name).schema["fields"]
    assert list(df.columns) == [f["name"] for f in fields]
    for f in fields:
        exp = expected_dtype(f)
        got = df[f["name"]].dtype
        assert got == exp, f"{name}.{f['name']}: {got} != {exp}"
        if isinstance(exp, pd.CategoricalDtype):
            assert list(got.categories) == list(exp.categories)
    assert df.attrs["name"] == name
    assert df.attrs["primary_key"] == resource_of(PACKAGE, name).primary_key
    assert df.attrs["fields"][fields[0]["name"]]["description"] == fields[0]["description"]
    assert len(df) > 0


def test_pandera_schema_compiled_from_table_schema_accepts_and_rejects():
    import pandera.errors

    df = kzcn.load("trade_volumes")
    schema = kzcn.schema("trade_volumes")
    schema.validate(df)
    assert set(schema.columns) == set(df.columns)
    bad = df.copy()
    bad.loc[0, "source_id"] = "Not A Slug"
    with pytest.raises(pandera.errors.SchemaError):
        schema.validate(bad)


def test_load_package_returns_every_table():
    tables = kzcn.load_package()
    assert list(tables) == kzcn.tables() == TABLES


def test_unknown_table_lists_the_known_ones():
    with pytest.raises(UsageError) as exc:
        kzcn.load("trade")
    msg = str(exc.value)
    assert "'trade'" in msg
    for name in TABLES:
        assert name in msg


def test_bad_cell_names_file_line_and_field(package_copy):
    csv_edits.set_cell(package_copy / "datasets" / "trade_volumes.csv", 3, "period_start", "2023-13-45")
    with pytest.raises(DataError) as exc:
        kzcn.load("trade_volumes", root=package_copy)
    assert "datasets/trade_volumes.csv" in str(exc.value)
    assert "line 3 field period_start" in str(exc.value)
