"""`coach log --rest`: a rest day taken on purpose is rest, not an absence (issue 12)."""

from __future__ import annotations

import json

from coach.cli.main import cli


def _run(runner, *args):
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_rest_is_logged_as_a_rest_day_and_breaks_an_absence(runner, sqlite_url):
    assert _run(runner, "init", "--db", sqlite_url, "--name", "Ana", "--recent-race", "5k=20:30").exit_code == 0
    for day in ("2026-11-10", "2026-11-11", "2026-11-12"):
        assert _run(runner, "log", "--db", sqlite_url, "--date", day, "--kind", "easy",
                    "--duration", "40:00", "--rpe", "3").exit_code == 0
    for day in ("2026-11-13", "2026-11-14", "2026-11-15"):
        out = _run(runner, "log", "--db", sqlite_url, "--date", day, "--rest")
        assert out.exit_code == 0 and f"{day} rest" in out.output
    facts = json.loads(_run(runner, "next", "--db", sqlite_url, "--date", "2026-11-16", "--json").output)["facts"]
    assert facts["days_since.training"] == 4
    assert facts["absence.days"] == 0


def test_rest_with_another_sport_is_refused_and_writes_nothing(runner, sqlite_url):
    _run(runner, "init", "--db", sqlite_url, "--name", "Ana")
    out = _run(runner, "log", "--db", sqlite_url, "--date", "2026-11-13", "--rest", "--sport", "bike")
    assert out.exit_code == 2
    assert "--rest" in out.output and "bike" in out.output
    history = json.loads(_run(runner, "history", "--db", sqlite_url, "--since", "all", "--json").output)
    assert history["workouts"] == []
