"""The deliveries table: its migration, one record per athlete and date, attempts counted."""

from __future__ import annotations

import datetime as dt

from coach.engine.model import Athlete, DeliveryStatus

# `store` is the suite's migrated store, on SQLite and (when configured) PostgreSQL
DAY = dt.date(2026, 11, 24)
T0 = dt.datetime(2026, 11, 23, 20, 0, tzinfo=dt.timezone.utc)


def _athlete(store, name="Ana") -> int:
    with store.unit_of_work() as uow:
        athlete = uow.athletes.add(Athlete(name=name, email=f"{name.lower()}@example.org"))
        uow.commit()
    return athlete.id


def test_failed_then_sent_is_one_record_with_two_attempts(store):
    aid = _athlete(store)
    with store.unit_of_work() as uow:
        assert uow.deliveries.get(aid, DAY) is None
        uow.deliveries.record(aid, DAY, status="failed", recipient="ana@example.org", message_id="<a@x>",
                              error="server down", when=T0)
        uow.commit()
    with store.unit_of_work() as uow:
        got = uow.deliveries.get(aid, DAY)
        assert (got.status, got.attempts, got.error, got.sent_at) == (DeliveryStatus.failed, 1, "server down", None)
        uow.deliveries.record(aid, DAY, status="sent", recipient="ana@example.org", message_id="<b@x>",
                              when=T0 + dt.timedelta(minutes=5))
        uow.commit()
    with store.unit_of_work() as uow:
        got = uow.deliveries.get(aid, DAY)
        assert got.status == DeliveryStatus.sent and got.message_id == "<b@x>" and got.error is None
        assert got.attempts == 2
        assert got.first_attempt_at == T0 and got.sent_at == T0 + dt.timedelta(minutes=5)
        assert [d.date for d in uow.deliveries.list(aid)] == [DAY]


def test_uncommitted_record_is_rolled_back(store):
    aid = _athlete(store)
    with store.unit_of_work() as uow:
        uow.deliveries.record(aid, DAY, status="sent", message_id="<a@x>")
    with store.unit_of_work() as uow:
        assert uow.deliveries.get(aid, DAY) is None


def test_list_filters_by_athlete_and_date(store):
    ana, ben = _athlete(store, "Ana"), _athlete(store, "Ben")
    with store.unit_of_work() as uow:
        for aid in (ana, ben):
            for day in (DAY, DAY + dt.timedelta(days=1)):
                uow.deliveries.record(aid, day, status="sent", message_id=f"<{aid}-{day}@x>")
        uow.commit()
    with store.unit_of_work() as uow:
        assert len(uow.deliveries.list()) == 4
        assert {d.athlete_id for d in uow.deliveries.list(ben)} == {ben}
        assert [d.date for d in uow.deliveries.list(ana, since=DAY + dt.timedelta(days=1))] == [DAY + dt.timedelta(days=1)]


def test_deliveries_migration_downgrades_and_upgrades(store):
    aid = _athlete(store)
    store.downgrade("0001")
    with store.engine.connect() as conn:
        from sqlalchemy import inspect

        assert "deliveries" not in inspect(conn).get_table_names()
    store.upgrade()
    with store.unit_of_work() as uow:
        uow.deliveries.record(aid, DAY, status="sent", message_id="<a@x>")
        uow.commit()


def test_a_claim_is_taken_once_then_settled_and_a_failure_can_be_claimed_again(store):
    """Issue 17: the claim before sending; only the run holding it records the outcome."""
    aid = _athlete(store)
    until = T0 + dt.timedelta(hours=1)
    with store.unit_of_work() as uow:
        assert uow.deliveries.claim(aid, DAY, token="a" * 32, recipient="ana@example.org", until=until, when=T0) is None
        uow.commit()
    with store.unit_of_work() as uow:
        held = uow.deliveries.claim(aid, DAY, token="b" * 32, recipient="ana@example.org", until=until, when=T0)
        assert held.status == DeliveryStatus.sending and held.claimed_until == until
        assert not uow.deliveries.settle(aid, DAY, token="b" * 32, status="sent")  # not b's claim
        assert uow.deliveries.settle(aid, DAY, token="a" * 32, status="failed", error="server down", when=T0)
        uow.commit()
    with store.unit_of_work() as uow:  # a failure is claimed again, counting the attempt
        assert uow.deliveries.claim(aid, DAY, token="b" * 32, recipient="ana@example.org", until=until) is None
        assert uow.deliveries.settle(aid, DAY, token="b" * 32, status="unknown", error="no answer")
        uow.commit()
    with store.unit_of_work() as uow:
        got = uow.deliveries.get(aid, DAY)
        assert (got.status, got.attempts, got.claimed_until) == (DeliveryStatus.unknown, 2, None)
        # uncertain: not claimed again, unless forced
        assert uow.deliveries.claim(aid, DAY, token="c" * 32, recipient="x@y.org", until=until).status == "unknown"
        assert uow.deliveries.claim(aid, DAY, token="c" * 32, recipient="x@y.org", until=until, force=True) is None
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.deliveries.get(aid, DAY).attempts == 3
