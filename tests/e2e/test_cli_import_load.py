"""Importing the project's real FIT/GPX/TCX files gives their heart-rate load (issue 13)."""

from __future__ import annotations

import json

import pytest

from coach.cli.main import cli
from coach.engine.load_methods import hr_points


def test_real_watch_files_get_their_heart_rate_load(runner, sqlite_url, real_data_dir):
    assert runner.invoke(cli, ["init", "--db", sqlite_url, "--name", "Ana"]).exit_code == 0
    result = runner.invoke(cli, ["import", "--db", sqlite_url, *(str(real_data_dir / f) for f in ("fit", "gpx", "tcx"))])
    assert result.exit_code == 0, result.output
    out = runner.invoke(cli, ["history", "--db", sqlite_url, "--since", "all", "--json"]).output
    workouts = json.loads(out)["workouts"]
    with_hr = [w for w in workouts if w["avg_hr"] and w["rpe"] is None]
    assert len(with_hr) >= 8
    # no physiology on the profile: HRmax is the highest recorded, threshold 90 % of it, rest assumed 60
    hr_max = max(w["max_hr"] for w in workouts if w["max_hr"])
    for w in with_hr:
        minutes = (w["duration_s"] or w["elapsed_s"]) / 60
        expected = hr_points(minutes, w["avg_hr"], 60, hr_max, round(hr_max * 0.9)) * 4.0
        assert w["load_method"] == "hr" and w["load"] == pytest.approx(expected, abs=0.05), w
    # runs without heart rate fall back on pace against the threshold pace of the runs' fitness
    assert {w["load_method"] for w in workouts if not w["avg_hr"] and w["sport"] == "run"} <= {"pace", "none"}
