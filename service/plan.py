"""Use case: the days ahead (`coach plan`), proposals simulated forward, nothing written.

Each day's proposal is made exactly as `coach next` would make it (`propose_from_history`),
from the real log plus the sessions proposed for the days before, each assumed done as
proposed (`coach.engine.plan.session_to_workout`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from coach.engine.errors import InvalidInput
from coach.engine.model import Athlete, Checkin, Proposal, Workout
from coach.engine.plan import MAX_DAYS, session_to_workout
from coach.engine.readiness import checkin_window
from coach.service.propose import Evaluator, propose_from_history, read_history, templates_of

if TYPE_CHECKING:
    from coach.engine.rules.model import RuleSet
    from coach.engine.templates import TemplateSet
    from coach.storage.unit_of_work import AbstractUnitOfWork

__all__ = ["MAX_DAYS", "plan", "simulate"]


def simulate(
    athlete: Athlete,
    workouts: Sequence[Workout],
    start: dt.date,
    days: int,
    ruleset: RuleSet,
    evaluator: Evaluator,
    *,
    templates: TemplateSet | None = None,
    propose: Callable[..., Proposal] | None = None,
    checkins: Sequence[Checkin] = (),
) -> list[Proposal]:
    """Proposals for `days` days from `start`, each day assuming the days before went as proposed.

    :param athlete: the athlete
    :param workouts: their logged workouts (at least the fact window before `start`)
    :param start: the first day to propose
    :param days: how many days (1..MAX_DAYS)
    :param ruleset: the rule set in use
    :param evaluator: its Evaluator
    :param templates: the session templates (default: those of the rule set)
    :param propose: the pure proposal function (default: `propose_from_history`)
    :param checkins: morning check-ins up to `start` (this morning's changes the first day;
        sick and injured expire as in `coach next`)
    """
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"days must be from 1 to {MAX_DAYS}, not {days}")
    propose = propose or propose_from_history
    templates = templates if templates is not None else templates_of(ruleset)
    goal = str(getattr(athlete.goal, "value", athlete.goal))
    history = list(workouts)
    proposals: list[Proposal] = []
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        mornings = {"checkins": checkins} if checkins else {}
        proposal = propose(athlete, history, day, ruleset, evaluator, templates=templates, **mornings)
        proposals.append(proposal)
        s = proposal.session
        done = session_to_workout(s, day, templates.expected_rpe_for(goal, s.kind.value, s.intensity.value))
        if done is not None:
            history.append(done)
    return proposals


def plan(uow: AbstractUnitOfWork, athlete: Athlete, start: dt.date, days: int, ruleset: RuleSet,
         evaluator: Evaluator) -> list[Proposal]:
    """The next `days` days for an athlete in the store, simulated forward; nothing is saved.

    Reads what `coach next` reads for `start` (`read_history`: the fact window and the races
    of the pace window) and anything already logged inside the plan's days.
    """
    assert athlete.id is not None
    end = start + dt.timedelta(days=days)
    workouts = read_history(uow, [athlete.id], start, ruleset)[athlete.id]
    workouts += uow.workouts.between(athlete.id, start, end)
    checkins = uow.checkins.between(athlete.id, *checkin_window(start))
    return simulate(athlete, workouts, start, days, ruleset, evaluator, checkins=checkins)
