"""`workouts.add_many`: the bulk path stores exactly what `add` one by one stores, checks each
workout as `add` does, and writes nothing of a batch that holds a bad one (SQLite, and
PostgreSQL when configured)."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.engine.errors import InvalidInput
from coach.engine.model import Athlete, Workout
from tests.integration.test_workout_reads import DAY, workouts


def _without_ids(listed: list[Workout]) -> list[dict]:
    return [w.model_dump(exclude={"id"}) for w in listed]


def test_add_many_stores_what_add_stores(store):
    with store.unit_of_work() as uow:
        one = uow.athletes.add(Athlete(name="One by one"))
        bulk = uow.athletes.add(Athlete(name="Bulk"))
        for w in workouts():
            uow.workouts.add(one.id, w)
        assert uow.workouts.add_many(bulk.id, workouts()) == 3
        uow.commit()
    with store.unit_of_work() as uow:
        by_add, by_many = uow.workouts.list(one.id), uow.workouts.list(bulk.id)
    assert len(by_many) == 3
    assert _without_ids(by_many) == _without_ids(by_add)
    assert [len(w.reps) for w in by_many] == [1, 0, 2]
    assert len({w.id for w in by_many} | {w.id for w in by_add}) == 6


def test_add_many_writes_nothing_when_one_workout_is_implausible(store):
    bad = Workout(date=DAY, sport="run", duration_s=3600, elevation_gain_m=1e9)
    with store.unit_of_work() as uow:
        ana = uow.athletes.add(Athlete(name="Ana"))
        uow.commit()
    with store.unit_of_work() as uow:
        with pytest.raises(InvalidInput, match=r"workout 3 \(2026-11-20\): elevation_gain_m"):
            uow.workouts.add_many(ana.id, [*workouts()[1:], bad])
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.workouts.list(ana.id) == []


def test_add_many_refuses_a_dedupe_key_already_logged_or_repeated(store):
    first = workouts()[0]
    with store.unit_of_work() as uow:
        ana = uow.athletes.add(Athlete(name="Ana"))
        uow.workouts.add(ana.id, first)
        with pytest.raises(InvalidInput, match="workout 1: .*already logged"):
            uow.workouts.add_many(ana.id, [first])
        again = first.model_copy(update={"date": DAY - dt.timedelta(days=9)})
        with pytest.raises(InvalidInput, match="workout 2: .*already logged"):
            uow.workouts.add_many(ana.id, [again.model_copy(update={"dedupe_key": "k"}),
                                          again.model_copy(update={"dedupe_key": "k"})])
        uow.commit()
    with store.unit_of_work() as uow:
        assert len(uow.workouts.list(ana.id)) == 1
