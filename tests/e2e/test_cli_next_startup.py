"""What a warm `coach next --json` loads: no Alembic (database at head), no YAML (cached rule set), nothing
for terminal output or charts; and its start-up runs without the cyclic garbage collector, once."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from coach.engine.model import Athlete, Kind, Sport, Workout

DAY = "2026-11-19"
NOT_ON_A_WARM_RUN = {"alembic", "mako", "pygments", "yaml", "rich", "matplotlib", "tomllib"}

PROBE = """
import gc, json, sys
from coach.cli.main import cli
sys.argv = ["coach", *sys.argv[1:]]
try:
    cli(prog_name="coach")
except SystemExit as exc:
    code = exc.code
print(json.dumps({"exit": code, "frozen": gc.get_freeze_count(), "gc_enabled": gc.isenabled(),
                  "modules": sorted({m.split(".")[0] for m in sys.modules})}), file=sys.stderr)
"""


@pytest.fixture
def db(tmp_path) -> str:
    import datetime as dt

    from coach.storage import open_store

    url = str(tmp_path / "coach.db")
    day = dt.date.fromisoformat(DAY)
    with open_store(url) as store, store.unit_of_work() as uow:
        athlete = uow.athletes.add(Athlete(name="Ana"))
        for n in range(1, 15):
            uow.workouts.add(athlete.id, Workout(date=day - dt.timedelta(days=n), sport=Sport.run, kind=Kind.easy,
                                                 duration_s=2400, rpe=3, distance_m=8000))
        uow.commit()
    return url


def _probe(args: list[str], coach_home) -> tuple[dict, str]:
    env = {**os.environ, "COACH_HOME": str(coach_home)}
    env.pop("COACH_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report, done.stdout


def test_a_warm_next_loads_only_what_it_uses(db, coach_home):
    args = ["next", "--json", "--db", db, "--date", DAY]
    cold, _ = _probe(args, coach_home)  # writes the rule set cache
    assert cold["exit"] == 0 and "yaml" in cold["modules"]  # the check can fail: a cold run parses YAML
    warm, out = _probe(args, coach_home)
    assert warm["exit"] == 0
    assert json.loads(out)["athlete"] == "Ana"
    assert "sqlalchemy" in warm["modules"] and "durable" in warm["modules"]
    assert not NOT_ON_A_WARM_RUN & set(warm["modules"]), sorted(NOT_ON_A_WARM_RUN & set(warm["modules"]))


def test_next_freezes_its_start_up_objects_and_leaves_the_collector_on(db, coach_home):
    report, _ = _probe(["next", "--json", "--db", db, "--date", DAY], coach_home)
    assert report["exit"] == 0
    assert report["gc_enabled"] is True
    assert report["frozen"] > 10_000  # modules, classes and schemas moved out of the collector's way


def test_a_failing_next_also_leaves_the_collector_on(coach_home, tmp_path):
    report, _ = _probe(["next", "--json", "--db", str(tmp_path / "missing" / "x.db")], coach_home)
    assert report["exit"] == 1
    assert report["gc_enabled"] is True


def test_the_pause_happens_once_per_process():
    code = """
import gc
from coach.cli.cmd_next import collector_paused_once
with collector_paused_once():
    inside = gc.isenabled()
first = gc.get_freeze_count()
gc.unfreeze()
with collector_paused_once():
    again = gc.isenabled()
print(inside, first > 0, again, gc.get_freeze_count(), gc.isenabled())
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True", "True", "0", "True"]
