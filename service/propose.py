"""Use case: propose a session for one athlete or for many.

Plain functions that take their collaborators as arguments (a unit of work, the rule set,
one Evaluator per process), so that the CLI, the nightly email, the week-ahead simulation,
the tests and the benchmark call the same code. No SQLAlchemy here: the unit of work is
used only through its repositories (`uow.workouts`, `uow.proposals`).

One proposal is: facts (engine/facts.py) -> rules (Evaluator.evaluate) -> composition
(engine/compose.py). The facts read only a fixed window of the log (`fact_window`), so a
proposal costs the same after ten years of history as after one month. Paces read one
history policy (`paces_history`, windows in settings.yml `paces:`): the fact window plus one
cheap query for the races and time trials of the race window.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from coach.engine.collector import collector_paused
from coach.engine.facts import compute_facts, fact_window
from coach.engine.form import recorded
from coach.engine.model import Athlete, Checkin, Proposal, Workout
from coach.engine.readiness import checkin_window, last_known_checkin

if TYPE_CHECKING:
    from coach.engine.paces import TrainingPaces
    from coach.engine.ruleset import RuleSet
    from coach.engine.templates import TemplateSet
    from coach.storage.unit_of_work import AbstractUnitOfWork


class Evaluator(Protocol):
    """A compiled rule set (`coach.engine.rules.Evaluator`): facts in, rule firings out."""

    def evaluate(self, key: str, facts: Mapping[str, Any]) -> Any: ...

#: propose_many sweeps the rule engine's cyclic garbage (about 2 KB an athlete) after this many athletes
_SWEEP_EVERY = 5000


def athlete_key(athlete: Athlete) -> str:
    """The key an athlete's facts are evaluated under (their name: unique in a store)."""
    return athlete.name


def facts_for(athlete: Athlete, workouts: Sequence[Workout], day: dt.date, ruleset: RuleSet,
              checkins: Sequence[Checkin] = ()) -> dict[str, Any]:
    """The facts of `athlete` on `day` under `ruleset` (what `propose_from_history` evaluates).

    `compute_facts` with the rule set's settings; when the workouts include laps recorded by a
    watch, also with classify.yml's `form.work_pace_pct`, so that form and calibration read
    only their work laps, as the importer does. `checkins` are the morning check-ins of
    `checkin_window(day)` (readiness facts).
    """
    laps = any(w.reps and recorded(w) for w in workouts)
    settings = ruleset.fact_settings(recorded_laps=laps)
    facts = compute_facts(athlete, workouts, day, settings, checkins)
    season = ruleset.season
    if season is not None:  # the season (issue 12): phase, the calendar week, P11 back-off facts
        from coach.engine.season import back_off_facts, calendar_missed, relative_to_plan, season_facts

        kinds = settings.intensity_of_kind  # settings.yml's table as plain strings, read once per rule set
        if "plan.sport" in facts and season.triathlon is not None:  # a triathlete's season (issue 14)
            from coach.engine import triathlon

            facts.update(triathlon.season_facts(season, athlete, day, ruleset.templates.triathlon_week))
        else:
            facts.update(season_facts(season, athlete, day, kinds, workouts))
        if athlete.long_run_day is not None and "plan.sport" not in facts:  # missed sessions: the calendar week
            for name in ("yesterday.missed_slot", "yesterday.missed_kind"):
                facts.pop(name, None)
            facts.update(calendar_missed(season, athlete, day, workouts))
        facts.update(back_off_facts(workouts, day, season))
        facts.update(relative_to_plan(facts))
    return facts


def propose_from_history(
    athlete: Athlete,
    workouts: Sequence[Workout],
    day: dt.date,
    ruleset: RuleSet,
    evaluator: Evaluator,
    templates: TemplateSet | None = None,
    paces: TrainingPaces | None = None,
    checkins: Sequence[Checkin] = (),
) -> Proposal:
    """The proposal for `athlete` on `day` from their logged workouts. Pure: saves nothing.

    :param athlete: the athlete
    :param workouts: their workouts; only those in `fact_window(day)` are read
    :param day: the proposal date
    :param ruleset: the rule set in use (settings, session templates, version)
    :param evaluator: the Evaluator compiled from `ruleset` (one per process)
    :param templates: the session templates (default: those of the rule set, loaded once)
    :param paces: the athlete's training paces (default: `paces_of` the given workouts, which
        must then hold `paces_history`)
    :param checkins: the athlete's morning check-ins in `checkin_window(day)` (readiness facts)
    """
    from coach.engine.compose import compose
    from coach.engine.heart_rate import with_hr_ranges
    from coach.service.overrides import for_athlete, override_notes

    base, (ruleset, evaluator) = ruleset, for_athlete(ruleset, evaluator, athlete)  # per-athlete overrides
    facts = facts_for(athlete, workouts, day, ruleset, checkins)
    firings = evaluator.evaluate(athlete_key(athlete), facts)
    if templates is None:
        templates = templates_of(ruleset)
    if paces is None:
        paces = paces_of(athlete, workouts, day, ruleset)
    session, adaptations = compose(athlete, facts, firings, templates, paces)
    session = with_hr_ranges(session, athlete, ruleset.settings.heart_rate_zones)  # zones in bpm (issue 14)
    if ruleset.season is not None:  # race day's pacing, race-eve touches (issue 12)
        from coach.engine.season import season_adaptations

        adaptations = [*adaptations, *season_adaptations(ruleset.season, athlete, facts, session, paces)]
    adaptations = [*adaptations, *override_notes(base, ruleset, athlete, workouts, day, facts, checkins)]
    return Proposal(athlete=athlete.name, date=day, session=session, adaptations=adaptations,
                    facts=facts, rules_version=ruleset.version, morning=last_known_checkin(checkins, day))


