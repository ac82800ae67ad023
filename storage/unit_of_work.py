"""The unit of work: one transaction, the repositories on it, explicit commit.

    with store.unit_of_work() as uow:
        athlete = uow.athletes.resolve(None)
        uow.workouts.add(athlete.id, workout)
        uow.commit()

Leaving the block without `commit()` (or by an exception) rolls everything back, so a
command either writes all it meant to or nothing.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from coach.storage.repository import (
    AthleteRepository,
    CheckinRepository,
    DeliveryRepository,
    ProposalRepository,
    WorkoutRepository,
)


class UnitOfWork:
    """A transaction with `athletes`, `workouts` and `proposals` repositories."""

    athletes: AthleteRepository
    workouts: WorkoutRepository
    proposals: ProposalRepository
    deliveries: DeliveryRepository
    checkins: CheckinRepository

    def __init__(self, session_factory: sessionmaker[Session]):
        self._factory = session_factory
        self._session: Session | None = None

    def __enter__(self) -> "UnitOfWork":
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
