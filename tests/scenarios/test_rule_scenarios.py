"""The scenario files the built-in rule set ships (rules/scenarios/), one test each: what
`coach rules test` runs on an untouched set, here with the scenario's name as the test id."""

from __future__ import annotations

import pytest

from coach.engine.rules import builtin_dir
from coach.service.scenario_files import read_scenarios, scenario_paths

SCENARIOS, PROBLEMS = read_scenarios(scenario_paths(builtin_dir() / "scenarios"))


def test_the_shipped_scenario_files_are_valid_and_cover_p6_to_p15():
    assert PROBLEMS == []
    assert {f"P{n}" for n in range(6, 16)} <= {s.principle for s in SCENARIOS}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_shipped_scenario(scenario, default_rules):
    from coach.service.rules_test import run_scenario

    ruleset, evaluator = default_rules
    result = run_scenario(scenario, ruleset, evaluator)
    assert [d.message for d in result.differences] == [], scenario.where
