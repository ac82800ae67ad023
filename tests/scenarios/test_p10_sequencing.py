"""P10: the hardest work comes after a rest or light day; two maximal days never follow each other."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scenario_kit import DAY, Kind, Sport, Workout, days_before, principles_of, reason_of, rules_of, run


def test_fresh_athlete_after_a_rest_day_gets_the_hard_session(scenario):
    scenario.athlete()
    p = scenario.propose()  # nothing logged: yesterday was a rest day
    assert p.facts["days_since.rest"] == 1
    assert p.session.intensity == "hard"
    assert p.session.kind.value == "intervals"
    assert not {"P7", "P9", "P10", "P11", "P12"} & principles_of(p)


def test_after_a_rest_day_the_pattern_puts_the_hard_session(scenario):
    scenario.baseline()
    p = scenario.propose()
    assert p.session.intensity == "hard"


# what the weekly pattern asks for on DAY, for each rest day: the rule must turn every "hard"
# down, and has nothing to do on an easy or rest day
@pytest.mark.parametrize("rest_ago, pattern", [(2, "easy"), (3, "hard"), (4, "rest"), (5, "hard")])
@pytest.mark.parametrize("maximal", ["race", "time_trial", "rpe"])
def test_never_a_hard_day_after_a_maximal_one(scenario, rest_ago, pattern, maximal):
    scenario.baseline(drop=tuple(range(1, rest_ago + 1)))
    between = [run(days_before(DAY, n), Kind.easy, 40, 3, 8) for n in range(2, rest_ago)]
    if maximal == "rpe":
        yesterday = run(days_before(DAY, 1), Kind.tempo, 50, 9, 12)
    else:
        yesterday = run(days_before(DAY, 1), Kind(maximal), 20, 8, 5)
    scenario.log(*between, yesterday)
    p = scenario.propose()
    assert p.facts["days_since.maximal"] == 1
    assert p.session.intensity != "hard"
    assert p.facts["plan.intensity"] == pattern
    if pattern == "hard":
        assert "no-hard-after-maximal" in rules_of(p)
        assert "maximal" in reason_of(p, "no-hard-after-maximal")
    else:
        assert "no-hard-after-maximal" not in rules_of(p)


def test_a_hard_day_after_a_hard_day_becomes_easy(scenario):
    # rest 3 days ago, then an easy day and a hard bike yesterday: the pattern says hard (tempo)
    scenario.baseline(drop=(1, 2, 3))
    scenario.log(run(days_before(DAY, 2), Kind.easy, 40, 3, 8),
                 Workout(date=days_before(DAY, 1), sport=Sport.cross, kind=Kind.cross, duration_s=3600, rpe=8))
    p = scenario.propose()
    assert p.facts["plan.intensity"] == "hard" and p.facts["yesterday.intensity"] == "hard"
    assert p.session.intensity != "hard"
    assert "P10" in principles_of(p) and "no-hard-after-hard" in rules_of(p)


_KINDS = [Kind.easy, Kind.recovery, Kind.steady, Kind.long, Kind.tempo, Kind.intervals, Kind.race, Kind.cross]


def _random_history(draw_days):
    out = []
    for n, kind, minutes, rpe in draw_days:
        out.append(Workout(date=days_before(DAY, n), sport=Sport.run, kind=kind, duration_s=minutes * 60,
                           rpe=rpe, distance_m=minutes * 180))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    days=st.lists(st.tuples(st.integers(2, 40), st.sampled_from(_KINDS), st.integers(20, 120), st.integers(1, 10)),
                  max_size=40),
    maximal=st.sampled_from(["race", "time_trial", "rpe9", "rpe10"]),
    sport=st.sampled_from(["run", "triathlon"]),
)
def test_property_no_hard_session_the_day_after_a_maximal_one(default_rules, days, maximal, sport):
    from coach.engine.model import Athlete
    from coach.service.propose import propose_from_history

    ruleset, evaluator = default_rules
    if maximal.startswith("rpe"):
        yesterday = run(days_before(DAY, 1), Kind.tempo, 40, int(maximal[3:]), 9)
    else:
        yesterday = run(days_before(DAY, 1), Kind(maximal), 25, 8, 6)
    athlete = Athlete(name="P", sport=sport, rest_days=[])
    p = propose_from_history(athlete, [*_random_history(days), yesterday], DAY, ruleset, evaluator)
    assert p.facts["days_since.maximal"] == 1
    assert p.session.intensity != "hard"
