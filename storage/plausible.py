"""Every number the store keeps is finite and within what a body can do.

Checked on the way in (`check_workout`, `check_athlete`: the repositories call them, so no
path into the store skips them) and on the way out (`check_workout_row`: values an older
coach let in, such as an `INF` lap distance, are named with their workout instead of
crashing whatever reads them later).

These are limits of the physically possible, with a wide margin, not coaching judgements
(those live in the rule files): a week-long activity, 2,000 km, 10 hours per km.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from coach.engine.errors import CoachError, InvalidInput

DAY_S = 24 * 3600.0

#: field -> (lowest, highest, unit) for a workout
WORKOUT_LIMITS: dict[str, tuple[float, float, str]] = {
    "distance_m": (0.0, 2_000_000.0, "m"),
    "duration_s": (0.0, 7 * DAY_S, "s"),
    "elapsed_s": (0.0, 14 * DAY_S, "s"),
    "elevation_gain_m": (0.0, 50_000.0, "m"),
    "cadence": (0.0, 400.0, "per minute"),
    "sleep_h": (0.0, 24.0, "h"),
    "avg_hr": (0.0, 260.0, "bpm"),
    "max_hr": (0.0, 260.0, "bpm"),
    "avg_power_w": (0.0, 2500.0, "W"),
}
#: field -> (lowest, highest, unit) for a rep
REP_LIMITS: dict[str, tuple[float, float, str]] = {
    "distance_m": (0.0, 500_000.0, "m"),
    "duration_s": (0.0, 7 * DAY_S, "s"),
    "target_pace_s_per_km": (0.0, 36_000.0, "s/km"),
    "actual_pace_s_per_km": (0.0, 36_000.0, "s/km"),
    "avg_hr": (0.0, 260.0, "bpm"),
    "cadence": (0.0, 400.0, "per minute"),
}
#: a recent race (the source of training paces)
RACE_LIMITS: dict[str, tuple[float, float, str]] = {
    "distance_m": (0.0, 2_000_000.0, "m"),
    "time_s": (0.0, 30 * DAY_S, "s"),
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
