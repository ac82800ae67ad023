"""The planned-against-done use cases (`coach.service.compliance`) over the in-memory store (`coach.service.memory`)."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.engine.model import Athlete, Kind, Proposal, Session, Sport, Workout
from coach.service.compliance import propose_unless_done, weeks_against_plan, workouts_against_plan
from coach.service.memory import MemoryData, MemoryUnitOfWork

DAY = dt.date(2026, 11, 19)  # a Thursday
HARD = Session(sport="run", kind="intervals", intensity="hard", purpose="p", total_duration_s=3600)


def _run(day: dt.date, minutes: float, kind: Kind = Kind.intervals, rpe: int = 8) -> Workout:
    return Workout(date=day, sport=Sport.run, kind=kind, duration_s=minutes * 60, rpe=rpe)


@pytest.fixture
def data() -> MemoryData:
    d = MemoryData()
    with MemoryUnitOfWork(d) as uow:
        ana = uow.athletes.add(Athlete(name="Ana", recent_races=[{"label": "5k", "distance_m": 5000, "time_s": 1230}]))
        for n in (3, 2):
            uow.proposals.add(ana.id, Proposal(athlete="Ana", date=DAY - dt.timedelta(days=n), session=HARD))
        uow.workouts.add(ana.id, _run(DAY - dt.timedelta(days=3), 62))   # green
        uow.workouts.add(ana.id, _run(DAY - dt.timedelta(days=4), 40, Kind.easy, 3))  # no proposal that day
        uow.commit()
    return d


def test_workouts_are_held_against_the_stored_proposal_of_their_day(data, default_rules):
    ruleset, _ = default_rules
    with MemoryUnitOfWork(data) as uow:
        ana = uow.athletes.get("Ana")
        workouts = uow.workouts.list(ana.id)
        held = workouts_against_plan(uow, ana, workouts, None, None, ruleset)
    by_day = {w.date: c for w, c in zip(workouts, held)}
    assert by_day[DAY - dt.timedelta(days=4)] is None
    assert by_day[DAY - dt.timedelta(days=3)].colour == "green"
    assert by_day[DAY - dt.timedelta(days=3)].volume_pct == pytest.approx(103.3, abs=0.1)


def test_the_week_counts_a_proposed_day_without_a_workout_as_missed(data, default_rules):
    ruleset, _ = default_rules
    week = (DAY - dt.timedelta(days=3), DAY + dt.timedelta(days=3))
    with MemoryUnitOfWork(data) as uow:
        (result,) = weeks_against_plan(uow, uow.athletes.get("Ana"), [week], DAY, ruleset)
    assert (result["green"], result["missed"], result["green_pct"]) == (1, 1, 50)


def test_a_day_already_done_proposes_the_next_day_and_saves_both(data, default_rules):
    ruleset, evaluator = default_rules
    with MemoryUnitOfWork(data) as uow:
        ana = uow.athletes.get("Ana")
        uow.workouts.add(ana.id, _run(DAY, 45))
        proposal, done = propose_unless_done(uow, ana, DAY, ruleset, evaluator)
        uow.commit()
    assert proposal.date == DAY + dt.timedelta(days=1)
    assert done == "run intervals (45 min)"
    assert {(ana.id, DAY), (ana.id, DAY + dt.timedelta(days=1))} <= set(data.proposals)
    with MemoryUnitOfWork(data) as uow:
        again, done = propose_unless_done(uow, ana, DAY, ruleset, evaluator, again=True)
    assert again.date == DAY and done is None


def test_a_day_not_done_is_proposed_as_before(data, default_rules):
    ruleset, evaluator = default_rules
    with MemoryUnitOfWork(data) as uow:
        proposal, done = propose_unless_done(uow, uow.athletes.get("Ana"), DAY, ruleset, evaluator)
    assert proposal.date == DAY and done is None
