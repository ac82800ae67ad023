"""`coach.service.rules_test`: the default set's scenarios pass; a changed rule or a wrong
expectation shows as a difference at the expectation's line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from coach.engine.rules import SourceFile, builtin_dir
from coach.service.rules_test import load_scenarios, run_scenario, run_scenarios, scenarios_dir
from coach.service.scenario_files import parse_scenarios


def one(text: str):
    found, wrong = parse_scenarios(SourceFile("mine.yml", text))
    assert wrong == []
    return found[0]


SPIKE = textwrap.dedent("""\
    scenarios:
      - name: a load spike
        date: 2026-11-19
        history:
          baseline: 5
          workouts:
            - {days_before: 3, kind: steady, minutes: 60, rpe: 6, km: 12}
            - {days_before: 4, kind: steady, minutes: 60, rpe: 6, km: 12}
            - {days_before: 6, kind: steady, minutes: 60, rpe: 6, km: 12}
        expect:
    """)


def test_the_default_set_ships_passing_scenarios_for_p6_to_p15(default_rules):
    ruleset, evaluator = default_rules
    scenarios, problems = load_scenarios([scenarios_dir(builtin_dir())], ruleset)
    assert problems == []
    assert {f"P{n}" for n in range(6, 16)} <= {s.principle for s in scenarios}
    results = run_scenarios(scenarios, ruleset, evaluator)
    assert [(r.scenario.name, r.differences) for r in results if not r.passed] == []


def test_a_met_expectation_passes_and_a_wrong_one_is_a_difference_at_its_line(default_rules):
    ruleset, evaluator = default_rules
    good = one(SPIKE + "      kind: steady\n      fired: [fatigue-load-spike]\n      not_intensity: hard\n")
    assert run_scenario(good, ruleset, evaluator).passed
    bad = one(SPIKE + "      kind: intervals\n      not_fired: [fatigue-load-spike]\n"
              "      main_m: {max: 1000}\n      facts: {plan.slot: light}\n")
    result = run_scenario(bad, ruleset, evaluator)
    lines = {d.line: d.message for d in result.differences}
    assert lines[11] == "kind: expected intervals, got steady"
    assert lines[12].startswith("fatigue-load-spike changed the proposal but must not: Your 7-day load")
    assert lines[13].startswith("main set: ") and lines[13].endswith(" m, expected at most 1000 m")
    assert lines[14] == "fact plan.slot: expected light, got hard"


def test_scenarios_naming_an_unknown_rule_are_problems_before_anything_runs(default_rules, tmp_path):
    ruleset, _ = default_rules
    path = tmp_path / "mine.yml"
    path.write_text(SPIKE + "      fired: [fatigue-load-spik]\n")
    scenarios, problems = load_scenarios([path, tmp_path / "missing.yml"], ruleset)
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'missing.yml'}:1: no such scenario file or folder",
        f'{path}:11: expect.fired: no rule \'fatigue-load-spik\' in the rule set (did you mean "fatigue-load-spike"?)',
    ]


@pytest.mark.parametrize("threshold", ["1.6"])
def test_a_weakened_rule_fails_the_scenario_that_guards_it(default_rules, tmp_path, threshold):
    from coach.cli.rulesets import copy_ruleset
    from coach.service.rulesets import read_rule_set

    copy_ruleset(tmp_path / "rules")
    fatigue = tmp_path / "rules" / "fatigue.yml"
    text = fatigue.read_text()
    assert "load.acwr > 1.3" in text
    fatigue.write_text(text.replace("load.acwr > 1.3", f"load.acwr > {threshold}", 1))
    ruleset = read_rule_set(tmp_path / "rules")
    scenarios, problems = load_scenarios([scenarios_dir(tmp_path / "rules")], ruleset)
    assert problems == []
    failed = [r for r in run_scenarios(scenarios, ruleset, ruleset.evaluator()) if not r.passed]
    assert [r.scenario.name for r in failed] == ["a load spike swaps the fast day to a steady run"]
    assert Path(failed[0].scenario.file).name == "p07_fatigue.yml"
