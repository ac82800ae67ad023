"""Use case: deliver each athlete's proposal for a day exactly once, recording every attempt.

Plain functions over a unit-of-work factory (`store.unit_of_work`) and collaborators given
by the caller, so this module does no I/O of its own:

- `propose(uow, athlete, day) -> Proposal` builds and saves one proposal (as `coach next`),
  and optionally `propose_many(uow, athletes, day) -> [Proposal]` for a whole batch at once,
- `compose(proposal, athlete, address) -> (message, message_id)` builds the message,
- `send(message, deadline)` delivers it by the monotonic time `deadline`, raising
  `DeliveryFailed` (not delivered) or `DeliveryUncertain` (the server may have taken it).

Exactly once, under concurrent runs and crashes: before sending, a run claims the athlete's
date (a 'sending' record, unique per athlete and date) and commits the claim; a run that
finds the date claimed, sent or of uncertain outcome skips it. After sending, the outcome
replaces the claim. A claim whose run stopped before recording it (killed) and an uncertain
outcome are reported, never sent again without `force`: the athlete may have the email.
A failed attempt (nothing reached the server) is tried again on the next run.

Athletes go in batches: one transaction claims a batch, one saves its proposals, one records
its outcomes. The whole run and each message have a deadline, so no server holds the run.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any, Literal

from coach.engine.errors import CoachError, InvalidInput
from coach.engine.model import Athlete, Delivery, DeliveryStatus, Proposal

if TYPE_CHECKING:
    from coach.storage.unit_of_work import AbstractUnitOfWork

log = logging.getLogger("coach.delivery")

OutcomeStatus = Literal["sent", "failed", "skipped", "unknown", "dry-run"]

#: what a claim covers after the run's own deadline: recording the last outcomes
_CLAIM_MARGIN_S = 60.0


class DeliveryFailed(Exception):
    """A message could not be delivered (server down, login or recipient refused); the text is for the user."""


class DeliveryUncertain(DeliveryFailed):
    """The whole message was handed over but no answer came: the server may have taken it; the text is for the user."""


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
                      to: str | None, day: dt.date, id_range: tuple[int, int] | None = None,
                      ) -> tuple[list[Recipient], list[Outcome]]:
    """Who gets an email: one athlete (named, or the only one) or every athlete with an address.

    :param uow: an open unit of work
    :param athlete_name: the athlete to send to (None: the only one), ignored with `all_athletes`
    :param all_athletes: every athlete with an email address (those without are skipped)
    :param to: send to this address instead of the athletes' own
    :param day: the proposal date (for the skipped outcomes)
    :param id_range: with `all_athletes`, only the athletes whose id is lo..hi-1 (one job of the queue)
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
    for athlete in uow.athletes.list() if id_range is None else uow.athletes.list(id_range=id_range):
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
    send: Callable[[Any, float], None],
    propose_many: Callable[[AbstractUnitOfWork, list[Athlete], dt.date], list[Proposal]] | None = None,
    force: bool = False,
    dry_run: bool = False,
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc),
    monotonic: Callable[[], float] = time.monotonic,
    run_deadline_s: float = 3600.0,
    message_deadline_s: float = 60.0,
    batch_size: int = 20,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Deliver the proposal for `day` to each recipient; returns one outcome per recipient, in order.

    :param unit_of_work: makes a unit of work (e.g. `store.unit_of_work`)
    :param day: the proposal date
    :param recipients: from `select_recipients` (any iterable: it is read a batch at a time)
    :param propose: builds and saves one athlete's proposal in the given unit of work
    :param compose: builds the message and its Message-ID
    :param send: `send(message, deadline)` sends by the monotonic time `deadline`, or raises
        DeliveryFailed (not sent) / DeliveryUncertain (maybe sent)
    :param propose_many: builds and saves a batch's proposals at once (default: `propose` each)
    :param force: send again whatever the date's record says (sent, uncertain, claimed)
    :param dry_run: build the messages but neither send nor record anything (the proposals are not saved)
    :param clock: the current time (for the record)
    :param monotonic: the clock of the deadlines
    :param run_deadline_s: no message is started after this many seconds from the start
    :param message_deadline_s: the most one message may take, connecting included
    :param batch_size: athletes claimed, proposed and recorded per transaction
    :param on_outcome: called with each outcome as soon as it is known (progress)
    """
    if run_deadline_s <= 0 or message_deadline_s <= 0 or batch_size < 1:
        raise InvalidInput("deadlines must be positive and the batch size at least 1")
    run = _Run(unit_of_work, day, propose=propose, propose_many=propose_many, compose=compose, send=send,
               force=force, dry_run=dry_run, clock=clock, monotonic=monotonic,
               end=monotonic() + run_deadline_s, message_deadline_s=message_deadline_s,
               claimed_until=clock() + dt.timedelta(seconds=run_deadline_s + _CLAIM_MARGIN_S),
               token=secrets.token_hex(16), on_outcome=on_outcome or (lambda o: None),
               run_deadline_s=run_deadline_s)
    outcomes: list[Outcome] = []
    pending = iter(recipients)  # taken a batch at a time: a club streamed from the store is never all in memory
    while batch := list(islice(pending, batch_size)):
        outcomes += run.batch(batch)
    return outcomes


@dataclass
class _Run:
    unit_of_work: Callable[[], AbstractUnitOfWork]
    day: dt.date
    propose: Callable
    propose_many: Callable | None
    compose: Callable
    send: Callable
    force: bool
    dry_run: bool
    clock: Callable[[], dt.datetime]
    monotonic: Callable[[], float]
    end: float
    message_deadline_s: float
    claimed_until: dt.datetime
    token: str
    on_outcome: Callable[[Outcome], None]
    run_deadline_s: float

    def _late(self, recipient: Recipient) -> Outcome:
        return Outcome(recipient.athlete.name, self.day, "failed", recipient=recipient.address,
                       detail=f"not attempted: the run's deadline ({self.run_deadline_s:g} s) passed")

    def batch(self, batch: Sequence[Recipient]) -> list[Outcome]:
        results: dict[int, Outcome] = {}
        if self.monotonic() >= self.end:
            # not claimed, so the next run sends them
            out = [self._late(r) for r in batch]
            for o in out:
                self.on_outcome(o)
            return out
        # 1. claim (committed before anything is sent)
        claimed: list[tuple[int, Recipient]] = []
        if self.dry_run:
            claimed = list(enumerate(batch))
        else:
            order = sorted(enumerate(batch), key=lambda item: item[1].athlete.id or 0)  # one lock order for all runs
            with self.unit_of_work() as uow:
                held = uow.deliveries.claim_many([(r.athlete.id, r.address) for _, r in order], self.day,
                                                 token=self.token, until=self.claimed_until, force=self.force,
                                                 when=self.clock())
                uow.commit()
            for i, r in order:
                if held[r.athlete.id] is None:
                    claimed.append((i, r))
                else:
                    results[i] = self._not_claimed(r, held[r.athlete.id])
                    self.on_outcome(results[i])
            claimed.sort(key=lambda item: item[0])
        # 2. propose and save
        proposals = self._proposals([r.athlete for _, r in claimed])
        # 3. send
        try:
            for (i, r), proposal in zip(claimed, proposals):
                self._send_one(i, r, proposal, results)
        except BaseException:
            # interrupted (Ctrl-C, SIGTERM from a cron timeout): the message in flight may have
            # gone; the rest of the batch was never attempted, so its claims are released
            if not self.dry_run:
                for i, r in claimed:
                    o = results.get(i)
                    if o is None:
                        results[i] = Outcome(r.athlete.name, self.day, "failed", recipient=r.address,
                                             detail="not attempted: the run was interrupted")
                    elif o.status == "failed" and not o.detail:
                        o.status, o.detail = "unknown", "the run was interrupted while sending it"
                self._record(claimed, [results[i] for i, _ in claimed])
            raise
        # 4. record the outcomes
        mine = [results[i] for i, _ in claimed]
        if not self.dry_run and mine:
            self._record(claimed, mine)
        for o in mine:
            self.on_outcome(o)
        return [results[i] for i in range(len(batch))]

    def _send_one(self, i: int, r: Recipient, proposal: Proposal | CoachError, results: dict[int, Outcome]) -> None:
        o = results[i] = Outcome(r.athlete.name, self.day, "failed", recipient=r.address)
        if isinstance(proposal, CoachError):
            o.detail = str(proposal)  # the proposal could not be built (bad rules, bad data): nothing sent
            return
        try:
            message, o.message_id = self.compose(proposal, r.athlete, r.address)
        except CoachError as exc:
            o.detail = str(exc)
            return
        if self.dry_run:
            o.status, o.message = "dry-run", message
            return
        now = self.monotonic()
        if now >= self.end:
            results[i] = self._late(r)  # recorded as failed: the claim is released
            return
        try:
            self.send(message, min(self.end, now + self.message_deadline_s))
            o.status = "sent"
        except DeliveryUncertain as exc:
            o.status = "unknown"
            o.detail = f"{exc}; it may have been delivered, so it is not sent again (--force sends it)"
        except DeliveryFailed as exc:
            o.detail = str(exc)

    def _proposals(self, athletes: list[Athlete]) -> list[Proposal | CoachError]:
        if not athletes:
            return []
        with self.unit_of_work() as uow:
            out: list[Proposal | CoachError] = []
            done = False
            if self.propose_many is not None:
                try:
                    out = list(self.propose_many(uow, athletes, self.day))
                    done = True
                except CoachError:
                    uow.rollback()  # one athlete's bad data: propose them one by one to find it
            if not done:
                out = []
                for athlete in athletes:
                    try:
                        out.append(self.propose(uow, athlete, self.day))
                    except CoachError as exc:
                        out.append(exc)
            if not self.dry_run:
                uow.commit()
        return out

    def _record(self, claimed: list[tuple[int, Recipient]], outcomes: list[Outcome]) -> None:
        at = self.clock()
        statuses = [{"sent": DeliveryStatus.sent, "unknown": DeliveryStatus.unknown}.get(o.status, DeliveryStatus.failed)
                    for o in outcomes]
        with self.unit_of_work() as uow:
            mine = uow.deliveries.settle_many(
                self.day, [(r.athlete.id, status.value, o.message_id, o.detail or None)
                           for (_, r), o, status in zip(claimed, outcomes, statuses)], token=self.token, when=at)
            # a proposal not kept in the store (a custom `propose`) is simply not marked
            uow.proposals.mark_delivered_many([r.athlete.id for (_, r), status in zip(claimed, statuses)
                                               if status == DeliveryStatus.sent and r.athlete.id in mine],
                                              self.day, at)
            uow.commit()
        for (_, r), o in zip(claimed, outcomes):
            if r.athlete.id not in mine:
                o.detail = (o.detail + "; " if o.detail else "") + "another run took this date over with --force"
        for o in outcomes:
            log.info(o.line())

    def _not_claimed(self, r: Recipient, held: Delivery) -> Outcome:
        o = Outcome(r.athlete.name, self.day, "skipped", recipient=held.recipient or r.address,
                    message_id=held.message_id)
        if held.status == DeliveryStatus.sent:
            o.detail = f"already sent {held.message_id} (use --force to send again)"
        elif held.status == DeliveryStatus.unknown:
            o.status = "unknown"
            o.detail = f"an earlier attempt may have been delivered ({held.error}); --force sends it again"
        elif held.status == DeliveryStatus.sending and held.claimed_until and held.claimed_until > self.clock():
            o.detail = "another run is sending it"
        elif held.status == DeliveryStatus.sending:
            o.status = "unknown"
            at = held.last_attempt_at.isoformat(timespec="seconds") if held.last_attempt_at else "?"
            o.detail = (f"a run claimed it at {at} and stopped before recording the outcome, so it may "
                        "have been delivered; --force sends it again")
        else:
            o.detail = f"another run is retrying it ({held.status})"
        return o
