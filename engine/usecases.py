"""Use cases of the coaching engine: propose a session for one athlete or for many.

Plain functions that take their collaborators as arguments (a unit of work, the rule set,
one Evaluator per process), so that the CLI, the nightly email, the week-ahead simulation,
the tests and the benchmark call the same code. No SQLAlchemy here: the unit of work is
used only through its repositories (`uow.workouts`, `uow.proposals`).

One proposal is: facts (engine/facts.py) -> rules (Evaluator.evaluate) -> composition
(engine/compose.py). The facts read only a fixed window of the log (`fact_window`), so a
proposal costs the same after ten years of history as after one month.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Sequence
from typing import Any

from coach.engine.facts import FactSettings, compute_facts, fact_window
from coach.engine.form import recorded
from coach.engine.collector import collector_paused
from coach.engine.model import Athlete, Proposal, Workout

#: propose_many sweeps the rule engine's cyclic garbage (about 2 KB an athlete) after this many athletes
_SWEEP_EVERY = 5000


def athlete_key(athlete: Athlete) -> str:
    """The key an athlete's facts are evaluated under (their name: unique in a store)."""
    return athlete.name


def facts_for(athlete: Athlete, workouts: Sequence[Workout], day: dt.date, ruleset: Any) -> dict[str, Any]:
    """The facts of `athlete` on `day` under `ruleset` (what `propose_from_history` evaluates).

    `compute_facts` with the rule set's settings; when the workouts include laps recorded by a
    watch, also with classify.yml's `form.work_pace_pct`, so that form and calibration read
    only their work laps, as the importer does (reading classify.yml only when it matters).
    """
    settings: Any = ruleset.settings
    if any(w.reps and recorded(w) for w in workouts):
        settings = _lap_settings(ruleset)
    facts = compute_facts(athlete, workouts, day, settings)
    season = getattr(ruleset, "season", None)
    if season is not None:  # the season (issue 12): phase, the calendar week, P11 back-off facts
        from coach.engine.season import back_off_facts, relative_to_plan, season_facts

        kinds = {str(getattr(k, "value", k)): str(getattr(v, "value", v))
                 for k, v in ruleset.settings.intensity_of_kind.items()}
        facts.update(season_facts(season, athlete, day, kinds, workouts))
        facts.update(back_off_facts(workouts, day, season))
        facts.update(relative_to_plan(facts))
    return facts


_LAP_SETTINGS: dict[Any, FactSettings] = {}


def _lap_settings(ruleset: Any) -> FactSettings:
    """The rule set's fact settings with classify.yml's work-lap threshold, once per rule-set version."""
    from coach.engine.classify import load_classify

    key = (str(ruleset.directory), ruleset.version)
    if key not in _LAP_SETTINGS:
        pct = load_classify(ruleset.directory).form.work_pace_pct
        _LAP_SETTINGS[key] = FactSettings.of(ruleset.settings, work_pace_pct=pct)
    return _LAP_SETTINGS[key]


def propose_from_history(
    athlete: Athlete,
    workouts: Sequence[Workout],
    day: dt.date,
    ruleset: Any,
    evaluator: Any,
    templates: Any = None,
    paces: Any = None,
) -> Proposal:
    """The proposal for `athlete` on `day` from their logged workouts. Pure: saves nothing.

    :param athlete: the athlete
    :param workouts: their workouts; only those in `fact_window(day)` are read
    :param day: the proposal date
    :param ruleset: the rule set in use (settings, session templates, version)
    :param evaluator: the Evaluator compiled from `ruleset` (one per process)
    :param templates: the session templates (default: those of the rule set, loaded once)
    :param paces: the athlete's training paces (default: from their races and recent runs)
    """
    from coach.engine.compose import compose

    facts = facts_for(athlete, workouts, day, ruleset)
    firings = evaluator.evaluate(athlete_key(athlete), facts)
    if templates is None:
        templates = templates_of(ruleset)
    if paces is None:
        paces = paces_of(athlete, workouts, day)
    session, adaptations = compose(athlete, facts, firings, templates, paces)
    if getattr(ruleset, "season", None) is not None:  # race day's pacing, race-eve touches (issue 12)
        from coach.engine.season import season_adaptations

        adaptations = [*adaptations, *season_adaptations(ruleset.season, athlete, facts, session, paces)]
    return Proposal(athlete=athlete.name, date=day, session=session, adaptations=adaptations,
                    facts=facts, rules_version=ruleset.version)


def propose(uow: Any, athlete: Athlete, day: dt.date, ruleset: Any, evaluator: Any) -> Proposal:
    """Propose `athlete`'s session for `day` from the store and save it (the caller commits).

    Loads only the fact window of the log (`uow.workouts.between`).
    """
    start, end = fact_window(day)
    workouts = uow.workouts.between(athlete.id, start, end)
    proposal = propose_from_history(athlete, workouts, day, ruleset, evaluator)
    uow.proposals.add(athlete.id, proposal)
    return proposal


def propose_many(uow: Any, athletes: Iterable[Athlete], day: dt.date, ruleset: Any, evaluator: Any,
                 save: bool = True) -> list[Proposal]:
    """Propose the session of `day` for many athletes, in order, and save them (the caller commits).

    The log is read with one set-based query for all of them (`uow.workouts.between_many`),
    and every athlete goes through the same Evaluator, one after the other.
    """
    athletes = list(athletes)
    start, end = fact_window(day)
    templates = templates_of(ruleset)
    proposals = []
    # The windows stay alive for the whole batch: the cyclic collector is paused so that it does
    # not walk them over and over; the little cyclic garbage the rule engine makes is swept with
    # a young-generation collection every _SWEEP_EVERY athletes.
    with collector_paused():
        logs = uow.workouts.between_many([a.id for a in athletes], start, end)
        for n, athlete in enumerate(athletes, 1):
            proposal = propose_from_history(athlete, logs.get(athlete.id, []), day, ruleset, evaluator,
                                            templates=templates)
            if save:
                uow.proposals.add(athlete.id, proposal)
            proposals.append(proposal)
            if n % _SWEEP_EVERY == 0:
                gc.collect(0)
        del logs  # freed before the collector resumes, so that it never walks them
    return proposals



_TEMPLATES: dict[Any, Any] = {}


def templates_of(ruleset: Any) -> Any:
    """The session templates of a rule set, loaded once per process per rule-set version."""
    from coach.engine.compose import load_templates

    key = (str(ruleset.sessions_dir), ruleset.version)
    if key not in _TEMPLATES:
        _TEMPLATES[key] = load_templates(ruleset.sessions_dir)
    return _TEMPLATES[key]


def paces_of(athlete: Athlete, workouts: Sequence[Workout], day: dt.date) -> Any:
    """The athlete's training paces on `day` (None: by feel), from their races and the given runs."""
    from coach.engine.paces import paces_for

    paces, _source = paces_for(athlete, [w for w in workouts if w.date < day], day)
    return paces
