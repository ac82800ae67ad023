"""P12 (and P10): a missed key session is made up within the week or dropped when the week has
no room; an unplanned extra hard session counts as hard for sequencing. Each with a negative case.

Weeks run Monday to Sunday; Sunday is Ana's rest day. The weekly pattern is hard, light, hard,
rest, starting again the day after any day without training.
"""

from __future__ import annotations

import datetime as dt

from scenario_kit import DAY, Kind, Sport, Workout, run, rules_of, reason_of

MISSED = {"missed-key-session-dropped", "missed-key-session-taken-up", "missed-key-session-moved"}
SUNDAY = DAY - dt.timedelta(days=DAY.weekday() + 1)  # the Sunday before DAY (a Thursday)


def day(n: int) -> dt.date:
    """Day n of DAY's week: 0 Monday ... 6 Sunday."""
    return SUNDAY + dt.timedelta(days=n + 1)


def _history(scenario, *week):
    """Ana with Sundays off, five calm weeks before this one, then this week's workouts."""
    scenario.athlete(rest_days=["sun"])
    scenario.baseline(day=SUNDAY + dt.timedelta(days=1), drop=(1,))  # ... Saturday, with Sunday off
    scenario.log(*week)


def test_a_key_session_missed_yesterday_is_made_up_today(scenario):
    # Mon intervals, Tue easy, Wed (pattern: tempo) missed; Thursday has room
    _history(scenario, run(day(0), Kind.intervals, 45, 8, 9), run(day(1), Kind.easy, 40, 3, 8))
    p = scenario.propose(day(3))
    assert p.facts["yesterday.missed"] is True and p.facts["yesterday.missed_slot"] == "hard"
    assert p.facts["week.key_missed"] == 1 and p.facts["week.training_days_left"] == 3
    assert p.session.intensity == "hard"
    assert "missed-key-session-taken-up" in rules_of(p)
    reason = reason_of(p, "missed-key-session-taken-up")
    assert "tempo" in reason and "3 training days left" in reason


def test_negative_nothing_missed_nothing_made_up(scenario):
    _history(scenario, run(day(0), Kind.intervals, 45, 8, 9), run(day(1), Kind.easy, 40, 3, 8),
             run(day(2), Kind.easy, 40, 3, 8))
    p = scenario.propose(day(3))
    assert p.facts["yesterday.missed"] is False and p.facts["week.key_missed"] == 0
    assert not MISSED & rules_of(p)


def test_a_key_session_missed_on_friday_is_dropped_on_saturday(scenario):
    # Mon intervals, Tue easy, Wed easy, Thu a logged rest, Fri (pattern: intervals) missed
    rest = Workout(date=day(3), sport=Sport.rest, kind=Kind.rest)
    _history(scenario, run(day(0), Kind.intervals, 45, 8, 9), run(day(1), Kind.easy, 40, 3, 8),
             run(day(2), Kind.easy, 40, 3, 8), rest)
    p = scenario.propose(day(5))
    assert p.facts["yesterday.missed_slot"] == "hard" and p.facts["week.training_days_left"] == 1
    assert p.facts["plan.intensity"] == "hard"
    assert p.session.intensity != "hard"
    assert "missed-key-session-dropped" in rules_of(p)
    assert "dropped" in reason_of(p, "missed-key-session-dropped")
    assert "missed-key-session-taken-up" not in rules_of(p)


def test_negative_saturday_after_a_friday_done_keeps_its_plan(scenario):
    rest = Workout(date=day(3), sport=Sport.rest, kind=Kind.rest)
    _history(scenario, run(day(0), Kind.intervals, 45, 8, 9), run(day(1), Kind.easy, 40, 3, 8),
             run(day(2), Kind.easy, 40, 3, 8), rest, run(day(4), Kind.intervals, 45, 8, 9))
    p = scenario.propose(day(5))
    assert p.facts["yesterday.missed"] is False
    assert not MISSED & rules_of(p)


def test_a_key_session_missed_earlier_moves_to_a_light_day(scenario):
    # Mon (pattern: intervals) missed; Tue (pattern: hard again) run easy; Wed is a light day
    _history(scenario, run(day(1), Kind.easy, 40, 3, 8))
    p = scenario.propose(day(2))
    assert p.facts["week.key_missed"] == 1 and p.facts["yesterday.missed"] is False
    assert p.facts["plan.slot"] == "light"
    assert p.session.intensity == "hard"
    assert "missed-key-session-moved" in rules_of(p)
    assert "1 key session(s) missed" in reason_of(p, "missed-key-session-moved")


def test_negative_no_move_right_after_a_hard_day(scenario):
    # the same, but Tuesday was hard: Wednesday stays light (P10)
    _history(scenario, run(day(1), Kind.tempo, 45, 8, 10))
    p = scenario.propose(day(2))
    assert p.facts["week.key_missed"] == 1 and p.facts["plan.slot"] == "light"
    assert p.session.intensity != "hard"
    assert "missed-key-session-moved" not in rules_of(p)


def test_an_unplanned_extra_hard_session_counts_as_hard(scenario):
    # Mon intervals, Tue (pattern: light) an unplanned hard tempo: Wednesday's hard day becomes easy
    _history(scenario, run(day(0), Kind.intervals, 45, 8, 9), run(day(1), Kind.tempo, 45, 8, 10))
    p = scenario.propose(day(2))
    assert p.facts["plan.intensity"] == "hard" and p.facts["yesterday.intensity"] == "hard"
    assert p.facts["week.hard_sessions"] == 2
    assert p.session.intensity != "hard"
    assert {"no-hard-after-hard", "week-hard-cap"} & rules_of(p)


def test_negative_an_easy_light_day_keeps_the_next_hard_day(scenario):
    _history(scenario, run(day(0), Kind.intervals, 45, 8, 9), run(day(1), Kind.easy, 40, 3, 8))
    p = scenario.propose(day(2))
    assert p.facts["plan.intensity"] == "hard" and p.session.intensity == "hard"
    assert not {"no-hard-after-hard", "week-hard-cap"} & rules_of(p)
