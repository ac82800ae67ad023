"""Use case: record a morning check-in (`coach checkin`), read by that day's proposal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.engine.model import Athlete, Checkin

if TYPE_CHECKING:
    from coach.storage.unit_of_work import AbstractUnitOfWork


def save_checkin(uow: AbstractUnitOfWork, athlete_name: str | None, checkin: Checkin) -> tuple[Athlete, bool]:
    """Store the check-in for the named (or only) athlete and commit.

    :return: the athlete, and whether an earlier check-in of that date was replaced
    """
    athlete = uow.athletes.resolve(athlete_name)
    _, replaced = uow.checkins.put(athlete.id, checkin)
    uow.commit()
    return athlete, replaced
