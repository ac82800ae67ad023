"""The in-memory store (`coach.service.memory`) answers as the SQL store does: what the unit
tests of the use cases and `coach rules test` rely on."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.engine.errors import InvalidInput, NotFound
from coach.engine.model import Athlete, Checkin, Sport, Workout
from coach.service.memory import MemoryData, MemoryUnitOfWork

DAY = dt.date(2026, 11, 19)


def test_changes_are_kept_on_commit_and_dropped_without():
    data = MemoryData()
    with MemoryUnitOfWork(data) as uow:
        ana = uow.athletes.add(Athlete(name="Ana"))
        uow.workouts.add(ana.id, Workout(date=DAY, sport=Sport.run, duration_s=1800))
        assert len(uow.workouts.list(ana.id)) == 1  # its own writes, at once
        uow.commit()
    with MemoryUnitOfWork(data) as uow:
        uow.workouts.add(ana.id, Workout(date=DAY, sport=Sport.run, duration_s=600))
        uow.checkins.put(ana.id, Checkin(date=DAY, feel=4))
    with MemoryUnitOfWork(data) as uow:
        assert [w.duration_s for w in uow.workouts.list(ana.id)] == [1800]
        assert uow.checkins.get(ana.id, DAY) is None


def test_resolve_and_lookups_fail_as_the_sql_store_does():
    uow = MemoryUnitOfWork()
    with pytest.raises(NotFound):
        uow.athletes.resolve(None)
    uow.athletes.add(Athlete(name="Ana"))
    assert uow.athletes.resolve(None).name == "Ana"
    uow.athletes.add(Athlete(name="Bo"))
    with pytest.raises(InvalidInput):
        uow.athletes.resolve(None)
    with pytest.raises(InvalidInput, match="already exists"):
        uow.athletes.add(Athlete(name="Bo"))
    with pytest.raises(NotFound):
        uow.athletes.get_by_id(99)
    with pytest.raises(NotFound):
        uow.workouts.get(1, 42)


def test_a_delivery_claim_is_held_until_settled_by_its_token():
    uow = MemoryUnitOfWork()
    until = dt.datetime(2026, 11, 19, 20, tzinfo=dt.timezone.utc)
    assert uow.deliveries.claim(1, DAY, token="a", recipient="ana@example.org", until=until) is None
    held = uow.deliveries.claim(1, DAY, token="b", recipient="ana@example.org", until=until)
    assert held is not None and held.status == "sending"
    assert not uow.deliveries.settle(1, DAY, token="b", status="sent")
    assert uow.deliveries.settle(1, DAY, token="a", status="sent", message_id="<m@x>")
    assert uow.deliveries.get(1, DAY).status == "sent"


def test_reads_of_the_log_are_recorded_once_each():
    data = MemoryData()
    uow = MemoryUnitOfWork(data)
    ana = uow.athletes.add(Athlete(name="Ana"))
    uow.workouts.between(ana.id, DAY, DAY)
    uow.checkins.between(ana.id, DAY, DAY)
    assert data.calls == [("workouts.between_many", (DAY, DAY)), ("checkins.between_many", (DAY, DAY))]
