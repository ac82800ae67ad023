"""`coach workout show|edit|delete ID` (issue 13): fix the log without sqlite3."""

from __future__ import annotations

import json

import pytest

from cli_kit import run



@pytest.fixture
def db(runner, sqlite_url):
    run(runner, "init", "--db", sqlite_url, "--name", "Ana", "--hr-max", "190", "--hr-rest", "50")
    run(runner, "log", "--db", sqlite_url, "--date", "2026-11-20", "--distance", "10km", "--duration", "50:00",
        "--avg-hr", "150")
    return sqlite_url


def history(runner, db):
    return json.loads(run(runner, "history", "--db", db, "--since", "all", "--json").output)["workouts"]


def test_show_gives_the_load_and_its_method(runner, db):
    out = run(runner, "workout", "show", "1", "--db", db).output
    assert out.startswith("#1 2026-11-20 run 10 km in 50:00") and "AU from heart rate" in out
    data = json.loads(run(runner, "workout", "show", "1", "--db", db, "--json").output)
    assert data["load_method"] == "hr" and data["load"] > 0


def test_edit_adds_the_rpe_of_an_imported_run_and_the_load_follows(runner, db):
    out = run(runner, "workout", "edit", "1", "--db", db, "--rpe", "4", "--kind", "easy", "--notes", "felt fine").output
    assert out.startswith("Updated #1: 2026-11-20 run easy 10 km in 50:00")
    [w] = history(runner, db)
    assert (w["rpe"], w["kind"], w["notes"], w["load"], w["load_method"]) == (4, "easy", "felt fine", 200.0, "rpe")
    assert w["avg_hr"] == 150 and w["distance_m"] == 10000.0  # untouched fields stay
    run(runner, "workout", "edit", "1", "--db", db, "--rpe", "none")
    assert history(runner, db)[0]["load_method"] == "hr"


@pytest.mark.parametrize("args, message", [
    (("1", "--rpe", "11"), "Error: --rpe: input should be less than or equal to 10"),
    (("1", "--distance", "ten"), "Error: --distance:"),
    (("1", "--date", "none"), "Error: --date: cannot be cleared"),
    (("1",), "Error: nothing to change"),
    (("7", "--rpe", "3"), "Error: no workout #7 for this athlete"),
])
def test_bad_edits_are_refused_and_nothing_written(runner, db, args, message):
    before = history(runner, db)
    result = run(runner, "workout", "edit", *args, "--db", db, ok=False)
    assert result.exit_code == 1 and result.output.startswith(message), result.output
    assert history(runner, db) == before


def test_delete_asks_unless_yes(runner, db):
    result = run(runner, "workout", "delete", "1", "--db", db, ok=False, input="n\n")
    assert result.exit_code == 1 and "Delete #1 2026-11-20 run" in result.output
    assert len(history(runner, db)) == 1
    out = run(runner, "workout", "delete", "1", "--db", db, input="y\n").output
    assert "Deleted #1" in out and history(runner, db) == []
    run(runner, "log", "--db", db, "--date", "2026-11-21", "--rpe", "3", "--duration", "30:00")
    [w] = history(runner, db)
    assert run(runner, "workout", "delete", w["id"], "--db", db, "--yes").output.startswith(f"Deleted #{w['id']}")
    assert history(runner, db) == []


def test_the_edit_options_are_the_editable_fields():
    from coach.cli.cmd_workout import EDIT_OPTIONS
    from coach.service.workout import EDITABLE

    assert EDIT_OPTIONS == EDITABLE
