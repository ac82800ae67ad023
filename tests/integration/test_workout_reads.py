"""Workouts read back from the store (SQLite, and PostgreSQL when configured) are built without
validating them a second time: they must be exactly what validation would have built, field
by field and type by type, and behave like any other model afterwards."""

from __future__ import annotations

import datetime as dt
import gc

import pytest

from coach.engine.model import Athlete, Kind, Rep, Sport, Workout

DAY = dt.date(2026, 11, 20)


def workouts() -> list[Workout]:
    full = Workout(
        date=DAY, start_time=dt.datetime(2026, 11, 20, 6, 30, tzinfo=dt.timezone.utc), sport="run",
        kind="intervals", kind_inferred=True, distance_m=8000.5, duration_s=2400.25, elapsed_s=2530, rpe=8,
        avg_hr=152, max_hr=178, cadence=171.5, elevation_gain_m=45.5, soreness=3, sleep_h=7.5,
        notes="windy", form_broke_at=2, source="fit:abc", dedupe_key="run@2026-11-20T06:30Z",
        reps=[Rep(index=1, distance_m=400, duration_s=88.5, target_pace_s_per_km=220, actual_pace_s_per_km=221.25,
                  avg_hr=160, cadence=180),
              Rep(index=2, distance_m=400, duration_s=91)],
    )
    bare = Workout(date=DAY - dt.timedelta(days=1), sport="bike")  # every optional field unset
    whole_numbers = Workout(date=DAY - dt.timedelta(days=2), sport="swim", kind="easy", distance_m=1500,
                            duration_s=1800, sleep_h=8, reps=[Rep(index=1, distance_m=100, duration_s=95)])
    return [full, bare, whole_numbers]


@pytest.fixture
def stored(store):
    with store.unit_of_work() as uow:
        ana = uow.athletes.add(Athlete(name="Ana"))
        for w in workouts():
            uow.workouts.add(ana.id, w)
        uow.commit()
    return store, ana.id


def _same_types(read, validated) -> None:
    for name in type(validated).model_fields:
        got, want = getattr(read, name), getattr(validated, name)
        assert got == want, name
        assert type(got) is type(want), (name, type(got), type(want))
    assert read.model_fields_set == validated.model_fields_set


def test_every_field_has_the_type_validation_gives(stored):
    store, athlete_id = stored
    with store.unit_of_work() as uow:
        lists = [uow.workouts.list(athlete_id),
                 uow.workouts.between_many([athlete_id], DAY - dt.timedelta(days=7), DAY + dt.timedelta(days=1))[athlete_id]]
    for read in lists:
        assert [w.sport for w in read] == [Sport.swim, Sport.bike, Sport.run]
        for w in read:
            validated = Workout.model_validate(w.model_dump())
            _same_types(w, validated)
            for rep, rep_validated in zip(w.reps, validated.reps, strict=True):
                _same_types(rep, rep_validated)
    full = lists[0][-1]
    assert full.kind is Kind.intervals and full.start_time.tzinfo is not None


def test_read_workouts_behave_like_validated_ones(stored):
    store, athlete_id = stored
    with store.unit_of_work() as uow:
        bare, full = uow.workouts.list(athlete_id)[1:]
    bare.rpe = 6  # assignment is still validated ...
    assert bare.rpe == 6 and "rpe" in bare.model_fields_set
    with pytest.raises(ValueError):
        bare.rpe = 11
    bare.reps.append(Rep(index=1, distance_m=100, duration_s=20))  # ... and lists are not shared
    assert full.reps[0].index == 1 and len(full.reps) == 2
    with store.unit_of_work() as uow:
        assert all(not w.reps for w in uow.workouts.list(athlete_id) if w.sport == Sport.bike)
    copy = full.model_copy(update={"rpe": 4})
    assert copy.rpe == 4 and full.rpe == 8
    assert Workout.model_validate_json(full.model_dump_json()) == full
    every = set(Workout.model_fields)
    assert bare.model_fields_set == full.model_fields_set == copy.model_fields_set == every
    assert full.model_dump(exclude_unset=True) == full.model_dump()


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_leaves_the_cycle_collector_as_it_found_it(stored, enabled, monkeypatch):
    from coach.storage import repository

    store, athlete_id = stored
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with store.unit_of_work() as uow:
            assert len(uow.workouts.list(athlete_id)) == 3
            assert gc.isenabled() is enabled
            monkeypatch.setattr(repository, "_SPORTS", {})  # a failure halfway through building
            with pytest.raises(KeyError):
                uow.workouts.list(athlete_id)
            assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_races_between_many_reads_only_races_and_time_trials_of_the_window(store):
    with store.unit_of_work() as uow:
        ana = uow.athletes.add(Athlete(name="Ana"))
        bo = uow.athletes.add(Athlete(name="Bo"))
        for days, kind in ((100, "race"), (90, "time_trial"), (95, "intervals"), (300, "race"), (10, "race")):
            uow.workouts.add(ana.id, Workout(date=DAY - dt.timedelta(days=days), sport="run", kind=kind,
                                             distance_m=5000, duration_s=1200))
        uow.commit()
    with store.unit_of_work() as uow:
        found = uow.workouts.races_between_many([ana.id, bo.id], DAY - dt.timedelta(days=180),
                                                DAY - dt.timedelta(days=56))
    assert found[bo.id] == []
    assert [((DAY - w.date).days, w.kind) for w in found[ana.id]] == [(100, Kind.race), (90, Kind.time_trial)]
