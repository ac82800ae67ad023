"""`python -m coach.cli.demo`: Demo Runner with six weeks of history, idempotent."""

from __future__ import annotations

import datetime as dt
import json

from coach.cli.demo import NAME, build_demo, demo_command
from coach.cli.main import cli
from coach.storage import open_store

TODAY = dt.date(2026, 11, 25)  # a Wednesday


def test_history_is_realistic_and_ends_yesterday(sqlite_url):
    with open_store(sqlite_url) as store:
        created, added, kept = build_demo(store, TODAY)
        with store.unit_of_work() as uow:
            athlete = uow.athletes.get(NAME)
            workouts = uow.workouts.list(athlete.id)
    assert (created, added, kept) == (True, len(workouts), 0)
    assert (athlete.goal.value, [d.value for d in athlete.rest_days], athlete.email) == ("5k", ["sun"],
                                                                                         "demo.runner@example.org")
    [race] = [w for w in workouts if w.kind and w.kind.value == "race"]
    assert [(r.label, r.time_s, r.date) for r in athlete.recent_races] == [("5k", 1230.0, race.date)]
    assert workouts[-1].date == TODAY - dt.timedelta(days=1)
    assert (TODAY - workouts[0].date).days >= 42
    assert not any(w.date.weekday() == 6 for w in workouts)  # Sundays are rest days
    kinds = {w.kind.value for w in workouts}
    assert {"intervals", "tempo", "easy", "long", "recovery", "race"} <= kinds
    intervals = [w for w in workouts if w.kind.value == "intervals"]
    assert all(len(w.reps) == 6 and all(r.duration_s and r.avg_hr for r in w.reps) for w in intervals)
    broke = [w for w in workouts if w.form_broke_at]
    assert len(broke) == 1 and broke[0] is intervals[-1] and broke[0].form_broke_at == 5
    early = sum(r.duration_s for r in broke[0].reps[:3]) / 3
    assert broke[0].reps[5].duration_s > early * 1.05
    assert all(w.rpe and w.sleep_h and w.avg_hr and w.soreness is not None for w in workouts)


def test_running_again_adds_nothing_and_a_later_day_adds_the_new_days(sqlite_url):
    with open_store(sqlite_url) as store:
        _, first, _ = build_demo(store, TODAY)
        assert build_demo(store, TODAY) == (False, 0, first)
        created, added, kept = build_demo(store, TODAY + dt.timedelta(days=2))
        assert (created, kept) == (False, first) and added >= 1
        with store.unit_of_work() as uow:
            assert len(uow.athletes.list()) == 1


def test_command_then_history(runner, tmp_path):
    db = str(tmp_path / "demo.db")
    result = runner.invoke(demo_command, ["--db", db], catch_exceptions=False)
    assert result.exit_code == 0 and result.output.startswith(f"Created {NAME} in {db}: ")
    again = runner.invoke(demo_command, ["--db", db], catch_exceptions=False)
    assert "0 workouts added" in again.output
    out = runner.invoke(cli, ["history", "--db", db, "--since", "14", "--json"], catch_exceptions=False).output
    data = json.loads(out)
    assert data["athlete"] == NAME and 8 <= len(data["workouts"]) <= 14
