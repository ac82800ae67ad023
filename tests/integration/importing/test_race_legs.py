"""A triathlon imported as legs (a real multisport FIT file: swim, bike, run) is one race day:
one maximal day for the facts, one hard session in the week's counts, no hard session after it."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.engine.model import Athlete, Kind, Sport
from coach.service.importing import import_paths
from coach.service.propose import facts_for, propose_from_history
from coach.service.rulesets import read_rule_set
from coach.storage import open_store

RULESET = read_rule_set(None)
RACE_DAY = dt.date(2018, 5, 27)  # the file's date, a Sunday


@pytest.fixture
def legs(sqlite_url, real_data_dir):
    """The three legs as stored by the importer, the run marked a race (`coach workout edit
    ID --kind race`), as the athlete does after the race."""
    with open_store(sqlite_url) as store:
        with store.unit_of_work() as uow:
            uow.athletes.add(Athlete(name="Tri", sport="triathlon", goal="olympic",  # swims Monday
                                     swim_days=["mon", "wed", "fri"], bike_days=["tue", "thu", "sat"]))
            uow.commit()
        import_paths(store, "Tri", [real_data_dir / "fit" / "fr920xt-triathlon-multisport.fit"], RULESET)
        with store.unit_of_work() as uow:
            athlete = uow.athletes.get("Tri")
            stored = uow.workouts.list(athlete.id)
            run = next(w for w in stored if w.sport == Sport.run)
            uow.workouts.update(athlete.id, run.model_copy(update={"kind": Kind.race}))
            uow.commit()
            return athlete, uow.workouts.list(athlete.id)


def test_the_file_gives_three_legs_of_one_day_and_one_file(legs):
    _, workouts = legs
    assert [w.sport for w in workouts] == [Sport.swim, Sport.bike, Sport.run]
    assert {w.date for w in workouts} == {RACE_DAY} and len({w.source for w in workouts}) == 1


def test_the_day_after_the_race_is_the_day_after_a_maximal_day_and_not_hard(legs, default_rules):
    athlete, workouts = legs
    ruleset, evaluator = default_rules
    monday = RACE_DAY + dt.timedelta(days=1)
    facts = facts_for(athlete, workouts, monday, RULESET)
    assert facts["days_since.maximal"] == 1
    assert facts["yesterday.kind"] == "race"
    # Monday's planned session (this athlete's swim intervals) is hard: it is eased
    assert facts["plan.intensity"] == "hard"
    proposal = propose_from_history(athlete, workouts, monday, ruleset, evaluator)
    assert "no-hard-after-maximal" in [a.rule for a in proposal.adaptations]
    assert proposal.session.intensity.value != "hard"


def test_the_legs_count_as_one_hard_session_in_the_week(legs):
    athlete, workouts = legs
    # the same legs on a Wednesday, each rated by the athlete (RPE 9: maximal), seen on Friday
    wednesday = dt.date(2018, 5, 23)
    rated = [w.model_copy(update={"date": wednesday, "rpe": 9}) for w in workouts]
    facts = facts_for(athlete, rated, wednesday + dt.timedelta(days=2), RULESET)
    assert facts["week.hard_sessions"] == 1
    assert facts["days_since.maximal"] == 2
    # one more hard session on Thursday makes two
    extra = rated + [rated[2].model_copy(update={"date": wednesday + dt.timedelta(days=1), "rpe": 7,
                                                 "kind": Kind.intervals, "source": "manual", "id": None})]
    assert facts_for(athlete, extra, wednesday + dt.timedelta(days=2), RULESET)["week.hard_sessions"] == 2
