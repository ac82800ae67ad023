"""Synthetic training logs for the benchmark: deterministic, realistic in shape.

A week of daily training: intervals with 6 x 800 m reps, easy, tempo, easy, recovery,
long run, easy. Values vary a little with the date and the athlete so that no two weeks
are identical.
"""

from __future__ import annotations

import datetime as dt

from coach.engine.model import Athlete, Kind, Rep, Sport, Workout

_WEEK = (
    (Kind.intervals, 50, 8, 10.0),
    (Kind.easy, 45, 3, 8.5),
    (Kind.tempo, 50, 7, 11.0),
    (Kind.easy, 40, 3, 7.5),
    (Kind.recovery, 30, 2, 5.0),
    (Kind.long, 100, 5, 19.0),
    (Kind.easy, 45, 3, 8.5),
)


def athlete(name: str, seed: int = 0) -> Athlete:
    return Athlete(name=name, rest_days=[], recent_races=[
        {"label": "5k", "distance_m": 5000, "time_s": 1140 + seed % 240}])


def daily_log(end: dt.date, days: int, seed: int = 0, rest_weekdays: tuple[int, ...] = ()) -> list[Workout]:
    """Workouts on the `days` days before `end`, oldest first, none on `rest_weekdays` (0 = Monday)."""
    out = []
    for n in range(days, 0, -1):
        day = end - dt.timedelta(days=n)
        if day.weekday() in rest_weekdays:
            continue
        kind, minutes, rpe, km = _WEEK[day.weekday()]
        wobble = ((day.toordinal() * 7 + seed * 13) % 11 - 5) / 100.0  # -5 % .. +5 %
        reps = []
        if kind == Kind.intervals:
            reps = [Rep(index=i + 1, distance_m=800, duration_s=(192 + i * 0.6) * (1 + wobble),
                        target_pace_s_per_km=240) for i in range(6)]
        out.append(Workout(date=day, sport=Sport.run, kind=kind, duration_s=minutes * 60 * (1 + wobble),
                           distance_m=km * 1000, rpe=rpe, avg_hr=140 + (10 if rpe >= 7 else 0),
                           sleep_h=7.5, soreness=2, reps=reps))
    return out
