"""Every number the store keeps is finite and within what a body can do.

Checked on the way in (`check_workout`, `check_athlete`: the repositories call them, so no
path into the store skips them) and on the way out (`check_workout_row`: values an older
coach let in, such as an `INF` lap distance, are named with their workout instead of
crashing whatever reads them later).

The limits are the store's columns of the one table in `coach.engine.limits` (shared with
`coach.engine.plausibility`, which holds new entries to the stricter ceilings beside them).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from coach.engine.errors import CoachError, InvalidInput
from coach.engine.limits import LIMITS

#: field -> (lowest, highest, unit) for a workout (the values: `coach.engine.limits.LIMITS`)
WORKOUT_LIMITS: dict[str, tuple[float, float, str]] = {
    field: LIMITS[quantity].range for field, quantity in (
        ("distance_m", "distance_m"), ("duration_s", "duration_s"), ("elapsed_s", "elapsed_s"),
        ("elevation_gain_m", "elevation_gain_m"), ("cadence", "cadence"), ("sleep_h", "sleep_h"),
        ("avg_hr", "heart_rate"), ("max_hr", "heart_rate"), ("avg_power_w", "power_w"),
    )
}
#: field -> (lowest, highest, unit) for a rep
REP_LIMITS: dict[str, tuple[float, float, str]] = {
    field: LIMITS[quantity].range for field, quantity in (
        ("distance_m", "rep_distance_m"), ("duration_s", "duration_s"),
        ("target_pace_s_per_km", "pace_s_per_km"), ("actual_pace_s_per_km", "pace_s_per_km"),
        ("avg_hr", "heart_rate"), ("cadence", "cadence"),
    )
}
#: a recent race (the source of training paces)
RACE_LIMITS: dict[str, tuple[float, float, str]] = {
    "distance_m": LIMITS["race_distance_m"].range,
    "time_s": LIMITS["race_time_s"].range,
}


class StoredValueInvalid(CoachError):
    """The store holds a value no version of coach should have let in (written by an older one)."""


def _problem(field: str, value: Any, limits: dict[str, tuple[float, float, str]]) -> str | None:
    if value is None or field not in limits:
        return None
    low, high, unit = limits[field]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{field}: {type(value).__name__} is not a number"
    if not math.isfinite(value):
        return f"{field}: {value} is not a finite number"
    if not low <= value <= high:
        return f"{field}: {value:g} is out of range ({low:g} to {high:g} {unit})"
    return None


def _first(values: Iterable[tuple[str, Any]], limits: dict[str, tuple[float, float, str]]) -> str | None:
    for field, value in values:
        problem = _problem(field, value, limits)
        if problem:
            return problem
    return None


def check_workout(workout: Any) -> None:
    """Refuse a workout with a number that is not finite or out of range, naming the field.

    :param workout: a `coach.engine.model.Workout`
    :raises InvalidInput: 'field: value is out of range (low to high unit)'
    """
    from coach.engine.units import MAX_DATE, MIN_DATE

    if not MIN_DATE <= workout.date <= MAX_DATE:
        raise InvalidInput(f"date: {workout.date} is out of range ({MIN_DATE} to {MAX_DATE})")
    problem = _first(((f, getattr(workout, f)) for f in WORKOUT_LIMITS), WORKOUT_LIMITS)
    if problem:
        raise InvalidInput(problem)
    for rep in workout.reps:
        problem = _first(((f, getattr(rep, f)) for f in REP_LIMITS), REP_LIMITS)
        if problem:
            raise InvalidInput(f"rep {rep.index}: {problem}")


def check_athlete(athlete: Any) -> None:
    """Refuse an athlete whose recent races hold an impossible number, naming the field."""
    for race in athlete.recent_races:
        problem = _first(((f, getattr(race, f)) for f in RACE_LIMITS), RACE_LIMITS)
        if problem:
            raise InvalidInput(f"recent race {race.label}: {problem}")


def fix_hint(workout_id: Any) -> str:
    """How a person removes a workout the store cannot use."""
    return (f"`coach workout edit {workout_id}` or `coach workout delete {workout_id}` fixes it where your "
            f"coach has those commands; until then delete it with SQL: "
            f"DELETE FROM workouts WHERE id = {workout_id}")


def check_workout_row(values: dict[str, Any], reps: Iterable[dict[str, Any]] = ()) -> None:
    """A stored workout (and its reps) read back: raise naming the workout when a value is impossible.

    :raises StoredValueInvalid: 'workout #12 (2026-11-20): distance_m: inf is not a finite number ...'
    """
    problem = _first(((f, values.get(f)) for f in WORKOUT_LIMITS), WORKOUT_LIMITS)
    if problem is None:
        for rep in reps:
            problem = _first(((f, rep.get(f)) for f in REP_LIMITS), REP_LIMITS)
            if problem:
                problem = f"rep {rep.get('index')}: {problem}"
                break
    if problem:
        raise StoredValueInvalid(
            f"workout #{values.get('id')} ({values.get('date')}) holds an impossible value, written by "
            f"an older coach: {problem}; {fix_hint(values.get('id'))}"
        )
