"""`coach init` and `coach athlete show|set`."""

from __future__ import annotations

import json

from cli_kit import run



def show(runner, db):
    """The profile as stored (the estimates beside it are tested in test_cli_athlete_physiology.py)."""
    data = json.loads(run(runner, "athlete", "show", "--db", db, "--json").output)
    data.pop("physiology_known")
    return data


def test_init_defaults_and_summary(runner, sqlite_url):
    out = run(runner, "init", "--db", sqlite_url, "--name", "Ana", "--recent-race", "5k=20:30").output
    assert "Created athlete Ana" in out and "Recent races: 5k=20:30" in out
    assert show(runner, sqlite_url) == {
        "id": 1, "name": "Ana", "sport": "run", "goal": "5k", "race_date": None,
        "recent_races": [{"label": "5k", "distance_m": 5000.0, "time_s": 1230.0, "date": None}],
        "rest_days": ["sun"], "units": "km", "email": None,
        "physiology": {"sex": None, "hr_max": None, "hr_rest": None, "threshold_hr": None, "ftp_w": None,
                       "css_s_per_100m": None, "threshold_pace_s_per_km": None},
        # the athlete's week (issue 12): no long-run day means the rotating pattern
        "long_run_day": None, "days_per_week": None, "season_start": None,
        # a triathlete's days (issue 14): none set means the rule set's default week
        "swim_days": None, "bike_days": None, "long_ride_day": None,
    }
    assert "Goal:         5k" in run(runner, "athlete", "show", "--db", sqlite_url).output


def test_set_changes_only_what_is_given(runner, sqlite_url):
    run(runner, "init", "--db", sqlite_url, "--name", "Ana", "--recent-race", "5k=20:30", "--email", "a@example.org")
    run(runner, "athlete", "set", "--db", sqlite_url, "--goal", "half", "--race-date", "2027-05-02",
        "--recent-race", "5k=20:05@2026-11-01", "--recent-race", "10k=42:00", "--rest-day", "mon", "--rest-day", "fri")
    a = show(runner, sqlite_url)
    assert (a["goal"], a["race_date"], a["rest_days"], a["email"]) == ("half", "2027-05-02", ["mon", "fri"], "a@example.org")
    assert [(r["label"], r["time_s"], r["date"]) for r in a["recent_races"]] == [("5k", 1205.0, "2026-11-01"),
                                                                              ("10k", 2520.0, None)]
    run(runner, "athlete", "set", "--db", sqlite_url, "--name", "Ana Lima", "--race-date", "none", "--rest-day", "none")
    a = show(runner, sqlite_url)
    assert (a["name"], a["race_date"], a["rest_days"]) == ("Ana Lima", None, [])


def test_bad_profile_input_writes_nothing(runner, sqlite_url):
    for args, message in [
        (["--goal", "ultra"], "Error: --goal: input should be '5k', '10k', 'half', 'marathon', 'sprint', 'olympic', '70.3' or 'ironman' (got 'ultra')"),
        (["--email", "nope"], "Error: --email: 'nope' is not an email address"),
        (["--rest-day", "someday"], "Error: --rest-day: 'someday' is not a weekday: use mon, tue, wed, thu, fri, sat, sun"),
        (["--recent-race", "5k"], "Error: --recent-race: cannot read race result '5k': use LABEL=TIME[@DATE], e.g. 5k=20:30@2026-10-01"),
        (["--race-date", "soon"], "Error: --race-date: cannot read date 'soon': use YYYY-MM-DD, today, tomorrow or yesterday"),
    ]:
        result = run(runner, "init", "--db", sqlite_url, "--name", "Ana", *args, ok=False)
        assert (result.exit_code, result.output) == (1, message + "\n")
    result = run(runner, "athlete", "show", "--db", sqlite_url, ok=False)
    assert result.output == "Error: no athlete yet: create one with `coach init --name NAME`\n"
    run(runner, "init", "--db", sqlite_url, "--name", "Ana")
    result = run(runner, "init", "--db", sqlite_url, "--name", "ana", ok=False)
    assert result.output == "Error: an athlete named 'ana' already exists\n"
    result = run(runner, "athlete", "set", "--db", sqlite_url, "--goal", "ultra", ok=False)
    assert result.exit_code == 1 and show(runner, sqlite_url)["goal"] == "5k"


def test_set_ftp_and_css_issue_14(runner, sqlite_url):
    run(runner, "init", "--db", sqlite_url, "--name", "Tri", "--sport", "triathlon", "--goal", "olympic")
    out = run(runner, "athlete", "set", "--db", sqlite_url, "--ftp", "250", "--css", "1:45").output
    assert "FTP:            250 W" in out and "CSS:            1:45/100m" in out
    got = show(runner, sqlite_url)
    assert (got["physiology"]["ftp_w"], got["physiology"]["css_s_per_100m"]) == (250, 105.0)
    # a 400/200 m test gives CSS = (t400 - t200) / 2 per 100 m: (390 - 185) / 2 = 102.5 s
    run(runner, "athlete", "set", "--db", sqlite_url, "--css", "400=6:30,200=3:05")
    assert show(runner, sqlite_url)["physiology"]["css_s_per_100m"] == 102.5
    run(runner, "athlete", "set", "--db", sqlite_url, "--ftp", "none")
    assert show(runner, sqlite_url)["physiology"]["ftp_w"] is None


def test_bad_ftp_and_css_name_the_option_and_write_nothing(runner, sqlite_url):
    run(runner, "init", "--db", sqlite_url, "--name", "Tri", "--sport", "triathlon", "--goal", "olympic")
    for args, option in ((("--ftp", "fast"), "--ftp"), (("--ftp", "20"), "--ftp"),
                         (("--css", "quick"), "--css"), (("--css", "400=3:00,200=3:05"), "--css")):
        result = run(runner, "athlete", "set", "--db", sqlite_url, *args, ok=False)
        assert result.exit_code == 1 and option in result.output and "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1
    got = show(runner, sqlite_url)
    assert got["physiology"]["ftp_w"] is None and got["physiology"]["css_s_per_100m"] is None
