"""Coming back after an absence (issue 12): three or more idle days are an absence, not rest.

A day with nothing logged used to count as a rest day, so the first day back restarted the
weekly pattern with its hard day. Now the first two days back are easy (P10), and the hard
days after them are shortened for a week (3-6 idle days) or two (7 or more) (P9). A rest
logged as rest, or the athlete's planned rest days, stay rest.
"""

from __future__ import annotations

from scenario_kit import DAY, Kind, days_before, main_distance, reason_of, rules_of, run

from coach.engine.model import Sport, Weekday, Workout

_ABSENCE_RULES = {"absence-easy-return", "absence-ramp-short", "absence-ramp-long"}


def test_first_day_back_after_five_idle_days_is_easy(scenario):
    scenario.baseline(drop=(1, 2, 3, 4, 5))
    p = scenario.propose()
    assert p.facts["absence.days"] == 5 and p.facts["absence.back_days"] == 1
    assert p.facts["days_since.training"] == 6
    assert p.facts["plan.intensity"] == "hard"  # the pattern restarts with its hard day ...
    assert p.session.intensity == "easy"        # ... but the first day back is easy
    assert "nothing for 5 days" in reason_of(p, "absence-easy-return")


def test_second_day_back_is_still_easy(scenario):
    scenario.baseline(drop=(2, 3, 4, 5, 6))
    scenario.log(run(days_before(DAY, 1), Kind.tempo, 45, 7, 10))  # back yesterday, hard
    p = scenario.propose()
    assert p.facts["absence.days"] == 5 and p.facts["absence.back_days"] == 2
    assert p.session.intensity != "hard"


def test_the_hard_days_after_come_back_shortened(scenario, other):
    other.baseline()
    calm = other.propose()
    # 5 idle days that ended 5 days ago, a rest day yesterday: a hard day, cut by a quarter
    scenario.baseline(drop=(1, 5, 6, 7, 8, 9))
    q = scenario.propose()
    assert q.facts["absence.days"] == 5 and q.facts["absence.back_days"] == 5
    assert q.session.intensity == "hard"
    assert "absence-ramp-short" in rules_of(q)
    assert 0 < main_distance(q) < main_distance(calm)


def test_a_week_away_ramps_for_two_weeks(scenario):
    scenario.baseline(drop=(1, *range(10, 19)))
    p = scenario.propose()
    assert p.facts["absence.days"] == 10 and p.facts["absence.back_days"] == 9  # day 9 was a rest day too
    assert "absence-ramp-long" in rules_of(p)
    assert "10 idle days" in reason_of(p, "absence-ramp-long")


def test_two_idle_days_are_rest_not_absence(scenario):
    scenario.baseline(drop=(1, 2))
    p = scenario.propose()
    assert p.facts["absence.days"] == 2
    assert p.session.intensity == "hard"
    assert not rules_of(p) & _ABSENCE_RULES


def test_logged_rest_days_are_rest_not_absence(scenario):
    gap = (1, 2, 3, 4, 5)
    scenario.baseline(drop=gap)
    scenario.log(*[Workout(date=days_before(DAY, n), sport=Sport.rest) for n in gap])
    p = scenario.propose()
    assert p.facts["absence.days"] <= 1
    assert p.facts["days_since.training"] == 6
    assert p.session.intensity == "hard"
    assert not rules_of(p) & _ABSENCE_RULES


def test_planned_rest_days_do_not_count_as_idle(scenario):
    gap = (1, 2, 3)
    scenario.athlete(rest_days=[Weekday.of(days_before(DAY, n)) for n in (2, 3)])
    scenario.baseline(drop=gap)
    p = scenario.propose()
    assert p.facts["absence.days"] == 1
    assert not rules_of(p) & _ABSENCE_RULES


def test_a_new_log_is_not_an_absence(scenario):
    scenario.athlete()
    p = scenario.propose()
    assert "absence.days" not in p.facts
    assert p.facts["days_since.training"] == 99
    assert not rules_of(p) & _ABSENCE_RULES


def test_a_short_absence_does_not_ramp_for_two_weeks(scenario):
    scenario.baseline(drop=(1, *range(10, 15)))  # 6 idle days (day 9 was rest too), back 9 days
    p = scenario.propose()
    assert p.facts["absence.days"] == 6 and p.facts["absence.back_days"] == 9
    assert not rules_of(p) & _ABSENCE_RULES
