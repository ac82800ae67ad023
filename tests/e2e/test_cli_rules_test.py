"""`coach rules test`: the default set passes; a broken copy fails naming file:line and the
difference; a bad scenario file is a file:line problem; never a traceback, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.cli.main import cli
from coach.engine.rules import builtin_dir


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("COACH_RULES", raising=False)
    monkeypatch.delenv("COACH_DATABASE_URL", raising=False)
    return tmp_path / "home"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def copy(home, tmp_path) -> Path:
    target = tmp_path / "mine"
    assert invoke("rules", "init", str(target)).exit_code == 0
    assert sorted(p.name for p in (target / "scenarios").glob("*.yml")) == \
        sorted(p.name for p in (builtin_dir() / "scenarios").glob("*.yml"))
    return target


def test_the_untouched_default_set_passes(home):
    result = invoke("rules", "test", "-v")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    count = len([line for line in lines if line.startswith("ok    ")])
    assert count >= 10
    assert lines[-1] == f"{count} scenarios: {count} passed, 0 failed (rules in {builtin_dir()})"
    assert not list(home.rglob("*.db")), "nothing is written"


def test_a_broken_copy_fails_naming_the_scenario_file_line_and_difference(copy):
    week = copy / "week.yml"
    text = week.read_text()
    assert "week.hard_sessions >= 2" in text
    week.write_text(text.replace("week.hard_sessions >= 2", "week.hard_sessions >= 3", 1))
    result = invoke("rules", "test", str(copy))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    scenario = copy / "scenarios" / "p12_weekly_spread.yml"
    lines = result.output.splitlines()
    assert lines[0] == "FAIL  a third hard session in the week becomes easy (P12)"
    assert lines[1] == f"      {scenario}:2, proposing 2026-11-20"
    assert "      line 12: intensity: must not be hard, got hard" in lines
    assert "      line 13: week-hard-cap did not change the proposal" in lines
    assert "      proposed: intervals (hard); rules: base-thin-simplify" in lines
    assert lines[-1].endswith(" passed, 1 failed (rules in " + str(copy) + ")")


def test_json_lists_every_scenario_with_its_differences(copy):
    fatigue = copy / "fatigue.yml"
    fatigue.write_text(fatigue.read_text().replace("load.acwr > 1.3", "load.acwr > 1.6", 1))
    result = invoke("rules", "test", str(copy), "--json")
    assert result.exit_code == 1
    rows = json.loads(result.output)
    failed = [r for r in rows if not r["passed"]]
    assert [r["name"] for r in failed] == ["a load spike swaps the fast day to a steady run"]
    assert failed[0]["session"] == {"kind": "intervals", "intensity": "hard"}
    assert {d["message"] for d in failed[0]["differences"]} >= {"kind: expected steady, got intervals"}


def test_a_bad_scenario_file_is_reported_at_file_line_and_nothing_runs(copy):
    bad = copy / "scenarios" / "zz_mine.yml"
    bad.write_text("scenarios:\n  - name: mine\n    date: 2026-11-19\n    expect:\n      kind: stedy\n")
    result = CliRunner().invoke(cli, ["rules", "test", str(copy)])
    assert result.exit_code == 1
    assert f"{bad}:5: expect.kind: unknown value 'stedy'" in result.output
    assert result.output.splitlines()[-1] == "Error: 1 problem(s) in the scenario files; nothing was run"
    assert "Traceback" not in result.output


def test_scenarios_given_with_the_option_run_on_the_rule_set_in_use(home, tmp_path):
    mine = tmp_path / "one.yml"
    mine.write_text("scenarios:\n  - name: calm\n    date: 2026-11-19\n    history: {baseline: 5}\n"
                    "    expect: {intensity: easy}\n")
    result = invoke("rules", "test", "--scenarios", str(mine))
    assert result.exit_code == 1
    assert "      line 5: intensity: expected easy, got hard" in result.output.splitlines()
    assert result.output.splitlines()[-1].startswith("1 scenarios: 0 passed, 1 failed")


def test_a_folder_without_scenarios_says_so(home, tmp_path):
    (tmp_path / "empty").mkdir()
    result = invoke("rules", "test", "--scenarios", str(tmp_path / "empty"))
    assert result.exit_code == 1
    assert result.output == f"Error: no scenarios in {tmp_path / 'empty'}\n"


def test_rules_check_also_checks_the_scenario_files(copy):
    assert invoke("rules", "check", str(copy)).exit_code == 0
    bad = copy / "scenarios" / "p07_fatigue.yml"
    bad.write_text(bad.read_text().replace("fired: [fatigue-load-spike]", "fired: [fatigue-load-spik]", 1))
    result = invoke("rules", "check", str(copy))
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith(
        f"{bad}:24: expect.fired: no rule 'fatigue-load-spik' in the rule set (did you mean")
