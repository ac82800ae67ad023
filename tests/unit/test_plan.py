"""The week-ahead simulation: each day proposed from the log plus the days before, done as proposed.

These run the real facts, templates, paces and composer, with the built-in settings (hard,
light, hard, rest) and an evaluator that has no rules, so the days follow the weekly pattern alone; tests/e2e/test_cli_plan.py runs the built-in rules.
"""

from __future__ import annotations

import datetime as dt

import pytest

from coach.engine.errors import InvalidInput
from coach.engine.model import Athlete, Kind, Phase, RaceResult, Sport, Weekday, Workout
from coach.engine.plan import session_to_workout
from coach.engine.ruleset import rule_set_of
from coach.service.plan import simulate
from coach.service.rulesets import read_rule_set

THURSDAY = dt.date(2026, 11, 19)
BUILTIN = read_rule_set(None)
TEMPLATES = BUILTIN.templates
SETTINGS = BUILTIN.settings


def RuleSet(settings):
    """The built-in rule set with these settings (weekly pattern, fact parameters) and no rules."""
    return rule_set_of(BUILTIN, (), "no-rules", settings=settings)


class NoRules:
    """An evaluator with an empty rule set: nothing ever fires. It records the facts it was given."""

    def __init__(self):
        self.seen: list[dict] = []

    def evaluate(self, athlete_key, facts):
        self.seen.append(dict(facts))
        return []


def fresh(**kw) -> Athlete:
    kw.setdefault("recent_races", [RaceResult(label="5k", distance_m=5000, time_s=20 * 60)])
    return Athlete(name="Ana", **kw)


def plan_for(athlete, history=(), start=THURSDAY, days=7, evaluator=None):
    return simulate(athlete, list(history), start, days, RuleSet(SETTINGS), evaluator or NoRules(), templates=TEMPLATES)


def test_a_fresh_athlete_follows_the_weekly_pattern():
    proposals = plan_for(fresh())
    assert [p.date for p in proposals] == [THURSDAY + dt.timedelta(days=i) for i in range(7)]
    # Thu hard, Fri light, Sat hard, Sun rest (the athlete's rest day), and again from Monday
    assert [p.session.kind.value for p in proposals] == ["intervals", "easy", "tempo", "rest", "intervals", "easy", "tempo"]


def test_never_two_hard_days_in_a_row():
    for rest_days in ([], [Weekday.fri], [Weekday.mon, Weekday.thu]):
        proposals = plan_for(fresh(rest_days=rest_days), days=14)
        hard = [p.session.intensity.value == "hard" for p in proposals]
        assert not any(a and b for a, b in zip(hard, hard[1:])), rest_days
        assert sum(hard) >= 4


def test_each_day_sees_the_days_before_done_as_proposed():
    evaluator = NoRules()
    proposals = plan_for(fresh(), evaluator=evaluator, days=3)
    assert evaluator.seen[1]["yesterday.kind"] == "intervals"
    assert evaluator.seen[1]["yesterday.rpe"] == TEMPLATES.find("5k", "intervals").rpe
    assert evaluator.seen[2]["yesterday.kind"] == "easy"
    assert proposals[2].facts["days_since.hard"] == 2
    assert proposals[2].facts["form.broke"] is False  # a set done as proposed holds its pace


def test_the_history_passed_in_is_not_changed():
    history = [Workout(date=THURSDAY - dt.timedelta(days=2), sport=Sport.run, kind=Kind.easy,
                       distance_m=10_000, duration_s=3300, rpe=3)]
    before = [w.model_copy() for w in history]
    plan_for(fresh(), history)
    assert history == before


def test_days_out_of_range_are_refused():
    with pytest.raises(InvalidInput, match="days must be from 1 to 112"):
        plan_for(fresh(), days=0)
    with pytest.raises(InvalidInput):
        plan_for(fresh(), days=113)


def test_a_session_done_as_proposed_becomes_a_workout_with_its_reps():
    [proposal] = plan_for(fresh(), days=1)
    s = proposal.session
    w = session_to_workout(s, THURSDAY, 8)
    assert (w.sport, w.kind, w.rpe, w.source) == (Sport.run, Kind.intervals, 8, "plan")
    assert w.duration_s == s.total_duration_s and w.distance_m == s.total_distance_m
    key = [b for b in s.blocks if b.phase == Phase.main][-1]  # 8 x 400 m: the key set, not the strides
    assert len(w.reps) == key.repeat == 8
    assert {(r.distance_m, r.target_pace_s_per_km, r.actual_pace_s_per_km) for r in w.reps} == {
        (400, key.pace_s_per_km, key.pace_s_per_km)}


def test_rest_leaves_no_workout_and_by_feel_sessions_leave_no_speed():
    proposals = plan_for(fresh(recent_races=[]), days=4)
    rest = proposals[3].session
    assert rest.kind.value == "rest" and session_to_workout(rest, THURSDAY, None) is None
    by_feel = session_to_workout(proposals[0].session, THURSDAY, 8)
    assert by_feel.distance_m is None and by_feel.reps == []
    # and so the simulated days never invent paces for an athlete who has none
    assert all(b.pace_s_per_km is None for p in proposals for b in p.session.blocks)


def test_json_is_the_same_shape_as_coach_next():
    [proposal] = plan_for(fresh(), days=1)
    data = proposal.to_json_dict()
    assert set(data) == {"athlete", "date", "session", "adaptations", "facts", "rules_version"}
    assert all("pace_s_per_km" in b for b in data["session"]["blocks"])
