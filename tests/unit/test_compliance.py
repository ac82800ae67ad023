"""Planned against done (`coach.engine.compliance`): colours, intensity, matching, the settings file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coach.engine.compliance import (CONFIG_PATH, ComplianceSettings, PlannedSettings, compliance, held_against,
                                     history_compliance, parse_planned, weekly_compliance, weeks_compliance)
from coach.engine.model import Proposal, Session, Workout
from coach.engine.rules import SourceFile, builtin_dir

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


BUILTIN = builtin_dir() / CONFIG_PATH


def _parse(text: str, name: str = "planned.yml"):
    return parse_planned(SourceFile(name, text))


def test_the_built_in_settings_are_valid():
    settings, problems = _parse(BUILTIN.read_text(encoding="utf-8"))
    assert problems == [] and isinstance(settings, PlannedSettings)
    assert settings.compliance.green_pct < settings.compliance.amber_pct
    assert settings.watch.pace_range_s_per_km > 0


def test_a_bad_value_names_its_line():
    text = BUILTIN.read_text(encoding="utf-8")
    lines = text.splitlines()
    settings, (problem,) = _parse(text.replace("green_pct: 20", "green_pct: 70"))
    assert settings is None
    assert "amber_pct (50) must be above green_pct (70)" in problem.message
    assert lines[problem.line - 1].strip().startswith("amber_pct:")
    _, (problem,) = _parse(text.replace("pace_range_s_per_km: 5", "pace_range_s_per_km: fast"))
    assert "pace_range_s_per_km" in problem.message and "pace_range_s_per_km" in lines[problem.line - 1]
    _, (problem,) = _parse(text.replace("hard: 4", "hard: 7"))
    assert "zone from 1 to 5, got 7" in problem.message and lines[problem.line - 1].strip() == "hard: 4"
    _, problems = _parse(text.replace("amber_pct: 50", "amber_pc: 50"))
    assert sorted(p.message for p in problems) == [
        "compliance.amber_pct is missing",
        "compliance: unknown key 'amber_pc' (known: green_pct, amber_pct)"]


def test_a_rule_set_checks_its_planned_file_with_the_rest(tmp_path):
    import shutil

    from coach.service.rulesets import check_rule_set, read_rule_set

    copy = tmp_path / "rules"
    shutil.copytree(builtin_dir(), copy, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    assert read_rule_set(copy).planned == read_rule_set(builtin_dir()).planned
    path = copy / CONFIG_PATH
    path.write_text(path.read_text(encoding="utf-8").replace("green_pct: 20", "green_pct: 70"), encoding="utf-8")
    (problem,) = check_rule_set(copy)
    assert problem.file == str(path) and "amber_pct" in problem.message
    # a copy made before the file existed uses the built-in one
    path.unlink()
    assert check_rule_set(copy) == [] and read_rule_set(copy).planned == read_rule_set(builtin_dir()).planned
