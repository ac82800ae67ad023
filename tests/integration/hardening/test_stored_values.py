"""Issue 17, finding 2: every stored number is finite and possible; values an older coach let
in are named with their workout, not a crash; text is shown as text."""

from __future__ import annotations

import json
import math

import pytest
from sqlalchemy import text

from coach.cli.main import cli
from coach.engine.errors import InvalidInput
from coach.engine.model import Athlete, RaceResult, Rep, Sport, Workout
from coach.storage import open_store
from coach.storage.plausible import StoredValueInvalid


@pytest.fixture
def store(db_url):
    with open_store(db_url) as opened:
        with opened.unit_of_work() as uow:
            uow.athletes.add(Athlete(name="Ana"))
            uow.commit()
        yield opened


def add(store, workout):
    with store.unit_of_work() as uow:
        stored = uow.workouts.add(uow.athletes.get("Ana").id, workout)
        uow.commit()
        return stored


def run(**kw):
    import datetime as dt

    return Workout(date=dt.date(2026, 11, 20), sport=Sport.run, **kw)


@pytest.mark.parametrize("workout, words", [
    (run(distance_m=math.inf), "distance_m: inf is not a finite number"),
    (run(distance_m=1e20), "distance_m: 1e+20 is out of range (0 to 2e+06 m)"),
    (run(duration_s=3.6e20), "duration_s: 3.6e+20 is out of range (0 to 604800 s)"),
    (run(elapsed_s=math.inf), "elapsed_s: inf is not a finite number"),
    (run(elevation_gain_m=1e9), "elevation_gain_m: 1e+09 is out of range"),
    (run(reps=[Rep(index=1, distance_m=400, duration_s=80), Rep(index=2, distance_m=math.inf)]),
     "rep 2: distance_m: inf is not a finite number"),
    (run(reps=[Rep(index=1, duration_s=1e20)]), "rep 1: duration_s: 1e+20 is out of range"),
])
def test_impossible_numbers_are_refused_at_the_store_naming_the_field(store, workout, words):
    with pytest.raises(InvalidInput) as caught:
        add(store, workout)
    assert words in str(caught.value)
    with store.unit_of_work() as uow:
        assert uow.workouts.list(uow.athletes.get("Ana").id) == []  # nothing written


def test_a_date_out_of_range_is_refused(store):
    import datetime as dt

    with pytest.raises(InvalidInput, match=r"^date: 9999-12-31 is out of range \(1900-01-01 to 2199-12-31\)"):
        add(store, Workout(date=dt.date(9999, 12, 31), sport=Sport.run))


def test_an_impossible_race_is_refused(store):
    with store.unit_of_work() as uow:
        ana = uow.athletes.get("Ana")
        race = RaceResult(label="5k", distance_m=5000, time_s=math.inf)
        with pytest.raises(InvalidInput, match=r"recent race 5k: time_s: inf is not a finite number"):
            uow.athletes.update(ana.model_copy(update={"recent_races": [race]}))


def _poison(store, column: str, value: float, table: str = "workouts") -> int:
    """Write a value as an older coach could have, past today's checks."""
    ok = add(store, run(distance_m=5000, duration_s=1500, reps=[Rep(index=1, distance_m=400, duration_s=80)]))
    with store.engine.begin() as conn:
        where = "id" if table == "workouts" else "workout_id"
        conn.execute(text(f"UPDATE {table} SET {column} = :v WHERE {where} = :id"), {"v": value, "id": ok.id})
    return ok.id


@pytest.mark.parametrize("table, column, value", [
    ("workouts", "distance_m", math.inf),
    ("workouts", "duration_s", 3.6e20),
    ("reps", "distance_m", -math.inf),
])
def test_old_impossible_values_are_named_with_their_workout(store, table, column, value):
    workout_id = _poison(store, column, value, table)
    with store.unit_of_work() as uow:
        with pytest.raises(StoredValueInvalid) as caught:
            uow.workouts.list(uow.athletes.get("Ana").id)
    message = str(caught.value)
    assert message.startswith(f"workout #{workout_id} (2026-11-20) holds an impossible value")
    assert column in message and f"DELETE FROM workouts WHERE id = {workout_id}" in message
    assert "\n" not in message


def test_a_stored_nan_is_named_or_never_kept(store, db_url):
    # PostgreSQL keeps a NaN (out of every range, so named like INF); SQLite keeps no NaN at all
    workout_id = _poison(store, "distance_m", math.nan, "reps")
    with store.unit_of_work() as uow:
        if db_url.startswith("sqlite"):
            [workout] = uow.workouts.list(uow.athletes.get("Ana").id)
            assert workout.id == workout_id and workout.reps[0].distance_m is None
            return
        with pytest.raises(StoredValueInvalid, match=rf"^workout #{workout_id} .*distance_m"):
            uow.workouts.list(uow.athletes.get("Ana").id)


