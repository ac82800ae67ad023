"""Use case: deliver each athlete's proposal for a day, at most once, recording every attempt.

Plain functions over a unit-of-work factory (`store.unit_of_work`) and three collaborators
given by the caller, so this module does no I/O of its own:

- `propose(uow, athlete, day) -> Proposal` builds and saves the proposal (as `coach next` does),
- `compose(proposal, athlete, address) -> (message, message_id)` builds the message,
- `send(message)` delivers it, raising `DeliveryFailed` with a one-line reason.

Each athlete is handled in its own transactions, so one athlete's failure neither stops
nor undoes the others'. A date already delivered is skipped unless `force`; a failed
attempt is recorded and tried again on the next run.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from coach.engine.errors import CoachError, InvalidInput, NotFound
from coach.engine.model import Athlete, DeliveryStatus, Proposal

if TYPE_CHECKING:
    from coach.storage.unit_of_work import AbstractUnitOfWork

log = logging.getLogger("coach.delivery")

OutcomeStatus = Literal["sent", "failed", "skipped", "dry-run"]


class DeliveryFailed(Exception):
    """A message could not be delivered (server down, login or recipient refused); the text is for the user."""


@dataclass(frozen=True)
class Recipient:
    athlete: Athlete
    address: str


@dataclass
class Outcome:
    """What happened to one athlete's delivery in this run."""

    athlete: str
    date: dt.date
    status: OutcomeStatus
    recipient: str | None = None
    message_id: str | None = None
    detail: str = ""
    #: the composed message (kept for --dry-run)
    message: Any = None

    def line(self) -> str:
        """One line for the log: status, athlete, date, and the recipient or the reason."""
        to = f" to {self.recipient}" if self.recipient else ""
        mid = f" {self.message_id}" if self.message_id and self.status == "sent" else ""
        why = f": {self.detail}" if self.detail else ""
        return f"{self.status} {self.athlete} {self.date.isoformat()}{to}{mid}{why}"


def select_recipients(uow: AbstractUnitOfWork, *, athlete_name: str | None, all_athletes: bool,
                      to: str | None, day: dt.date) -> tuple[list[Recipient], list[Outcome]]:
    """Who gets an email: one athlete (named, or the only one) or every athlete with an address.

    :param uow: an open unit of work
    :param athlete_name: the athlete to send to (None: the only one), ignored with `all_athletes`
    :param all_athletes: every athlete with an email address (those without are skipped)
    :param to: send to this address instead of the athletes' own
    :param day: the proposal date (for the skipped outcomes)
    :returns: the recipients, and the athletes skipped for want of an address
    :raises InvalidInput: both --athlete and --all, or a single athlete without an address and no `to`
    """
    if all_athletes and athlete_name:
        raise InvalidInput("choose either --athlete NAME or --all, not both")
    if not all_athletes:
        athlete = uow.athletes.resolve(athlete_name)
        address = to or athlete.email
        if not address:
            raise InvalidInput(f"athlete {athlete.name!r} has no email address: add one to the profile or pass --to ADDR")
        return [Recipient(athlete, address)], []
    recipients, skipped = [], []
    for athlete in uow.athletes.list():
        address = to or athlete.email
        if address:
            recipients.append(Recipient(athlete, address))
        else:
            skipped.append(Outcome(athlete.name, day, "skipped", detail="no email address"))
    return recipients, skipped


def deliver(
    unit_of_work: Callable[[], AbstractUnitOfWork],
    day: dt.date,
    recipients: Iterable[Recipient],
    *,
    propose: Callable[[AbstractUnitOfWork, Athlete, dt.date], Proposal],
    compose: Callable[[Proposal, Athlete, str], tuple[Any, str]],
    send: Callable[[Any], None],
    force: bool = False,
    dry_run: bool = False,
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc),
) -> list[Outcome]:
    """Deliver the proposal for `day` to each recipient; returns one outcome per recipient, in order.

    :param unit_of_work: makes a unit of work (e.g. `store.unit_of_work`)
    :param day: the proposal date
    :param recipients: from `select_recipients`
    :param propose: builds and saves the proposal in the given unit of work
    :param compose: builds the message and its Message-ID
    :param send: sends a message or raises DeliveryFailed
    :param force: send again even if this date was already delivered
    :param dry_run: build the messages but neither send nor record anything (the proposals are not saved)
    :param clock: the current time (for the record)
    """
    return [
        _deliver_one(unit_of_work, day, r, propose=propose, compose=compose, send=send,
                     force=force, dry_run=dry_run, clock=clock)
        for r in recipients
    ]


def _deliver_one(unit_of_work, day, recipient: Recipient, *, propose, compose, send, force, dry_run,
                 clock) -> Outcome:
    athlete, address = recipient.athlete, recipient.address
    outcome = Outcome(athlete.name, day, "failed", recipient=address)
    try:
        with unit_of_work() as uow:
            previous = uow.deliveries.get(athlete.id, day)
            if previous and previous.status == DeliveryStatus.sent and not force and not dry_run:
                outcome.status, outcome.message_id = "skipped", previous.message_id
                outcome.detail = f"already sent {previous.message_id} (use --force to send again)"
                return outcome
            proposal = propose(uow, athlete, day)
            if not dry_run:
                uow.commit()
        message, outcome.message_id = compose(proposal, athlete, address)
    except CoachError as exc:
        # the proposal could not be built (bad rules, bad data): nothing was sent
        outcome.detail = str(exc)
        return _record(unit_of_work, athlete, day, outcome, dry_run, clock)
    if dry_run:
        outcome.status, outcome.message = "dry-run", message
        return outcome
    try:
        send(message)
        outcome.status = "sent"
    except DeliveryFailed as exc:
        outcome.detail = str(exc)
    return _record(unit_of_work, athlete, day, outcome, dry_run, clock)


def _record(unit_of_work, athlete: Athlete, day: dt.date, outcome: Outcome, dry_run: bool, clock) -> Outcome:
    if dry_run:
        return outcome
    status = DeliveryStatus.sent if outcome.status == "sent" else DeliveryStatus.failed
    at = clock()
    with unit_of_work() as uow:
        uow.deliveries.record(athlete.id, day, status=status.value, recipient=outcome.recipient,
                              message_id=outcome.message_id, error=outcome.detail or None, when=at)
        if status == DeliveryStatus.sent:
            try:
                uow.proposals.mark_delivered(athlete.id, day, at)
            except NotFound:  # a proposal not kept in the store (a custom `propose`)
                pass
        uow.commit()
    log.info(outcome.line())
    return outcome
