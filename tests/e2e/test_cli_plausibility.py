"""Plausibility (issue 13): what cannot be true is refused with the reason and the field, exit
1 and nothing written; --force where a real case exists. The limits live in
engine/plausibility.py and serve `coach log`, CSV imports and `coach athlete set`."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from coach.engine import plausibility as P
from cli_kit import run



@pytest.fixture
def db(runner, sqlite_url):
    run(runner, "init", "--db", sqlite_url, "--name", "Ana", "--recent-race", "5k=20:30")
    return sqlite_url


def logged(runner, db):
    return json.loads(run(runner, "history", "--db", db, "--since", "all", "--json").output)["workouts"]


def races(runner, db):
    return json.loads(run(runner, "athlete", "show", "--db", db, "--json").output)["recent_races"]


TOMORROW = dt.date.today() + dt.timedelta(days=1)
LATER = dt.date.today() + dt.timedelta(days=2)


@pytest.mark.parametrize("args, message", [
    (("--distance", "10km", "--duration", "5:00"),
     "Error: --duration: 0:30/km over 10 km is faster than the world record pace for that distance (2:37/km)"),
    (("--kind", "race", "--distance", "5km", "--duration", "12:00"),
     "Error: --duration: 2:24/km over 5 km is faster than the world record pace"),
    (("--date", LATER.isoformat(), "--duration", "30:00"), f"Error: --date: {LATER.isoformat()} is in the future"),
    (("--duration", "30:00", "--avg-hr", "251"), "Error: --avg-hr: 251 bpm is over 250"),
    (("--duration", "30:00", "--max-hr", "255"), "Error: --max-hr: 255 bpm is over 250"),
    (("--duration", "30:00", "--avg-hr", "175", "--max-hr", "170"), "Error: --avg-hr: 175 bpm is above the maximum"),
])
def test_log_refuses_what_cannot_be_true(runner, db, args, message):
    result = run(runner, "log", "--db", db, *args, ok=False)
    assert result.exit_code == 1 and result.output.startswith(message), result.output
    assert logged(runner, db) == []


def test_force_accepts_a_pace_but_never_a_future_date(runner, db):
    run(runner, "log", "--db", db, "--distance", "10km", "--duration", "25:00", "--force")
    assert len(logged(runner, db)) == 1
    result = run(runner, "log", "--db", db, "--date", LATER.isoformat(), "--duration", "30:00", "--force", ok=False)
    assert result.exit_code == 1 and "is in the future" in result.output
    run(runner, "log", "--db", db, "--date", TOMORROW.isoformat(), "--duration", "30:00")  # time zones
    assert len(logged(runner, db)) == 2


@pytest.mark.parametrize("race, message", [
    ("5k=2:00", "Error: --recent-race: 0:24/km over 5 km is faster than the world record pace"),
    ("5k=1:05:00", "Error: --recent-race: 5k in 1:05:00 implies VDOT 11, outside the range the pace model covers (15-90)"),
    (f"10k=40:00@{LATER.isoformat()}", f"Error: --recent-race: {LATER.isoformat()} is in the future"),
])
def test_athlete_set_refuses_impossible_races(runner, db, race, message):
    result = run(runner, "athlete", "set", "--db", db, "--recent-race", race, ok=False)
    assert result.exit_code == 1 and result.output.startswith(message), result.output
    assert [r["time_s"] for r in races(runner, db)] == [1230.0]


def test_athlete_set_force_accepts_a_slow_race(runner, db):
    run(runner, "athlete", "set", "--db", db, "--recent-race", "5k=1:05:00", "--force")
    assert [r["time_s"] for r in races(runner, db)] == [3900.0]


def test_csv_lines_are_refused_with_file_and_line(runner, db, tmp_path):
    path = tmp_path / "runs.csv"
    path.write_text("date,sport,distance,duration,avg_hr\n2026-11-02,run,10km,50:00,150\n"
                    "2026-11-03,run,10km,5:00,150\n")
    result = run(runner, "import", path, "--db", db, ok=False)
    assert result.exit_code == 1
    assert result.output.startswith("Error: runs.csv:3: duration: 0:30/km over 10 km is faster than the world record")
    assert logged(runner, db) == []


def test_world_record_paces_follow_the_records():
    # World Athletics: 5000 m 12:35.36, marathon 2:00:35
    assert P.record_pace(5000) == pytest.approx(755.36 / 5)
    assert P.record_pace(42195) == pytest.approx(7235 / 42.195)
    assert P.record_pace(5000) < P.record_pace(8000) < P.record_pace(10000)
    P.check_run_pace(5000, 755.36)  # the record itself is possible
    with pytest.raises(P.Implausible):
        P.check_run_pace(5000, 740)