def test_a_plausible_row_reads_back_as_it_was_stored(store):
    # every checked field at its limits and in between: the range test in the query lets all pass
    stored = add(store, run(distance_m=2_000_000.0, duration_s=0.5, elapsed_s=14 * 24 * 3600.0, avg_hr=1,
                            max_hr=259, cadence=399.5, elevation_gain_m=0.0, sleep_h=24.0, avg_power_w=2500.0,
                            reps=[Rep(index=1, distance_m=500_000.0, duration_s=1.0, target_pace_s_per_km=36_000.0,
                                      actual_pace_s_per_km=0.1, avg_hr=259, cadence=399.0)]))
    with store.unit_of_work() as uow:
        assert uow.workouts.list(uow.athletes.get("Ana").id) == [stored]


def test_commands_name_the_bad_workout_instead_of_crashing(runner, sqlite_url):
    assert runner.invoke(cli, ["--db", sqlite_url, "init", "--name", "Ana"]).exit_code == 0
    with open_store(sqlite_url) as store:
        workout_id = _poison(store, "distance_m", math.inf)
    for args in (["history"], ["history", "--json"], ["next", "--date", "2026-11-21"],
                 ["plan", "--date", "2026-11-21"]):
        result = runner.invoke(cli, ["--db", sqlite_url, *args])
        assert result.exit_code == 1, (args, result.output)
        assert f"workout #{workout_id} (2026-11-20) holds an impossible value" in result.output
        assert "Infinity" not in result.output and result.exception is not None
        assert isinstance(result.exception, SystemExit)  # a message, not a traceback


def test_log_refuses_an_absurd_duration_and_writes_nothing(runner, sqlite_url):
    assert runner.invoke(cli, ["--db", sqlite_url, "init", "--name", "Ana"]).exit_code == 0
    result = runner.invoke(cli, ["--db", sqlite_url, "log", "--date", "2026-11-20",
                                 "--duration", "100000000000000000:00:00"])
    assert result.exit_code == 1
    assert "duration_s: 3.6e+20 is out of range" in result.output
    listed = json.loads(runner.invoke(cli, ["--db", sqlite_url, "history", "--since", "all", "--json"]).output)
    assert listed["workouts"] == []


def test_csv_line_with_an_impossible_value_names_line_and_field(runner, sqlite_url, tmp_path):
    assert runner.invoke(cli, ["--db", sqlite_url, "init", "--name", "Ana"]).exit_code == 0
    path = tmp_path / "runs.csv"
    path.write_text("date,distance,duration\n2026-11-01,5km,25:00\n2026-11-02,5km,100000000000000000:00:00\n")
    result = runner.invoke(cli, ["--db", sqlite_url, "import", str(path)])
    assert result.exit_code == 1
    assert "runs.csv:3: duration_s: 3.6e+20 is out of range" in result.output


ESC = "\x1b]0;pwned\x07\x1b[2J"


def test_names_and_notes_are_shown_as_text(runner, sqlite_url):
    name = "Ana [/] [bold]" + ESC
    assert runner.invoke(cli, ["--db", sqlite_url, "init", "--name", name]).exit_code == 0
    logged = runner.invoke(cli, ["--db", sqlite_url, "log", "--date", "2026-11-20", "--distance", "5km",
                                 "--duration", "25:00", "--notes", "[/] closing tag" + ESC + "[red]x"])
    assert logged.exit_code == 0, logged.output
    for args in (["history", "--since", "all"], ["next", "--date", "2026-11-21"],
                 ["plan", "--date", "2026-11-21", "--days", "2"]):
        result = runner.invoke(cli, ["--db", sqlite_url, *args])
        assert result.exit_code == 0, (args, result.output)
        assert "\x1b" not in result.output and "\x07" not in result.output
        assert "Ana [/] [bold]" in result.output  # shown literally, not read as markup
    history = runner.invoke(cli, ["--db", sqlite_url, "history", "--since", "all"], env={"COLUMNS": "140"}).output
    assert "[/] closing tag" in history and "\x1b" not in history  # notes: a wide terminal shows them


def test_safe_text_strips_c0_and_c1_controls():
    from coach.cli.safe_text import markup, plain

    assert plain("a\x1b[31mb\x9bc\x00d\te\nf") == "a[31mbcd e f"
    assert markup("[/]") == "\\[/]"
    assert plain("Zoë – 5 km ✓") == "Zoë – 5 km ✓"  # printable Unicode is kept