def propose(uow: AbstractUnitOfWork, athlete: Athlete, day: dt.date, ruleset: RuleSet,
            evaluator: Evaluator) -> Proposal:
    """Propose `athlete`'s session for `day` from the store and save it (the caller commits).

    Loads only the fact window of the log and the races of the pace window (`read_history`).
    """
    workouts = read_history(uow, [athlete.id], day, ruleset)[athlete.id]
    checkins = uow.checkins.between(athlete.id, *checkin_window(day))
    proposal = propose_from_history(athlete, workouts, day, ruleset, evaluator, checkins=checkins)
    uow.proposals.add(athlete.id, proposal)
    return proposal


def propose_many(uow: AbstractUnitOfWork, athletes: Iterable[Athlete], day: dt.date, ruleset: RuleSet,
                 evaluator: Evaluator, save: bool = True) -> list[Proposal]:
    """Propose the session of `day` for many athletes, in order, and save them (the caller commits).

    The log is read with one set-based query for all of them (`uow.workouts.between_many`),
    and every athlete goes through the same Evaluator, one after the other.
    """
    athletes = list(athletes)
    templates = templates_of(ruleset)
    proposals = []
    # The windows stay alive for the whole batch: the cyclic collector is paused so that it does
    # not walk them over and over; the little cyclic garbage the rule engine makes is swept with
    # a young-generation collection every _SWEEP_EVERY athletes.
    with collector_paused():
        logs = read_history(uow, [a.id for a in athletes if a.id is not None], day, ruleset)
        mornings = uow.checkins.between_many([a.id for a in athletes if a.id is not None], *checkin_window(day))
        for n, athlete in enumerate(athletes, 1):
            proposal = propose_from_history(athlete, logs.get(athlete.id, []), day, ruleset, evaluator,
                                            templates=templates, checkins=mornings.get(athlete.id, ()))
            proposals.append(proposal)
            if n % _SWEEP_EVERY == 0:
                gc.collect(0)
        del logs  # freed before the collector resumes, so that it never walks them
    if save:  # one statement for the batch, not a read and a flush per athlete
        uow.proposals.add_many((a.id, p) for a, p in zip(athletes, proposals))
    return proposals


def templates_of(ruleset: RuleSet) -> TemplateSet:
    """The session templates of a rule set (validated and carried with it)."""
    return ruleset.templates


def paces_window(day: dt.date, ruleset: RuleSet) -> tuple[dt.date, dt.date]:
    """The days (start inclusive, end exclusive) whose races and time trials paces may read."""
    return day - dt.timedelta(days=ruleset.settings.paces.race_window_days), day


def read_history(uow: AbstractUnitOfWork, athlete_ids: Sequence[int], day: dt.date,
                 ruleset: RuleSet) -> dict[int, list[Workout]]:
    """What a proposal on `day` reads of each athlete's log, whatever its length: the fact window
    (extended to the pace-estimate window if that is longer) plus the races and time trials
    of the pace race window, in date order. The one history policy of `propose`, `propose_many`
    and `plan`.
    """
    start, end = fact_window(day)
    estimate = ruleset.settings.paces.estimate_window_days
    start = min(start, day - dt.timedelta(days=estimate))
    logs = uow.workouts.between_many(athlete_ids, start, end)
    race_start, race_end = paces_window(day, ruleset)
    if race_start < start:
        races = uow.workouts.races_between_many(athlete_ids, race_start, min(start, race_end))
        for athlete_id, older in races.items():
            if older:
                logs[athlete_id] = older + logs.get(athlete_id, [])
    return logs


def paces_of(athlete: Athlete, workouts: Sequence[Workout], day: dt.date | None,
             ruleset: RuleSet) -> TrainingPaces | None:
    """The athlete's training paces on `day` (None: by feel), from their races and the given runs.

    Every caller (`coach next`, `plan`, the email, `coach import`) goes through here with the
    windows of settings.yml `paces:`, so the same log gives the same paces everywhere; the
    workouts may be the whole log or `read_history`'s part of it. With no `day` (the import's
    classification), the paces are those of the day after the latest workout or dated race.
    """
    detail = paces_detail(athlete, workouts, day, ruleset)
    return detail[0]


def paces_detail(athlete: Athlete, workouts: Sequence[Workout], day: dt.date | None,
                 ruleset: RuleSet) -> tuple[TrainingPaces | None, str]:
    """`paces_of` with the sentence saying where the paces come from.

    Without a race, runs whose heart rate tells their effort estimate the fitness (the
    athlete's resting and maximal heart rate, given or estimated: engine/physiology.py)."""
    from coach.engine.load_methods import LoadSettings
    from coach.engine.paces import paces_for
    from coach.engine.physiology import hr_reserve, resolve

    policy = ruleset.settings.paces
    before = workouts if day is None else [w for w in workouts if w.date < day]
    windows = {"race_window_days": policy.race_window_days, "estimate_window_days": policy.estimate_window_days,
               "estimate_min_minutes": policy.estimate_min_minutes}
    paces, source = paces_for(athlete, before, day, **windows)
    if (paces is not None and not paces.estimated) or day is None:
        return paces, source  # a race decides (the load settings are not even read)
    load = LoadSettings.of(ruleset.settings.load)
    if load is None or not any(w.avg_hr for w in before):
        return paces, source  # no heart rate to read the runs' effort from
    reserve = hr_reserve(resolve(athlete, before, day, load, with_pace=False))
    return (paces, source) if reserve is None else paces_for(athlete, before, day, hr_reserve=reserve, **windows)
