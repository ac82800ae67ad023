"""The delivery use case with an in-memory store: once per date, failures recorded and retried."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.service.delivery import DeliveryFailed, Recipient, deliver, select_recipients
from coach.engine.errors import InvalidInput, NotFound
from coach.engine.model import Athlete, Delivery, Proposal, Session

DAY = dt.date(2026, 11, 24)
NOW = dt.datetime(2026, 11, 23, 20, 0, tzinfo=dt.timezone.utc)


class FakeAthletes:
    def __init__(self, athletes):
        self._athletes = athletes

    def list(self):
        return list(self._athletes)

    def resolve(self, name):
        if name:
            for a in self._athletes:
                if a.name == name:
                    return a
            raise NotFound(f"no athlete named {name!r}")
        if len(self._athletes) != 1:
            raise InvalidInput("several athletes")
        return self._athletes[0]


class FakeDeliveries:
    def __init__(self):
        self.rows: dict[tuple[int, dt.date], Delivery] = {}

    def get(self, athlete_id, date):
        return self.rows.get((athlete_id, date))

    def record(self, athlete_id, date, *, status, recipient=None, message_id=None, error=None, when=None):
        old = self.rows.get((athlete_id, date))
        self.rows[(athlete_id, date)] = Delivery(
            athlete_id=athlete_id, date=date, status=status, recipient=recipient, message_id=message_id,
            error=error, attempts=(old.attempts + 1 if old else 1), last_attempt_at=when,
            sent_at=when if status == "sent" else None)


class FakeProposals:
    def __init__(self):
        self.saved: dict[tuple[int, dt.date], Proposal] = {}
        self.delivered: dict[tuple[int, dt.date], dt.datetime] = {}

    def add(self, athlete_id, proposal):
        self.saved[(athlete_id, proposal.date)] = proposal

    def mark_delivered(self, athlete_id, date, when=None):
        if (athlete_id, date) not in self.saved:
            raise NotFound("no proposal")
        self.delivered[(athlete_id, date)] = when


class FakeStore:
    """Commits copy the pending state; leaving without commit drops it (like the real unit of work)."""

    def __init__(self, athletes):
        self.athletes = FakeAthletes(athletes)
        self.deliveries = FakeDeliveries()
        self.proposals = FakeProposals()
        self.commits = 0

    def unit_of_work(self):
        store = self

        class UoW:
            def __enter__(self):
                import copy

                self.athletes = store.athletes
                self.deliveries = copy.deepcopy(store.deliveries)
                self.proposals = copy.deepcopy(store.proposals)
                return self

            def __exit__(self, *exc):
                return None

            def commit(self):
                store.deliveries, store.proposals = self.deliveries, self.proposals
                store.commits += 1

        return UoW()


def _propose(uow, athlete, day):
    proposal = Proposal(athlete=athlete.name, date=day,
                        session=Session(sport="run", kind="easy", intensity="easy", purpose="aerobic base"))
    uow.proposals.add(athlete.id, proposal)
    return proposal


def _compose(proposal, athlete, address):
    return {"to": address, "athlete": athlete.name}, f"<{athlete.name}-{proposal.date}@x>"


class Outbox:
    def __init__(self, refuse=()):
        self.sent, self.refuse = [], set(refuse)

    def __call__(self, message):
        if message["to"] in self.refuse:
            raise DeliveryFailed(f"refused recipient {message['to']}")
        self.sent.append(message)


ANA = Athlete(id=1, name="Ana", email="ana@example.org")
BEN = Athlete(id=2, name="Ben", email="ben@example.org")
CY = Athlete(id=3, name="Cy")


def _run(store, outbox, recipients, **kw):
    return deliver(store.unit_of_work, DAY, recipients, propose=_propose, compose=_compose, send=outbox,
                   clock=lambda: NOW, **kw)


def test_sends_once_and_skips_on_rerun_unless_forced():
    store, outbox = FakeStore([ANA]), Outbox()
    (first,) = _run(store, outbox, [Recipient(ANA, "ana@example.org")])
    assert first.status == "sent" and first.message_id == "<Ana-2026-11-24@x>"
    assert store.deliveries.get(1, DAY).status == "sent"
    assert store.proposals.delivered[(1, DAY)] == NOW
    (again,) = _run(store, outbox, [Recipient(ANA, "ana@example.org")])
    assert again.status == "skipped" and "already sent" in again.detail
    assert len(outbox.sent) == 1
    (forced,) = _run(store, outbox, [Recipient(ANA, "ana@example.org")], force=True)
    assert forced.status == "sent" and len(outbox.sent) == 2
    assert store.deliveries.get(1, DAY).attempts == 2


def test_failure_is_recorded_and_retried_next_run():
    store, outbox = FakeStore([ANA]), Outbox(refuse={"ana@example.org"})
    (first,) = _run(store, outbox, [Recipient(ANA, "ana@example.org")])
    assert first.status == "failed" and "refused recipient" in first.detail
    assert store.deliveries.get(1, DAY).status == "failed"
    outbox.refuse.clear()
    (second,) = _run(store, outbox, [Recipient(ANA, "ana@example.org")])
    assert second.status == "sent" and store.deliveries.get(1, DAY).attempts == 2


def test_one_failure_does_not_stop_the_others():
    store, outbox = FakeStore([ANA, BEN]), Outbox(refuse={"ana@example.org"})
    outcomes = _run(store, outbox, [Recipient(ANA, "ana@example.org"), Recipient(BEN, "ben@example.org")])
    assert [o.status for o in outcomes] == ["failed", "sent"]
    assert [m["to"] for m in outbox.sent] == ["ben@example.org"]


def test_a_proposal_error_is_a_recorded_failure_and_others_go_on():
    def propose(uow, athlete, day):
        if athlete.name == "Ana":
            raise InvalidInput("rules/base.yml:3: bad rule")
        return _propose(uow, athlete, day)

    store, outbox = FakeStore([ANA, BEN]), Outbox()
    outcomes = deliver(store.unit_of_work, DAY, [Recipient(ANA, "a@x.org"), Recipient(BEN, "b@x.org")],
                       propose=propose, compose=_compose, send=outbox, clock=lambda: NOW)
    assert [o.status for o in outcomes] == ["failed", "sent"]
    assert store.deliveries.get(1, DAY).error == "rules/base.yml:3: bad rule"


def test_dry_run_neither_sends_nor_records_nor_saves():
    store, outbox = FakeStore([ANA]), Outbox()
    (outcome,) = _run(store, outbox, [Recipient(ANA, "ana@example.org")], dry_run=True)
    assert outcome.status == "dry-run" and outcome.message == {"to": "ana@example.org", "athlete": "Ana"}
    assert outbox.sent == [] and store.deliveries.rows == {} and store.proposals.saved == {}
    assert store.commits == 0


def test_select_recipients():
    store = FakeStore([ANA, BEN, CY])
    with store.unit_of_work() as uow:
        recipients, skipped = select_recipients(uow, athlete_name=None, all_athletes=True, to=None, day=DAY)
        assert [r.address for r in recipients] == ["ana@example.org", "ben@example.org"]
        assert [(s.athlete, s.status, s.detail) for s in skipped] == [("Cy", "skipped", "no email address")]
        (only,), _ = select_recipients(uow, athlete_name="Cy", all_athletes=False, to="cy@example.org", day=DAY)
        assert only.address == "cy@example.org"
        with pytest.raises(InvalidInput, match="'Cy' has no email address"):
            select_recipients(uow, athlete_name="Cy", all_athletes=False, to=None, day=DAY)
        with pytest.raises(InvalidInput, match="not both"):
            select_recipients(uow, athlete_name="Ana", all_athletes=True, to=None, day=DAY)
