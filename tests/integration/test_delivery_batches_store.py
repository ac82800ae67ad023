"""The nightly email's statements for a whole batch (issue 18): `claim_many`, `settle_many`,
`proposals.add_many` and `mark_delivered_many` do what the one-athlete calls do, on SQLite,
PostgreSQL (when configured) and the in-memory store alike."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.engine.errors import InvalidInput
from coach.engine.model import Athlete, DeliveryStatus
from coach.service.memory import MemoryData, MemoryUnitOfWork
from tests.integration.test_store import proposal

DAY = dt.date(2026, 11, 24)
T0 = dt.datetime(2026, 11, 23, 20, 0, tzinfo=dt.timezone.utc)
UNTIL = T0 + dt.timedelta(hours=1)
A, B = "a" * 32, "b" * 32


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres), "memory"])
def unit_of_work(request):
    if request.param == "memory":
        data = MemoryData()
        yield lambda: MemoryUnitOfWork(data)
        return
    from coach.storage import open_store

    with open_store(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")) as store:
        yield store.unit_of_work


def _athletes(unit_of_work, *names: str) -> list[int]:
    with unit_of_work() as uow:
        ids = [uow.athletes.add(Athlete(name=n, email=f"{n.lower()}@example.org")).id for n in names]
        uow.commit()
    return ids


def test_claim_many_claims_the_new_dates_and_reports_the_held_ones(unit_of_work):
    ana, bo, cy, di = _athletes(unit_of_work, "Ana", "Bo", "Cy", "Di")
    with unit_of_work() as uow:  # earlier runs: Bo sent, Cy failed, Di still sending (another run)
        uow.deliveries.record(bo, DAY, status="sent", message_id="<bo@x>", when=T0)
        uow.deliveries.record(cy, DAY, status="failed", error="server down", when=T0)
        assert uow.deliveries.claim(di, DAY, token=B, recipient="di@example.org", until=UNTIL, when=T0) is None
        uow.commit()
    with unit_of_work() as uow:
        held = uow.deliveries.claim_many([(a, f"{a}@example.org") for a in (ana, bo, cy, di)], DAY, token=A,
                                         until=UNTIL, when=T0)
        uow.commit()
    assert held[ana] is None and held[cy] is None  # new, and a failure claimed again
    assert held[bo].status == DeliveryStatus.sent and held[bo].message_id == "<bo@x>"
    assert held[di].status == DeliveryStatus.sending and held[di].claimed_until == UNTIL
    with unit_of_work() as uow:
        assert uow.deliveries.get(cy, DAY).attempts == 2
        assert uow.deliveries.get(ana, DAY).status == DeliveryStatus.sending
        # a second run finds every date held; with force it takes them all
        again = uow.deliveries.claim_many([(ana, None), (cy, None)], DAY, token=B, until=UNTIL, when=T0)
        assert {a: d.status for a, d in again.items()} == {ana: "sending", cy: "sending"}
        assert uow.deliveries.claim_many([(ana, None)], DAY, token=B, until=UNTIL, force=True) == {ana: None}


def test_settle_many_settles_only_this_runs_claims(unit_of_work):
    ana, bo, cy = _athletes(unit_of_work, "Ana", "Bo", "Cy")
    with unit_of_work() as uow:
        assert set(uow.deliveries.claim_many([(ana, None), (bo, None), (cy, None)], DAY, token=A,
                                             until=UNTIL, when=T0).values()) == {None}
        uow.commit()
    with unit_of_work() as uow:  # another run takes Cy over with --force before this run records it
        assert uow.deliveries.claim(cy, DAY, token=B, recipient=None, until=UNTIL, force=True) is None
        uow.commit()
    at = T0 + dt.timedelta(minutes=3)
    with unit_of_work() as uow:
        mine = uow.deliveries.settle_many(DAY, [(ana, "sent", "<ana@x>", None), (bo, "failed", None, "refused"),
                                                (cy, "sent", "<cy@x>", None)], token=A, when=at)
        uow.commit()
    assert mine == {ana, bo}
    with unit_of_work() as uow:
        got = {a: uow.deliveries.get(a, DAY) for a in (ana, bo, cy)}
        assert (got[ana].status, got[ana].message_id, got[ana].sent_at, got[ana].claimed_until) == (
            DeliveryStatus.sent, "<ana@x>", at, None)
        assert (got[bo].status, got[bo].error, got[bo].sent_at) == (DeliveryStatus.failed, "refused", None)
        assert got[cy].status == DeliveryStatus.sending and got[cy].message_id is None  # the other run's
        # settled once: the same run cannot settle it again
        assert uow.deliveries.settle_many(DAY, [(ana, "failed", None, "again")], token=A) == set()
        assert not uow.deliveries.settle(ana, DAY, token=A, status="failed")
        assert uow.deliveries.settle_many(DAY, [(cy, "sent", "<cy2@x>", None)], token=B) == {cy}


def test_add_many_saves_and_replaces_and_mark_delivered_many_marks_the_sent(unit_of_work):
    ana, bo, cy = _athletes(unit_of_work, "Ana", "Bo", "Cy")
    first, later = proposal(DAY), proposal(DAY).model_copy(update={"rules_version": "later"})
    with unit_of_work() as uow:
        assert uow.proposals.add_many([(ana, first), (bo, first)]) == 2
        uow.proposals.add(ana, proposal(DAY + dt.timedelta(days=1)))
        uow.commit()
    with unit_of_work() as uow:
        uow.proposals.mark_delivered(ana, DAY, T0)
        assert uow.proposals.add_many([(ana, later), (cy, later)]) == 2  # Ana's replaced, undelivered again
        assert uow.proposals.add_many([]) == 0
        uow.commit()
    with unit_of_work() as uow:
        assert [uow.proposals.get(a, DAY).rules_version for a in (ana, bo, cy)] == ["later", first.rules_version, "later"]
        assert uow.proposals.get(ana, DAY + dt.timedelta(days=1)) is not None  # another date left alone
        assert uow.proposals.delivered_at(ana, DAY) is None
        assert uow.proposals.mark_delivered_many([ana, cy, 99999], DAY, T0) == 2
        uow.commit()
    with unit_of_work() as uow:
        assert [uow.proposals.delivered_at(a, DAY) for a in (ana, bo, cy)] == [T0, None, T0]
        assert uow.proposals.delivered_at(ana, DAY + dt.timedelta(days=1)) is None


def test_add_many_refuses_two_proposals_for_one_day(store):
    (ana,) = _athletes(store.unit_of_work, "Ana")
    with store.unit_of_work() as uow, pytest.raises(InvalidInput, match="two proposals"):
        uow.proposals.add_many([(ana, proposal(DAY)), (ana, proposal(DAY))])
