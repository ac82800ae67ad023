"""`coach why` explains the very facts `coach next` decides on, recorded watch laps included."""

from __future__ import annotations

import datetime as dt
import json

from coach.cli.main import cli
from coach.engine.model import Athlete, Kind, Rep, Sport, Workout
from coach.storage import open_store

DAY = dt.date(2026, 11, 19)


def _recorded_intervals() -> Workout:
    """Laps as a watch records them: warm-up, six 800 m reps that held their pace, jogs, a slow cool-down."""
    laps = [(2000, 660)]
    for i, seconds in enumerate([192, 193, 192, 194, 193, 194]):
        if i:
            laps.append((200, 90))
        laps.append((800, seconds))
    laps.append((1600, 600))
    reps = [Rep(index=i + 1, distance_m=m, duration_s=s) for i, (m, s) in enumerate(laps)]
    return Workout(date=DAY - dt.timedelta(days=2), sport=Sport.run, kind=Kind.intervals, rpe=8, source="fit:0f3a9c",
                   duration_s=sum(s for _, s in laps), distance_m=sum(m for m, _ in laps), reps=reps)


def test_why_and_next_see_the_same_facts_on_recorded_laps(runner, tmp_path):
    db = str(tmp_path / "coach.db")
    with open_store(db) as store, store.unit_of_work() as uow:
        athlete = uow.athletes.add(Athlete(name="Ana", recent_races=[{"label": "5k", "distance_m": 5000,
                                                                      "time_s": 1230}]))
        uow.workouts.add(athlete.id, _recorded_intervals())
        uow.commit()
    args = ["--date", DAY.isoformat(), "--json", "--db", db]
    why = runner.invoke(cli, ["why", *args])
    nxt = runner.invoke(cli, ["next", *args])
    assert why.exit_code == 0 and nxt.exit_code == 0, why.output + nxt.output
    why_facts, next_facts = json.loads(why.output)["facts"], json.loads(nxt.output)["facts"]
    assert why_facts["form.broke"] is False, "the slow cool-down lap is not a rep whose form broke"
    assert why_facts == next_facts
