"""`coach next` and `coach why` through the command line (CliRunner and a real subprocess)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coach.engine.model import Athlete, Kind, Sport, Workout

DAY = dt.date(2026, 11, 19)


def _run(date, kind, minutes, rpe, km):
    return Workout(date=date, sport=Sport.run, kind=kind, duration_s=minutes * 60, rpe=rpe, distance_m=km * 1000)


def _history(spike: bool) -> list[Workout]:
    """Five calm weeks (intervals, easy, tempo, rest) ending with a rest day; `spike` adds three sessions."""
    out = []
    for n in range(35, 0, -1):
        d = DAY - dt.timedelta(days=n)
        phase = n % 4
        if phase == 0:
            out.append(_run(d, Kind.intervals, 45, 7, 9))
        elif phase == 3:
            out.append(_run(d, Kind.easy, 50, 3, 10))
        elif phase == 2:
            out.append(_run(d, Kind.tempo, 45, 7, 10))
    if spike:
        out += [_run(DAY - dt.timedelta(days=n), Kind.steady, 60, 6, 12) for n in (3, 4, 6)]
    return out


def _db(tmp_path: Path, spike: bool) -> str:
    from coach.storage import open_store

    url = str(tmp_path / ("spiked.db" if spike else "calm.db"))
    with open_store(url) as store, store.unit_of_work() as uow:
        a = uow.athletes.add(Athlete(name="Ana", rest_days=[],
                                     recent_races=[{"label": "5k", "distance_m": 5000, "time_s": 1230}]))
        for w in _history(spike):
            uow.workouts.add(a.id, w)
        uow.commit()
    return url


@pytest.fixture
def calm_db(tmp_path):
    return _db(tmp_path, spike=False)


@pytest.fixture
def spiked_db(tmp_path):
    return _db(tmp_path, spike=True)


def _cli():
    from coach.cli.main import cli

    return cli


def _next_json(runner, db, *extra):
    result = runner.invoke(_cli(), ["next", "--db", db, "--date", DAY.isoformat(), "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_next_json_has_exactly_the_documented_shape(runner, calm_db):
    data = _next_json(runner, calm_db)
    assert set(data) == {"athlete", "date", "session", "adaptations", "facts", "rules_version"}
    assert data["athlete"] == "Ana" and data["date"] == "2026-11-19"
    s = data["session"]
    assert set(s) == {"sport", "kind", "intensity", "purpose", "blocks", "total_duration_s", "total_distance_m"}
    assert s["intensity"] in ("hard", "moderate", "easy", "rest")
    assert s["intensity"] == "hard" and s["kind"] == "intervals"
    assert s["blocks"], "a hard session has blocks"
    for block in s["blocks"]:
        assert set(block) == {"phase", "description", "repeat", "distance_m", "duration_s", "pace_s_per_km", "recovery_s", "measure"}
        assert block["phase"] in ("warmup", "main", "recovery", "taper", "cooldown")
        assert isinstance(block["repeat"], int) and block["repeat"] >= 1
    phases = [b["phase"] for b in s["blocks"]]
    assert phases[0] == "warmup" and phases[-1] == "cooldown" and "main" in phases
    assert s["total_duration_s"] > 0
    assert data["adaptations"] == []  # a calm week: nothing to adapt
    assert data["facts"]["plan.slot"] == "hard"
    assert int(data["rules_version"], 16) >= 0  # a hex content hash


def test_next_json_adaptations_have_exactly_rule_principle_and_reason(runner, spiked_db):
    data = _next_json(runner, spiked_db)
    assert data["adaptations"], "a load spike adapts the session"
    for a in data["adaptations"]:
        assert set(a) == {"rule", "principle", "reason"}
        assert a["principle"].startswith("P") and a["reason"]


def test_next_json_prints_only_json_and_saves_the_proposal(runner, calm_db):
    from coach.storage import open_store

    result = runner.invoke(_cli(), ["next", "--db", calm_db, "--date", DAY.isoformat(), "--json"])
    assert result.exit_code == 0
    json.loads(result.stdout)  # the whole of stdout is one JSON document
    with open_store(calm_db) as store, store.unit_of_work() as uow:
        athlete = uow.athletes.get("Ana")
        saved = uow.proposals.get(athlete.id, DAY)
    assert saved is not None and saved.session.kind.value == "intervals"
    assert saved.rules_version


def test_next_text_shows_the_session_and_the_reasons(runner, spiked_db):
    result = runner.invoke(_cli(), ["next", "--db", spiked_db, "--date", DAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert "steady" in result.output.lower()
    assert "fatigue-load-spike" in result.output or "28-day" in result.output


def test_why_lists_every_rule_and_what_was_false(runner, calm_db, spiked_db):
    from coach.service.rulesets import read_rule_set

    rule_ids = [r.id for r in read_rule_set(None).rules]
    result = runner.invoke(_cli(), ["why", "--db", spiked_db, "--date", DAY.isoformat()])
    assert result.exit_code == 0, result.output
    for rule_id in rule_ids:
        assert rule_id in result.output
    # a rule that did not fire says which comparison was false, with the value
    calm = runner.invoke(_cli(), ["why", "--db", calm_db, "--date", DAY.isoformat(), "--json"])
    assert calm.exit_code == 0, calm.output
    data = json.loads(calm.stdout)
    assert len(data["rules"]) == len(rule_ids)
    assert "load.acwr" in json.dumps(data["rules"])


def test_next_refuses_an_invalid_rule_set_with_file_and_line(runner, calm_db, tmp_path):
    import coach.rules

    rules = tmp_path / "rules"
    shutil.copytree(Path(coach.rules.__file__).parent, rules, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    text = (rules / "fatigue.yml").read_text()
    (rules / "fatigue.yml").write_text(text.replace("load.acwr > 1.3", "load.acwrr > 1.3", 1))
    line = next(i for i, l in enumerate((rules / "fatigue.yml").read_text().splitlines(), 1) if "load.acwrr" in l)
    result = runner.invoke(_cli(), ["next", "--db", calm_db, "--date", DAY.isoformat(), "--rules", str(rules)])
    assert result.exit_code == 1
    assert f"fatigue.yml:{line}:" in result.output
    assert "load.acwrr" in result.output
    assert "Traceback" not in result.output


def test_an_edited_threshold_changes_the_next_proposal(spiked_db, tmp_path):
    """Through a real process each time, as a coach editing the rules would run it."""
    import coach.rules

    coach_exe = [sys.executable, "-m", "coach.cli"]
    base = [*coach_exe, "next", "--db", spiked_db, "--date", DAY.isoformat(), "--json"]
    before = subprocess.run(base, capture_output=True, text=True, check=True)
    assert json.loads(before.stdout)["session"]["kind"] == "steady"

    rules = tmp_path / "my-rules"
    shutil.copytree(Path(coach.rules.__file__).parent, rules, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    fatigue = rules / "fatigue.yml"
    fatigue.write_text(fatigue.read_text().replace("load.acwr > 1.3 and", "load.acwr > 1.6 and", 1))
    after = subprocess.run([*base, "--rules", str(rules)], capture_output=True, text=True)
    assert after.returncode == 0, after.stderr
    data = json.loads(after.stdout)
    assert data["session"]["intensity"] == "hard" and data["session"]["kind"] == "intervals"
    assert "fatigue-load-spike" not in {a["rule"] for a in data["adaptations"]}
    assert data["rules_version"] != json.loads(before.stdout)["rules_version"]


def test_next_explain_prints_the_session_then_every_rule(runner, spiked_db):
    from coach.service.rulesets import read_rule_set

    result = runner.invoke(_cli(), ["next", "--db", spiked_db, "--date", DAY.isoformat(), "--explain"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "FIRED" in out and "fatigue-load-spike" in out
    assert out.index("steady") < out.index("FIRED")
    for rule in read_rule_set(None).rules:
        assert rule.id in out


def test_why_refuses_an_invalid_rule_set(runner, calm_db, tmp_path):
    rules = tmp_path / "broken"
    rules.mkdir()
    (rules / "settings.yml").write_text("facts: [\n")
    result = runner.invoke(_cli(), ["why", "--db", calm_db, "--date", DAY.isoformat(), "--rules", str(rules)])
    assert result.exit_code == 1
    assert "settings.yml:" in result.output
    assert "Traceback" not in result.output


def test_next_for_an_unknown_athlete_is_one_line(runner, calm_db):
    result = runner.invoke(_cli(), ["next", "--db", calm_db, "--athlete", "Nobody"])
    assert result.exit_code == 1
    assert "Nobody" in result.output and len(result.output.strip().splitlines()) == 1
