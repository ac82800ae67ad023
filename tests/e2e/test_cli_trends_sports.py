"""`coach trends` shows load per sport once rides or swims are logged (issue 14)."""

from __future__ import annotations

import datetime as dt
import json

from cli_kit import run
from test_cli_trends import DAY, _make_db

from coach.engine.model import Kind, Sport, Workout
from coach.storage import open_store


def test_rides_swims_and_a_brick_give_the_load_per_sport(runner, tmp_path):
    db = _make_db(tmp_path / "coach.db")
    with open_store(db) as store, store.unit_of_work() as uow:
        ana = uow.athletes.get("Ana")
        for day, sport, minutes, rpe in ((24, Sport.bike, 60, 5), (26, Sport.swim, 40, 5), (28, Sport.brick, 80, 6)):
            uow.workouts.add(ana.id, Workout(date=dt.date(2026, 3, day), sport=sport, kind=Kind.steady,
                                             duration_s=minutes * 60, rpe=rpe))
        uow.commit()
    data = json.loads(run(runner, "trends", "--db", db, "--date", DAY, "--weeks", "2", "--json").output)
    week = data["weeks"][1]
    # runs 555 AU; ride 300; swim 200; brick 480: 120 run, 360 bike (25 % run)
    assert week["load_by_sport"] == {"run": 675.0, "bike": 660.0, "swim": 200.0}
    assert week["load"] == 555 + 300 + 200 + 480
    out = run(runner, "trends", "--db", db, "--date", DAY, "--weeks", "2").output
    table = out[out.index("Load per sport"):].split("\n\n")[0]
    assert "2026-03-29" in table and "675" in table and "660" in table
    assert "44" in table and "43" in table and "13" in table  # shares of 1,535 AU
    assert max(len(line.rstrip()) for line in table.splitlines()) <= 80


def test_a_runner_sees_no_sport_table(runner, tmp_path):
    db = _make_db(tmp_path / "coach.db")
    out = run(runner, "trends", "--db", db, "--date", DAY, "--weeks", "2").output
    assert "Load per sport" not in out
