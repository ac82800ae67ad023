"""Every command's default output fits an 80-column terminal; `--json` keeps every field."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from coach.cli.demo import build_demo
from coach.storage import open_store
from coach.cli.main import cli
from coach.service.rulesets import read_rule_set
from cli_kit import run

TODAY = dt.date(2026, 11, 25)  # a Wednesday
NARROW = {"COLUMNS": "80"}


@pytest.fixture
def demo(runner, sqlite_url):
    with open_store(sqlite_url) as store:
        build_demo(store, TODAY)
    run(runner, "log", "--db", sqlite_url, "--date", TODAY.isoformat(), "--kind", "repetitions",
        "--distance", "6km", "--duration", "31:00", "--rpe", "9", "--avg-hr", "171",
        "--notes", "a long note about the wind on the track and the shoes that rubbed " * 2)
    for days in range(4, 0, -1):  # stored proposals give the Plan column its colours
        run(runner, "next", "--db", sqlite_url, "--date", (TODAY - dt.timedelta(days=days)).isoformat())
    return sqlite_url


def _too_wide(output: str, columns: int = 80) -> list[str]:
    return [line for line in output.splitlines() if len(line) > columns]


DAY = TODAY.isoformat()


@pytest.mark.parametrize("args", [
    ["history", "--since", "all"],
    ["next", "--date", DAY],
    ["plan", "--days", "14", "--date", DAY],
    ["trends", "--date", DAY],
    ["trends", "--date", DAY, "--charts"],
    ["why", "--date", DAY],
    ["workout", "show", "1"],
    ["athlete", "show"],
    ["rules", "test"],
    ["rules", "list"],
    ["rules", "show", "fatigue-load-spike"],
    ["rules", "facts"],
    ["rules", "actions"],
])
def test_default_output_fits_80_columns(runner, demo, args):
    result = runner.invoke(cli, [*args, "--db", demo] if args[0] != "rules" else args, env=NARROW,
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.strip()
    folder = str(read_rule_set(None).directory)  # a line naming the rule set's folder may not fit
    assert [line for line in _too_wide(result.output) if folder not in line] == []


def test_simulate_fits_80_columns(runner):
    result = runner.invoke(cli, ["simulate", "--weeks", "4", "--race-in", "3", "--date", DAY], env=NARROW,
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert _too_wide(result.output) == []


def test_history_leaves_heart_rate_and_notes_to_a_wide_terminal_and_json(runner, demo):
    narrow = runner.invoke(cli, ["history", "--since", "2026-11-20", "--db", demo], env=NARROW).output
    wide = runner.invoke(cli, ["history", "--since", "2026-11-20", "--db", demo], env={"COLUMNS": "140"}).output
    as_json = json.loads(run(runner, "history", "--since", "2026-11-20", "--db", demo, "--json").output)["workouts"]
    assert "Notes" not in narrow and "`coach workout show ID`" in " ".join(narrow.split())
    assert "Notes" in wide and "a long note about" in wide and "171" in wide
    assert as_json[-1]["avg_hr"] == 171 and as_json[-1]["notes"].startswith("a long note about the wind")
