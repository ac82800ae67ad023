"""The athlete's physiology (`coach athlete set --hr-max ...`), its estimates in `coach athlete
show`, removing a race, and the load a watch-only athlete gets in `coach history` and `coach why`
(issue 13)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from coach.engine.model import Kind, Sport, Workout
from coach.storage import open_store
from coach.cli.main import cli
from cli_kit import run



def show(runner, db):
    return json.loads(run(runner, "athlete", "show", "--db", db, "--json").output)


@pytest.fixture
def ana(runner, sqlite_url):
    run(runner, "init", "--db", sqlite_url, "--name", "Ana", "--recent-race", "5k=20:30", "--recent-race", "10k=43:00")
    return sqlite_url


def test_physiology_is_stored_and_shown_as_own_values(runner, ana):
    out = run(runner, "athlete", "set", "--db", ana, "--sex", "female", "--hr-max", "190", "--hr-rest", "48",
              "--threshold-hr", "172", "--threshold-pace", "4:20/km", "--ftp", "240W", "--css", "1:40").output
    assert "HRmax:          190 bpm\n" in out and "Threshold pace: 4:20/km\n" in out and "CSS:            1:40/100m" in out
    data = show(runner, ana)
    assert data["physiology"] == {"sex": "female", "hr_max": 190, "hr_rest": 48, "threshold_hr": 172, "ftp_w": 240.0,
                                  "css_s_per_100m": 100.0, "threshold_pace_s_per_km": 260.0}
    assert all(not k["estimated"] for k in data["physiology_known"].values())
    run(runner, "athlete", "set", "--db", ana, "--hr-rest", "none")
    assert show(runner, ana)["physiology"]["hr_rest"] is None


def test_missing_values_are_estimated_and_say_so(runner, ana):
    with open_store(ana) as store, store.unit_of_work() as uow:
        athlete = uow.athletes.resolve(None)
        today = dt.date.today()
        for n, top in ((3, 181), (5, 187), (8, 176)):
            uow.workouts.add(athlete.id, Workout(date=today - dt.timedelta(days=n), sport=Sport.run, kind=Kind.easy,
                                                 duration_s=3000, avg_hr=150, max_hr=top))
        uow.commit()
    known = show(runner, ana)["physiology_known"]
    assert known["hr_max"]["value"] == 187 and known["hr_max"]["estimated"]
    assert "highest of 3 recorded sessions" in known["hr_max"]["source"]
    assert known["threshold_hr"]["value"] == round(187 * 0.9)
    assert known["hr_rest"]["estimated"] and "assumed" in known["hr_rest"]["source"]
    # the best recent race gives the threshold pace (5k in 20:30 beats 10k in 43:00)
    assert "5k of 20:30" in known["threshold_pace_s_per_km"]["source"]
    text = run(runner, "athlete", "show", "--db", ana).output
    assert "HRmax:          187 bpm (estimate: highest of 3 recorded sessions" in text
    assert all(len(line) <= 80 for line in text.splitlines())


@pytest.mark.parametrize("args, message", [
    (("--hr-max", "abc"), "Error: --hr-max: 'abc' is not a whole number of bpm"),
    (("--hr-max", "300"), "Error: --hr-max: input should be less than or equal to 250 (got 300)"),
    (("--hr-rest", "70", "--hr-max", "65"), "Error: --hr-max: input should be greater than or equal to 100"),
    (("--hr-max", "180", "--threshold-hr", "185"), "Error: physiology: threshold_hr must not be above hr_max"),
    (("--sex", "x"), "Error: --sex: input should be 'female' or 'male'"),
    (("--threshold-pace", "4:30/yd"), "Error: --threshold-pace: unknown pace unit 'yd'"),
    (("--recent-race", "half=none"), "Error: --recent-race: no half result to remove"),
])
def test_bad_physiology_is_refused_and_nothing_written(runner, ana, args, message):
    before = show(runner, ana)
    result = run(runner, "athlete", "set", "--db", ana, *args, ok=False)
    assert result.exit_code == 1
    assert result.output.startswith(message), result.output
    assert show(runner, ana) == before


def test_a_race_is_removed_or_replaced(runner, ana):
    run(runner, "athlete", "set", "--db", ana, "--recent-race", "10k=none", "--recent-race", "5k=20:05@2026-11-01")
    assert [(r["label"], r["time_s"]) for r in show(runner, ana)["recent_races"]] == [("5k", 1205.0)]


def _watch_log(db, weeks=5):
    """A watch-only log: heart rate and distance, never an RPE."""
    day = dt.date.today()
    with open_store(db) as store, store.unit_of_work() as uow:
        athlete = uow.athletes.resolve(None)
        for n in range(weeks * 7, 0, -1):
            if n % 4 == 1:
                continue
            hard = n % 4 in (0, 2)
            uow.workouts.add(athlete.id, Workout(
                date=day - dt.timedelta(days=n), sport=Sport.run, kind=Kind.tempo if hard else Kind.easy,
                duration_s=2700, distance_m=10000 if hard else 8000,
                avg_hr=162 if hard else 140, max_hr=184 if hard else 152, source="watch"))
        uow.commit()


def test_watch_only_athlete_gets_a_load_from_heart_rate_in_history_and_why(runner, ana):
    _watch_log(ana)
    history = json.loads(run(runner, "history", "--db", ana, "--since", "all", "--json").output)["workouts"]
    assert {w["load_method"] for w in history} == {"hr"} and all(w["load"] > 0 for w in history)
    hard = [w["load"] for w in history if w["kind"] == "tempo"]
    easy = [w["load"] for w in history if w["kind"] == "easy"]
    assert min(hard) > max(easy)
    table = runner.invoke(cli, ["history", "--db", ana, "--since", "7"], env={"COLUMNS": "140"}).output
    assert " HR" in table and "load from HR: heart rate (TRIMP)" in table
    narrow = runner.invoke(cli, ["history", "--db", ana, "--since", "7"], env={"COLUMNS": "80"}).output
    assert "load from heart rate (TRIMP)" in narrow  # one method: the legend says it once
    why = run(runner, "why", "--db", ana, "--json").output
    facts = json.loads(why)["facts"]
    assert facts["load.method"] == "hr" and facts["load.acwr"] > 0
    text = " ".join(run(runner, "why", "--db", ana).output.split())
    assert f"Load: ACWR {facts['load.acwr']:.2f}" in text and "100 % of it from heart rate" in text
