"""The delivery use case with an in-memory store: once per date, failures recorded and retried."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from coach.service.delivery import DeliveryFailed, DeliveryUncertain, Recipient, deliver, select_recipients
from coach.engine.errors import InvalidInput
from coach.engine.model import Athlete, Proposal, Session
from coach.service.memory import MemoryData, MemoryUnitOfWork

DAY = dt.date(2026, 11, 24)
NOW = dt.datetime(2026, 11, 23, 20, 0, tzinfo=dt.timezone.utc)


class FakeStore:
    """The in-memory store (`service.memory`, the same claim rules as the SQL repository),
    counting commits; `deliveries` and `proposals` show what was committed."""

    def __init__(self, athletes):
        self.data = MemoryData()
        for athlete in athletes:
            self.data.athletes[athlete.id] = athlete
        self.commits = 0

    def unit_of_work(self):
        store = self

        class Counted(MemoryUnitOfWork):
            def commit(self):
                super().commit()
                store.commits += 1

        return Counted(self.data)

    @property
    def deliveries(self):
        view = MemoryUnitOfWork(self.data).deliveries
        view.rows = self.data.deliveries
        return view

    @property
    def proposals(self):
        return SimpleNamespace(saved=self.data.proposals, delivered=self.data.delivered)


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

    def __call__(self, message, deadline=None):
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


# -- exactly once: claims, uncertain outcomes, deadlines (issue 17) ------------------------


class Uncertain(Outbox):
    """Takes the message, then the answer is lost (as a timeout after the final dot)."""

    def __call__(self, message, deadline=None):
        self.sent.append(message)
        raise DeliveryUncertain("no answer after the message was sent")


def test_an_uncertain_send_is_reported_and_not_sent_again_unless_forced():
    store, outbox = FakeStore([ANA]), Uncertain()
    (first,) = _run(store, outbox, [Recipient(ANA, "ana@example.org")])
    assert first.status == "unknown" and "may have been delivered" in first.detail
    assert store.deliveries.get(1, DAY).status == "unknown"
    plain = Outbox()
    (again,) = _run(store, plain, [Recipient(ANA, "ana@example.org")])
    assert again.status == "unknown" and "--force" in again.detail and plain.sent == []
    (forced,) = _run(store, plain, [Recipient(ANA, "ana@example.org")], force=True)
    assert forced.status == "sent" and len(plain.sent) == 1


def test_a_date_claimed_by_a_live_run_is_skipped_and_a_stale_claim_is_reported():
    store, outbox = FakeStore([ANA]), Outbox()
    with store.unit_of_work() as uow:  # another run claimed it and is still within its deadline
        uow.deliveries.claim(1, DAY, token="other", recipient="ana@example.org",
                             until=NOW + dt.timedelta(minutes=5), when=NOW)
        uow.commit()
    (live,) = _run(store, outbox, [Recipient(ANA, "ana@example.org")])
    assert live.status == "skipped" and "another run is sending it" in live.detail
    later = NOW + dt.timedelta(hours=2)  # that run was killed: its claim outlived its deadline
    (stale,) = deliver(store.unit_of_work, DAY, [Recipient(ANA, "ana@example.org")], propose=_propose,
                       compose=_compose, send=outbox, clock=lambda: later)
    assert stale.status == "unknown" and "stopped before recording" in stale.detail
    assert outbox.sent == [] and store.deliveries.get(1, DAY).status == "sending"


def test_the_run_deadline_stops_new_messages_and_leaves_them_unclaimed():
    ticks = iter([0.0, 0.0, 1.0, 150.0, 200.0, 200.0, 200.0])
    store, outbox = FakeStore([ANA, BEN, CY]), Outbox()
    recipients = [Recipient(ANA, "a@x.org"), Recipient(BEN, "b@x.org"), Recipient(CY, "c@x.org")]
    outcomes = _run(store, outbox, recipients, monotonic=lambda: next(ticks), run_deadline_s=100,
                    batch_size=2)
    assert [o.status for o in outcomes] == ["sent", "failed", "failed"]
    assert all("deadline" in o.detail for o in outcomes[1:])
    # Ben was claimed and released as failed (retried next run); Cy was never claimed
    assert store.deliveries.get(2, DAY).status == "failed" and store.deliveries.get(3, DAY) is None


def test_the_message_deadline_given_to_send_is_bounded_by_the_run():
    seen = []
    store = FakeStore([ANA])
    deliver(store.unit_of_work, DAY, [Recipient(ANA, "a@x.org")], propose=_propose, compose=_compose,
            send=lambda m, deadline: seen.append(deadline), clock=lambda: NOW, monotonic=lambda: 10.0,
            run_deadline_s=30, message_deadline_s=60)
    assert seen == [40.0]  # 10 + min(60, the run's 30)


def test_a_batch_is_proposed_at_once_and_a_bad_athlete_is_isolated():
    calls = []

    def many(uow, athletes, day):
        calls.append([a.name for a in athletes])
        if any(a.name == "Ben" for a in athletes):
            raise InvalidInput("rules/base.yml:3: bad rule")
        return [_propose(uow, a, day) for a in athletes]

    def one(uow, athlete, day):
        if athlete.name == "Ben":
            raise InvalidInput("rules/base.yml:3: bad rule")
        return _propose(uow, athlete, day)

    store, outbox = FakeStore([ANA, BEN]), Outbox()
    outcomes = deliver(store.unit_of_work, DAY, [Recipient(ANA, "a@x.org"), Recipient(BEN, "b@x.org")],
                       propose=one, propose_many=many, compose=_compose, send=outbox, clock=lambda: NOW)
    assert calls == [["Ana", "Ben"]]
    assert [o.status for o in outcomes] == ["sent", "failed"]
    assert store.deliveries.get(2, DAY).status == "failed"
