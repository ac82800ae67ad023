"""Planned against done (`coach.engine.compliance`): colours, intensity, matching, the settings file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coach.engine.compliance import (ComplianceSettings, PlannedSettings, compliance, held_against,
                                     history_compliance, planned_settings_problems, read_planned_settings,
                                     validate_dir, weekly_compliance, weeks_compliance)
from coach.engine.model import Proposal, Session, Workout
from coach.engine.rules import builtin_dir

DAY = dt.date(2026, 11, 24)
BANDS = ComplianceSettings(green_pct=20, amber_pct=50)
KINDS = {"easy": "easy", "recovery": "easy", "long": "moderate", "steady": "moderate", "tempo": "hard",
         "intervals": "hard", "race": "hard", "rest": "rest"}
INTERVALS = Session(sport="run", kind="intervals", intensity="hard", purpose="p",
                    total_duration_s=3600, total_distance_m=10000)


def _done(minutes=60.0, kind="intervals", rpe=8, sport="run", km=None, day=DAY) -> Workout:
    return Workout(date=day, sport=sport, kind=kind, duration_s=minutes * 60 if minutes else None, rpe=rpe,
                   distance_m=km * 1000 if km else None)


def _check(done, planned=INTERVALS):
    return compliance(planned, done, BANDS, intensity_of_kind=KINDS, hard_rpe=7)


@pytest.mark.parametrize("minutes, colour", [
    (60, "green"), (72, "green"), (48, "green"),      # within +-20 %
    (73, "amber"), (47, "amber"), (90, "amber"), (30, "amber"),  # within +-50 %
    (91, "red"), (29, "red"),                          # beyond
])
def test_volume_bands(minutes, colour):
    result = _check(_done(minutes))
    assert result.colour == colour
    assert result.measure == "duration" and result.volume_pct == pytest.approx(100 * minutes / 60, abs=0.1)


def test_wrong_intensity_is_red_whatever_the_volume():
    result = _check(_done(60, kind="easy", rpe=3))
    assert (result.colour, result.done_intensity, result.planned_intensity) == ("red", "easy", "hard")
    assert "easy instead of hard" in result.reason


def test_an_rpe_at_the_hard_threshold_makes_an_unkinded_workout_hard():
    assert _check(_done(60, kind=None, rpe=8)).colour == "green"
    unknown = _check(_done(60, kind=None, rpe=None))
    assert unknown.colour == "green" and unknown.done_intensity is None and "unknown" in unknown.reason


def test_distance_is_the_measure_when_the_done_workout_has_no_duration():
    result = _check(_done(minutes=None, km=12.6))
    assert (result.measure, result.colour) == ("distance", "amber")
    assert result.volume_pct == pytest.approx(126.0)


def test_a_workout_on_a_planned_rest_day_is_red():
    rest = Session(sport="rest", kind="rest", intensity="rest", purpose="rest")
    assert _check(_done(30, kind="easy", rpe=3), rest).colour == "red"


def test_the_bands_come_from_the_settings():
    strict = ComplianceSettings(green_pct=5, amber_pct=10)
    result = compliance(INTERVALS, _done(66), strict, intensity_of_kind=KINDS, hard_rpe=7)
    assert result.colour == "amber"


def test_held_against_picks_the_longest_workout_of_the_planned_sport():
    short, long_, bike = _done(20, kind="easy", rpe=3), _done(55), _done(90, sport="bike", kind="steady", rpe=5)
    assert held_against([short, long_, bike], INTERVALS) is long_
    assert held_against([bike], INTERVALS) is None
    assert held_against([], INTERVALS) is None


def test_history_compliance_matches_each_day_with_its_proposal_only():
    other_day = DAY - dt.timedelta(days=1)
    workouts = [_done(60, day=other_day), _done(20, kind="easy", rpe=3), _done(58)]
    proposals = [Proposal(athlete="Ana", date=DAY, session=INTERVALS)]
    result = history_compliance(workouts, proposals, BANDS, intensity_of_kind=KINDS, hard_rpe=7)
    assert result[0] is None  # no proposal stored for that day
    assert result[1] is None  # the extra short run beside the one held against the plan
    assert result[2].colour == "green" and result[2].planned_kind == "intervals"


def test_weekly_compliance_counts_colours_and_missed_sessions():
    assert weekly_compliance(["green", "green", "amber", "red"]) == {
        "green": 2, "amber": 1, "red": 1, "missed": 0, "green_pct": 50}
    assert weekly_compliance(["green"], missed=3)["green_pct"] == 25
    assert weekly_compliance([])["green_pct"] is None


def test_weeks_compliance_judges_each_stored_proposal_of_the_week():
    rest = Session(sport="rest", kind="rest", intensity="rest", purpose="rest")
    day = lambda n: DAY + dt.timedelta(days=n)  # noqa: E731
    proposals = [Proposal(athlete="Ana", date=day(n), session=s)
                 for n, s in [(0, INTERVALS), (1, INTERVALS), (2, rest), (3, INTERVALS), (8, INTERVALS)]]
    workouts = [_done(60, day=day(0)), _done(100, day=day(1)), _done(30, kind="easy", rpe=3, day=day(5))]
    weeks = [(day(0), day(6)), (day(7), day(13))]
    result = weeks_compliance(workouts, proposals, weeks, BANDS, today=day(8), intensity_of_kind=KINDS, hard_rpe=7)
    # day 0 green, day 1 red (167 %), day 2 a rest kept, day 3 missed; day 5 was not planned
    assert result[0] == {"start": day(0).isoformat(), "end": day(6).isoformat(), "green": 1, "amber": 0, "red": 1,
                         "missed": 1, "green_pct": 33}
    # day 8 is today: not judged yet
    assert result[1]["missed"] == 0 and result[1]["green_pct"] is None


def test_the_built_in_settings_are_valid():
    settings = read_planned_settings(builtin_dir())
    assert isinstance(settings, PlannedSettings)
    assert settings.compliance.green_pct < settings.compliance.amber_pct
    assert validate_dir(builtin_dir()) == []


def test_a_bad_value_names_its_line(tmp_path):
    path = tmp_path / "planned" / "planned.yml"
    path.parent.mkdir()
    text = (builtin_dir() / "planned" / "planned.yml").read_text()
    path.write_text(text.replace("green_pct: 20", "green_pct: 70"))
    settings, problems = planned_settings_problems(path)
    assert settings is None
    (line, message), = problems
    assert "amber_pct (50.0) must be above green_pct (70.0)" in message
    assert text.splitlines()[line - 1].strip().startswith("compliance:")
    path.write_text(text.replace("pace_range_s_per_km: 5", "pace_range_s_per_km: fast"))
    (line, message), = planned_settings_problems(path)[1]
    assert "pace_range_s_per_km" in message and "pace_range_s_per_km" in text.splitlines()[line - 1]
    problems = validate_dir(tmp_path)
    assert len(problems) == 1 and str(problems[0]).startswith(f"{path}:{line}:")


def test_a_rule_set_copied_before_the_file_existed_uses_the_built_in_one(tmp_path):
    assert read_planned_settings(Path(tmp_path)) == read_planned_settings(builtin_dir())
