"""Issue 14: a triathlete's `coach plan --days 14` has swims, rides, runs and bricks placed
around each other (P13), and `coach next --json` gives swims and rides their own targets."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from cli_kit import run

MONDAY = dt.date(2026, 11, 23)



def init(runner, db, *extra):
    run(runner, "init", "--db", db, "--name", "Tri", "--sport", "triathlon", "--goal", "olympic",
        "--recent-race", "10k=42:00@2026-11-01", "--rest-day", "thu", *extra)


def test_fourteen_days_have_swims_rides_runs_and_bricks_placed_around_each_other(runner, sqlite_url):
    init(runner, sqlite_url, "--ftp", "250", "--css", "1:45")
    days = json.loads(run(runner, "plan", "--db", sqlite_url, "--date", MONDAY, "--days", "14", "--json").output)
    sessions = [(dt.date.fromisoformat(d["date"]), d["session"]) for d in days]
    assert {s["sport"] for _, s in sessions} == {"swim", "bike", "run", "brick", "rest"}
    bricks = [day for day, s in sessions if s["sport"] == "brick"]
    hard_bikes = [day for day, s in sessions if s["sport"] == "bike" and s["intensity"] == "hard"]
    hard_runs = [day for day, s in sessions if s["sport"] == "run" and s["intensity"] == "hard"]
    assert len(bricks) == 2 and len(hard_runs) >= 2  # speed work every week
    long_rides = [day for day, s in sessions if s["sport"] == "bike" and s["kind"] == "long"]
    long_runs = [day for day, s in sessions if s["sport"] == "run" and s["kind"] == "long"]
    assert len(long_rides) == 2 and len(long_runs) == 2
    for day in hard_runs:  # P13: never the day after a brick, never beside a hard bike
        assert day - dt.timedelta(days=1) not in bricks and day not in hard_bikes
        assert day - dt.timedelta(days=1) not in hard_bikes
    text = run(runner, "plan", "--db", sqlite_url, "--date", MONDAY, "--days", "14").output
    for title in ("Swim intervals", "Bike easy", "Brick tempo", "Bike long", "Long run"):
        assert title in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_next_json_gives_a_swim_its_pace_per_100_m_and_a_ride_its_power(runner, sqlite_url):
    init(runner, sqlite_url, "--ftp", "250", "--css", "1:45")
    swim = json.loads(run(runner, "next", "--db", sqlite_url, "--date", MONDAY, "--json").output)["session"]
    assert swim["sport"] == "swim"
    paced = [b for b in swim["blocks"] if "pace_s_per_100m" in b]
    assert paced and all(b["sport"] == "swim" and b["pace_s_per_km"] is None for b in paced)
    assert min(b["pace_s_per_100m"] for b in paced) == 105.0  # the CSS reps
    ride = json.loads(run(runner, "next", "--db", sqlite_url, "--date", MONDAY + dt.timedelta(days=6),
                          "--json").output)["session"]
    assert ride["sport"] == "bike" and ride["kind"] == "long"
    main = [b for b in ride["blocks"] if b["phase"] == "main"]
    assert main[0]["power_pct_ftp"] == 68.0 and main[0]["power_w"] == 170.0 and main[0]["cadence_rpm"] == 88


def test_a_ride_without_ftp_has_heart_rate_zones_on_the_terminal(runner, sqlite_url):
    init(runner, sqlite_url)
    out = run(runner, "next", "--db", sqlite_url, "--date", MONDAY + dt.timedelta(days=6)).output
    assert "Bike long" in out and "HR z2" in out and "bike-by-heart-rate" in out
    assert not re.search(r"\d W\b", out)  # no watts without an FTP


def test_a_triathletes_own_days_are_validated_stored_shown_and_planned(runner, sqlite_url):
    init(runner, sqlite_url, "--swim-days", "mon,wed", "--bike-days", "tue,sat", "--long-ride-day", "sun")
    shown = run(runner, "athlete", "show", "--db", sqlite_url, "--date", MONDAY).output
    assert "Swim days:    mon, wed" in shown and "Bike days:    tue, sat, sun; long ride: sun" in shown
    data = json.loads(run(runner, "athlete", "show", "--db", sqlite_url, "--json").output)
    assert (data["swim_days"], data["bike_days"], data["long_ride_day"]) == (["mon", "wed"], ["tue", "sat", "sun"], "sun")
    days = json.loads(run(runner, "plan", "--db", sqlite_url, "--date", MONDAY, "--days", "14", "--json").output)
    for d in days:
        weekday = dt.date.fromisoformat(d["date"]).strftime("%a").lower()
        sport = d["session"]["sport"]
        expected = {"mon": {"swim"}, "wed": {"swim"}, "tue": {"bike", "brick"}, "sat": {"bike", "brick"},
                    "sun": {"bike"}, "thu": {"rest"}, "fri": {"run"}}[weekday]
        assert sport in expected, (d["date"], sport)
        if weekday == "sun":
            assert d["session"]["kind"] == "long"


@pytest.mark.parametrize("args, message", [
    (("--swim-days", "thu"), "Error: --swim-days: thu is also a rest day"),
    (("--bike-days", "mon"), "Error: --bike-days: mon is both a swim and a bike day (one session a day)"),
    (("--long-ride-day", "funday"), "Error: --long-ride-day: 'funday' is not a weekday"),
    (("--rest-day", "sat"), "Error: --rest-day: sat is one of your bike days (--bike-days)"),
    (("--bike-days", "tue,fri,sat"), "Error: --bike-days: no day is left for running"),
])
def test_a_clash_of_days_is_refused_in_one_line_and_nothing_changes(runner, sqlite_url, args, message):
    init(runner, sqlite_url, "--swim-days", "mon,wed", "--bike-days", "tue,sat", "--long-ride-day", "sun")
    before = run(runner, "athlete", "show", "--db", sqlite_url, "--json").output
    result = run(runner, "athlete", "set", "--db", sqlite_url, *args, ok=False)
    assert result.exit_code != 0 and result.output.startswith(message) and result.output.count("\n") == 1
    assert run(runner, "athlete", "show", "--db", sqlite_url, "--json").output == before


def test_a_new_athlete_whose_days_leave_no_run_day_beside_the_default_rest_day_is_refused(runner, sqlite_url):
    # six swim and bike days and Sunday, the default rest day: nothing left to run on
    result = run(runner, "init", "--db", sqlite_url, "--name", "Tri", "--sport", "triathlon", "--goal", "olympic",
                 "--swim-days", "mon,wed,fri", "--bike-days", "tue,thu,sat", ok=False)
    assert result.exit_code != 0 and result.output.count("\n") == 1
    assert result.output.startswith("Error: --bike-days: no day is left for running")
    ok = run(runner, "init", "--db", sqlite_url, "--name", "Tri", "--sport", "triathlon", "--goal", "olympic",
             "--swim-days", "mon,wed,fri", "--bike-days", "tue,thu,sat", "--rest-day", "none")
    assert ok.exit_code == 0
