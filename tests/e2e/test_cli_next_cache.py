"""`coach next` keeps a cache of the validated rule set; editing the rules in place still takes effect."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coach.engine.model import Athlete, Kind, Sport, Workout
from coach.engine.rules import builtin_dir

DAY = dt.date(2026, 11, 19)


def _spiked_history() -> list[Workout]:
    """Five calm weeks of intervals / easy / tempo / rest, then three extra steady runs in the last week."""
    out = []
    for n in range(35, 0, -1):
        day = DAY - dt.timedelta(days=n)
        kind, minutes, rpe, km = {0: (Kind.intervals, 45, 7, 9), 3: (Kind.easy, 50, 3, 10),
                                  2: (Kind.tempo, 45, 7, 10)}.get(n % 4, (None, 0, 0, 0))
        if kind is not None:
            out.append(Workout(date=day, sport=Sport.run, kind=kind, duration_s=minutes * 60, rpe=rpe,
                               distance_m=km * 1000))
    out += [Workout(date=DAY - dt.timedelta(days=n), sport=Sport.run, kind=Kind.steady, duration_s=3600, rpe=6,
                    distance_m=12000) for n in (3, 4, 6)]
    return out


@pytest.fixture
def spiked_db(tmp_path) -> str:
    from coach.storage import open_store

    url = str(tmp_path / "spiked.db")
    with open_store(url) as store, store.unit_of_work() as uow:
        athlete = uow.athletes.add(Athlete(name="Ana", rest_days=[],
                                           recent_races=[{"label": "5k", "distance_m": 5000, "time_s": 1230}]))
        for w in _spiked_history():
            uow.workouts.add(athlete.id, w)
        uow.commit()
    return url


def test_rules_edited_in_place_take_effect_on_the_next_run(spiked_db, tmp_path, coach_home):
    rules = tmp_path / "my-rules"
    shutil.copytree(builtin_dir(), rules, ignore=shutil.ignore_patterns("__pycache__", "*.py", "*.md"))
    env = {**os.environ, "COACH_HOME": str(coach_home)}
    env.pop("COACH_DATABASE_URL", None)
    cmd = [sys.executable, "-m", "coach.cli", "next", "--db", spiked_db, "--date", DAY.isoformat(), "--json",
           "--rules", str(rules)]

    def next_run() -> subprocess.CompletedProcess:
        return subprocess.run(cmd, capture_output=True, text=True, env=env)

    first = next_run()
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["session"]["kind"] == "steady"  # the load spike swapped the fast day
    cached = list((coach_home / "cache").glob("ruleset-*.json"))
    assert len(cached) == 1

    fatigue = rules / "fatigue.yml"
    original = fatigue.read_text()
    fatigue.write_text(original.replace("load.acwr > 1.3 and", "load.acwr > 1.6 and", 1))
    raised = next_run()
    assert raised.returncode == 0, raised.stderr
    assert json.loads(raised.stdout)["session"]["kind"] == "intervals"

    fatigue.write_text(original.replace("load.acwr > 1.3", "load.acwrr > 1.3", 1))
    line = next(i for i, text in enumerate(fatigue.read_text().splitlines(), 1) if "load.acwrr" in text)
    broken = next_run()
    assert broken.returncode == 1
    assert f"fatigue.yml:{line}:" in broken.stderr and "load.acwrr" in broken.stderr
    assert "Traceback" not in broken.stderr

    fatigue.write_text(original)
    again = next_run()
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == json.loads(first.stdout)


def test_a_corrupt_cache_does_not_change_the_proposal(spiked_db, coach_home, tmp_path):
    env = {**os.environ, "COACH_HOME": str(coach_home)}
    env.pop("COACH_DATABASE_URL", None)
    cmd = [sys.executable, "-m", "coach.cli", "next", "--db", spiked_db, "--date", DAY.isoformat(), "--json"]
    first = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert first.returncode == 0, first.stderr
    (path,) = (coach_home / "cache").glob("ruleset-*.json")
    path.write_text('{"key": "torn')
    second = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout) == json.loads(first.stdout)
    assert json.loads(path.read_text())["key"]  # rewritten
