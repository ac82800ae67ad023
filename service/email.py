"""Use case: email the proposal of a day to one athlete or to all (`coach email`).

Who gets a message (`select_recipients`) and the at-most-once delivery (`deliver`) are in
`service.delivery`; this module wires them to a proposal per athlete and to a `Sender`
port, which the command line implements over SMTP (cli/mailer.py). No I/O of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any, Protocol

from coach.engine.errors import InvalidInput
from coach.engine.model import Athlete, Proposal
from coach.service.delivery import Outcome, deliver, select_recipients
from coach.service.propose import Evaluator, propose

if TYPE_CHECKING:
    from coach.engine.rules.model import RuleSet
    from coach.storage.unit_of_work import AbstractUnitOfWork


class Sender(Protocol):
    """The outward port of `coach email`: build a message and send it."""

    def compose(self, proposal: Proposal, athlete: Athlete, address: str) -> tuple[Any, str]:
        """The message for `address` and its Message-ID."""

    def send(self, message: Any) -> None:
        """Deliver the message, or raise `DeliveryFailed` with a one-line reason."""


def check_address(to: str | None) -> None:
    """Raise InvalidInput when `--to` is given and is not an email address."""
    if to is not None and "@" not in parseaddr(to)[1]:
        raise InvalidInput(f"--to {to!r}: not an email address")


def email_day(unit_of_work: Callable[[], AbstractUnitOfWork], sender: Sender, *, day: dt.date,
              ruleset: RuleSet, evaluator: Evaluator, athlete_name: str | None = None,
              all_athletes: bool = False, to: str | None = None, dry_run: bool = False,
              force: bool = False) -> list[Outcome]:
    """Propose, save and send the session of `day`; returns the outcomes sorted by athlete.

    A failure to send to one athlete is recorded and the run goes on (`deliver`).

    :param unit_of_work: makes a unit of work (e.g. `store.unit_of_work`)
    :param sender: composes and sends the messages
    :raises InvalidInput / NotFound: a bad `to`, both an athlete and `all_athletes`, no such athlete
    """
    check_address(to)
    with unit_of_work() as uow:
        recipients, skipped = select_recipients(uow, athlete_name=athlete_name, all_athletes=all_athletes,
                                                to=to, day=day)
    outcomes = deliver(
        unit_of_work, day, recipients,
        propose=lambda uow, athlete, d: propose(uow, athlete, d, ruleset, evaluator),
        compose=sender.compose, send=sender.send, force=force, dry_run=dry_run,
    )
    return sorted(skipped + outcomes, key=lambda o: o.athlete.lower())
