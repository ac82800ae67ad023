"""P14: stable rep paces and a falling RPE at the same pace move targets up; the opposite moves them down."""

from __future__ import annotations

import pytest
from scenario_kit import DAY, Kind, days_before, main_paces, principles_of, reason_of, reps_400, run


def _rep_sessions(scenario, rpes, paces=(240, 241, 240, 241, 240, 241)):
    days = (12, 8, 4)
    scenario.baseline(drop=days)
    scenario.log(*[run(days_before(DAY, n), Kind.intervals, 45, rpe, 9, reps=reps_400(list(paces), target=240))
                   for n, rpe in zip(days, rpes)])


@pytest.fixture
def calm(other):
    other.baseline()
    return other.propose()


def test_lower_effort_at_the_same_pace_makes_targets_faster(scenario, calm):
    _rep_sessions(scenario, rpes=(8, 8, 7))
    p = scenario.propose()
    assert p.facts["calib.sessions"] == 3 and p.facts["calib.rpe_change"] == -1
    assert "P14" in principles_of(p)
    assert "RPE changed by -1" in reason_of(p, "calibrate-faster")
    paced = [(new, old) for new, old in zip(main_paces(p), main_paces(calm), strict=True) if new != old]
    assert paced and all(new < old for new, old in paced)


def test_higher_effort_at_the_same_pace_makes_targets_slower(scenario, calm):
    _rep_sessions(scenario, rpes=(7, 8, 8))
    p = scenario.propose()
    assert p.facts["calib.rpe_change"] == 1
    assert "RPE changed by +1" in reason_of(p, "calibrate-slower")
    paced = [(new, old) for new, old in zip(main_paces(p), main_paces(calm), strict=True) if new != old]
    assert paced and all(new > old for new, old in paced)


def test_uneven_reps_do_not_earn_faster_targets(scenario):
    _rep_sessions(scenario, rpes=(8, 8, 7), paces=(230, 250, 228, 255, 232, 252))
    p = scenario.propose()
    assert p.facts["calib.pace_cv_pct"] >= 3
    assert "calibrate-faster" not in {a.rule for a in p.adaptations}
