"""Paces without a race from runs whose heart rate tells their effort (issue 13, item 8).

Issue 13: one 4.8 km run at 4:56/km, read as an easy run, gave "VDOT about 55". Its heart
rate says it was hard: at 86 % of the heart-rate reserve it is worth a VDOT of about 42
(%HRR ~ %VO2 reserve, Swain & Leutholtz 1997)."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.engine.model import Athlete, Kind, Sport, Workout
from coach.engine.paces import paces_for, vo2_cost

DAY = dt.date(2026, 11, 19)
ANA = Athlete(name="Ana")


def run(hr=None, kind=Kind.easy):
    return Workout(date=DAY - dt.timedelta(days=3), sport=Sport.run, kind=kind, distance_m=4800,
                   duration_s=4.8 * 296, avg_hr=hr)


def test_a_hard_run_read_as_easy_no_longer_inflates_fitness():
    by_kind, kind_source = paces_for(ANA, [run(170)], DAY)
    by_hr, hr_source = paces_for(ANA, [run(170)], DAY, hr_reserve=(50, 190))
    assert "VDOT about 55" in kind_source
    cost = vo2_cost(4800 / (4.8 * 296 / 60))
    assert f"VDOT about {3.5 + (cost - 3.5) / (120 / 140):.0f}" in hr_source
    assert "86 % of its reserve" in hr_source and "time trial" in hr_source
    assert by_hr.threshold > by_kind.threshold + 20  # slower, honest targets


def test_an_easy_heart_rate_says_too_little_and_the_kind_decides():
    _, source = paces_for(ANA, [run(120)], DAY, hr_reserve=(50, 190))  # 50 % of the reserve
    assert "heart rate" not in source and "easy run" in source


def test_a_race_still_wins():
    raced = Athlete(name="Ana", recent_races=[{"label": "5k", "distance_m": 5000, "time_s": 1230}])
    _, source = paces_for(raced, [run(170)], DAY, hr_reserve=(50, 190))
    assert source.startswith("Paces from your 5k of 20:30")


@pytest.mark.parametrize("reserve", [None, (190, 190)])
def test_without_a_usable_reserve_the_kind_decides(reserve):
    _, source = paces_for(ANA, [run(170)], DAY, hr_reserve=reserve)
    assert "VDOT about 55" in source


def test_coach_next_estimates_paces_from_heart_rate_for_a_watch_only_athlete(default_rules):
    """The proposal's paces use the athlete's heart-rate reserve (HRmax from the recorded
    maxima, resting HR assumed until set): the same policy for every caller."""
    from coach.service.propose import paces_detail

    ruleset, _ = default_rules
    log = [Workout(date=DAY - dt.timedelta(days=n), sport=Sport.run, kind=Kind.easy, distance_m=4800,
                   duration_s=4.8 * 296, avg_hr=170, max_hr=188) for n in (3, 5, 7)]
    paces, source = paces_detail(ANA, log, DAY, ruleset)
    assert "heart rate at" in source and "VDOT about 55" not in source
    assert paces is not None and paces.estimated
