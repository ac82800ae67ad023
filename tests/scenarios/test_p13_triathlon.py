"""P13: triathletes get no run speed work the day after a brick or beside a hard bike day."""

from __future__ import annotations

from scenario_kit import DAY, Kind, Sport, Workout, days_before, principles_of, reason_of, rules_of, run


def _brick(n):
    return Workout(date=days_before(DAY, n), sport=Sport.brick, kind=Kind.steady, duration_s=5400, rpe=5)


def _hard_bike(date):
    return Workout(date=date, sport=Sport.bike, kind=Kind.intervals, duration_s=3600, rpe=8)


def test_no_speed_work_the_day_after_a_brick(scenario):
    scenario.athlete(sport="triathlon", goal="olympic")
    scenario.baseline(drop=(1, 2, 3))
    scenario.log(run(days_before(DAY, 2), Kind.easy, 40, 3, 8), _brick(1))
    p = scenario.propose()
    assert p.facts["plan.intensity"] == "hard" and p.facts["days_since.brick"] == 1
    assert p.session.intensity != "hard"
    assert "brick" in reason_of(p, "tri-no-speed-after-brick")


def test_no_speed_work_on_the_day_of_a_hard_bike(scenario):
    scenario.athlete(sport="triathlon", goal="olympic")
    scenario.baseline()
    scenario.log(_hard_bike(DAY))
    p = scenario.propose()
    assert p.facts["today.planned_bike_hard"] is True
    assert p.session.intensity != "hard"
    assert "P13" in principles_of(p) and "tri-no-speed-beside-hard-bike" in rules_of(p)


def test_no_speed_work_the_day_after_a_hard_bike(scenario):
    scenario.athlete(sport="triathlon", goal="olympic")
    scenario.baseline(drop=(1, 2, 3))
    scenario.log(run(days_before(DAY, 2), Kind.easy, 40, 3, 8), _hard_bike(days_before(DAY, 1)))
    p = scenario.propose()
    assert p.facts["days_since.hard_bike"] == 1
    assert p.session.intensity != "hard"
    fired = {f.rule for f in scenario.evaluator.evaluate("check", p.facts)}
    assert "tri-no-speed-after-hard-bike" in fired


def test_brick_two_days_ago_leaves_the_speed_session(scenario):
    scenario.athlete(sport="triathlon", goal="olympic")
    scenario.baseline(drop=(2,))
    scenario.log(_brick(2))
    p = scenario.propose()
    assert p.session.intensity == "hard"
    assert "P13" not in principles_of(p)


def test_a_runner_with_a_bike_day_is_not_a_triathlete(scenario):
    scenario.athlete(sport="run")
    scenario.baseline()
    scenario.log(_hard_bike(DAY))
    p = scenario.propose()
    assert "P13" not in principles_of(p)
