"""`coach trends` from the command line: text for pipes, JSON, the PNG, and clear messages."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from coach.cli.main import cli
from coach.engine.model import Adaptation, Athlete, Intensity, Kind, Proposal, Rep, Session, Sport, Units, Workout

DAY = "2026-03-29"


def _history() -> list[Workout]:
    reps = [Rep(index=i + 1, distance_m=400, duration_s=s) for i, s in enumerate((92, 96, 96, 100))]

    def run(day, kind, rpe, minutes, km, **kw):
        return Workout(date=dt.date(2026, 3, day), sport=Sport.run, kind=kind, rpe=rpe, duration_s=minutes * 60,
                       distance_m=km * 1000, **kw)

    return [
        run(17, Kind.intervals, 8, 40, 8, reps=reps),  # 320 AU
        run(19, Kind.easy, 3, 50, 10),                 # 150 AU, 5:00/km
        run(21, Kind.long, 5, 90, 16),                 # 450 AU
        run(23, Kind.easy, 4, 30, 6),                  # 120 AU
        run(25, Kind.tempo, 7, 45, 9),                 # 315 AU
        run(27, Kind.easy, 3, 40, 8.5),                # 120 AU
    ]


def _make_db(path: Path, *, units: Units = Units.km, workouts: bool = True) -> str:
    from coach.storage import open_store

    url = f"sqlite:///{path}"
    with open_store(url) as store, store.unit_of_work() as uow:
        ana = uow.athletes.add(Athlete(name="Ana", units=units))
        if workouts:
            for w in _history():
                uow.workouts.add(ana.id, w)
            session = Session(sport=Sport.run, kind=Kind.steady, intensity=Intensity.moderate, purpose="aerobic base")
            uow.proposals.add(ana.id, Proposal(athlete="Ana", date=dt.date(2026, 3, 24), session=session, adaptations=[
                Adaptation(rule="fatigue-swap-fast-day", principle="P7", reason="tired")]))
        uow.commit()
    return url


@pytest.fixture
def db(tmp_path) -> str:
    return _make_db(tmp_path / "coach.db")


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_text_output_contains_every_series_for_a_pipe(runner, db):
    result = runner.invoke(cli, ["trends", "--db", db, "--date", DAY, "--weeks", "2"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Trends for Ana: 2 weeks from 2026-03-16 to 2026-03-29 (6 workouts)" in out
    for text in ("2026-03-22", "920", "230", "4.00",        # week 1: load, chronic, ACWR
                 "2026-03-29", "555", "369", "1.50",        # week 2: chronic 368.75, ACWR 1.505
                 "5:00/km", "4:00/km",                      # pace at effort (easy run, interval reps)
                 "2.95%",                                   # split spread of the intervals
                 "fatigue-swap-fast-day", "P7"):
        assert text in out, text
    assert "\x1b[" not in out and "█" not in out            # no colours or bars when piped
    assert "Only 13 days of log" in out


def test_charts_flag_draws_bars_and_the_acwr_band(runner, db):
    result = runner.invoke(cli, ["trends", "--db", db, "--date", DAY, "--weeks", "2", "--charts"])
    assert result.exit_code == 0, result.output
    assert "█" in result.output and "░" in result.output and "▶" in result.output  # week 1's 4.00 is off the strip


def test_json_gives_the_numbers(runner, db):
    result = runner.invoke(cli, ["trends", "--db", db, "--date", DAY, "--weeks", "2", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [w["load"] for w in data["weeks"]] == [920, 555]
    assert data["weeks"][0]["hard_sessions"] == 1 and data["weeks"][1]["hard_sessions"] == 1
    assert data["acwr_safe_band"] == {"low": 0.8, "high": 1.3}
    assert data["adaptations"] == [{"rule": "fatigue-swap-fast-day", "principle": "P7", "count": 1, "last": "2026-03-24"}]


def test_png_is_written_and_is_a_sensible_png(runner, db, tmp_path):
    png = tmp_path / "trends.png"
    result = runner.invoke(cli, ["trends", "--db", db, "--date", DAY, "--weeks", "2", "--png", str(png)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {png}" in result.output
    width, height = _png_size(png)
    assert 800 <= width <= 4000 and 800 <= height <= 4000
    assert png.stat().st_size > 30_000  # charts, not a blank canvas
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".trends-")] == []


def test_png_in_miles(runner, tmp_path):
    db = _make_db(tmp_path / "mi.db", units=Units.mi)
    png = tmp_path / "mi.png"
    result = runner.invoke(cli, ["trends", "--db", db, "--date", DAY, "--weeks", "2", "--png", str(png), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["weeks"][0]["run_km"] == 34  # JSON stays SI
    _png_size(png)
    text = runner.invoke(cli, ["trends", "--db", db, "--date", DAY, "--weeks", "2"]).output
    assert "8:03/mi" in text  # the 5:00/km easy run


def test_empty_history_gives_a_clear_message(runner, tmp_path):
    db = _make_db(tmp_path / "empty.db", workouts=False)
    result = runner.invoke(cli, ["trends", "--db", db, "--date", DAY, "--weeks", "4"])
    assert result.exit_code == 0, result.output
    assert "No workouts logged in the 4 weeks from 2026-03-02 to 2026-03-29" in result.output
    assert "Weekly load" not in result.output

    png = tmp_path / "empty.png"
    result = runner.invoke(cli, ["trends", "--db", db, "--date", DAY, "--png", str(png)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: nothing to draw in {png}: No workouts logged")
    assert len(result.output.strip().splitlines()) == 1
    assert not png.exists()


def test_one_week_of_history_still_renders(runner, tmp_path, db):
    result = runner.invoke(cli, ["trends", "--db", db, "--date", "2026-03-18", "--weeks", "1", "--charts"])
    assert result.exit_code == 0, result.output
    assert "2026-03-18" in result.output and "320" in result.output
    png = tmp_path / "one.png"
    assert runner.invoke(cli, ["trends", "--db", db, "--date", "2026-03-18", "--weeks", "1", "--png", str(png)]).exit_code == 0
    _png_size(png)


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--weeks", "0"], 2, "0 is not in the range 1<=x<=520"),
    (["--date", "2026-02-30"], 1, "'2026-02-30' is not a real date"),
    (["--png", "/nonexistent-folder/x.png"], 1, "cannot write /nonexistent-folder/x.png: folder /nonexistent-folder does not exist"),
    (["--athlete", "Zed"], 1, "Zed"),
])
def test_bad_input_is_one_line(runner, db, args, code, message):
    result = runner.invoke(cli, ["trends", "--db", db, "--date", DAY, *args])
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_an_invalid_trends_file_names_file_and_line(runner, db, tmp_path):
    from coach.engine.rules import builtin_dir

    rules = tmp_path / "rules"
    shutil.copytree(builtin_dir(), rules, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    trends_file = rules / "trends" / "trends.yml"
    trends_file.write_text("acwr_safe_band:\n  low: 1.3\n  high: 0.8\n")
    result = runner.invoke(cli, ["trends", "--db", db, "--date", DAY, "--rules", str(rules)])
    assert result.exit_code == 1
    # the rule set's check names the file and line, like every other rule set problem
    lines = result.output.strip().splitlines()
    assert lines[0] == f"{trends_file}:3: acwr_safe_band.high (0.8) must be above low (1.3)"
    assert lines[-1].startswith("Error: the rule set is invalid (1 problem")
    assert "Traceback" not in result.output

    trends_file.write_text("acwr_safe_band: {low: 0.9, high: 1.1}\n")
    result = runner.invoke(cli, ["trends", "--db", db, "--date", DAY, "--rules", str(rules), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["acwr_safe_band"] == {"low": 0.9, "high": 1.1}


def test_real_process_writes_text_when_piped(db, tmp_path):
    coach = Path(sys.executable).parent / "coach"
    env = {**os.environ, "COACH_DATABASE_URL": db}
    proc = subprocess.run([str(coach), "trends", "--date", DAY, "--weeks", "2"], capture_output=True, text=True,
                          env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "2026-03-22" in proc.stdout and "920" in proc.stdout and "4.00" in proc.stdout
    assert "\x1b[" not in proc.stdout


def test_help_teaches_with_an_example(runner):
    result = runner.invoke(cli, ["trends", "--help"])
    assert result.exit_code == 0
    assert "coach trends --weeks 6 --png trends.png" in result.output
