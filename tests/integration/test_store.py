"""Repositories and the unit of work on a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, text

from coach.engine.errors import InvalidInput, NotFound
from coach.engine.model import (
    Adaptation, Athlete, Block, Proposal, RaceResult, Rep, Session, Workout,
)

DAY = dt.date(2026, 11, 20)


def full_workout(**changes) -> Workout:
    data = dict(
        date=DAY, start_time=dt.datetime(2026, 11, 20, 6, 30, tzinfo=dt.timezone.utc), sport="run",
        kind="intervals", kind_inferred=True, distance_m=8000.5, duration_s=2400.25, elapsed_s=2530, rpe=8,
        avg_hr=152, max_hr=178, cadence=171.5, elevation_gain_m=45.5, soreness=3, sleep_h=7.5,
        notes="windy, 'quoted' \u00e9", form_broke_at=2, source="fit", dedupe_key="fit:abc",
        reps=[Rep(index=1, distance_m=400, duration_s=88.5, target_pace_s_per_km=220, actual_pace_s_per_km=221.25,
                  avg_hr=160, cadence=180),
              Rep(index=2, distance_m=400, duration_s=91)],
    )
    data.update(changes)
    return Workout(**data)


def add_athlete(store, name="Ana", **fields) -> Athlete:
    with store.unit_of_work() as uow:
        athlete = uow.athletes.add(Athlete(name=name, **fields))
        uow.commit()
    return athlete


def test_workout_round_trips_every_field(store):
    ana = add_athlete(store)
    original = full_workout()
    with store.unit_of_work() as uow:
        saved = uow.workouts.add(ana.id, original)
        uow.commit()
    with store.unit_of_work() as uow:
        [loaded] = uow.workouts.list(ana.id)
    assert loaded == original.model_copy(update={"id": saved.id})
    assert loaded.start_time.tzinfo is not None


def test_start_time_with_offset_is_kept_as_the_same_instant(store):
    ana = add_athlete(store)
    local = dt.datetime(2026, 11, 20, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    with store.unit_of_work() as uow:
        uow.workouts.add(ana.id, Workout(date=DAY, sport="run", start_time=local))
        uow.commit()
    with store.unit_of_work() as uow:
        [loaded] = uow.workouts.list(ana.id)
    assert loaded.start_time == local and loaded.start_time.utcoffset() == dt.timedelta(0)


def test_athlete_round_trip_update_and_lookup(store):
    ana = add_athlete(store, sport="triathlon", goal="70.3", race_date=dt.date(2027, 6, 1), units="mi",
                      email="ana@example.org", rest_days=["mon", "fri"],
                      recent_races=[RaceResult(label="5k", distance_m=5000, time_s=1230, date=dt.date(2026, 10, 1))])
    with store.unit_of_work() as uow:
        assert uow.athletes.get("ANA") == ana
        assert uow.athletes.resolve(None) == ana
        changed = Athlete.model_validate({**ana.model_dump(), "goal": "ironman", "recent_races": [], "rest_days": []})
        uow.athletes.update(changed)
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.athletes.get("Ana") == changed


def test_a_triathletes_days_round_trip_and_clear_back_to_the_default_week(store):
    tri = add_athlete(store, sport="triathlon", goal="olympic", rest_days=["mon"],
                      swim_days=["tue", "fri"], bike_days=["wed", "sat", "sun"], long_ride_day="sun")
    with store.unit_of_work() as uow:
        got = uow.athletes.get("Ana")
        assert got == tri
        assert ([d.value for d in got.swim_days], [d.value for d in got.bike_days], got.long_ride_day.value) \
            == (["tue", "fri"], ["wed", "sat", "sun"], "sun")
        uow.athletes.update(got.model_copy(update={"swim_days": None, "bike_days": None, "long_ride_day": None}))
        uow.commit()
    with store.unit_of_work() as uow:
        got = uow.athletes.get("Ana")
        assert (got.swim_days, got.bike_days, got.long_ride_day) == (None, None, None)


def test_athlete_errors(store):
    with store.unit_of_work() as uow:
        with pytest.raises(NotFound, match="no athlete yet"):
            uow.athletes.resolve(None)
    add_athlete(store, "Ana")
    add_athlete(store, "Ben")
    with store.unit_of_work() as uow:
        with pytest.raises(InvalidInput, match=r"several athletes in this store \(Ana, Ben\)"):
            uow.athletes.resolve(None)
        with pytest.raises(NotFound, match=r"no athlete named 'Cleo' \(known: Ana, Ben\)"):
            uow.athletes.get("Cleo")
        with pytest.raises(InvalidInput, match="already exists"):
            uow.athletes.add(Athlete(name="ana"))
        assert [a.name for a in uow.athletes.list()] == ["Ana", "Ben"]


def test_nothing_is_written_without_commit(store):
    ana = add_athlete(store)
    with store.unit_of_work() as uow:
        uow.workouts.add(ana.id, full_workout())
    with pytest.raises(RuntimeError):
        with store.unit_of_work() as uow:
            uow.workouts.add(ana.id, full_workout(dedupe_key="other"))
            raise RuntimeError("boom")
    with store.unit_of_work() as uow:
        assert uow.workouts.list(ana.id) == []


def test_database_enforces_ranges(store):
    ana = add_athlete(store)
    with store.engine.connect() as conn:
        with pytest.raises(Exception, match="(?i)check"):
            conn.execute(text("INSERT INTO workouts (athlete_id, date, sport, kind_inferred, source, rpe, created_at) "
                              "VALUES (:a, '2026-11-20', 'run', false, 'x', 11, '2026-11-20')"), {"a": ana.id})


def test_dedupe_key_is_unique_per_athlete(store):
    ana, ben = add_athlete(store, "Ana"), add_athlete(store, "Ben")
    with store.unit_of_work() as uow:
        uow.workouts.add(ana.id, full_workout())
        uow.workouts.add(ben.id, full_workout())
        with pytest.raises(InvalidInput, match="dedupe key 'fit:abc' is already logged"):
            uow.workouts.add(ana.id, full_workout())
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.workouts.find_by_dedupe_key(ana.id, "fit:abc").rpe == 8
        assert uow.workouts.find_by_dedupe_key(ana.id, "nope") is None
        assert uow.workouts.dedupe_keys(ben.id) == {"fit:abc"}


def test_list_order_and_date_bounds(store):
    ana = add_athlete(store)
    t = dt.datetime(2026, 11, 20, 18, 0, tzinfo=dt.timezone.utc)
    items = [
        Workout(date=DAY, sport="run", notes="evening", start_time=t),
        Workout(date=DAY, sport="run", notes="no time"),
        Workout(date=DAY, sport="swim", notes="morning", start_time=t - dt.timedelta(hours=10)),
        Workout(date=DAY - dt.timedelta(days=1), sport="run", notes="day before"),
        Workout(date=DAY + dt.timedelta(days=1), sport="run", notes="day after"),
    ]
    with store.unit_of_work() as uow:
        for w in items:
            uow.workouts.add(ana.id, w)
        uow.commit()
    with store.unit_of_work() as uow:
        assert [w.notes for w in uow.workouts.list(ana.id)] == ["day before", "morning", "evening", "no time", "day after"]
        assert [w.notes for w in uow.workouts.list(ana.id, since=DAY, until=DAY)] == ["morning", "evening", "no time"]
        assert [w.notes for w in uow.workouts.between(ana.id, DAY, DAY + dt.timedelta(days=1))] == [
            "morning", "evening", "no time"]


def test_between_many_is_two_queries_whatever_the_athlete_count(store):
    ids = []
    with store.unit_of_work() as uow:
        for n in range(30):
            a = uow.athletes.add(Athlete(name=f"Runner {n:02d}"))
            ids.append(a.id)
            for d in range(n % 4):
                uow.workouts.add(a.id, full_workout(date=DAY - dt.timedelta(days=d), dedupe_key=None))
        uow.commit()
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(store.engine, "before_cursor_execute", listener)
    try:
        with store.unit_of_work() as uow:
            found = uow.workouts.between_many(ids + [999999], DAY - dt.timedelta(days=2), DAY + dt.timedelta(days=1))
    finally:
        event.remove(store.engine, "before_cursor_execute", listener)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 2
    assert set(found) == set(ids) | {999999}
    assert [len(found[i]) for i in ids] == [min(n % 4, 3) for n in range(30)]
    assert all(len(w.reps) == 2 for ws in found.values() for w in ws)


def proposal(day, kind="easy", reason="because") -> Proposal:
    return Proposal(
        athlete="Ana", date=day,
        session=Session(sport="run", kind=kind, intensity="easy", purpose="aerobic base",
                        blocks=[Block(phase="main", description="40 min easy", duration_s=2400)],
                        total_duration_s=2400, total_distance_m=7000),
        adaptations=[Adaptation(rule="fatigue-swap", principle="P7", reason=reason)],
        facts={"load.acwr": 1.42, "plan.intensity": "hard", "form.broke": True},
        rules_version="abc123",
    )


def test_proposals_one_per_day_replaced_and_delivered(store):
    ana = add_athlete(store)
    with store.unit_of_work() as uow:
        first_id = uow.proposals.add(ana.id, proposal(DAY))
        uow.proposals.mark_delivered(ana.id, DAY, dt.datetime(2026, 11, 20, 5, 0, tzinfo=dt.timezone.utc))
        uow.proposals.add(ana.id, proposal(DAY + dt.timedelta(days=1)))
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.proposals.get(ana.id, DAY) == proposal(DAY)
        assert uow.proposals.delivered_at(ana.id, DAY) == dt.datetime(2026, 11, 20, 5, 0, tzinfo=dt.timezone.utc)
        again = uow.proposals.add(ana.id, proposal(DAY, kind="steady", reason="changed"))
        uow.commit()
    assert again == first_id
    with store.unit_of_work() as uow:
        assert uow.proposals.get(ana.id, DAY).session.kind.value == "steady"
        assert uow.proposals.delivered_at(ana.id, DAY) is None
        assert [p.date for p in uow.proposals.list(ana.id)] == [DAY, DAY + dt.timedelta(days=1)]
        assert [p.date for p in uow.proposals.list(ana.id, since=DAY + dt.timedelta(days=1))] == [DAY + dt.timedelta(days=1)]
        assert uow.proposals.get(ana.id, DAY - dt.timedelta(days=1)) is None
        with pytest.raises(NotFound):
            uow.proposals.mark_delivered(ana.id, DAY - dt.timedelta(days=1))
