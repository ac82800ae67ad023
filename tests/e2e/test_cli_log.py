"""`coach init`, `coach log` and `coach history` through the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cli_kit import run



def history_json(runner, db, *extra):
    return json.loads(run(runner, "history", "--db", db, "--since", "all", "--json", *extra).output)


def test_every_workout_field_round_trips(runner, db_url):
    run(runner, "init", "--db", db_url, "--name", "Ana", "--sport", "triathlon", "--goal", "olympic",
        "--race-date", "2027-06-13", "--recent-race", "5k=20:30@2026-10-01", "--recent-race", "10k=43:10",
        "--rest-day", "sun", "--rest-day", "wed", "--units", "mi", "--email", "ana@example.org",
        "--long-run-day", "sat", "--days-per-week", "4", "--ftp", "250", "--css", "1:45",
        "--swim-days", "mon,thu", "--bike-days", "tue", "--long-ride-day", "fri")
    out = run(runner, "log", "--db", db_url, "--date", "2026-11-20", "--start", "2026-11-20T07:30:00+01:00",
              "--sport", "run", "--kind", "intervals", "--distance", "8km", "--duration", "40:00",
              "--elapsed", "42:30", "--rpe", "8", "--avg-hr", "152", "--max-hr", "178", "--cadence", "172",
              "--elevation", "45m", "--soreness", "3", "--sleep", "7.5", "--splits", "1:28,1:29,1:31,1:36",
              "--rep-distance", "400m", "--target-pace", "3:40/km", "--rep-hr", "160,163,166,171",
              "--form-broke-at", "4", "--notes", "windy; last rep ugly").output
    assert out.startswith("Logged #1 for Ana: 2026-11-20 run intervals 5.0 mi in 40:00")
    data = history_json(runner, db_url)
    assert data["athlete"] == "Ana"
    [w] = data["workouts"]
    reps = w.pop("reps")
    assert w == {
        "id": 1, "date": "2026-11-20", "start_time": "2026-11-20T06:30:00Z", "sport": "run", "kind": "intervals",
        "kind_inferred": False, "distance_m": 8000.0, "duration_s": 2400.0, "elapsed_s": 2550.0, "rpe": 8,
        "avg_hr": 152, "max_hr": 178, "cadence": 172.0, "elevation_gain_m": 45.0, "soreness": 3, "sleep_h": 7.5,
        "notes": "windy; last rep ugly", "form_broke_at": 4, "source": "manual", "dedupe_key": None,
        "avg_power_w": None, "load": 320.0, "load_method": "rpe",
        "compliance": None,  # no proposal stored for that day
    }
    assert [(r["index"], r["duration_s"], r["distance_m"], r["avg_hr"]) for r in reps] == [
        (1, 88.0, 400.0, 160), (2, 89.0, 400.0, 163), (3, 91.0, 400.0, 166), (4, 96.0, 400.0, 171)]
    assert {r["target_pace_s_per_km"] for r in reps} == {220.0}
    assert reps[3]["actual_pace_s_per_km"] == 240.0
    athlete = json.loads(run(runner, "athlete", "show", "--db", db_url, "--json").output)
    athlete.pop("physiology_known")  # the estimates (tests/e2e/test_cli_athlete_physiology.py)
    assert athlete == {
        "id": 1, "name": "Ana", "sport": "triathlon", "goal": "olympic", "race_date": "2027-06-13",
        "recent_races": [{"label": "5k", "distance_m": 5000.0, "time_s": 1230.0, "date": "2026-10-01"},
                         {"label": "10k", "distance_m": 10000.0, "time_s": 2590.0, "date": None}],
        "rest_days": ["sun", "wed"], "units": "mi", "email": "ana@example.org",
        "physiology": {"sex": None, "hr_max": None, "hr_rest": None, "threshold_hr": None, "ftp_w": 250.0,
                       "css_s_per_100m": 105.0, "threshold_pace_s_per_km": None},
        "long_run_day": "sat", "days_per_week": 4,
        "season_start": dt.date.today().isoformat(),  # the day the race date was set
        "swim_days": ["mon", "thu"], "bike_days": ["tue", "fri"], "long_ride_day": "fri",
    }


@pytest.mark.parametrize(
    "args, message",
    [
        (["--rpe", "11"], "Error: --rpe: input should be less than or equal to 10 (got '11')"),
        (["--distance", "-5km"], "Error: --distance: distance must not be negative (got '-5km')"),
        (["--distance", "far"], "Error: --distance: cannot read distance 'far': use e.g. 10km, 6.2mi or 800m"),
        (["--distance", "10"], "Error: --distance: distance '10' needs a unit, e.g. 10km, 10mi or 10m"),
        (["--duration", "-45:00"], "Error: --duration: duration must not be negative (got '-45:00')"),
        (["--duration", "soon"], "Error: --duration: cannot read duration 'soon': use e.g. 45:00, 1:02:03, 45min or 1h30m"),
        (["--sport", "jog"], "Error: --sport: input should be 'run', 'bike', 'swim', 'brick', 'strength', 'cross' or 'rest' (got 'jog')"),
        (["--athlete", "Bob"], "Error: no athlete named 'Bob' (known: Ana)"),
        (["--start", "noonish"], "Error: --start: cannot read time 'noonish': use HH:MM (24-hour), e.g. 07:30"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(runner, sqlite_url, args, message):
    run(runner, "init", "--db", sqlite_url, "--name", "Ana")
    result = run(runner, "log", "--db", sqlite_url, "--date", "2026-11-20", "--distance", "5km", *args, ok=False)
    assert result.exit_code == 1
    assert result.output == message + "\n"
    assert history_json(runner, sqlite_url)["workouts"] == []


def test_unknown_athlete_when_there_is_none(runner, sqlite_url):
    result = run(runner, "log", "--db", sqlite_url, "--distance", "5km", ok=False)
    assert result.exit_code == 1
    assert result.output == "Error: no athlete yet: create one with `coach init --name NAME`\n"


def test_several_athletes_need_a_choice(runner, sqlite_url, monkeypatch):
    run(runner, "init", "--db", sqlite_url, "--name", "Ana")
    run(runner, "init", "--db", sqlite_url, "--name", "Ben")
    result = run(runner, "log", "--db", sqlite_url, "--distance", "5km", ok=False)
    assert result.output == ("Error: several athletes in this store (Ana, Ben): "
                             "choose one with --athlete NAME or COACH_ATHLETE\n")
    run(runner, "log", "--db", sqlite_url, "--athlete", "ben", "--date", "2026-11-01", "--distance", "5km")
    monkeypatch.setenv("COACH_ATHLETE", "Ana")
    run(runner, "log", "--db", sqlite_url, "--date", "2026-11-02", "--distance", "6km")
    assert [w["distance_m"] for w in history_json(runner, sqlite_url, "--athlete", "Ben")["workouts"]] == [5000.0]
    assert [w["distance_m"] for w in history_json(runner, sqlite_url)["workouts"]] == [6000.0]


def test_history_periods_and_table(runner, sqlite_url):
    run(runner, "init", "--db", sqlite_url, "--name", "Ana")
    for day, kind in [("2026-10-01", "long"), ("2026-11-10", "tempo"), ("2026-11-19", "easy")]:
        run(runner, "log", "--db", sqlite_url, "--date", day, "--kind", kind, "--distance", "10km",
            "--duration", "50:00", "--rpe", "5")
    since = json.loads(run(runner, "history", "--db", sqlite_url, "--since", "2026-11-10", "--json").output)
    assert [w["kind"] for w in since["workouts"]] == ["tempo", "easy"]
    until = json.loads(run(runner, "history", "--db", sqlite_url, "--since", "all", "--until", "2026-11-10",
                           "--json").output)
    assert [w["kind"] for w in until["workouts"]] == ["long", "tempo"]
    table = run(runner, "history", "--db", sqlite_url, "--since", "all").output
    assert "Ana: 3 workouts, all time" in table
    assert "2026-11-19" in table and "run tempo" in table and "5:00/km" in table and "10 km" in table
    bad = run(runner, "history", "--db", sqlite_url, "--since", "lately", ok=False)
    assert bad.exit_code == 1 and bad.output.startswith("Error: --since: cannot read 'lately'")


def test_database_env_var_and_default_location(runner, coach_home, tmp_path, monkeypatch):
    run(runner, "init", "--name", "Ana")
    assert (coach_home / "data" / "coach.db").is_file()
    monkeypatch.setenv("COACH_DATABASE_URL", str(tmp_path / "elsewhere.db"))
    run(runner, "init", "--name", "Ben")
    assert json.loads(run(runner, "athlete", "show", "--json").output)["name"] == "Ben"


def test_unopenable_database(runner, tmp_path):
    result = run(runner, "history", "--db", "postgresql://nobody@127.0.0.1:1/none", ok=False)
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot open database postgresql+psycopg://nobody@127.0.0.1:1/none: ")
    assert result.output.count("\n") == 1
    result = run(runner, "init", "--name", "Ana", "--db", str(tmp_path / "missing" / "c.db"), ok=False)
    assert result.output == f"Error: cannot open database {tmp_path / 'missing' / 'c.db'}: folder {tmp_path / 'missing'} does not exist\n"
    assert not (tmp_path / "missing").exists()


def test_database_from_a_newer_schema(runner, sqlite_url):
    import sqlite3

    run(runner, "init", "--db", sqlite_url, "--name", "Ana")
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    result = run(runner, "log", "--db", sqlite_url, "--distance", "5km", ok=False)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: database {path} has schema revision 0099_future, newer than this coach knows")
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM workouts").fetchone() == (0,)
