"""P12: hard sessions are spread over the week (hard, light, hard, rest) and capped."""

from __future__ import annotations

import datetime as dt

from scenario_kit import Kind, principles_of, reason_of, run

MONDAY = dt.date(2026, 11, 16)


def _week_so_far(scenario):
    # the week before ends with a rest day on Sunday, then hard, light, hard, rest
    scenario.log(run(MONDAY - dt.timedelta(days=2), Kind.easy, 50, 3, 10),
                 run(MONDAY, Kind.intervals, 45, 7, 9),
                 run(MONDAY + dt.timedelta(days=1), Kind.easy, 50, 3, 10),
                 run(MONDAY + dt.timedelta(days=2), Kind.tempo, 45, 7, 10))


def test_the_pattern_alternates_hard_light_hard_rest(scenario):
    scenario.athlete()
    _week_so_far(scenario)
    slots = [scenario.propose(MONDAY + dt.timedelta(days=i)).facts["plan.slot"] for i in range(4)]
    assert slots == ["hard", "light", "hard", "rest"]


def test_a_third_hard_session_in_the_week_becomes_easy(scenario):
    scenario.athlete()
    _week_so_far(scenario)
    friday = MONDAY + dt.timedelta(days=4)  # after Thursday's rest the pattern says hard again
    p = scenario.propose(friday)
    assert p.facts["plan.intensity"] == "hard" and p.facts["week.hard_sessions"] == 2
    assert p.session.intensity != "hard"
    assert "P12" in principles_of(p)
    assert "2 hard sessions" in reason_of(p, "week-hard-cap")


def test_the_second_hard_session_of_the_week_is_kept(scenario):
    scenario.athlete()
    _week_so_far(scenario)
    p = scenario.propose(MONDAY + dt.timedelta(days=2))
    assert p.facts["week.hard_sessions"] == 1
    assert p.session.intensity == "hard"
    assert "P12" not in principles_of(p)
