"""P7: when fatigue accumulates, the planned fast day becomes a steady run or cross-training."""

from __future__ import annotations

import pytest
from scenario_kit import DAY, Kind, baseline_history, days_before, principles_of, reason_of, rules_of, run


def test_calm_baseline_after_a_rest_day_gets_the_hard_session(scenario):
    scenario.baseline()
    p = scenario.propose()
    assert p.facts["plan.slot"] == "hard" and p.facts["days_since.rest"] == 1
    assert p.session.intensity == "hard"
    assert p.session.kind.value == "intervals"
    assert "P7" not in principles_of(p) and "P10" not in principles_of(p)
    assert p.facts["load.acwr"] < 1.15


def test_load_spike_swaps_the_fast_day_to_a_steady_run(scenario):
    scenario.baseline()
    # three extra hard hours in the last week, yesterday still a rest day
    scenario.log(*[run(days_before(DAY, n), Kind.steady, 60, 6, 12) for n in (3, 4, 6)])
    p = scenario.propose()
    acwr = p.facts["load.acwr"]
    assert acwr > 1.3
    assert p.session.kind.value == "steady"
    assert p.session.intensity != "hard"
    assert "fatigue-load-spike" in rules_of(p) and "P7" in principles_of(p)
    assert f"{acwr:.2f}" in reason_of(p, "fatigue-load-spike")


def test_sore_legs_swap_the_fast_day_to_cross_training(scenario):
    scenario.baseline(drop=(2,))
    scenario.log(run(days_before(DAY, 2), Kind.tempo, 45, 7, 10, soreness=7))
    p = scenario.propose()
    assert p.session.kind.value == "cross"
    assert p.session.intensity != "hard"
    assert "7/10" in reason_of(p, "fatigue-sore-legs")


def test_short_night_swaps_the_fast_day_to_a_steady_run(scenario):
    scenario.baseline(drop=(2,))
    scenario.log(run(days_before(DAY, 2), Kind.tempo, 45, 7, 10, sleep_h=4.5))
    p = scenario.propose()
    assert p.session.kind.value == "steady"
    assert "4.5 h" in reason_of(p, "fatigue-poor-sleep")


def test_easy_run_that_felt_hard_swaps_the_fast_day(scenario):
    # rest 3 days ago, easy run that felt like RPE 6 yesterday: the plan says hard (tempo)
    scenario.baseline(drop=(1, 2, 3))
    scenario.log(run(days_before(DAY, 2), Kind.easy, 40, 3, 8), run(days_before(DAY, 1), Kind.easy, 40, 6, 8))
    p = scenario.propose()
    assert p.facts["plan.intensity"] == "hard"
    assert p.session.kind.value == "steady"
    assert "RPE 6" in reason_of(p, "fatigue-easy-felt-hard")


def test_rising_easy_heart_rate_swaps_the_fast_day(scenario):
    history = baseline_history(DAY)
    for i, w in enumerate(history):
        if w.kind == Kind.easy:
            late = (DAY - w.date).days <= 7
            history[i] = w.model_copy(update={"avg_hr": 152 if late else 138})
    scenario.log(*history)
    p = scenario.propose()
    drift = p.facts["wellness.hr_drift_pct"]
    assert drift > 5
    assert p.session.kind.value == "steady"
    assert f"{drift:.1f}%" in reason_of(p, "fatigue-easy-hr-up")


@pytest.mark.parametrize("soreness, sleep_h", [(4, 7.0), (5, 6.5)])
def test_mild_signals_keep_the_hard_session(scenario, soreness, sleep_h):
    scenario.baseline(drop=(2,))
    scenario.log(run(days_before(DAY, 2), Kind.tempo, 45, 7, 10, soreness=soreness, sleep_h=sleep_h))
    p = scenario.propose()
    assert p.session.intensity == "hard"
    assert "P7" not in principles_of(p)


def test_fatigue_does_not_touch_a_planned_easy_day(scenario):
    # rest 2 days ago, so today is the light slot; very sore legs change nothing
    scenario.baseline(drop=(1, 2))
    scenario.log(run(days_before(DAY, 1), Kind.intervals, 45, 7, 9, soreness=8))
    p = scenario.propose()
    assert p.facts["plan.slot"] == "light"
    assert "P7" not in principles_of(p)
    assert p.session.intensity != "hard"
