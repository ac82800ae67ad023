"""`trends_for` reads workouts and proposals through a real store (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.engine.model import Adaptation, Athlete, Intensity, Kind, Proposal, Rep, Session, Sport, Workout
from coach.service.rulesets import read_rule_set
from coach.service.trends import trends_for

SETTINGS = {
    "facts": {"hard_rpe": 7, "maximal_rpe": 9, "heavy_load": 480, "long_run_minutes": 80, "form_drift_pct": 5,
              "easy_hr_window_days": 7, "calibration_pace_pct": 5},
    "intensity_of_kind": {"intervals": "hard", "easy": "easy", "long": "moderate"},
}
DAY = dt.date(2026, 3, 29)


def _proposal(day: dt.date, rule: str | None) -> Proposal:
    session = Session(sport=Sport.run, kind=Kind.easy, intensity=Intensity.easy, purpose="aerobic base")
    adaptations = [Adaptation(rule=rule, principle="P7", reason="because")] if rule else []
    return Proposal(athlete="Ana", date=day, session=session, adaptations=adaptations)


@pytest.fixture
def ana(store):
    reps = [Rep(index=i + 1, distance_m=400, duration_s=s) for i, s in enumerate((92, 96, 96, 100))]
    with store.unit_of_work() as uow:
        ana = uow.athletes.add(Athlete(name="Ana"))
        other = uow.athletes.add(Athlete(name="Bo"))
        for w in (
            Workout(date=dt.date(2026, 2, 10), sport=Sport.run, kind=Kind.easy, rpe=5, duration_s=3600, distance_m=12000),
            Workout(date=dt.date(2026, 3, 17), sport=Sport.run, kind=Kind.intervals, rpe=8, duration_s=2400,
                    distance_m=8000, reps=reps),
            Workout(date=dt.date(2026, 3, 19), sport=Sport.run, kind=Kind.easy, rpe=3, duration_s=3000, distance_m=10000),
            Workout(date=dt.date(2026, 3, 30), sport=Sport.run, kind=Kind.easy, rpe=9, duration_s=3000),  # after the day
        ):
            uow.workouts.add(ana.id, w)
        uow.workouts.add(other.id, Workout(date=dt.date(2026, 3, 18), sport=Sport.run, kind=Kind.easy, rpe=9,
                                           duration_s=6000))
        for day, rule in ((dt.date(2026, 3, 1), "old-rule"), (dt.date(2026, 3, 18), "a-rule"),
                          (dt.date(2026, 3, 20), None), (dt.date(2026, 3, 30), "late-rule")):
            uow.proposals.add(ana.id, _proposal(day, rule))
        uow.commit()
    return ana


def test_trends_for_reads_the_store(store, ana):
    with store.unit_of_work() as uow:
        t = trends_for(uow, ana, DAY, 2, SETTINGS, read_rule_set().trends)
    first, second = t.weeks
    assert first.load == 470          # 320 + 150; Bo's run is not Ana's
    # Feb 10 is more than 28 days before Mar 22: out of the chronic load, but it is the first day logged
    assert first.chronic == pytest.approx(470 / 4)
    assert second.load == 0 and second.acwr == 0
    assert t.first_logged == dt.date(2026, 2, 10)
    assert t.workouts == 2            # Mar 17 and Mar 19; Mar 30 is after the day
    assert (first.hard_sessions, first.sessions) == (1, 2)
    assert t.splits[0].reps == 4 and t.splits[0].date == dt.date(2026, 3, 17)
    assert t.proposals == 2           # Mar 18 and Mar 20
    assert [(r.rule, r.count) for r in t.adaptations] == [("a-rule", 1)]
