"""P5: a race older than the fact window still sets the paces, the same in `coach next` and on import.

`coach next` reads a bounded window of the log (the fact window plus one query for the races
and time trials of settings.yml `paces.race_window_days`); `coach import` reads the whole log.
Both go through `service.propose.paces_of`, so a 5K raced 100 days ago gives one VDOT.
VDOT 49.8 for a 5K in 20:00: Daniels' Running Formula (3rd ed.), VDOT table (19:57 is 50.0).
"""

from __future__ import annotations

import datetime as dt

import pytest
from scenario_kit import DAY, Kind, days_before, main_paces, run

from coach.engine.model import RaceResult


def _log_easy_weeks(scenario) -> None:
    """Six weeks of short easy runs without distance: no pace estimate of their own."""
    scenario.log(*[run(days_before(DAY, n), Kind.easy, 15, 3) for n in range(1, 43, 2)])


def _paces_both_ways(scenario):
    from coach.service.propose import paces_of

    proposal = scenario.propose()
    athlete = scenario.athlete()
    with scenario.store() as store, store.unit_of_work() as uow:
        whole_log = uow.workouts.list(athlete.id)
        athlete = uow.athletes.get_by_id(athlete.id)
    on_import = paces_of(athlete, whole_log, DAY, scenario.ruleset)
    return proposal, on_import


def _expected_session(scenario, paces):
    from coach.service.propose import propose_from_history

    athlete = scenario.athlete()
    with scenario.store() as store, store.unit_of_work() as uow:
        whole_log = uow.workouts.list(athlete.id)
    return propose_from_history(athlete, whole_log, DAY, scenario.ruleset, scenario.evaluator, paces=paces).session


def test_a_logged_race_100_days_ago_gives_the_same_paces_in_next_and_on_import(scenario):
    scenario.athlete(recent_races=[])
    _log_easy_weeks(scenario)
    scenario.log(run(days_before(DAY, 100), Kind.race, 20, 9, 5))
    proposal, on_import = _paces_both_ways(scenario)
    assert on_import is not None and on_import.vdot == pytest.approx(49.8, abs=0.1)
    assert main_paces(proposal), "the session has target paces, not 'by feel'"
    assert proposal.session == _expected_session(scenario, on_import)


def test_a_race_result_100_days_ago_on_the_athlete_counts_too(scenario):
    scenario.athlete(recent_races=[RaceResult(label="5k", distance_m=5000, time_s=20 * 60,
                                              date=days_before(DAY, 100))])
    _log_easy_weeks(scenario)
    proposal, on_import = _paces_both_ways(scenario)
    assert on_import is not None and on_import.vdot == pytest.approx(49.8, abs=0.1)
    assert main_paces(proposal)
    assert proposal.session == _expected_session(scenario, on_import)


def test_a_race_beyond_the_race_window_is_not_read(scenario):
    scenario.athlete(recent_races=[])
    _log_easy_weeks(scenario)
    window = scenario.ruleset.settings.paces.race_window_days
    scenario.log(run(days_before(DAY, window + 1), Kind.race, 20, 9, 5))
    proposal, on_import = _paces_both_ways(scenario)
    assert on_import is None
    assert not main_paces(proposal)
