"""A race logged as legs is one maximal day: one hard session in the week, days since maximal
by day; other hard sessions still count one by one."""

from __future__ import annotations

import datetime as dt

from coach.engine.facts import compute_facts
from coach.engine.model import Athlete, Kind, Sport, Workout

from tests.unit.test_facts import SETTINGS

DAY = dt.date(2026, 11, 20)  # a Friday
WED = DAY - dt.timedelta(days=2)


def leg(sport, minutes, kind=Kind.race, rpe=None, date=WED, source="manual"):
    return Workout(date=date, sport=sport, kind=kind, duration_s=minutes * 60, rpe=rpe, source=source)


def facts(workouts, day=DAY):
    return compute_facts(Athlete(name="Tri", sport="triathlon", goal="olympic"), workouts, day, SETTINGS)


def test_triathlon_legs_logged_by_hand_are_one_race_day():
    legs = [leg(Sport.swim, 25), leg(Sport.bike, 65), leg(Sport.run, 42)]
    got = facts(legs)
    assert got["week.hard_sessions"] == 1
    assert got["days_since.maximal"] == 2
    assert facts(legs, WED + dt.timedelta(days=1))["days_since.maximal"] == 1


def test_a_race_day_counts_its_easy_legs_once_with_the_maximal_one():
    # only the run was rated all-out; the swim and ride were rated hard: still one race
    legs = [leg(Sport.swim, 25, Kind.steady, rpe=7), leg(Sport.bike, 65, Kind.tempo, rpe=8),
            leg(Sport.run, 42, Kind.steady, rpe=9)]
    assert facts(legs)["week.hard_sessions"] == 1


def test_two_hard_sessions_on_a_day_without_a_race_still_count_two():
    double = [leg(Sport.run, 45, Kind.intervals, rpe=7), leg(Sport.bike, 60, Kind.intervals, rpe=8)]
    assert facts(double)["week.hard_sessions"] == 2
    # and rows of one CSV file (one source for many workouts) are not legs of one session
    csv = [leg(Sport.run, 45, Kind.intervals, rpe=7, source="csv"), leg(Sport.bike, 60, Kind.intervals, rpe=8, source="csv")]
    assert facts(csv)["week.hard_sessions"] == 2


def test_the_legs_of_one_imported_file_are_one_session_even_in_training():
    # a brick recorded as one multisport file: a hard ride and a hard run off the bike
    brick = [leg(Sport.bike, 60, Kind.intervals, rpe=8, source="fit:abc"),
             leg(Sport.run, 20, Kind.tempo, rpe=7, source="fit:abc")]
    assert facts(brick)["week.hard_sessions"] == 1
    other = brick + [leg(Sport.run, 40, Kind.intervals, rpe=8, date=WED + dt.timedelta(days=1), source="fit:def")]
    assert facts(other)["week.hard_sessions"] == 2
