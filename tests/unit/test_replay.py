"""`coach.service.replay`: replay lists exactly the days a direct proposal per day with each
rule set differs on (a property over random histories), reads the log once, writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.engine.model import Athlete, Kind, Sport, Workout
from coach.service.memory import MemoryUnitOfWork
from coach.service.propose import propose
from coach.service.replay import RuleSide, proposals_differ, replay

END = dt.date(2026, 11, 19)
DAYS = 10
ATHLETE = Athlete(name="Ana", recent_races=[{"label": "5k", "distance_m": 5000, "time_s": 1230}], rest_days=[])


@pytest.fixture(scope="module")
def sides(tmp_path_factory):
    """The built-in rule set (old) and a copy whose load-spike threshold is lowered (new)."""
    from coach.cli.rulesets import copy_ruleset
    from coach.service.rulesets import read_rule_set

    folder = tmp_path_factory.mktemp("rules") / "edited"
    copy_ruleset(folder)
    fatigue = folder / "fatigue.yml"
    text = fatigue.read_text()
    assert "load.acwr > 1.3 and" in text
    fatigue.write_text(text.replace("load.acwr > 1.3 and", "load.acwr > 1.05 and", 1))
    old, new = read_rule_set(None), read_rule_set(folder)
    assert old.version != new.version
    return RuleSide(old, old.evaluator()), RuleSide(new, new.evaluator())


def _store(history: list[Workout]) -> MemoryUnitOfWork:
    uow = MemoryUnitOfWork()
    athlete = uow.athletes.add(ATHLETE)
    for w in history:
        uow.workouts.add(athlete.id, w)
    return uow


def _direct_differences(history: list[Workout], start: dt.date, end: dt.date, old: RuleSide,
                        new: RuleSide) -> list[dt.date]:
    """The days whose `propose` (as `coach next --date`) differs, each on a store holding only
    what was logged before that day."""
    out = []
    day = start
    while day <= end:
        before = [w for w in history if w.date < day]
        proposals = []
        for side in (old, new):
            uow = _store(before)
            proposals.append(propose(uow, uow.athletes.get("Ana"), day, side.ruleset, side.evaluator))
        if proposals_differ(*proposals):
            out.append(day)
        day += dt.timedelta(days=1)
    return out


_KINDS = [Kind.easy, Kind.steady, Kind.long, Kind.tempo, Kind.intervals, Kind.recovery]


@st.composite
def histories(draw) -> list[Workout]:
    out = []
    for n in range(1, 50 + DAYS):
        if draw(st.integers(0, 9)) < 3:
            continue  # a rest day
        kind = draw(st.sampled_from(_KINDS))
        minutes = draw(st.integers(25, 110))
        out.append(Workout(date=END - dt.timedelta(days=n), sport=Sport.run, kind=kind, duration_s=minutes * 60,
                           distance_m=minutes * 190, rpe=draw(st.integers(2, 9))))
    return sorted(out, key=lambda w: w.date)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=histories(), second=histories())
def test_replay_lists_exactly_the_days_a_direct_proposal_differs_on(sides, first, second):
    old, new = sides
    start = END - dt.timedelta(days=DAYS - 1)
    uow = _store(first)
    ben = uow.athletes.add(ATHLETE.model_copy(update={"name": "Ben"}))
    for w in second:
        uow.workouts.add(ben.id, w)
    result = replay(uow, uow.athletes.list(), start, END, old, new)
    for name, history in (("Ana", first), ("Ben", second)):
        assert [d.date for d in result.days if d.athlete == name] == \
            _direct_differences(history, start, END, old, new)
    assert [s.athlete for s in result.summaries] == ["Ana", "Ben"]
    assert all(s.days == DAYS for s in result.summaries)
    assert sum(s.changed for s in result.summaries) == len(result.days)
    assert uow.proposals.list(1) == uow.proposals.list(ben.id) == [], "nothing is written"


def test_a_lowered_threshold_changes_the_days_of_a_moderate_spike_and_names_the_rule(sides):
    old, new = sides
    history = [w for w in _calm(END) if w.date < END]
    # two extra sessions: the 7-day load is between the old and the new threshold on END
    history += [Workout(date=END - dt.timedelta(days=n), sport=Sport.run, kind=Kind.steady,
                        duration_s=50 * 60, rpe=6, distance_m=10000) for n in (3, 6)]
    uow = _store(history)
    result = replay(uow, uow.athletes.list(), END, END, old, new)
    (day,) = result.days
    assert day.date == END and day.added == ("fatigue-load-spike",)
    assert [a.rule for a in day.old.adaptations] == ["restoration-raised-load"]
    assert day.old.session.intensity == "hard" and day.new.session.intensity != "hard"
    (summary,) = result.summaries
    assert (summary.hard_old, summary.hard_new, summary.swaps) == (1, 0, 1)


def test_the_same_rule_set_changes_nothing(sides):
    old, _ = sides
    uow = _store(_calm(END))
    result = replay(uow, uow.athletes.list(), END - dt.timedelta(days=6), END, old, old)
    assert result.days == [] and result.summaries[0].days == 7


def _calm(day: dt.date) -> list[Workout]:
    from coach.service.scenario_files import baseline_history

    return baseline_history(day, 5)
