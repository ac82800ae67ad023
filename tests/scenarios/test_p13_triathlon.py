"""P13: triathletes' run speed work is placed around bricks and hard bike sessions.

The triathlon week (rules/sessions/defaults.yml `triathlon_week`) plans the key run on
Wednesdays; a brick the day before or a hard bike that day or the day before moves it to the
next run day (rules/triathlon.yml), never deletes it for the week.
"""

from __future__ import annotations

import datetime as dt

from scenario_kit import Kind, Sport, Workout, days_before, principles_of, rules_of, run

WED = dt.date(2026, 11, 18)  # the triathlon week's key run day
FRI = WED + dt.timedelta(days=2)  # its next run day (the long run)


def _brick(date, kind=Kind.tempo, rpe=7):
    return Workout(date=date, sport=Sport.brick, kind=kind, duration_s=4800, rpe=rpe)


def _hard_bike(date):
    return Workout(date=date, sport=Sport.bike, kind=Kind.intervals, duration_s=3600, rpe=8)


def _triathlete(scenario, drop=(1, 2)):
    scenario.athlete(sport="triathlon", goal="olympic", physiology={"ftp_w": 250, "css_s_per_100m": 105})
    scenario.baseline(day=WED, drop=drop)
    # Monday's planned CSS swim was done, so no key session of the week is missing
    scenario.log(Workout(date=days_before(WED, 2), sport=Sport.swim, kind=Kind.intervals, duration_s=2700, rpe=7))


def test_the_key_run_is_planned_on_its_weekday(scenario):
    _triathlete(scenario)
    p = scenario.propose(WED)
    assert (p.facts["plan.sport"], p.facts["plan.kind"]) == ("run", "intervals")
    assert p.session.sport == "run" and p.session.intensity == "hard"
    assert "P13" not in principles_of(p)


def test_no_speed_work_the_day_after_a_brick(scenario):
    _triathlete(scenario)
    scenario.log(_brick(days_before(WED, 1)))
    p = scenario.propose(WED)
    assert p.facts["plan.intensity"] == "hard" and p.facts["days_since.brick"] == 1
    assert p.session.sport == "run" and p.session.intensity != "hard"
    fired = {f.rule: f for f in scenario.evaluator.evaluate("check", p.facts)}
    assert "brick" in fired["tri-no-speed-after-brick"].reason


def test_no_speed_work_on_the_day_of_a_hard_bike(scenario):
    _triathlete(scenario)
    scenario.log(_hard_bike(WED))
    p = scenario.propose(WED)
    assert p.facts["today.planned_bike_hard"] is True
    assert p.session.intensity != "hard"
    assert "P13" in principles_of(p) and "tri-no-speed-beside-hard-bike" in rules_of(p)


def test_no_speed_work_the_day_after_a_hard_bike(scenario):
    _triathlete(scenario)
    scenario.log(_hard_bike(days_before(WED, 1)))
    p = scenario.propose(WED)
    assert p.facts["days_since.hard_bike"] == 1
    assert p.session.intensity != "hard"
    fired = {f.rule for f in scenario.evaluator.evaluate("check", p.facts)}
    assert "tri-no-speed-after-hard-bike" in fired


def test_run_intervals_two_days_after_a_brick_are_kept(scenario):
    _triathlete(scenario)
    scenario.log(_brick(days_before(WED, 2)))
    p = scenario.propose(WED)
    assert p.facts["days_since.brick"] == 2
    assert p.session.sport == "run" and p.session.kind == "intervals" and p.session.intensity == "hard"
    assert "P13" not in principles_of(p)


def test_a_key_run_pushed_off_by_a_brick_moves_to_the_next_run_day(scenario):
    _triathlete(scenario)
    scenario.log(_brick(days_before(WED, 1)),
                 run(WED, Kind.easy, 40, 3, 8),  # Wednesday's key run became easy
                 Workout(date=WED + dt.timedelta(days=1), sport=Sport.swim, kind=Kind.easy, duration_s=1800, rpe=3))
    p = scenario.propose(FRI)
    assert p.facts["plan.kind"] == "long" and p.facts["week.key_run_pending"] is True
    assert p.session.sport == "run" and p.session.intensity == "hard"
    assert "tri-key-run-moved" in rules_of(p) and "P13" in principles_of(p)


def test_the_key_run_is_not_moved_when_it_was_run(scenario):
    _triathlete(scenario)
    scenario.log(run(WED, Kind.intervals, 45, 7, 9),
                 Workout(date=WED + dt.timedelta(days=1), sport=Sport.swim, kind=Kind.easy, duration_s=1800, rpe=3))
    p = scenario.propose(FRI)
    assert p.facts["week.key_run_pending"] is False
    assert "tri-key-run-moved" not in rules_of(p), p.adaptations
    assert p.session.kind == "long", p.adaptations


def test_the_moved_key_run_still_keeps_a_day_from_a_brick(scenario):
    _triathlete(scenario)
    scenario.log(_brick(days_before(WED, 1)), run(WED, Kind.easy, 40, 3, 8),
                 _brick(FRI - dt.timedelta(days=1)))
    p = scenario.propose(FRI)
    assert p.facts["week.key_run_pending"] is True and p.facts["days_since.brick"] == 1
    assert "tri-key-run-moved" not in rules_of(p) and p.session.intensity != "hard"


def test_a_runner_with_a_bike_day_is_not_a_triathlete(scenario):
    scenario.athlete(sport="run")
    scenario.baseline()
    scenario.log(_hard_bike(scenario.DAY))
    p = scenario.propose()
    assert "P13" not in principles_of(p) and "plan.sport" not in p.facts
