"""Use cases: show, edit and delete one logged workout (`coach workout`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from coach.engine.errors import InvalidInput
from coach.engine.load_methods import WorkoutLoad
from coach.engine.model import Athlete, Workout

if TYPE_CHECKING:
    from coach.storage.unit_of_work import AbstractUnitOfWork

#: the `coach log` text fields `edit_workout` can change (reps are not edited)
EDITABLE = ("date", "start_time", "sport", "kind", "distance", "duration", "elapsed", "rpe", "avg_hr", "max_hr",
            "cadence", "elevation_gain", "soreness", "sleep", "form_broke_at", "notes")
_MODEL_FIELD = {"distance": "distance_m", "duration": "duration_s", "elapsed": "elapsed_s",
                "elevation_gain": "elevation_gain_m", "sleep": "sleep_h"}


def show_workout(uow: AbstractUnitOfWork, athlete_name: str | None, workout_id: int,
                 ruleset: Any) -> tuple[Athlete, Workout, WorkoutLoad]:
    """The athlete, the workout and its load (`service.loads.loads_of`)."""
    from coach.service.loads import loads_of

    athlete = uow.athletes.resolve(athlete_name)
    workout = uow.workouts.get(athlete.id, workout_id)
    return athlete, workout, loads_of(uow, athlete, [workout], ruleset)[id(workout)]


def edit_workout(uow: AbstractUnitOfWork, athlete_name: str | None, workout_id: int, fields: Mapping[str, Any],
                 label: Callable[[str], str], *, force: bool = False,
                 today: dt.date | None = None) -> tuple[Athlete, Workout]:
    """Change the given text fields of a workout ('none' clears one), check it and commit.

    :raises InvalidInput: naming the option, for an unreadable value, a field that cannot be
        cleared, or what `coach.engine.plausibility` refuses (pace and race time pass with `force`)
    """
    from pydantic import ValidationError

    from coach.engine.plausibility import check_workout
    from coach.storage.logbook import describe_validation_error, parse_workout

    given = {k: v for k, v in fields.items() if v is not None and str(v).strip()}
    if not given:
        raise InvalidInput("nothing to change: give at least one option (see --help)")
    athlete = uow.athletes.resolve(athlete_name)
    current = uow.workouts.get(athlete.id, workout_id)
    data = current.model_dump()
    cleared = [k for k, v in given.items() if str(v).strip().lower() == "none"]
    for key in cleared:
        if key in ("date", "sport"):
            raise InvalidInput(f"{label(key)}: cannot be cleared")
        data[_MODEL_FIELD.get(key, key)] = None
    text = {k: v for k, v in given.items() if k not in cleared}
    if text:
        parsed = parse_workout({"date": current.date.isoformat(), "sport": current.sport.value, **text},
                               label=label, today=today)
        for key in text:
            model_key = _MODEL_FIELD.get(key, key)
            data[model_key] = getattr(parsed, model_key)
    try:
        changed = Workout.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(describe_validation_error(exc, label)) from None
    check_workout(changed, today or dt.date.today(), label, force)
    uow.workouts.update(athlete.id, changed)
    uow.commit()
    return athlete, changed


def delete_workout(uow: AbstractUnitOfWork, athlete_name: str | None, workout_id: int,
                   confirm: Callable[[Athlete, Workout], bool]) -> tuple[Athlete, Workout] | None:
    """Delete a workout once `confirm(athlete, workout)` says yes, and commit; None when it said no."""
    athlete = uow.athletes.resolve(athlete_name)
    workout = uow.workouts.get(athlete.id, workout_id)
    if not confirm(athlete, workout):
        return None
    uow.workouts.delete(athlete.id, workout_id)
    uow.commit()
    return athlete, workout
