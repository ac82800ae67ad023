"""One table of limits (engine/limits.py): the store's check and the entry check read the same
numbers, and every place where they differ on purpose says why."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.engine import plausibility
from coach.engine.errors import InvalidInput
from coach.engine.limits import LIMITS
from coach.engine.model import Sport, Workout
from coach.storage import plausible

DAY = dt.date(2026, 11, 20)


def test_the_store_reads_its_limits_from_the_table():
    assert plausible.WORKOUT_LIMITS["avg_hr"] == plausible.WORKOUT_LIMITS["max_hr"] == LIMITS["heart_rate"].range
    assert plausible.REP_LIMITS["avg_hr"] == LIMITS["heart_rate"].range
    assert plausible.WORKOUT_LIMITS["avg_power_w"] == LIMITS["power_w"].range
    assert plausible.REP_LIMITS["distance_m"] == LIMITS["rep_distance_m"].range
    assert plausible.RACE_LIMITS["time_s"] == LIMITS["race_time_s"].range
    quantities = {q.range for q in LIMITS.values()}
    for table in (plausible.WORKOUT_LIMITS, plausible.REP_LIMITS, plausible.RACE_LIMITS):
        assert set(table.values()) <= quantities


def test_the_entry_check_reads_its_ceilings_from_the_table():
    assert plausibility.MAX_HR == LIMITS["heart_rate"].entry == 250
    assert plausibility.POWER_CEILINGS[0][1] == LIMITS["power_w"].high


@pytest.mark.parametrize("name", sorted(n for n, limit in LIMITS.items() if limit.entry is not None))
def test_every_deliberate_difference_says_why_and_is_stricter(name):
    limit = LIMITS[name]
    assert limit.low <= limit.entry < limit.high
    assert len(limit.why.split()) >= 8


def test_a_heart_rate_between_the_two_ceilings_is_kept_in_the_store_but_not_entered():
    ride = Workout(date=DAY, sport=Sport.run, duration_s=1800, max_hr=255)
    plausible.check_workout(ride)  # the store still holds what an older coach accepted
    with pytest.raises(plausibility.Implausible, match="max_hr: 255 bpm is over 250"):
        plausibility.check_workout(ride, DAY)
    with pytest.raises(InvalidInput, match=r"avg_hr: 261 is out of range \(0 to 260 bpm\)"):
        plausible.check_workout(Workout.model_construct(date=DAY, sport=Sport.run, avg_hr=261, reps=[],
                                                        **{f: None for f in plausible.WORKOUT_LIMITS
                                                           if f != "avg_hr"}))
