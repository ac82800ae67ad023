"""`coach email --all` at club scale: the run walks the club page by page and holds one
batch of proposals at a time, however many athletes there are (counted with weak
references over the in-memory unit of work, not timed)."""

from __future__ import annotations

import datetime as dt
import gc
import weakref

import pytest

from coach.engine.model import Athlete
from coach.service.memory import MemoryData, MemoryUnitOfWork, _Athletes

DAY = dt.date(2026, 11, 19)
CLUB, PAGE, BATCH = 47, 10, 4


class Sender:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def compose(self, proposal, athlete, address):
        return address, f"<{athlete.name}@test>"

    def send(self, message, deadline=None):
        self.sent.append(message)


@pytest.fixture
def club() -> MemoryData:
    d = MemoryData()
    with MemoryUnitOfWork(d) as uow:
        for i in range(CLUB):  # every fifth athlete has no address
            uow.athletes.add(Athlete(name=f"A{i:03d}", email=None if i % 5 == 4 else f"a{i}@example.org"))
        uow.commit()
    d.calls.clear()
    return d


def test_a_club_run_holds_one_page_of_athletes_and_one_batch_of_proposals(club, default_rules, monkeypatch):
    import coach.service.email as email

    ruleset, evaluator = default_rules
    athletes: list[weakref.ref] = []  # every athlete the run read from the store
    proposals: list[weakref.ref] = []  # every proposal the run was handed
    held: list[tuple[int, int]] = []  # when each batch is proposed: (athletes alive, proposals alive)
    assert email.PAGE_SIZE >= 100  # the real pages: two queries per hundreds of athletes
    monkeypatch.setattr(email, "PAGE_SIZE", PAGE)
    real_page = _Athletes.page

    def page(self, after_id, limit, shard=None):
        out = real_page(self, after_id, limit, shard)
        athletes.extend(weakref.ref(a) for a in out)
        return out

    monkeypatch.setattr(_Athletes, "page", page)
    real_many = email.propose_many

    def counting(uow, batch, day, ruleset, evaluator):
        gc.collect()
        held.append((sum(r() is not None for r in athletes), sum(r() is not None for r in proposals)))
        out = [p.model_copy() for p in real_many(uow, batch, day, ruleset, evaluator)]
        proposals.extend(weakref.ref(p) for p in out)
        return out

    monkeypatch.setattr(email, "propose_many", counting)
    sender = Sender()
    outcomes = email.email_day(lambda: MemoryUnitOfWork(club), sender, day=DAY, ruleset=ruleset,
                               evaluator=evaluator, all_athletes=True, batch_size=BATCH)

    with_address = [i for i in range(CLUB) if i % 5 != 4]
    assert sorted(sender.sent) == sorted(f"a{i}@example.org" for i in with_address)
    assert [o.status for o in outcomes].count("skipped") == CLUB - len(with_address)
    assert len(athletes) == CLUB and len(proposals) == len(with_address)
    assert ("athletes.list", ()) not in club.calls
    assert len([c for c in club.calls if c[0] == "athletes.page"]) == CLUB // PAGE + 2  # the last one finds none
    assert len(held) == -(-len(with_address) // BATCH)
    # never more than a page read ahead plus the batch in hand, and no proposal of an earlier batch
    assert max(a for a, _ in held) <= PAGE + BATCH
    assert max(p for _, p in held) == 0


def test_a_sharded_run_reads_only_its_own_athletes(club, default_rules):
    from coach.service.email import email_day

    ruleset, evaluator = default_rules
    sent = []
    for k in range(3):
        sender = Sender()
        outcomes = email_day(lambda: MemoryUnitOfWork(club), sender, day=DAY, ruleset=ruleset,
                             evaluator=evaluator, all_athletes=True, shard=(k, 3), batch_size=BATCH)
        assert {(int(o.athlete[1:]) + 1) % 3 for o in outcomes} == {k}  # ids are 1-based
        sent += sender.sent
    assert sorted(sent) == sorted(f"a{i}@example.org" for i in range(CLUB) if i % 5 != 4)
