"""Fixtures for the rule tests; the helpers themselves live in rulekit.py."""
from __future__ import annotations

import pytest
from rulekit import maker


@pytest.fixture
def make(tmp_path):
    """make(tables, rules, resolutions=None, schemas=None) -> Built; a fresh package folder per call."""
    return maker(tmp_path)
