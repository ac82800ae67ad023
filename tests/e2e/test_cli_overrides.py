"""Overrides through the command line: two athletes in one store, an overrides file in the
rule set; `coach next` changes only the athlete it names, `coach why` shows it, `coach rules
check` names a bad entry's file:line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.cli.main import cli
from coach.engine.model import Athlete, Kind, Sport, Workout
from coach.service.scenario_files import baseline_history

DAY = dt.date(2026, 11, 19)
OVERRIDES = """\
overrides:
  - athlete: Ana
    note: back from a stress fracture
    rules_off: [fatigue-poor-sleep]
    thresholds:
      fatigue-load-spike: {load.acwr: 1.1}
"""


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "home"))
    for name in ("COACH_RULES", "COACH_ATHLETE", "COACH_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "home"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def rules(home, tmp_path) -> Path:
    target = tmp_path / "rules"
    assert invoke("rules", "init", str(target)).exit_code == 0
    (target / "overrides").mkdir()
    (target / "overrides" / "athletes.yml").write_text(OVERRIDES)
    return target


@pytest.fixture
def db(tmp_path) -> str:
    from coach.storage import open_store

    url = str(tmp_path / "coach.db")
    with open_store(url) as store, store.unit_of_work() as uow:
        for name in ("Ana", "Ben"):
            athlete = uow.athletes.add(Athlete(name=name, rest_days=[],
                                               recent_races=[{"label": "5k", "distance_m": 5000, "time_s": 1230}]))
            for w in baseline_history(DAY, 5) + [
                    Workout(date=DAY - dt.timedelta(days=n), sport=Sport.run, kind=Kind.steady, duration_s=3000,
                            rpe=6, distance_m=10000) for n in (3, 6)]:
                uow.workouts.add(athlete.id, w)
        uow.commit()
    return url


def _next(db: str, rules: Path | None, name: str) -> dict:
    args = ["next", "--db", db, "--athlete", name, "--date", DAY.isoformat(), "--json"]
    result = invoke(*args, *(["--rules", str(rules)] if rules else []))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_overrides_change_only_their_athlete(rules, db):
    for _ in range(2):  # validated, then from the rule set cache
        ana, ben = _next(db, rules, "Ana"), _next(db, rules, "Ben")
        plain_ana, plain_ben = _next(db, None, "Ana"), _next(db, None, "Ben")
        assert ben["session"] == plain_ben["session"] and ben["adaptations"] == plain_ben["adaptations"]
        assert plain_ana["session"]["kind"] == "intervals" and ana["session"]["kind"] == "steady"
        reason = next(a["reason"] for a in ana["adaptations"] if a["rule"] == "fatigue-load-spike")
        overrides = rules / "overrides" / "athletes.yml"
        assert f"Override: load.acwr 1.1 instead of 1.3 for Ana ({overrides}:2)." in reason


def test_why_shows_the_override_and_the_tailored_condition(rules, db):
    result = invoke("why", "--db", db, "--athlete", "Ana", "--date", DAY.isoformat(), "--rules", str(rules))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    overrides = rules / "overrides" / "athletes.yml"
    assert lines[1] == (f"Override for Ana ({overrides}:2): fatigue-poor-sleep switched off; "
                        "fatigue-load-spike: load.acwr threshold 1.1 (back from a stress fracture)")
    assert "fatigue-poor-sleep" not in result.output.split(lines[1], 1)[1]
    ben = invoke("why", "--db", db, "--athlete", "Ben", "--date", DAY.isoformat(), "--rules", str(rules), "--json")
    data = json.loads(ben.output)
    assert data["overrides"] == [] and any(r["rule"] == "fatigue-poor-sleep" for r in data["rules"])


def test_rules_check_names_a_bad_override_file_line(rules, db):
    path = rules / "overrides" / "athletes.yml"
    path.write_text(OVERRIDES.replace("fatigue-poor-sleep", "fatigue-poor-slep"))
    result = invoke("rules", "check", str(rules))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{path}:4: override.rules_off: no rule 'fatigue-poor-slep' in the rule set"
        ' (did you mean "fatigue-poor-sleep"?)')
    nxt = invoke("next", "--db", db, "--athlete", "Ana", "--rules", str(rules))
    assert nxt.exit_code == 1 and "Traceback" not in nxt.output


def test_a_scenario_naming_the_athlete_runs_with_her_overrides(rules):
    scenario = ("scenarios:\n"
                "  - name: a moderate spike swaps Ana's fast day\n"
                "    date: 2026-11-19\n"
                "    athlete: {name: Ana}\n"
                "    history:\n"
                "      baseline: 5\n"
                "      workouts:\n"
                "        - {days_before: 3, kind: steady, minutes: 50, rpe: 6, km: 10}\n"
                "        - {days_before: 6, kind: steady, minutes: 50, rpe: 6, km: 10}\n"
                "    expect:\n"
                "      kind: steady\n"
                "      fired: [fatigue-load-spike]\n")
    (rules / "scenarios" / "zz_ana.yml").write_text(scenario)
    assert invoke("rules", "test", str(rules)).exit_code == 0
    (rules / "scenarios" / "zz_ana.yml").write_text(scenario.replace("{name: Ana}", "{name: Ben}"))
    result = invoke("rules", "test", str(rules))
    assert result.exit_code == 1
    assert "      line 11: kind: expected steady, got intervals" in result.output.splitlines()
