"""Use case: email the proposal of a day to one athlete or to all (`coach email`).

Who gets a message (`select_recipients`) and the at-most-once delivery (`deliver`) are in
`service.delivery`; this module wires them to a proposal per athlete and to a `Sender`
port, which the command line implements over SMTP (cli/mailer.py). No I/O of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any, Protocol

from coach.engine.errors import InvalidInput
from coach.engine.model import Athlete, Proposal
from coach.service.delivery import Outcome, Recipient, deliver, select_recipients
from coach.service.propose import Evaluator, propose, propose_many

if TYPE_CHECKING:
    from coach.engine.rules.model import RuleSet
    from coach.storage.unit_of_work import AbstractUnitOfWork


class Sender(Protocol):
    """The outward port of `coach email`: build a message and send it."""

    def compose(self, proposal: Proposal, athlete: Athlete, address: str) -> tuple[Any, str]:
        """The message for `address` and its Message-ID."""

    def send(self, message: Any, deadline: float) -> None:
        """Deliver the message by the monotonic time `deadline`, or raise `DeliveryFailed`
        (not delivered) or `DeliveryUncertain` (the server may have taken it) with a one-line reason."""


def check_address(to: str | None) -> None:
    """Raise InvalidInput when `--to` is given and is not an email address."""
    if to is not None and "@" not in parseaddr(to)[1]:
        raise InvalidInput(f"--to {to!r}: not an email address")


def email_day(unit_of_work: Callable[[], AbstractUnitOfWork], sender: Sender, *, day: dt.date,
              ruleset: RuleSet, evaluator: Evaluator, athlete_name: str | None = None,
              all_athletes: bool = False, to: str | None = None, dry_run: bool = False,
              force: bool = False, run_deadline_s: float = 3600.0, message_deadline_s: float = 60.0,
              batch_size: int = 20, shard: tuple[int, int] | None = None,
              id_range: tuple[int, int] | None = None,
              on_outcome: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Propose, save and send the session of `day`; returns the outcomes sorted by athlete.

    A failure to send to one athlete is recorded and the run goes on (`deliver`).

    :param unit_of_work: makes a unit of work (e.g. `store.unit_of_work`)
    :param sender: composes and sends the messages
    :param run_deadline_s: no message is started after this many seconds
    :param message_deadline_s: the most one message may take
    :param batch_size: athletes claimed, proposed and recorded per transaction
    :param shard: (k, n): only the athletes whose id is k modulo n (one of n worker processes)
    :param id_range: (lo, hi): only the athletes whose id is in lo..hi-1 (one job of the queue,
        see `id_batches`); athletes without an address in it are reported by that job
    :param on_outcome: called with each outcome as it is known (progress)
    :raises InvalidInput / NotFound: a bad `to`, both an athlete and `all_athletes`, no such athlete
    """
    check_address(to)
    skipped: list[Outcome] = []
    if all_athletes and not athlete_name and id_range is None:
        # the club is read page by page as the batches go: no more than a page of athletes is held
        recipients: Iterable[Recipient] = everyone(unit_of_work, to=to, day=day, shard=shard, skipped=skipped,
                                                   on_skipped=on_outcome)
    else:
        with unit_of_work() as uow:
            recipients, skipped = select_recipients(uow, athlete_name=athlete_name, all_athletes=all_athletes,
                                                    to=to, day=day, id_range=id_range)
        if shard is not None:
            recipients = [r for r in recipients if (r.athlete.id or 0) % shard[1] == shard[0]]
        if on_outcome is not None:
            for outcome in skipped:
                on_outcome(outcome)
    outcomes = deliver(
        unit_of_work, day, recipients,
        propose=lambda uow, athlete, d: propose(uow, athlete, d, ruleset, evaluator),
        propose_many=lambda uow, athletes, d: propose_many(uow, athletes, d, ruleset, evaluator),
        compose=sender.compose, send=sender.send, force=force, dry_run=dry_run,
        run_deadline_s=run_deadline_s, message_deadline_s=message_deadline_s, batch_size=batch_size,
        on_outcome=on_outcome,
    )
    return sorted(skipped + outcomes, key=lambda o: o.athlete.lower())


#: athletes read from the store per query when emailing a whole club
PAGE_SIZE = 500


def everyone(unit_of_work: Callable[[], AbstractUnitOfWork], *, to: str | None, day: dt.date,
             shard: tuple[int, int] | None = None, skipped: list[Outcome] | None = None,
             on_skipped: Callable[[Outcome], None] | None = None,
             page_size: int | None = None) -> Iterator[Recipient]:
    """Every athlete with an email address (or every athlete, with `to`), in id order, read
    `page_size` (default PAGE_SIZE) at a time, each page in a unit of work of its own; those
    without an address are added to `skipped` and passed to `on_skipped`.

    :param shard: (k, n): only the athletes whose id is k modulo n (one of n worker processes)
    """
    for athletes in _pages(unit_of_work, page_size or PAGE_SIZE, shard):
        for athlete in athletes:
            address = to or athlete.email
            if address:
                yield Recipient(athlete, address)
                continue
            outcome = Outcome(athlete.name, day, "skipped", detail="no email address")
            if skipped is not None:
                skipped.append(outcome)
            if on_skipped is not None:
                on_skipped(outcome)


def id_batches(unit_of_work: Callable[[], AbstractUnitOfWork], size: int) -> list[tuple[int, int]]:
    """The athletes of `coach email --all` cut into ranges of ids, `size` ids each: (lo, hi)
    covers the ids lo..hi-1. Only ranges with at least one athlete with an address are given.

    Ranges of ids, not lists of athletes, so that the batches of a night are the same however
    often they are planned (an enqueue repeated adds nothing) and a job sends to the athletes
    of its range as they are when it runs.

    :param unit_of_work: makes a unit of work (e.g. `store.unit_of_work`)
    :param size: ids per range (athletes per job, at most)
    :raises InvalidInput: `size` is below 1
    """
    if size < 1:
        raise InvalidInput("the batch size must be at least 1")
    starts = {(a.id // size) * size for athletes in _pages(unit_of_work, PAGE_SIZE)
              for a in athletes if a.id is not None and a.email}
    return [(lo, lo + size) for lo in sorted(starts)]


def _pages(unit_of_work: Callable[[], AbstractUnitOfWork], page_size: int,
           shard: tuple[int, int] | None = None) -> Iterator[list[Athlete]]:
    """The athletes in id order, `page_size` at a time, each page read in a unit of work of its own."""
    after = None
    while True:
        with unit_of_work() as uow:
            athletes = uow.athletes.page(after, page_size, shard=shard)
        if not athletes:
            return
        after = athletes[-1].id
        yield athletes
