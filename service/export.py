"""Use case: the planned days to export (`coach export --ics`), simulated as `coach plan` does.

The calendar file itself is built by the iCalendar adapter (cli/ics.py); nothing is written
to the store here.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from coach.engine.model import Athlete, Proposal
from coach.service.plan import plan
from coach.service.propose import Evaluator

if TYPE_CHECKING:
    from coach.engine.rules.model import RuleSet
    from coach.storage.unit_of_work import AbstractUnitOfWork


def planned_days(uow: AbstractUnitOfWork, athlete_name: str | None, day: dt.date, days: int,
                 ruleset: RuleSet, evaluator: Evaluator) -> tuple[Athlete, list[Proposal]]:
    """The athlete (named, or the only one) and their next `days` proposals from `day`.

    :raises NotFound: no such athlete; InvalidInput: `days` out of range
    """
    athlete = uow.athletes.resolve(athlete_name)
    return athlete, plan(uow, athlete, day, days, ruleset, evaluator)
