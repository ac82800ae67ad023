"""P10 and P12 on the athlete's calendar (issue 12), P15's season and race day (P5).

An athlete with a long-run day gets each week of their season placed on their days: the
hard sessions of the phase on the best days (the first after a rest day, never two in a
row, never the day after the long run), the long run on its day, as many hard sessions as
the phase allows. These scenarios plan whole weeks through the same use case as `coach plan`.
"""

from __future__ import annotations

import datetime as dt

from scenario_kit import baseline_history

RACE = dt.date(2027, 3, 21)  # a Sunday
HARD = {"tempo", "intervals", "repetitions", "three_zone"}


def _week(scenario, monday: dt.date, days: int = 7, **kw):
    from coach.service.plan import plan

    kw.setdefault("goal", "10k")
    kw.setdefault("race_date", RACE)
    kw.setdefault("long_run_day", "sun")
    kw.setdefault("rest_days", ["mon"])
    kw.setdefault("days_per_week", 5)
    athlete = scenario.athlete(**kw)
    scenario.log(*baseline_history(monday))
    with scenario.store() as store, store.unit_of_work() as uow:
        return plan(uow, athlete, monday, days, scenario.ruleset, scenario.evaluator)


def _kinds(week) -> list[str]:
    return [p.session.kind.value for p in week]


def test_build_week_two_hard_days_after_rest_and_light_days_never_in_a_row(scenario):
    week = _week(scenario, RACE - dt.timedelta(weeks=6, days=6))  # 10K build
    kinds = _kinds(week)
    assert week[0].facts["season.phase"] == "build"
    assert kinds[0] == "rest" and kinds[-1] == "long"
    hard = [i for i, k in enumerate(kinds) if k in HARD]
    assert len(hard) == 2
    assert kinds[hard[0] - 1] == "rest"  # P10: the first key session comes after the rest day
    assert all(b - a > 1 for a, b in zip(hard, hard[1:]))
    assert kinds.index("long") - 1 not in hard  # no hard day right before the long run either


def test_base_and_down_weeks_hold_one_hard_session(scenario, other):
    base = _week(scenario, RACE - dt.timedelta(weeks=12, days=6))
    assert base[0].facts["season.phase"] == "base"
    assert sum(k in HARD for k in _kinds(base)) == 1
    down = _week(other, RACE - dt.timedelta(weeks=8, days=6))  # the 4th week before the taper
    assert down[0].facts["season.down_week"] is True
    assert sum(k in HARD for k in _kinds(down)) == 1


def test_race_week_the_race_on_race_day_no_hard_session_in_the_last_two_days(scenario):
    week = _week(scenario, RACE - dt.timedelta(days=6))
    kinds = _kinds(week)
    assert kinds[-1] == "race" and week[-1].facts["season.phase"] == "race"
    assert kinds[-2] not in HARD and kinds[-3] not in HARD
    eve = [a.rule for a in week[-2].adaptations]
    assert "race-eve" in eve
    pacing = next(a.reason for a in week[-1].adaptations if a.rule == "race-day")
    assert "target" in pacing and "finish" in pacing


def test_the_days_after_the_race_are_rest_then_easy(scenario):
    week = _week(scenario, RACE + dt.timedelta(days=1))
    kinds = _kinds(week)
    assert kinds[0] == "rest"
    assert not any(k in HARD for k in kinds)
    assert {p.facts["season.phase"] for p in week[:5]} == {"recovery"}


def test_without_a_long_run_day_the_rotating_pattern_still_plans_the_week(scenario):
    week = _week(scenario, RACE - dt.timedelta(weeks=6, days=6), long_run_day=None, rest_days=[])
    slots = [p.facts["plan.slot"] for p in week]
    assert slots[:4] == ["hard", "light", "hard", "rest"]
    assert "long" not in _kinds(week)
