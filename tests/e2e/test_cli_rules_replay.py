"""`coach rules replay`: the changed days of a real store, a summary per athlete, --json; nothing written."""

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


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("COACH_RULES", raising=False)
    monkeypatch.delenv("COACH_ATHLETE", raising=False)
    return tmp_path / "home"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def edited(home, tmp_path) -> Path:
    target = tmp_path / "edited"
    assert invoke("rules", "init", str(target)).exit_code == 0
    fatigue = target / "fatigue.yml"
    fatigue.write_text(fatigue.read_text().replace("load.acwr > 1.3 and", "load.acwr > 1.05 and", 1))
    return target


@pytest.fixture
def db(tmp_path) -> str:
    """Two athletes: Ana with a moderate load spike before DAY, Ben calm."""
    from coach.storage import open_store

    url = str(tmp_path / "coach.db")
    spike = [Workout(date=DAY - dt.timedelta(days=n), sport=Sport.run, kind=Kind.steady, duration_s=3000,
                     rpe=6, distance_m=10000) for n in (3, 6)]
    with open_store(url) as store, store.unit_of_work() as uow:
        for name, extra in (("Ana", spike), ("Ben", [])):
            athlete = uow.athletes.add(Athlete(name=name, rest_days=[],
                                               recent_races=[{"label": "5k", "distance_m": 5000, "time_s": 1230}]))
            for w in baseline_history(DAY, 5) + extra:
                uow.workouts.add(athlete.id, w)
        uow.commit()
    return url


def _proposals(url: str) -> int:
    from coach.storage import open_store

    with open_store(url) as store, store.unit_of_work() as uow:
        return sum(len(uow.proposals.list(a.id)) for a in uow.athletes.list())


def test_replay_prints_the_changed_days_and_a_summary_per_athlete(edited, db):
    result = invoke("rules", "replay", "--rules", str(edited), "--all", "--db", db,
                    "--since", "2026-11-18", "--until", "2026-11-19")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Replay 2026-11-18 to 2026-11-19: {edited} (new)"
    assert "Ana  2026-11-19  intervals, hard -> steady, moderate" in lines
    assert "    rules: +fatigue-load-spike" in lines
    assert not any(line.startswith("Ben  ") for line in lines)
    assert "Ana: 1 of 2 days change; hard days 1 -> 0; long runs 0 -> 0" in lines
    assert "Ben: 0 of 2 days change; hard days 1 -> 1; long runs 0 -> 0" in lines
    assert all(len(line) <= 80 for line in lines if str(edited) not in line)
    assert _proposals(db) == 0, "nothing is written"


def test_replay_json_and_one_athlete(edited, db):
    result = invoke("rules", "replay", "--rules", str(edited), "--athlete", "Ana", "--db", db,
                    "--since", "3d", "--until", "2026-11-19", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["start"], data["end"]) == ("2026-11-17", "2026-11-19")
    assert [(s["athlete"], s["days"]) for s in data["summaries"]] == [("Ana", 3)]
    day = data["days"][-1]
    assert day["date"] == "2026-11-19" and day["added"] == ["fatigue-load-spike"]
    assert day["old"]["intensity"] == "hard" and day["new"]["kind"] == "steady"
    assert data["old"]["version"] != data["new"]["version"]


@pytest.mark.parametrize("args, message", [
    (["--since", "soon"], "Invalid value for --since: 'soon': give weeks (12w), days (30d) or a date"),
    (["--athlete", "Ana", "--all"], "Error: give --athlete or --all, not both"),
    (["--athlete", "Zoe"], "Error: no athlete named"),
])
def test_bad_options_are_one_line_errors(edited, db, args, message):
    result = invoke("rules", "replay", "--rules", str(edited), "--db", db, *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_an_invalid_new_rule_set_lists_its_problems(edited, db):
    (edited / "fatigue.yml").write_text("rules: [\n")
    result = invoke("rules", "replay", "--rules", str(edited), "--all", "--db", db)
    assert result.exit_code == 1
    assert f"{edited / 'fatigue.yml'}:" in result.output
    assert "the rule set is invalid" in result.output


def test_a_morning_check_in_is_replayed_as_coach_next_read_it(home, tmp_path, db):
    """Ben checked in sick on DAY: the rule set in use made it a rest day, the edited one (whose
    sick rule needs an injury too) would not have. Without his check-in both would agree."""
    from coach.engine.model import Checkin
    from coach.storage import open_store

    edited = tmp_path / "sick-edit"
    assert invoke("rules", "init", str(edited)).exit_code == 0
    readiness = edited / "readiness.yml"
    readiness.write_text(readiness.read_text().replace("when: readiness.sick\n",
                                                       "when: readiness.sick and readiness.injured\n", 1))
    args = ("rules", "replay", "--rules", str(edited), "--athlete", "Ben", "--db", db,
            "--since", DAY.isoformat(), "--until", DAY.isoformat(), "--json")
    assert json.loads(invoke(*args).output)["days"] == []
    with open_store(db) as store, store.unit_of_work() as uow:
        uow.checkins.put(uow.athletes.get("Ben").id, Checkin(date=DAY, sick=True))
        uow.commit()
    [day] = json.loads(invoke(*args).output)["days"]
    assert day["date"] == DAY.isoformat() and day["dropped"] == ["readiness-sick"]
    assert day["old"]["kind"] == "rest" and day["new"]["kind"] != "rest"
