"""The load formulas on hand-computed examples (engine/training_load.py)."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.engine import training_load as load
from coach.engine.model import Kind, Rep, Sport, Workout

D = dt.date(2026, 3, 2)  # a Monday

INTENSITY_OF_KIND = {
    "tempo": "hard", "intervals": "hard", "repetitions": "hard", "three_zone": "hard", "race": "hard",
    "time_trial": "hard", "steady": "moderate", "long": "moderate", "easy": "easy", "recovery": "easy",
    "cross": "easy", "rest": "rest",
}


def run(day=D, *, rpe=None, minutes=None, elapsed_min=None, km=None, kind=Kind.easy, sport=Sport.run, reps=()):
    return Workout(
        date=day, sport=sport, kind=kind, rpe=rpe,
        duration_s=minutes * 60 if minutes else None,
        elapsed_s=elapsed_min * 60 if elapsed_min else None,
        distance_m=km * 1000 if km else None,
        reps=list(reps),
    )


def rep(i, metres, seconds):
    return Rep(index=i, distance_m=metres, duration_s=seconds)


# --- session load ---------------------------------------------------------------------

def test_session_load_is_rpe_times_minutes():
    assert load.session_load(run(rpe=8, minutes=40)) == 320


def test_session_load_falls_back_to_elapsed_time():
    assert load.session_load(run(rpe=5, elapsed_min=30)) == 150


def test_moving_time_wins_over_elapsed_time():
    assert load.session_load(run(rpe=5, minutes=30, elapsed_min=45)) == 150


@pytest.mark.parametrize("w", [run(minutes=40), run(rpe=6)])
def test_unknown_rpe_or_duration_has_no_load(w):
    assert load.session_load(w) is None


def test_unrated_lists_workouts_without_load_but_not_rest_days():
    rated, no_rpe = run(rpe=4, minutes=30), run(minutes=30)
    rest = Workout(date=D, sport=Sport.rest, kind=Kind.rest)
    assert load.unrated([rated, no_rpe, rest]) == [no_rpe]


# --- intensity ------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("w", "expected"),
    [
        (run(kind=Kind.tempo, rpe=5), "hard"),
        (run(kind=Kind.easy, rpe=7), "hard"),          # RPE at hard_rpe makes any session hard
        (run(kind=Kind.easy, rpe=6), "easy"),
        (run(kind=Kind.long), "moderate"),
        (run(kind=None, rpe=4), None),                 # no kind, not hard by RPE: unknown
        (run(kind=None, rpe=9), "hard"),
        (Workout(date=D, sport=Sport.rest), "rest"),
        (run(kind=Kind.rest), "rest"),
    ],
)
def test_intensity_of(w, expected):
    assert load.intensity_of(w, INTENSITY_OF_KIND, hard_rpe=7) == expected
    assert load.is_hard(w, INTENSITY_OF_KIND, hard_rpe=7) == (expected == "hard")


# --- daily series -----------------------------------------------------------------------

def test_daily_loads_fill_rest_days_and_add_up_same_day():
    workouts = [
        run(D, rpe=8, minutes=40),                         # 320
        run(D + dt.timedelta(days=1), rpe=5, minutes=30),  # 150
        run(D + dt.timedelta(days=1), rpe=2, minutes=50),  # 100
        run(D + dt.timedelta(days=1), minutes=50),         # no RPE: skipped
        run(D + dt.timedelta(days=3), rpe=9, minutes=60),  # outside the range (end exclusive)
        run(D - dt.timedelta(days=1), rpe=9, minutes=60),  # before the range
    ]
    series = load.daily_loads(workouts, D, D + dt.timedelta(days=3))
    assert series == {D: 320, D + dt.timedelta(days=1): 250, D + dt.timedelta(days=2): 0}
    assert list(series) == sorted(series)


def test_daily_loads_empty_range():
    assert load.daily_loads([run(rpe=5, minutes=30)], D, D) == {}


def test_load_series_ends_on_the_day_inclusive():
    workouts = [run(D, rpe=5, minutes=20), run(D - dt.timedelta(days=2), rpe=3, minutes=10)]
    assert load.load_series(workouts, D, 4) == [0, 30, 0, 100]


# --- ACWR, monotony, strain ---------------------------------------------------------------

def test_rolling_acwr_hand_computed():
    series = [100.0] * 21 + [200.0] * 7
    assert load.acute_load(series) == 1400
    assert load.chronic_load(series) == 875  # 3500 / 4
    assert load.rolling_acwr(series) == pytest.approx(1.6)


def test_acwr_present_is_the_rolling_ratio_without_an_absence():
    series = [100.0] * 21 + [200.0] * 7
    assert load.acwr_present(series) == pytest.approx(load.rolling_acwr(series))


def test_acwr_present_leaves_the_idle_days_out_of_the_chronic_level():
    # 100 a day, 7 idle days, then 14 days back at 100 a day: counted as zeros the gap makes
    # the return read 1.33; left out, the athlete is at their level (1.0)
    series = [100.0] * 14 + [0.0] * 7 + [100.0] * 14
    assert load.rolling_acwr(series) == pytest.approx(700 / (2100 / 4))
    idle = range(14, 21)  # counted back from the last day
    assert load.acwr_present(series, idle) == pytest.approx(1.0)
    # the acute sum keeps the idle days it holds: back 3 days, well under the level
    assert load.acwr_present([100.0] * 25 + [0.0] * 7 + [100.0] * 3, range(3, 10)) == pytest.approx(300 / 700)


def test_acwr_present_measures_against_the_level_before_the_absence():
    # 28 days at 150 a day, 7 idle, a ramp back at 30, then a week at 150: against the
    # weeks around the absence (ramp included) the week reads as a spike; against the
    # level before it, it is that level again
    series = [150.0] * 28 + [0.0] * 7 + [30.0] * 7 + [150.0] * 7
    idle = range(14, 21)
    ramp_only = load.acwr_present(series, idle)
    assert ramp_only == pytest.approx(1050 / (sum([150.0] * 7 + [30.0] * 7 + [150.0] * 7) / 21 * 7))
    assert ramp_only > 1.3
    assert load.acwr_present(series, idle, range(21, 49)) == pytest.approx(1.0)


def test_rolling_acwr_uses_only_the_last_28_days():
    assert load.rolling_acwr([999.0] * 10 + [100.0] * 21 + [200.0] * 7) == pytest.approx(1.6)


def test_short_series_reads_as_preceded_by_rest():
    series = [100.0] * 7
    assert load.chronic_load(series) == 175
    assert load.rolling_acwr(series) == pytest.approx(4.0)


def test_rolling_acwr_is_none_without_chronic_load():
    assert load.rolling_acwr([0.0] * 28) is None
    assert load.rolling_acwr([]) is None


def test_ewma_hand_computed():
    assert load.ewma([100.0, 0.0], 3) == pytest.approx(25.0)      # l = 0.5: 50, then 25
    assert load.ewma([100.0, 100.0], 7) == pytest.approx(43.75)   # l = 0.25: 25, then 25 + 0.75 * 25


def test_ewma_acwr_hand_computed():
    # one day of 100: acute 100 * 2/8 = 25, chronic 100 * 2/29
    assert load.ewma_acwr([100.0]) == pytest.approx(25 / (200 / 29))


def test_ewma_acwr_is_none_without_load():
    assert load.ewma_acwr([0.0] * 40) is None


def test_ewma_acwr_of_a_long_steady_load_tends_to_one():
    assert load.ewma_acwr([300.0] * 400) == pytest.approx(1.0, abs=1e-6)


def test_monotony_and_strain_hand_computed():
    week = [100.0] * 6 + [0.0]
    # mean 600/7, population variance 60000/49, so monotony = 600 / sqrt(60000) = sqrt(6)
    assert load.monotony(week) == pytest.approx(math.sqrt(6))
    assert load.strain(week) == pytest.approx(600 * math.sqrt(6))


def test_monotony_alternate_days():
    week = [0.0, 100.0, 0.0, 100.0, 0.0, 100.0, 0.0]
    assert load.monotony(week) == pytest.approx(math.sqrt(3) / 2)
    assert load.strain(week) == pytest.approx(300 * math.sqrt(3) / 2)


def test_monotony_uses_only_the_last_7_days():
    assert load.monotony([5000.0] * 9 + [100.0] * 6 + [0.0]) == pytest.approx(math.sqrt(6))


@pytest.mark.parametrize("week", [[0.0] * 7, [100.0] * 7])
def test_monotony_and_strain_undefined_when_sd_is_zero(week):
    assert load.monotony(week) is None
    assert load.strain(week) is None


# loads are 0 or at least a thousandth (RPE x minutes): far smaller ones underflow when squared
@given(st.lists(st.one_of(st.just(0.0), st.floats(min_value=1e-3, max_value=2000)), min_size=1, max_size=60),
       st.floats(min_value=0.1, max_value=10))
def test_ratios_do_not_depend_on_the_load_scale(series, k):
    scaled = [x * k for x in series]
    for f in (load.rolling_acwr, load.ewma_acwr, load.monotony):
        a, b = f(series), f(scaled)
        if a is None or b is None:
            continue  # sd or chronic at the edge of 0 after scaling
        assert b == pytest.approx(a, rel=1e-6)


# --- splits and paces -------------------------------------------------------------------

def test_split_consistency_hand_computed():
    w = run(kind=Kind.intervals, reps=[rep(1, 400, 92), rep(2, 400, 100)])  # 230 and 250 s/km
    assert load.rep_paces(w) == [230, 250]
    assert load.split_consistency_pct(w) == pytest.approx(10 / 240 * 100)


def test_even_splits_are_zero_and_one_rep_is_unknown():
    assert load.split_consistency_pct(run(reps=[rep(1, 400, 96), rep(2, 400, 96)])) == 0
    assert load.split_consistency_pct(run(reps=[rep(1, 400, 96)])) is None
    assert load.split_consistency_pct(run()) is None


def test_rep_paces_in_rep_order_and_stored_pace_wins():
    w = run(reps=[rep(2, 400, 100), Rep(index=1, actual_pace_s_per_km=200, distance_m=400, duration_s=96)])
    assert load.rep_paces(w) == [200, 250]


def test_main_pace_of_reps_and_of_a_steady_run():
    assert load.main_pace(run(reps=[rep(1, 400, 96), rep(2, 400, 88)])) == pytest.approx(230)  # 184 s / 0.8 km
    assert load.main_pace(run(minutes=50, km=10)) == pytest.approx(300)
    assert load.main_pace(run(minutes=50)) is None


def test_pace_at_effort_and_effort_at_pace():
    d = [D + dt.timedelta(days=i) for i in range(5)]
    workouts = [
        run(d[2], rpe=5, minutes=49, km=10),                      # 294 s/km
        run(d[0], rpe=5, minutes=50, km=10),                      # 300 s/km
        run(d[1], rpe=6, minutes=48, km=10),                      # 288 s/km
        run(d[3], rpe=5, minutes=50, km=10, sport=Sport.bike),    # not a run
        run(d[4], minutes=50, km=10),                             # no RPE
    ]
    assert load.pace_at_effort(workouts, 5) == [(d[0], pytest.approx(300)), (d[2], pytest.approx(294))]
    assert [day for day, _ in load.pace_at_effort(workouts, 5, tolerance=1)] == [d[0], d[1], d[2]]
    assert load.effort_at_pace(workouts, 300, tolerance_pct=2) == [(d[0], 5), (d[2], 5)]  # 294..306
    assert load.effort_at_pace(workouts, 300, tolerance_pct=5) == [(d[0], 5), (d[1], 6), (d[2], 5)]


def test_split_consistency_reads_the_work_set_only():
    # warm-up and cool-down laps (slow) around two 400 m reps at 230 and 250 s/km
    laps = [rep(1, 2000, 720), rep(2, 400, 92), rep(3, 400, 100), rep(4, 1000, 360)]
    w = run(kind=Kind.intervals, reps=laps)
    assert load.split_consistency_pct(w, work_pace_pct=15) == pytest.approx(10 / 240 * 100)
    assert load.split_consistency_pct(w) > 10  # every lap counted: far less even


def test_reps_with_target_pace_are_the_set():
    laps = [rep(1, 1000, 360),
            Rep(index=2, distance_m=400, duration_s=92, target_pace_s_per_km=240),
            Rep(index=3, distance_m=400, duration_s=100, target_pace_s_per_km=240)]
    w = run(reps=laps)
    assert load.rep_paces(w) == [230, 250]
    assert load.main_pace(w) == pytest.approx(240)  # 192 s / 0.8 km
