"""Fixtures of the principle scenarios (see scenario_kit.py for the building blocks)."""

from __future__ import annotations

import pytest
from scenario_kit import Scenario


@pytest.fixture
def scenario(tmp_path, default_rules) -> Scenario:
    ruleset, evaluator = default_rules
    return Scenario(db_url=str(tmp_path / "coach.db"), ruleset=ruleset, evaluator=evaluator)


@pytest.fixture
def other(tmp_path, default_rules) -> Scenario:
    """A second, independent scenario (its own store) for side-by-side comparisons."""
    ruleset, evaluator = default_rules
    return Scenario(db_url=str(tmp_path / "other.db"), ruleset=ruleset, evaluator=evaluator)
