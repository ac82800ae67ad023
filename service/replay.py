"""Use case: `coach rules replay`: what a rule edit would have changed over the real history.

Every day of a period is proposed twice for each athlete, once with the old rule set and
once with the new, from the facts as they were that day: only what was logged before the
day counts (the proposal is made in the morning, before the day's own session is logged).
The days whose proposals differ are listed with both sessions and the rules that made the
difference. Nothing is written: the log is read once per athlete and every proposal is made
in memory (`propose_from_history`), so the cost is linear in days x athletes.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coach.engine.facts import WINDOW_DAYS
from coach.engine.model import Athlete, Checkin, Proposal, Workout
from coach.engine.readiness import checkin_window
from coach.service.propose import propose_from_history
from coach.service.rules_test import main_distance

if TYPE_CHECKING:
    from coach.engine.ruleset import RuleSet
    from coach.service.propose import Evaluator
    from coach.storage.unit_of_work import AbstractUnitOfWork

__all__ = ["AthleteSummary", "ChangedDay", "Replay", "RuleSide", "lookback_days", "main_distance",
           "proposals_differ", "replay", "replay_athlete"]


@dataclass(frozen=True)
class RuleSide:
    """One rule set of a replay and the Evaluator compiled from it."""

    ruleset: RuleSet
    evaluator: Evaluator


@dataclass(frozen=True)
class ChangedDay:
    """A day whose proposal differs between the rule sets."""

    athlete: str
    date: dt.date
    old: Proposal
    new: Proposal
    #: rules that changed the new proposal but not the old one
    added: tuple[str, ...]
    #: rules that changed the old proposal but not the new one
    dropped: tuple[str, ...]
    #: rules that changed both, but whose definition differs between the rule sets
    edited: tuple[str, ...]

    @property
    def rules(self) -> tuple[str, ...]:
        """Every rule that made the difference, marked +added, -dropped or ~edited."""
        return (tuple(f"+{r}" for r in self.added) + tuple(f"-{r}" for r in self.dropped)
                + tuple(f"~{r}" for r in self.edited))


@dataclass
class AthleteSummary:
    """What a rule edit changed for one athlete over the period."""

    athlete: str
    days: int = 0
    changed: int = 0
    hard_old: int = 0
    hard_new: int = 0
    #: changed days where the session's kind differs
    swaps: int = 0
    #: changed days of the same kind with a shorter main set in the new proposal
    shortened: int = 0
    #: changed days of the same kind with a longer main set in the new proposal
    lengthened: int = 0
    long_old: int = 0
    long_new: int = 0


@dataclass
class Replay:
    """The result of a replay: the changed days in order and a summary per athlete."""

    start: dt.date
    end: dt.date
    days: list[ChangedDay] = field(default_factory=list)
    summaries: list[AthleteSummary] = field(default_factory=list)


def lookback_days(ruleset: RuleSet) -> int:
    """How many days before a proposal its history may reach (facts, pace estimate, races)."""
    paces = ruleset.settings.paces
    return max(WINDOW_DAYS, paces.estimate_window_days, paces.race_window_days)


def proposals_differ(old: Proposal, new: Proposal) -> bool:
    """Whether two proposals for the same day differ for the athlete: another session, or
    other rules that changed it."""
    return old.session != new.session or [a.rule for a in old.adaptations] != [a.rule for a in new.adaptations]


def _changed_day(athlete: str, day: dt.date, old: Proposal, new: Proposal,
                 old_side: RuleSide, new_side: RuleSide) -> ChangedDay:
    before = [a.rule for a in old.adaptations]
    after = [a.rule for a in new.adaptations]

    def definition(ruleset: RuleSet, rule_id: str):
        rule = next((r for r in ruleset.rules if r.id == rule_id), None)
        return None if rule is None else (rule.when, rule.then, rule.priority, rule.reason)

    both = [r for r in after if r in before]
    edited = tuple(r for r in both if definition(old_side.ruleset, r) != definition(new_side.ruleset, r))
    return ChangedDay(athlete=athlete, date=day, old=old, new=new,
                      added=tuple(r for r in after if r not in before),
                      dropped=tuple(r for r in before if r not in after), edited=edited)


def replay_athlete(athlete: Athlete, log: Sequence[Workout], start: dt.date, end: dt.date,
                   old: RuleSide, new: RuleSide,
                   checkins: Sequence[Checkin] = ()) -> tuple[list[ChangedDay], AthleteSummary]:
    """Replay the days `start` to `end` (inclusive) of one athlete's log with both rule sets.

    :param athlete: the athlete
    :param log: their workouts, at least from `start - lookback_days` to `end`, in date order
    :param checkins: their morning check-ins, at least in `checkin_window` of each day (the
        readiness facts of the day read them as `coach next` did)
    :return: the days that differ, and the athlete's summary
    """
    log = sorted(log, key=lambda w: w.date)
    dates = [w.date for w in log]
    checkins = sorted(checkins, key=lambda c: c.date)
    checkin_dates = [c.date for c in checkins]
    reach = dt.timedelta(days=max(lookback_days(old.ruleset), lookback_days(new.ruleset)))
    old_templates, new_templates = old.ruleset.templates, new.ruleset.templates
    summary = AthleteSummary(athlete=athlete.name)
    changed: list[ChangedDay] = []
    day = start
    while day <= end:
        history = log[bisect.bisect_left(dates, day - reach):bisect.bisect_left(dates, day)]
        first, last = checkin_window(day)
        morning = checkins[bisect.bisect_left(checkin_dates, first):bisect.bisect_left(checkin_dates, last)]
        before = propose_from_history(athlete, history, day, old.ruleset, old.evaluator, templates=old_templates,
                                      checkins=morning)
        after = propose_from_history(athlete, history, day, new.ruleset, new.evaluator, templates=new_templates,
                                     checkins=morning)
        summary.days += 1
        summary.hard_old += before.session.intensity == "hard"
        summary.hard_new += after.session.intensity == "hard"
        summary.long_old += before.session.kind == "long"
        summary.long_new += after.session.kind == "long"
        if proposals_differ(before, after):
            summary.changed += 1
            if before.session.kind != after.session.kind:
                summary.swaps += 1
            elif main_distance(after) < main_distance(before):
                summary.shortened += 1
            elif main_distance(after) > main_distance(before):
                summary.lengthened += 1
            changed.append(_changed_day(athlete.name, day, before, after, old, new))
        day += dt.timedelta(days=1)
    return changed, summary


def replay(uow: AbstractUnitOfWork, athletes: Iterable[Athlete], start: dt.date, end: dt.date,
           old: RuleSide, new: RuleSide, progress: Callable[[int], None] | None = None) -> Replay:
    """Replay the days `start` to `end` (inclusive) of each athlete with the old and new rule sets.

    Reads each athlete's log and check-ins once; writes nothing (the caller should not commit).

    :param uow: the store
    :param athletes: the athletes to replay, in order
    :param start: the first day proposed
    :param end: the last day proposed
    :param old: the rule set in use (or the one compared against) and its Evaluator
    :param new: the edited rule set and its Evaluator
    :param progress: called with the number of days done after each athlete
    """
    result = Replay(start=start, end=end)
    reach = dt.timedelta(days=max(lookback_days(old.ruleset), lookback_days(new.ruleset)))
    for athlete in athletes:
        log = uow.workouts.list(athlete.id, since=start - reach, until=end)
        checkins = uow.checkins.between(athlete.id, checkin_window(start)[0], checkin_window(end)[1])
        days, summary = replay_athlete(athlete, log, start, end, old, new, checkins)
        result.days += days
        result.summaries.append(summary)
        if progress is not None:
            progress(summary.days)
    return result
