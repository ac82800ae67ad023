"""Planned against done on real watch files: `coach history` (Plan column, --json `compliance`)
and `coach next` on a day that already has a workout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.cli.main import cli

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
RUN_DAY = "2019-09-14"  # fit/fr645m-run-6laps.fit: a 52:44 run, kind inferred


def _ok(*args):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def db(tmp_path) -> str:
    path = str(tmp_path / "coach.db")
    _ok("init", "--db", path, "--name", "Ana", "--recent-race", "5k=20:30@2019-08-01")
    _ok("import", "--db", path, str(REAL / "fit" / "fr645m-run-6laps.fit"), str(REAL / "tcx" / "fr620-run-3laps.tcx"))
    return path


def _history(db):
    return json.loads(_ok("history", "--db", db, "--since", "all", "--json").stdout)["workouts"]


def test_next_on_a_day_already_done_proposes_the_next_day(db):
    result = _ok("next", "--db", db, "--date", RUN_DAY, "--json")
    assert json.loads(result.stdout)["date"] == "2019-09-15"
    assert f"You already did run easy (53 min) on {RUN_DAY}." in result.stderr
    text = _ok("next", "--db", db, "--date", RUN_DAY).stdout
    assert text.startswith(f"You already did run easy (53 min) on {RUN_DAY}.\n"
                           f"The session for Sun 2019-09-15 follows (--again proposes {RUN_DAY}'s).")
    assert all(len(line) <= 80 for line in text.splitlines())
    again = _ok("next", "--db", db, "--date", RUN_DAY, "--again", "--json")
    assert json.loads(again.stdout)["date"] == RUN_DAY and again.stderr == ""


def test_a_day_without_a_workout_is_proposed_as_before(db):
    result = _ok("next", "--db", db, "--date", "2019-09-16", "--json")
    assert json.loads(result.stdout)["date"] == "2019-09-16" and result.stderr == ""


def test_history_holds_the_imported_workout_against_the_stored_proposal(db):
    assert all(w["compliance"] is None for w in _history(db))  # nothing proposed yet
    proposal = json.loads(_ok("next", "--db", db, "--date", RUN_DAY, "--again", "--json").stdout)
    workouts = {w["date"]: w for w in _history(db)}
    assert workouts["2018-11-25"]["compliance"] is None  # no proposal for that day
    run = workouts[RUN_DAY]
    held = run["compliance"]
    planned_s = proposal["session"]["total_duration_s"]
    pct = 100 * run["duration_s"] / planned_s
    assert held["measure"] == "duration" and held["planned"] == planned_s
    assert held["volume_pct"] == pytest.approx(pct, abs=0.1)
    assert held["planned_kind"] == proposal["session"]["kind"]
    assert held["planned_intensity"] == proposal["session"]["intensity"]
    assert held["done_intensity"] == "easy"  # an inferred easy run, no RPE
    if held["done_intensity"] != held["planned_intensity"]:
        expected = "red"
    else:
        expected = "green" if abs(pct - 100) <= 20 else "amber" if abs(pct - 100) <= 50 else "red"
    assert held["colour"] == expected
    table = _ok("history", "--db", db, "--since", "all").stdout
    row = next(line for line in table.splitlines() if RUN_DAY in line.split())
    assert f"{expected} {held['volume_pct']:.0f}%" in row
    assert "Plan: done against the proposal of the day" in " ".join(table.split())  # the legend wraps at 80


def test_trends_count_the_week_as_planned_against_done(db):
    held = json.loads(_ok("next", "--db", db, "--date", RUN_DAY, "--again", "--json").stdout)
    missed = json.loads(_ok("next", "--db", db, "--date", "2019-09-12", "--json").stdout)  # nothing logged that day
    assert missed["session"]["sport"] != "rest"
    colour = next(w for w in _history(db) if w["date"] == RUN_DAY)["compliance"]["colour"]
    result = _ok("trends", "--db", db, "--date", "2019-09-15", "--weeks", "2", "--json")
    weeks = json.loads(result.stdout)["compliance"]
    assert [w["end"] for w in weeks] == ["2019-09-08", "2019-09-15"]
    assert weeks[0]["green_pct"] is None  # no proposals that week
    last = weeks[1]
    assert last["missed"] == 1 and last[colour] == 1
    assert sum(last[c] for c in ("green", "amber", "red")) == 1
    assert last["green_pct"] == (50 if colour == "green" else 0)
    text = _ok("trends", "--db", db, "--date", "2019-09-15", "--weeks", "2", "--no-charts").stdout
    assert "Planned against done" in text
    row = next(line for line in text.splitlines() if line.startswith("2019-09-15 "))
    assert row.split()[-2:] == [str(last["green_pct"]), "%"] and row.split()[4] == "1"
    assert held["date"] == RUN_DAY
