"""`coach import PATH...` with watch files and folders, through click and a real subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from coach.cli.main import cli


@pytest.fixture
def db(tmp_path, runner):
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    result = runner.invoke(cli, ["init", "--db", url, "--name", "Ana", "--recent-race", "5k=20:30"])
    assert result.exit_code == 0, result.output
    return url


def test_import_folder_summary_and_json(runner, db, real_data_dir, tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    shutil.copy(real_data_dir / "fit" / "fr645m-run-6laps.fit", folder)
    shutil.copy(real_data_dir / "tcx" / "fr620-run-3laps.tcx", folder)
    result = runner.invoke(cli, ["import", "--db", db, str(folder)])
    assert result.exit_code == 0, result.output
    assert "Imported 2 workouts for Ana from 2 files: 0 already imported, 0 failed." in result.output

    again = runner.invoke(cli, ["import", "--db", db, "--json", str(folder), str(real_data_dir / "fit" / "fr645m-run-6laps.fit")])
    assert again.exit_code == 0, again.output
    data = json.loads(again.output)
    assert data["imported"] == 0 and data["duplicates"] == 3 and data["failed"] == 0  # the copy and the original
    assert {f["status"] for f in data["files"]} == {"duplicate"}

    history = runner.invoke(cli, ["history", "--db", db, "--since", "2018-01-01"])
    assert "*" in history.output and "inferred" in history.output


def test_bad_files_are_reported_and_exit_1(runner, db, real_data_dir, tmp_path):
    (tmp_path / "empty.gpx").write_bytes(b"")
    result = runner.invoke(cli, ["import", "--db", db, str(real_data_dir / "corrupt" / "activity-unexpected-eof.fit"),
                                 str(tmp_path / "empty.gpx"), str(real_data_dir / "gpx" / "tomtom-run.gpx")])
    assert result.exit_code == 1
    assert "activity-unexpected-eof.fit: truncated FIT file" in result.output
    assert "empty.gpx: empty file" in result.output
    assert "Imported 1 workout for Ana from 3 files: 0 already imported, 2 failed." in result.output
    assert "Traceback" not in result.output


def test_dry_run_is_for_csv_only(runner, db, real_data_dir):
    result = runner.invoke(cli, ["import", "--db", db, "--dry-run", str(real_data_dir / "gpx" / "tomtom-run.gpx")])
    assert result.exit_code == 2 and "--dry-run works with one CSV file only" in result.output


def test_bad_classify_file_is_one_line(runner, db, real_data_dir, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "classify.yml").write_text("kinds:\n  - kind: jog\n", encoding="utf-8")
    result = runner.invoke(cli, ["import", "--db", db, "--rules", str(rules), str(real_data_dir / "gpx" / "tomtom-run.gpx")])
    assert result.exit_code == 1
    assert "classify.yml:2: kind must be one of" in result.output


def test_subprocess_is_quiet_without_a_tty(db, real_data_dir, tmp_path):
    env = {**os.environ, "COACH_HOME": str(tmp_path / "home")}
    proc = subprocess.run(
        [sys.executable, "-m", "coach.cli", "import", "--db", db, str(real_data_dir / "tcx")],
        capture_output=True, text=True, env=env, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # no progress bar when not a terminal
    assert "Imported 4 workouts for Ana from 4 files" in proc.stdout


def test_import_refuses_a_rule_set_with_a_bad_form_threshold(runner, db, real_data_dir, tmp_path):
    from coach.engine.rules import builtin_dir

    rules = tmp_path / "rules"
    shutil.copytree(builtin_dir(), rules, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    settings = rules / "settings.yml"
    text = settings.read_text()
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.strip().startswith("form_drift_pct:"))
    settings.write_text(text.replace("form_drift_pct:", "form_drift_pct: -3 #", 1))
    result = runner.invoke(cli, ["import", "--db", db, "--rules", str(rules),
                                 str(real_data_dir / "fit" / "fr645m-run-6laps.fit")])
    assert result.exit_code == 1
    assert f"{settings}:{line}:" in result.output and "form_drift_pct" in result.output
    history = runner.invoke(cli, ["history", "--db", db, "--since", "all", "--json"])
    assert json.loads(history.output)["workouts"] == []
