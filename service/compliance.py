"""Use cases of planned against done: each workout held against its day's stored proposal
(`coach history`), the weeks' compliance (`coach trends`), and `coach next` on a day that is
already done.

The judging is pure (`coach.engine.compliance`); this module reads the store and passes the
loaded rule set's bands (`RuleSet.planned.compliance`) and intensity settings down.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from coach.engine.compliance import Compliance, describe, held_against, history_compliance, weeks_compliance
from coach.engine.model import Athlete, Proposal, Workout
from coach.service.propose import Evaluator, propose

if TYPE_CHECKING:
    from coach.engine.ruleset import RuleSet
    from coach.storage.unit_of_work import AbstractUnitOfWork


def _stored(uow: AbstractUnitOfWork, athlete: Athlete, first: dt.date | None, last: dt.date | None) -> list[Proposal]:
    return [p for p in uow.proposals.list(athlete.id, since=first) if last is None or p.date <= last]


def workouts_against_plan(uow: AbstractUnitOfWork, athlete: Athlete, workouts: Sequence[Workout],
                          first: dt.date | None, last: dt.date | None,
                          ruleset: RuleSet) -> list[Compliance | None]:
    """Each workout's compliance with the proposal stored for its day (None: no proposal, or an extra).

    :param workouts: the athlete's workouts from `first` to `last` (inclusive; None: no limit)
    """
    proposals = _stored(uow, athlete, first, last)
    if not proposals:
        return [None] * len(workouts)
    facts = ruleset.fact_settings()
    return history_compliance(workouts, proposals, ruleset.planned.compliance,
                              intensity_of_kind=facts.intensity_of_kind, hard_rpe=facts.hard_rpe)


def weeks_against_plan(uow: AbstractUnitOfWork, athlete: Athlete, weeks: Sequence[tuple[dt.date, dt.date]],
                       today: dt.date, ruleset: RuleSet) -> list[dict[str, Any]]:
    """Planned against done for each (first, last) week: colours, missed sessions, share as planned."""
    if not weeks:
        return []
    first, last = min(w[0] for w in weeks), max(w[1] for w in weeks)
    workouts = uow.workouts.between(athlete.id, first, last + dt.timedelta(days=1))
    facts = ruleset.fact_settings()
    return weeks_compliance(workouts, _stored(uow, athlete, first, last), weeks, ruleset.planned.compliance,
                            today=today, intensity_of_kind=facts.intensity_of_kind, hard_rpe=facts.hard_rpe)


def propose_unless_done(uow: AbstractUnitOfWork, athlete: Athlete, day: dt.date, ruleset: RuleSet,
                        evaluator: Evaluator, *, again: bool = False) -> tuple[Proposal, str | None]:
    """`coach next`: the proposal for `day`, or for the day after when `day` already has a workout of
    the proposed sport (`again` proposes `day` all the same). Both proposals are saved (the caller
    commits): the one of `day` is what that day's workout is held against.

    :return: the proposal shown, and a few words on the workout already done (None if none)
    """
    proposal = propose(uow, athlete, day, ruleset, evaluator)
    if again:
        return proposal, None
    done = held_against(uow.workouts.between(athlete.id, day, day + dt.timedelta(days=1)), proposal.session)
    if done is None:
        return proposal, None
    return propose(uow, athlete, day + dt.timedelta(days=1), ruleset, evaluator), describe(done)
