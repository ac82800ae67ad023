"""`coach export --ics FILE`: the planned days as a calendar file."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from coach.cli.main import cli
from coach.engine.model import Athlete, RaceResult, Workout
from coach.storage import open_store

START = dt.date(2026, 11, 23)


@pytest.fixture
def db(tmp_path) -> str:
    path = str(tmp_path / "coach.db")
    with open_store(path) as store, store.unit_of_work() as uow:
        race = [RaceResult(label="5k", distance_m=5000, time_s=1230, date=START - dt.timedelta(days=20))]
        ana = uow.athletes.add(Athlete(name="Ana", recent_races=race))
        for back in (1, 2, 4, 5):
            uow.workouts.add(ana.id, Workout(date=START - dt.timedelta(days=back), sport="run", kind="easy",
                                             distance_m=8000, duration_s=2700, rpe=3))
        uow.commit()
    return path


def _events(raw: bytes):
    return [c for c in Calendar.from_ical(raw).walk() if c.name == "VEVENT"]


def test_export_writes_one_all_day_event_per_planned_day(db, tmp_path):
    out = tmp_path / "week.ics"
    result = CliRunner().invoke(cli, ["export", "--db", db, "--ics", str(out), "--days", "7",
                                      "--date", START.isoformat()])
    assert result.exit_code == 0, result.output
    assert "7 day(s) written" in result.stderr
    events = _events(out.read_bytes())
    assert [e.decoded("dtstart") for e in events] == [START + dt.timedelta(days=i) for i in range(7)]
    # the same sessions `coach plan` shows for those days
    plan = CliRunner().invoke(cli, ["plan", "--db", db, "--days", "7", "--date", START.isoformat(), "--json"])
    assert plan.exit_code == 0, plan.output
    planned = json.loads(plan.stdout)
    assert [str(e["categories"].cats[0]) for e in events] == [p["session"]["kind"] for p in planned]
    for event, proposal in zip(events, planned):
        assert proposal["session"]["purpose"] in str(event["description"])
        assert proposal["session"]["kind"].replace("_", " ") in str(event["summary"]) or proposal["session"]["kind"] == "rest"
    # nothing was written to the log or the proposals
    with open_store(db) as store, store.unit_of_work() as uow:
        ana = uow.athletes.get("Ana")
        assert len(uow.workouts.list(ana.id)) == 4
        assert uow.proposals.list(ana.id) == []


def test_export_again_keeps_the_same_event_uids(db, tmp_path):
    args = ["export", "--db", db, "--days", "3", "--date", START.isoformat(), "--ics"]
    first = CliRunner().invoke(cli, [*args, "-"])
    second = CliRunner().invoke(cli, [*args, "-"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output
    uids = [str(e["uid"]) for e in _events(first.stdout.encode())]
    assert len(set(uids)) == 3
    assert uids == [str(e["uid"]) for e in _events(second.stdout.encode())]


def test_export_to_a_missing_folder_is_a_one_line_error(db, tmp_path):
    result = CliRunner().invoke(cli, ["export", "--db", db, "--ics", str(tmp_path / "no" / "week.ics")])
    assert result.exit_code != 0
    assert "week.ics" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("days", ["0", "113"])  # a season plan goes up to 112 days (issue 12)
def test_days_out_of_range_is_refused(db, tmp_path, days):
    out = tmp_path / "week.ics"
    result = CliRunner().invoke(cli, ["export", "--db", db, "--ics", str(out), "--days", days])
    assert result.exit_code != 0
    assert "days" in result.stderr.lower() and "Traceback" not in result.output
    assert not out.exists()


# --- coach export --fit --------------------------------------------------------------------

def test_export_fit_file_writes_the_day_as_a_workout(db, tmp_path):
    from fitcheck import decode

    out = tmp_path / "today.fit"
    result = CliRunner().invoke(cli, ["export", "--db", db, "--fit", str(out), "--date", START.isoformat()])
    assert result.exit_code == 0, result.output
    plan = CliRunner().invoke(cli, ["plan", "--db", db, "--days", "1", "--date", START.isoformat(), "--json"])
    (proposal,) = json.loads(plan.stdout)
    messages = decode(out.read_bytes())
    assert messages["file_id"][0]["type"] == "workout"
    steps = messages["workout_step"]
    blocks = proposal["session"]["blocks"]
    repeats = [s for s in steps if s["duration_type"] == "repeat_until_steps_cmplt"]
    assert len(repeats) == sum(1 for b in blocks if b["repeat"] > 1)
    assert [r["repeat_steps"] for r in repeats] == [b["repeat"] for b in blocks if b["repeat"] > 1]
    assert f"{START}: workout written" in result.stderr


def test_export_fit_folder_writes_one_file_per_training_day(db, tmp_path):
    folder = tmp_path / "watch"
    folder.mkdir()
    result = CliRunner().invoke(cli, ["export", "--db", db, "--fit", str(folder), "--days", "7",
                                      "--date", START.isoformat()])
    assert result.exit_code == 0, result.output
    plan = json.loads(CliRunner().invoke(cli, ["plan", "--db", db, "--days", "7", "--date", START.isoformat(),
                                                "--json"]).stdout)
    training = [p for p in plan if p["session"]["sport"] != "rest"]
    names = sorted(f.name for f in folder.iterdir())
    assert names == sorted(f"{p['date']}-{p['session']['sport']}-{p['session']['kind'].replace('_', '-')}.fit"
                           for p in training)
    assert 0 < len(names) < 7  # the plan has rest days, which get no file


def test_export_fit_days_needs_a_folder(db, tmp_path):
    out = tmp_path / "x.fit"
    result = CliRunner().invoke(cli, ["export", "--db", db, "--fit", str(out), "--days", "3"])
    assert result.exit_code == 2
    assert "--days" in result.output and "folder" in result.output
    assert not out.exists()


def test_export_needs_ics_or_fit(db):
    result = CliRunner().invoke(cli, ["export", "--db", db])
    assert result.exit_code == 2
    assert "--ics" in result.output and "--fit" in result.output


def test_export_fit_of_a_rest_day_is_one_line_and_writes_nothing(db, tmp_path):
    rest = (START + dt.timedelta(days=6)).isoformat()  # a Sunday, Ana's rest day
    (proposal,) = json.loads(CliRunner().invoke(cli, ["plan", "--db", db, "--days", "1", "--date", rest,
                                                      "--json"]).stdout)
    assert proposal["session"]["sport"] == "rest"
    out = tmp_path / "rest.fit"
    result = CliRunner().invoke(cli, ["export", "--db", db, "--fit", str(out), "--date", rest])
    assert result.exit_code == 1
    assert "rest day" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()


def test_export_ics_and_fit_together(db, tmp_path):
    ics, fit = tmp_path / "week.ics", tmp_path / "day.fit"
    result = CliRunner().invoke(cli, ["export", "--db", db, "--ics", str(ics), "--fit", str(fit),
                                      "--date", START.isoformat()])
    assert result.exit_code == 0, result.output
    assert len(_events(ics.read_bytes())) == 7  # the calendar keeps its 7 days
    assert fit.read_bytes()[8:12] == b".FIT"


def test_export_fit_to_a_missing_folder_is_one_line_and_writes_nothing(db, tmp_path):
    missing = tmp_path / "nowhere"
    result = CliRunner().invoke(cli, ["export", "--db", db, "--fit", f"{missing}/", "--days", "3",
                                      "--date", START.isoformat()])
    assert result.exit_code == 1
    assert f"--fit: {missing} is not a folder" in result.output and "Traceback" not in result.output
    assert not missing.exists()
