"""`coach plan` through the CLI with the built-in rules: the days ahead, and nothing saved."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

from cli_kit import run

THURSDAY = "2026-11-19"



def init(runner, db, *extra):
    run(runner, "init", "--db", db, "--name", "Ana", "--goal", "5k", "--recent-race", "5k=20:00@2026-11-01", *extra)


def counts(db):
    from coach.storage import open_store

    with open_store(db) as store, store.unit_of_work() as uow:
        athlete = uow.athletes.resolve(None)
        return len(uow.workouts.list(athlete.id)), len(uow.proposals.list(athlete.id))


def test_a_fresh_athlete_gets_a_week_that_follows_the_pattern(runner, sqlite_url):
    init(runner, sqlite_url, "--rest-day", "sun")
    days = json.loads(run(runner, "plan", "--db", sqlite_url, "--date", THURSDAY, "--json").output)
    assert [d["date"] for d in days] == [(dt.date(2026, 11, 19) + dt.timedelta(days=i)).isoformat() for i in range(7)]
    intensity = [d["session"]["intensity"] for d in days]
    assert not any(a == b == "hard" for a, b in zip(intensity, intensity[1:]))  # never two hard days in a row
    # hard, light, hard, then Sunday's rest, and again from Monday
    assert [d["facts"]["plan.slot"] for d in days] == ["hard", "light", "hard", "rest", "hard", "light", "hard"]
    assert days[3]["session"]["kind"] == "rest"
    assert "hard" in intensity  # so the shape of a hard day below is checked
    for d in days:  # the same shape as `coach next --json`
        assert set(d) == {"athlete", "date", "session", "adaptations", "facts", "rules_version"}
        if d["session"]["intensity"] == "hard":
            phases = [b["phase"] for b in d["session"]["blocks"]]
            assert phases[0] == "warmup" and phases[-1] == "cooldown" and "taper" in phases
            assert all(b["pace_s_per_km"] for b in d["session"]["blocks"] if b["phase"] == "main")
    assert counts(sqlite_url) == (0, 0)  # nothing written


def test_a_plan_follows_the_log_and_writes_nothing(runner, sqlite_url):
    init(runner, sqlite_url, "--rest-day", "sun")
    start = dt.date(2026, 11, 19)
    for n in range(28, 0, -1):  # four weeks of hard, easy, hard, rest
        day, phase = start - dt.timedelta(days=n), n % 4
        if phase == 1:
            continue
        kind, minutes, rpe = {0: ("intervals", "45:00", 8), 3: ("easy", "50:00", 3), 2: ("tempo", "45:00", 7)}[phase]
        run(runner, "log", "--db", sqlite_url, "--date", day, "--kind", kind, "--distance", "10km",
            "--duration", minutes, "--rpe", rpe)
    before = counts(sqlite_url)
    days = json.loads(run(runner, "plan", "--db", sqlite_url, "--date", THURSDAY, "--days", "10", "--json").output)
    assert len(days) == 10
    intensity = [d["session"]["intensity"] for d in days]
    assert not any(a == b == "hard" for a, b in zip(intensity, intensity[1:]))
    assert "rest" in intensity[:7]
    assert counts(sqlite_url) == before


def test_the_text_form_lists_each_day(runner, sqlite_url):
    init(runner, sqlite_url)
    out = run(runner, "plan", "--db", sqlite_url, "--date", THURSDAY, "--days", "3").output
    assert out.startswith("The next 3 days for Ana")
    for day in ("Thu 2026-11-19", "Fri 2026-11-20", "Sat 2026-11-21"):
        assert day in out
    full = run(runner, "plan", "--db", sqlite_url, "--date", THURSDAY, "--days", "2", "--full").output
    assert full.count("Purpose:") == 2 and "Warm-up" in full and "Cool-down" in full


def test_bad_input_is_one_line(runner, sqlite_url):
    result = run(runner, "plan", "--db", sqlite_url, "--days", "0", ok=False)
    assert result.exit_code == 2 and "--days" in result.output
    init(runner, sqlite_url)
    result = run(runner, "plan", "--db", sqlite_url, "--athlete", "Bob", ok=False)
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and "Bob" in result.output


def test_plan_runs_as_a_real_process(tmp_path, runner):
    db = str(tmp_path / "coach.db")
    init(runner, db, "--units", "mi")
    proc = subprocess.run([sys.executable, "-m", "coach.cli", "plan", "--db", db, "--date", THURSDAY, "--days", "2"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "/mi" in proc.stdout and "/km" not in proc.stdout
