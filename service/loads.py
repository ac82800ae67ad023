"""Use case: each workout's load and method (history, workout show), and the athlete's
physiology as the load sees it (athlete show).

The thresholds are those a proposal for the day after the last listed workout would use: the
athlete's physiology, else estimated (engine/physiology.py) from the fact window before that
day, the listed workouts themselves (a list of old imports is its own evidence of HRmax) and
the morning check-ins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from coach.engine.load_methods import LoadSettings, WorkoutLoad
from coach.engine.model import Athlete, Workout

if TYPE_CHECKING:
    from coach.engine.physiology import Known
    from coach.storage.unit_of_work import AbstractUnitOfWork


def loads_of(uow: AbstractUnitOfWork, athlete: Athlete, workouts: Sequence[Workout], ruleset: Any) -> dict[int, WorkoutLoad]:
    """`engine.physiology.workout_loads` for `workouts`, keyed by `id(workout)`.

    :param uow: an open unit of work (reads the fact window and the check-ins)
    :param athlete: whose workouts
    :param workouts: the workouts to give a load
    :param ruleset: the rule set in use (its settings' `load:` section)
    """
    from coach.engine.facts import fact_window
    from coach.engine.physiology import workout_loads

    settings = LoadSettings.of(ruleset.settings.load)
    if not workouts:
        return {}
    day = max(w.date for w in workouts) + dt.timedelta(days=1)
    start, end = fact_window(day)
    window = [w for w in uow.workouts.between(athlete.id, start, end) if w.date < day]
    ids = {w.id for w in window}
    known = window + [w for w in workouts if w.id not in ids]  # old listed workouts count too
    resting = [c.resting_hr for c in uow.checkins.between(athlete.id, start, day) if c.resting_hr]
    return workout_loads(athlete, workouts, day, settings, resting, history=known,
                         pace_policy=ruleset.settings.paces.model_dump())


def known_physiology(uow: AbstractUnitOfWork, athlete: Athlete, ruleset: Any, day: dt.date) -> dict[str, Known]:
    """The athlete's physiology on `day`: their own values, else estimated from the fact window
    and the morning check-ins (`engine.physiology.resolve`); {} without a `load:` section."""
    from coach.engine.facts import fact_window
    from coach.engine.physiology import resolve

    settings = LoadSettings.of(ruleset.settings.load)
    if settings is None:
        return {}
    start, end = fact_window(day)
    window = uow.workouts.between(athlete.id, start, end)
    resting = [c.resting_hr for c in uow.checkins.between(athlete.id, start, day) if c.resting_hr]
    return resolve(athlete, window, day, settings, resting, pace_policy=ruleset.settings.paces.model_dump())
