"""What a new user meets in the first minute: errors that are the built-ins they expect, ordered
categories where order means something, a missing extra named, plurals, and a diff that says
whether the new side validates."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

import kzcn
from release_helpers import KZCN, copy_package, edit_cell, env


def test_an_unknown_table_is_a_key_error_with_a_suggestion():
    with pytest.raises(KeyError) as info:
        kzcn.load("trade_volume")
    assert isinstance(info.value, kzcn.UsageError) and isinstance(info.value, kzcn.UnknownTableError)
    assert "did you mean 'trade_volumes'?" in str(info.value)
    assert not str(info.value).startswith("'")  # not KeyError's quoted repr


def test_a_bad_version_is_a_value_error_with_a_suggestion():
    with pytest.raises(ValueError) as info:
        kzcn.load("trade_volumes", version="0.1.1")
    assert isinstance(info.value, kzcn.UnknownVersionError)
    assert "did you mean '0.1.0'?" in str(info.value)
    with pytest.raises(ValueError, match="unknown data version 'latest'"):
        kzcn.load("trade_volumes", version="latest")


def test_scale_and_precision_are_ordered_where_order_means_something():
    trade = kzcn.load("trade_volumes")
    assert trade["scale"].dtype.ordered
    assert list(trade["scale"].dtype.categories) == ["one", "thousand", "ten_thousand", "million", "hundred_million", "billion",
                                                     "trillion"]
    assert trade["scale"].max() == "billion"
    meetings = kzcn.load("meetings")
    assert meetings["date_precision"].dtype.ordered
    assert not trade["flow"].dtype.ordered  # a plain set of labels stays unordered


def test_rows_come_in_primary_key_order():
    trade = kzcn.load("trade_volumes")
    assert trade["trade_id"].is_monotonic_increasing


def test_report_without_the_maintainer_extra_names_what_to_install(repo_root, tmp_path):
    code = ("import sys; sys.modules['great_expectations'] = None; from kzcn.cli import main; "
            f"sys.exit(main(['report', {str(repo_root)!r}, '--output', {str(tmp_path / 'out')!r}]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env())
    assert done.returncode == 2, done.stderr
    assert "pip install 'kzcn-data[maintainer]'" in done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr


def test_diff_ends_with_the_verdict_of_the_new_side(tmp_path):
    old = copy_package(tmp_path / "old")
    new = copy_package(tmp_path / "new")
    edit_cell(new, "people", "lin-wu", "notes", "one changed note")
    done = subprocess.run([KZCN, "diff", old, new], capture_output=True, text=True, env=env())
    assert done.returncode == 0, done.stderr
    assert "(1 cell)" in done.stdout and "(1 cells)" not in done.stdout
    assert done.stdout.rstrip().splitlines()[-1].endswith("VALID: 0 errors, 0 warnings (kzcn validate)")
    edit_cell(new, "trade_volumes", _first_trade_id(new), "reporter_basis", "not-a-basis")
    done = subprocess.run([KZCN, "diff", old, new], capture_output=True, text=True, env=env())
    last = done.stdout.rstrip().splitlines()[-1]
    assert re.search(r": INVALID: [1-9]\d* errors?, ", last), done.stdout


def _first_trade_id(pkg):
    import csv

    with open(pkg / "datasets" / "trade_volumes.csv", newline="", encoding="utf-8") as fh:
        return next(csv.DictReader(fh))["trade_id"]
