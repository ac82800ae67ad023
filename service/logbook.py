"""Use cases of the athlete profile and the workout log: create, change, log one workout, read.

Plain functions over a unit of work; the CLI, the demo and the tests call the same ones.
Each writing function commits once at the end, so a failure writes nothing. What a person
typed is turned into domain values by `coach.storage.logbook.parse_athlete`/`parse_workout`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from coach.engine.model import Athlete, Workout
from coach.engine.plausibility import check_new_races, check_workout
from coach.storage.logbook import Label, plain_label, parse_athlete

if TYPE_CHECKING:
    from coach.storage.unit_of_work import AbstractUnitOfWork


def create_athlete(uow: AbstractUnitOfWork, athlete: Athlete, *, label: Label = plain_label,
                   force: bool = False, today: dt.date | None = None) -> Athlete:
    """Add a new athlete and commit; returns it with its id.

    Their races must be possible (`coach.engine.plausibility`; `force` accepts a pace or race
    time past the limits)."""
    check_new_races((), athlete.recent_races, today or dt.date.today(), label("recent_races"), force)
    created = uow.athletes.add(athlete)
    uow.commit()
    return created


def update_athlete(uow: AbstractUnitOfWork, name: str | None, fields: Mapping[str, Any], *, label: Label = plain_label,
                   today: dt.date | None = None, force: bool = False) -> Athlete:
    """Change the named (or only) athlete's profile with text fields as in `parse_athlete`, and
    commit; `force` accepts a race time past the limits of `coach.engine.plausibility`."""
    current = uow.athletes.resolve(name)
    changed = parse_athlete(fields, base=current, label=label, today=today)
    check_new_races(current.recent_races, changed.recent_races, today or dt.date.today(), label("recent_races"),
                    force)
    uow.athletes.update(changed)
    uow.commit()
    return changed


def log_workout(uow: AbstractUnitOfWork, athlete_name: str | None, workout: Workout, *,
                label: Label = plain_label, force: bool = False,
                today: dt.date | None = None) -> tuple[Athlete, Workout]:
    """Add one workout to the named (or only) athlete's log, and commit.

    What cannot be true is refused first (`coach.engine.plausibility.check_workout`; `force`
    accepts a pace or race time past the limits)."""
    check_workout(workout, today or dt.date.today(), label, force)
    athlete = uow.athletes.resolve(athlete_name)
    saved = uow.workouts.add(athlete.id, workout)
    uow.commit()
    return athlete, saved


def history(uow: AbstractUnitOfWork, athlete_name: str | None, since: dt.date | None = None,
            until: dt.date | None = None) -> tuple[Athlete, list[Workout]]:
    """The named (or only) athlete and their workouts from `since` to `until` (inclusive)."""
    athlete = uow.athletes.resolve(athlete_name)
    return athlete, uow.workouts.list(athlete.id, since=since, until=until)
