"""Check-ins, athlete physiology and workout power in the store (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

from coach.engine.model import Athlete, Checkin, Physiology, Sport, Workout

D = dt.date(2026, 11, 20)


def test_checkins_put_replace_and_read_by_window(store):
    with store.unit_of_work() as uow:
        a = uow.athletes.add(Athlete(name="A"))
        b = uow.athletes.add(Athlete(name="B"))
        assert uow.checkins.put(a.id, Checkin(date=D, sleep_h=7.5, hrv_ms=61.5, feel=4))[1] is False
        assert uow.checkins.put(a.id, Checkin(date=D, sick=True, note="flu"))[1] is True
        uow.checkins.put(a.id, Checkin(date=D - dt.timedelta(days=3), resting_hr=47))
        uow.checkins.put(b.id, Checkin(date=D, injured=True))
        uow.commit()
    with store.unit_of_work() as uow:
        got = uow.checkins.between(a.id, D - dt.timedelta(days=5), D + dt.timedelta(days=1))
        assert [(c.date, c.sick, c.sleep_h, c.resting_hr, c.note) for c in got] == [
            (D - dt.timedelta(days=3), False, None, 47, None), (D, True, None, None, "flu")]
        many = uow.checkins.between_many([a.id, b.id], D, D + dt.timedelta(days=1))
        assert [c.sick for c in many[a.id]] == [True] and [c.injured for c in many[b.id]] == [True]
        assert uow.checkins.get(b.id, D - dt.timedelta(days=1)) is None


def test_physiology_and_power_round_trip(store):
    phys = Physiology(sex="female", hr_max=188, hr_rest=46, threshold_hr=170, ftp_w=231.5, css_s_per_100m=98.0,
                      threshold_pace_s_per_km=262.0)
    with store.unit_of_work() as uow:
        a = uow.athletes.add(Athlete(name="A", physiology=phys))
        saved = uow.workouts.add(a.id, Workout(date=D, sport=Sport.bike, duration_s=3600, avg_power_w=201.0))
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.athletes.get("A").physiology == phys
        assert uow.workouts.get(a.id, saved.id).avg_power_w == 201.0
