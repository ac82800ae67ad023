"""VDOT, training paces and equivalent race times against Daniels' published tables (P5)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.engine.model import Athlete, Kind, RaceResult, Sport, Workout
from coach.engine.units import METRES_PER_MILE as MILE_M
from coach.engine.paces import (
    HALF_M,
    MARATHON_M,
    paces_for,
    race_time,
    riegel,
    training_paces,
    vdot,
    velocity_at,
    vo2_cost,
)


def clock(text: str) -> float:
    parts = [float(p) for p in text.split(":")]
    total = 0.0
    for p in parts:
        total = total * 60 + p
    return total


def per_mile(text: str) -> float:
    """A published pace per mile as seconds per km."""
    return clock(text) * 1000.0 / MILE_M


def test_a_20_minute_5k_is_a_vdot_of_about_49_8():
    assert vdot(5000, 20 * 60) == pytest.approx(49.8, abs=0.05)


def test_its_equivalent_10k_is_about_41_21():
    # Daniels' table lists 41:21 for VDOT 50 (whose 5K is 19:57); a 20:00 5K is a hair slower.
    assert race_time(vdot(5000, 1200), 10_000) == pytest.approx(clock("41:21"), abs=15)


def test_its_interval_pace_is_about_94_s_per_400m():
    # VDOT 50 in Daniels' tables: I pace 3:55/km, 1:34 per 400 m; T pace 4:15/km.
    p = training_paces(vdot(5000, 1200))
    assert p.interval * 0.4 == pytest.approx(94, abs=1.0)
    assert p.interval == pytest.approx(clock("3:55"), abs=2)
    assert p.threshold == pytest.approx(clock("4:15"), abs=2)


@pytest.mark.parametrize(
    "value, distance, published",
    [
        # Daniels' Running Formula, race times by VDOT
        (30, 5000, "30:40"), (30, 10_000, "63:46"), (30, HALF_M, "2:21:04"), (30, MARATHON_M, "4:49:17"),
        (40, MILE_M, "7:07"), (40, 5000, "24:08"), (40, 10_000, "50:03"), (40, HALF_M, "1:50:59"),
        (40, MARATHON_M, "3:49:45"),
        (50, MILE_M, "5:50"), (50, 5000, "19:57"), (50, 10_000, "41:21"), (50, HALF_M, "1:31:35"),
        (50, MARATHON_M, "3:10:49"),
    ],
)
def test_equivalent_race_times_match_the_published_table(value, distance, published):
    assert race_time(value, distance) == pytest.approx(clock(published), rel=0.003)
    assert vdot(distance, clock(published)) == pytest.approx(value, abs=0.25)


@pytest.mark.parametrize(
    "value, zone, published",
    [
        # VDOT 49: E 8:40/mi, M 7:24/mi, T 4:20/km, I 3:59/km
        (49, "easy", per_mile("8:40")), (49, "marathon", per_mile("7:24")),
        (49, "threshold", clock("4:20")), (49, "interval", clock("3:59")),
        (50, "marathon", per_mile("7:16")), (50, "threshold", per_mile("6:51")),
        (51, "threshold", per_mile("6:44")),
        (53.5, "threshold", per_mile("6:29")), (53.5, "interval", per_mile("5:58")),
    ],
)
def test_training_paces_match_the_published_table(value, zone, published):
    assert training_paces(value).zone(zone) == pytest.approx(published, abs=2.5)


@pytest.mark.parametrize("value, per_400", [(49, 89), (52, 85)])
def test_repetition_pace_per_400m(value, per_400):
    assert training_paces(value).repetition * 0.4 == pytest.approx(per_400, abs=1.0)


def test_riegel_agrees_with_vdot_within_a_couple_of_percent():
    v = vdot(5000, 1200)
    for distance in (10_000, HALF_M):
        assert riegel(1200, 5000, distance) == pytest.approx(race_time(v, distance), rel=0.02)
    assert riegel(1200, 5000, 10_000) == pytest.approx(1200 * 2 ** 1.06)


def test_the_race_zone_is_the_goal_race_pace():
    v = 45.0
    assert training_paces(v, "10k").race == pytest.approx(race_time(v, 10_000) / 10)
    assert training_paces(v, "marathon").race == pytest.approx(training_paces(v).marathon)
    assert training_paces(v, "ironman").race == pytest.approx(training_paces(v).marathon)


@given(st.floats(min_value=25, max_value=85))
def test_zones_are_ordered_from_fast_to_slow(value):
    p = training_paces(value, "half")
    assert p.repetition < p.interval < p.threshold < p.marathon < p.easy < p.recovery
    assert p.easy_range[0] < p.easy < p.easy_range[1]
    assert p.threshold * 0.99 < p.race < p.marathon  # half-marathon pace: about threshold for elites


@given(st.floats(min_value=100, max_value=500))
def test_velocity_inverts_the_oxygen_cost(v):
    assert velocity_at(vo2_cost(v)) == pytest.approx(v, rel=1e-9)


@given(st.floats(min_value=25, max_value=85), st.sampled_from([1500, 3000, 5000, 10_000, HALF_M, MARATHON_M]))
def test_race_time_inverts_vdot(value, distance):
    assert vdot(distance, race_time(value, distance)) == pytest.approx(value, abs=0.01)


def test_vdot_rejects_impossible_input():
    with pytest.raises(ValueError):
        vdot(0, 100)
    with pytest.raises(ValueError):
        vdot(5000, -1)


DAY = dt.date(2026, 11, 19)


def run(days_ago: int, kind: Kind, km: float, minutes: float, **kw) -> Workout:
    return Workout(date=DAY - dt.timedelta(days=days_ago), sport=Sport.run, kind=kind,
                   distance_m=km * 1000, duration_s=minutes * 60, **kw)


def test_paces_come_from_the_athletes_recent_race():
    athlete = Athlete(name="Ana", recent_races=[RaceResult(label="5k", distance_m=5000, time_s=1200,
                                                            date=DAY - dt.timedelta(days=20))])
    paces, source = paces_for(athlete, [run(2, Kind.easy, 10, 60)], DAY)
    assert paces is not None and not paces.estimated
    assert paces.vdot == pytest.approx(49.8, abs=0.05)
    assert "5k of 20:00" in source and "VDOT 49.8" in source
    assert paces.source == source


def test_the_most_recent_race_wins_including_logged_races():
    athlete = Athlete(name="Ana", recent_races=[RaceResult(label="5k", distance_m=5000, time_s=1200,
                                                            date=DAY - dt.timedelta(days=60))])
    logged = run(10, Kind.race, 10, 44)
    paces, source = paces_for(athlete, [logged], DAY)
    assert paces.vdot == pytest.approx(vdot(10_000, 44 * 60))
    assert "10 km race of 44:00" in source


def test_a_race_older_than_the_window_is_not_used():
    athlete = Athlete(name="Ana", recent_races=[RaceResult(label="5k", distance_m=5000, time_s=1200,
                                                            date=DAY - dt.timedelta(days=400))])
    paces, source = paces_for(athlete, [], DAY)
    assert paces is None
    assert "by feel" in source


def test_without_a_race_paces_are_estimated_from_recent_runs_and_say_so():
    athlete = Athlete(name="Ana")
    easy = run(3, Kind.easy, 10, 55)        # 5:30/km easy
    tempo = run(5, Kind.tempo, 8, 8 * 4.4)  # 4:24/km tempo
    old = run(80, Kind.tempo, 10, 38)       # outside the estimate window
    paces, source = paces_for(athlete, [easy, tempo, old], DAY)
    assert paces is not None and paces.estimated
    expected = max(vo2_cost(10_000 / 55) / 0.67, vo2_cost(8000 / (8 * 4.4)) / 0.88)
    assert paces.vdot == pytest.approx(expected)
    assert source.startswith("Paces estimated from your") and "time trial" in source


def test_short_runs_and_other_sports_do_not_count_for_the_estimate():
    athlete = Athlete(name="Ana")
    short = run(2, Kind.tempo, 3, 12)
    bike = Workout(date=DAY - dt.timedelta(days=1), sport=Sport.bike, kind=Kind.easy,
                   distance_m=40_000, duration_s=3600)
    paces, source = paces_for(athlete, [short, bike], DAY)
    assert paces is None


