"""The season from the command line: the athlete's week, `coach plan --days 84`, `coach simulate`."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cli_kit import run

TODAY = dt.date(2026, 11, 30)  # a Monday



def test_the_week_is_set_and_shown(runner, sqlite_url):
    run(runner, "init", "--db", sqlite_url, "--name", "Ana", "--goal", "half", "--race-date", "2027-03-21",
        "--recent-race", "10k=44:00@2026-11-01")
    out = run(runner, "athlete", "set", "--db", sqlite_url, "--long-run-day", "sun", "--days-per-week", "5",
              "--rest-day", "mon").output
    assert "Long run:     sun, 5 days a week" in out
    shown = run(runner, "athlete", "show", "--db", sqlite_url, "--date", "2026-12-07").output
    # a half: 2 taper, 3 peak and 6 build weeks before the race week, base before them
    assert "Season:       base, 14 weeks to the race (on 2026-12-07)" in shown
    assert "Paces:" in shown and "Paces from your 10k of 44:00 on 2026-11-01" in shown
    data = json.loads(run(runner, "athlete", "show", "--db", sqlite_url, "--json").output)
    assert (data["long_run_day"], data["days_per_week"], data["rest_days"]) == ("sun", 5, ["mon"])


@pytest.mark.parametrize("args, message", [
    (["--long-run-day", "funday"], "--long-run-day"),
    (["--days-per-week", "9"], "--days-per-week: must be a whole number from 1 to 7"),
    (["--long-run-day", "mon", "--rest-day", "mon"], "--long-run-day: mon is also a rest day"),
])
def test_a_bad_week_is_one_line_naming_the_option_and_nothing_changes(runner, sqlite_url, args, message):
    run(runner, "init", "--db", sqlite_url, "--name", "Ana")
    before = run(runner, "athlete", "show", "--db", sqlite_url, "--json").output
    result = run(runner, "athlete", "set", "--db", sqlite_url, *args, ok=False)
    assert result.exit_code == 1 and message in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert run(runner, "athlete", "show", "--db", sqlite_url, "--json").output == before


def test_plan_84_days_for_the_demo_athlete_shows_a_season(runner, sqlite_url):
    from coach.cli.demo import NAME, build_demo
    from coach.storage import open_store

    with open_store(sqlite_url) as store:
        build_demo(store, TODAY)
        with store.unit_of_work() as uow:
            race = uow.athletes.get(NAME).race_date
    assert race is not None and 70 <= (race - TODAY).days <= 84
    days = json.loads(run(runner, "plan", "--db", sqlite_url, "--date", TODAY.isoformat(), "--days", "84",
                          "--json").output)
    assert len(days) == 84
    by_date = {d["date"]: d for d in days}
    assert by_date[race.isoformat()]["session"]["kind"] == "race"
    phases = [d["facts"]["season.phase"] for d in days]
    assert phases.index("build") < phases.index("peak") < phases.index("taper") < phases.index("race")
    longs = [d["session"]["total_duration_s"] for d in days if d["session"]["kind"] == "long"]
    assert len(longs) >= 9 and max(longs) > 1.2 * longs[0]
    intensity = [d["session"]["intensity"] for d in days]
    assert not any(a == b == "hard" for a, b in zip(intensity, intensity[1:]))
    text = run(runner, "plan", "--db", sqlite_url, "--date", TODAY.isoformat(), "--days", "84").output
    assert "Build week 1" in text and "Taper week 1 - race week" in text and "Race" in text
    assert all(len(line) <= 80 for line in text.splitlines())


def test_simulate_prints_the_season_in_80_columns(runner):
    out = run(runner, "simulate", "--goal", "marathon", "--weeks", "16", "--date", "2026-12-07",
              "--ill", "6:5").output
    lines = out.splitlines()
    assert lines[0] == "A simulated marathon season of 16 weeks from 2026-12-07, race 2027-03-21:"
    assert all(len(line) <= 80 for line in lines)
    assert sum(line.count("ill") for line in lines if line[:4].isdigit()) == 5
    assert any("RACE" in line for line in lines) and any(" peak " in line for line in lines)


@pytest.mark.parametrize("args, message", [
    (["--ill", "x"], "--ill: use WEEK:DAYS"),
    (["--long-run-day", "mon"], "--long-run-day: mon is also a rest day"),
    (["--fitness", "5k=fast"], "--fitness:"),
])
def test_simulate_refuses_bad_options_in_one_line(runner, args, message):
    result = run(runner, "simulate", *args, ok=False)
    assert result.exit_code == 1 and message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_broken_season_file_is_reported_with_file_and_line(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("COACH_RULES", raising=False)
    target = tmp_path / "mine"
    run(runner, "rules", "init", str(target))
    season = target / "season.yml"
    lines = season.read_text().splitlines()
    n = next(i for i, line in enumerate(lines) if "long_run_step_pct:" in line)
    lines[n] = "  long_run_step_pct: 30"
    season.write_text("\n".join(lines) + "\n")
    result = run(runner, "rules", "check", str(target), ok=False)
    assert result.exit_code == 1
    assert f"season.yml:{n + 1}: progression.long_run_step_pct: input should be less than or equal to 15" in result.output
    nxt = run(runner, "next", "--rules", str(target), "--db", str(tmp_path / "c.db"), ok=False)
    assert nxt.exit_code == 1 and "season.yml" in nxt.output and "Traceback" not in nxt.output
