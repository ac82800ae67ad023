"""Facts of issue 12's second part: absences, the beginner's base and ramp, calibration dates and
the lasting calibration gain, each value worked out by hand from a small log."""

from __future__ import annotations

import datetime as dt

from test_facts import DAY, SETTINGS, run

from coach.engine.facts import compute_facts
from coach.engine.model import Athlete, Kind, RaceResult, Rep, Sport, Weekday, Workout
from coach.engine.vocabulary import NOT_IN_WINDOW


def _ago(n: int) -> dt.date:
    return DAY - dt.timedelta(days=n)


def _facts(history, **athlete):
    athlete.setdefault("rest_days", [])
    return compute_facts(Athlete(name="A", **athlete), history, DAY, SETTINGS)


def test_the_longest_idle_stretch_of_four_weeks_is_the_absence():
    # trained on days 20..11 and 4..1 before; 10..5 idle (6 days), so back for 4 days
    history = [run(_ago(n), Kind.easy, 30, 3) for n in (*range(20, 10, -1), 4, 3, 2, 1)]
    f = _facts(history)
    assert (f["absence.days"], f["absence.back_days"], f["days_since.training"]) == (6, 5, 1)


def test_a_later_single_rest_day_does_not_hide_the_absence():
    history = [run(_ago(n), Kind.easy, 30, 3) for n in (*range(20, 10, -1), 4, 3)]  # day 2, 1 idle
    f = _facts(history)
    assert (f["absence.days"], f["absence.back_days"], f["days_since.training"]) == (6, 5, 3)


def test_planned_rest_days_and_logged_rests_are_not_idle():
    history = [run(_ago(n), Kind.easy, 30, 3) for n in (*range(20, 10, -1), 4, 3, 2, 1)]
    history += [Workout(date=_ago(n), sport=Sport.rest) for n in (10, 9, 8)]
    planned = [Weekday.of(_ago(n)) for n in (7, 6)]
    f = _facts(history, rest_days=planned)
    assert f["absence.days"] == 1  # only day 5 is idle and unplanned
    assert f["days_since.training"] == 1


def test_idle_days_before_the_first_workout_are_not_an_absence():
    f = _facts([run(_ago(n), Kind.easy, 30, 3) for n in (3, 2, 1)])
    assert f["absence.days"] == 0 and "absence.back_days" not in f


def test_base_minutes_and_the_rolling_week():
    history = [run(_ago(n), Kind.easy, m, 3) for n, m in ((27, 20), (20, 30), (13, 25), (6, 40), (2, 35))]
    history.append(Workout(date=_ago(3), sport=Sport.bike, kind=Kind.easy, duration_s=3600, rpe=3))
    f = _facts(history)
    assert f["base.week_minutes_28d"] == 37.5    # (20 + 30 + 25 + 40 + 35) / 4, the ride not counted
    assert f["base.session_minutes_28d"] == 30   # median of 20, 25, 30, 35, 40
    assert f["ramp.minutes_6d"] == 75            # 40 + 35: days 6..1


def test_days_since_calibration_from_logged_or_dated_races_only():
    history = [run(_ago(n), Kind.easy, 30, 3) for n in range(30, 0, -2)]
    undated = [RaceResult(label="5k", distance_m=5000, time_s=1200)]
    assert _facts(history, recent_races=undated)["days_since.calibration"] == NOT_IN_WINDOW
    dated = [RaceResult(label="5k", distance_m=5000, time_s=1200, date=_ago(40))]
    assert _facts(history, recent_races=dated)["days_since.calibration"] == 40
    history.append(run(_ago(9), Kind.time_trial, 20, 10, 5))
    assert _facts(history, recent_races=dated)["days_since.calibration"] == 9


def _reps(pace, target, n=4):
    return [Rep(index=i + 1, distance_m=400, duration_s=pace * 0.4, target_pace_s_per_km=target) for i in range(n)]


def test_the_gain_sums_sessions_since_the_last_time_trial():
    history = [
        run(_ago(20), Kind.intervals, 45, 7, 9, reps=_reps(230, 240)),   # before the time trial: ignored
        run(_ago(15), Kind.time_trial, 20, 10, 5),
        run(_ago(10), Kind.intervals, 45, 7, 9, reps=_reps(235, 240)),   # 240 / 235 - 1 = 2.13 %
        run(_ago(6), Kind.intervals, 45, 7, 9, reps=_reps(250, 245)),    # 245 / 250 - 1 = -2.0 %
        run(_ago(3), Kind.intervals, 45, 9, 9, reps=_reps(200, 240)),    # all out (RPE 9): ignored
        run(_ago(2), Kind.easy, 40, 3, 8),
    ]
    f = _facts(history)
    assert f["calib.gain_sessions"] == 2
    assert f["calib.gain_pct"] == 0.1  # 2.13 - 2.0
