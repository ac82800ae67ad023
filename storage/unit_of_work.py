"""The unit of work: one transaction, the repositories on it, explicit commit.

    with store.unit_of_work() as uow:
        athlete = uow.athletes.resolve(None)
        uow.workouts.add(athlete.id, workout)
        uow.commit()

Leaving the block without `commit()` (or by an exception) rolls everything back, so a
command either writes all it meant to or nothing.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

from coach.engine.model import Athlete, Checkin, Delivery, Proposal, Workout

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


class Athletes(Protocol):
    """The athletes of a store (what the use cases need of `AthleteRepository`)."""

    def add(self, athlete: Athlete) -> Athlete: ...
    def get(self, name: str) -> Athlete: ...
    def get_by_id(self, athlete_id: int) -> Athlete: ...
    def resolve(self, name: str | None) -> Athlete: ...
    def list(self, id_range: tuple[int, int] | None = None) -> list[Athlete]: ...
    def page(self, after_id: int | None, limit: int,
             shard: tuple[int, int] | None = None) -> list[Athlete]: ...
    def update(self, athlete: Athlete) -> Athlete: ...


class Workouts(Protocol):
    """The training log (what the use cases need of `WorkoutRepository`)."""

    def add(self, athlete_id: int, workout: Workout) -> Workout: ...
    def add_many(self, athlete_id: int, workouts: Iterable[Workout]) -> int: ...
    def list(self, athlete_id: int, since: dt.date | None = None,
             until: dt.date | None = None) -> list[Workout]: ...
    def between(self, athlete_id: int, start: dt.date, end: dt.date) -> list[Workout]: ...
    def between_many(self, athlete_ids: Iterable[int], start: dt.date,
                     end: dt.date) -> dict[int, list[Workout]]: ...
    def get(self, athlete_id: int, workout_id: int) -> Workout: ...
    def update(self, athlete_id: int, workout: Workout) -> Workout: ...
    def delete(self, athlete_id: int, workout_id: int) -> None: ...
    def races_between_many(self, athlete_ids: Iterable[int], start: dt.date,
                           end: dt.date) -> dict[int, list[Workout]]: ...


class Proposals(Protocol):
    """Saved proposals (what the use cases need of `ProposalRepository`)."""

    def add(self, athlete_id: int, proposal: Proposal) -> int: ...
    def get(self, athlete_id: int, date: dt.date) -> Proposal | None: ...
    def list(self, athlete_id: int, since: dt.date | None = None) -> list[Proposal]: ...
    def mark_delivered(self, athlete_id: int, date: dt.date, when: dt.datetime | None = None) -> None: ...
    def add_many(self, items: Iterable[tuple[int, Proposal]]) -> int: ...
    def mark_delivered_many(self, athlete_ids: Iterable[int], date: dt.date,
                            when: dt.datetime | None = None) -> int: ...


class Deliveries(Protocol):
    """Delivery attempts (what the use cases need of `DeliveryRepository`)."""

    def get(self, athlete_id: int, date: dt.date) -> Delivery | None: ...
    def record(self, athlete_id: int, date: dt.date, *, status: str, recipient: str | None = None,
               message_id: str | None = None, error: str | None = None,
               when: dt.datetime | None = None) -> Delivery: ...
    def list(self, athlete_id: int | None = None, since: dt.date | None = None) -> list[Delivery]: ...
    def claim(self, athlete_id: int, date: dt.date, *, token: str, recipient: str | None,
              until: dt.datetime, force: bool = False, when: dt.datetime | None = None) -> Delivery | None: ...
    def settle(self, athlete_id: int, date: dt.date, *, token: str, status: str, message_id: str | None = None,
               error: str | None = None, when: dt.datetime | None = None) -> bool: ...
    def claim_many(self, claims: Sequence[tuple[int, str | None]], date: dt.date, *, token: str,
                   until: dt.datetime, force: bool = False,
                   when: dt.datetime | None = None) -> dict[int, Delivery | None]: ...
    def settle_many(self, date: dt.date, outcomes: Sequence[tuple[int, str, str | None, str | None]], *,
                    token: str, when: dt.datetime | None = None) -> set[int]: ...


class Checkins(Protocol):
    """Morning check-ins (what the use cases need of `CheckinRepository`)."""

    def put(self, athlete_id: int, checkin: Checkin) -> tuple[Checkin, bool]: ...
    def get(self, athlete_id: int, date: dt.date) -> Checkin | None: ...
    def between(self, athlete_id: int, start: dt.date, end: dt.date) -> list[Checkin]: ...
    def between_many(self, athlete_ids: Iterable[int], start: dt.date,
                     end: dt.date) -> dict[int, list[Checkin]]: ...


class AbstractUnitOfWork(abc.ABC):
    """One transaction over the repositories; nothing is kept unless `commit()` is called.

    The use cases in `coach.service` take this type, so that they run over the SQLAlchemy
    store (`UnitOfWork`) and over the in-memory fake of the unit tests alike.
    """

    athletes: Athletes
    workouts: Workouts
    proposals: Proposals
    deliveries: Deliveries
    checkins: Checkins

    def __enter__(self) -> "AbstractUnitOfWork":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.rollback()

    @abc.abstractmethod
    def commit(self) -> None:
        """Make everything done in this unit of work permanent."""

    @abc.abstractmethod
    def rollback(self) -> None:
        """Drop everything done since the last commit."""


class UnitOfWork(AbstractUnitOfWork):
    """A SQLAlchemy transaction with `athletes`, `workouts`, `proposals`, `deliveries` and `checkins`."""

    def __init__(self, session_factory: sessionmaker[Session]):
        self._factory = session_factory
        self._session: Session | None = None

    def __enter__(self) -> "UnitOfWork":
        from coach.storage.repository import (
            AthleteRepository,
            CheckinRepository,
            DeliveryRepository,
            ProposalRepository,
            WorkoutRepository,
        )

        self._session = self._factory()
        self.athletes = AthleteRepository(self._session)
        self.workouts = WorkoutRepository(self._session)
        self.proposals = ProposalRepository(self._session)
        self.deliveries = DeliveryRepository(self._session)
        self.checkins = CheckinRepository(self._session)
        return self

    def __exit__(self, *exc_info) -> None:
        assert self._session is not None
        try:
            self._session.rollback()
        finally:
            self._session.close()
            self._session = None

    def commit(self) -> None:
        """Make everything done in this unit of work permanent."""
        assert self._session is not None, "commit() outside `with`"
        self._session.commit()

    def rollback(self) -> None:
        assert self._session is not None, "rollback() outside `with`"
        self._session.rollback()
