"""Load per sport: the total's formulas on each sport's part of the log, a brick shared."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from coach.engine import training_load as L
from coach.engine.facts import FactSettings, compute_facts
from coach.engine.load_methods import LoadSettings
from coach.engine.model import Athlete, Kind, Sport, Workout
from coach.engine.vocabulary import FACTS_BY_NAME, LOAD_SPORT_NAMES

from tests.unit.test_facts import SETTINGS

DAY = dt.date(2026, 11, 19)  # a Thursday: the week so far is Monday to Wednesday


def w(days_before, sport, minutes, rpe, kind=Kind.steady):
    return Workout(date=DAY - dt.timedelta(days=days_before), sport=sport, kind=kind, duration_s=minutes * 60, rpe=rpe)


def history():
    """Four weeks: a run (45 min RPE 6 = 270 AU) every other day, a ride (60 min RPE 5 = 300 AU)
    every third day, a swim (40 min RPE 5 = 200 AU) every Monday; one brick (90 min RPE 6 = 540
    AU) two days ago."""
    out = []
    for n in range(1, 29):
        d = DAY - dt.timedelta(days=n)
        if n % 2 == 0:
            out.append(w(n, Sport.run, 45, 6))
        if n % 3 == 0:
            out.append(w(n, Sport.bike, 60, 5))
        if d.weekday() == 0:
            out.append(w(n, Sport.swim, 40, 5))
    out.append(w(2, Sport.brick, 90, 6, Kind.tempo))
    return out


def by_hand(workouts, sport, share_run=0.25):
    """The per-sport daily series, written out without the code under test."""
    series = [0.0] * 56
    for x in workouts:
        part = {sport: 1.0}.get(x.sport.value)
        if x.sport == Sport.brick and sport in ("run", "bike"):
            part = share_run if sport == "run" else 1 - share_run
        if part:
            series[55 - ((DAY - x.date).days - 1)] += x.rpe * x.duration_s / 60 * part
    return series


def test_every_sport_gets_acute_chronic_ratio_week_load_and_share_as_documented():
    facts = compute_facts(Athlete(name="Tri", sport="triathlon"), history(), DAY, SETTINGS)
    for sport in LOAD_SPORT_NAMES:
        series = by_hand(history(), sport)
        assert facts[f"load.{sport}_acute"] == pytest.approx(sum(series[-7:]), abs=0.1)
        assert facts[f"load.{sport}_chronic"] == pytest.approx(sum(series[-28:]) / 4, abs=0.1)
        assert facts[f"load.{sport}_acwr"] == pytest.approx(sum(series[-7:]) / (sum(series[-28:]) / 4), abs=1e-3)
        assert facts[f"week.{sport}_load"] == pytest.approx(sum(series[-3:]), abs=0.1)  # Mon, Tue, Wed
        assert facts[f"week.{sport}_share_pct"] == pytest.approx(sum(series[-3:]) / facts["week.load"] * 100, abs=0.1)
        for name in (f"load.{sport}_acute", f"week.{sport}_share_pct"):
            assert FACTS_BY_NAME[name].unit in ("AU", "%")


def test_the_brick_is_shared_and_the_sports_add_up_to_the_total():
    facts = compute_facts(Athlete(name="Tri", sport="triathlon"), history(), DAY, SETTINGS)
    # Monday: swim 200 + run 270 (n=3 is odd: no run) ... the week holds swim, ride, runs and the brick
    assert sum(facts[f"week.{s}_load"] for s in LOAD_SPORT_NAMES) == pytest.approx(facts["week.load"], abs=0.2)
    assert sum(facts[f"load.{s}_acute"] for s in LOAD_SPORT_NAMES) == pytest.approx(facts["load.acute"], abs=0.2)
    assert sum(facts[f"week.{s}_share_pct"] for s in LOAD_SPORT_NAMES) == pytest.approx(100.0, abs=0.2)
    # a brick of 540 AU gives 135 to the run and 405 to the bike at the default 25 %
    without = [x for x in history() if x.sport != Sport.brick]
    bare = compute_facts(Athlete(name="Tri", sport="triathlon"), without, DAY, SETTINGS)
    assert facts["week.run_load"] - bare["week.run_load"] == pytest.approx(135.0)
    assert facts["week.bike_load"] - bare["week.bike_load"] == pytest.approx(405.0)
    # the share is a setting
    half = replace(FactSettings.of(SETTINGS), load=replace(LoadSettings.of(SETTINGS["load"]), brick_run_share_pct=50))
    halved = compute_facts(Athlete(name="Tri", sport="triathlon"), history(), DAY, half)
    assert halved["week.run_load"] - bare["week.run_load"] == pytest.approx(270.0)


def test_strength_and_cross_count_in_the_total_only():
    extra = history() + [w(1, Sport.strength, 60, 6), w(1, Sport.cross, 30, 4)]
    facts = compute_facts(Athlete(name="Tri", sport="triathlon"), extra, DAY, SETTINGS)
    plain = compute_facts(Athlete(name="Tri", sport="triathlon"), history(), DAY, SETTINGS)
    assert facts["week.load"] - plain["week.load"] == pytest.approx(480.0)
    for s in LOAD_SPORT_NAMES:
        assert facts[f"week.{s}_load"] == plain[f"week.{s}_load"]
        assert facts[f"load.{s}_acute"] == plain[f"load.{s}_acute"]


def test_unknown_ratio_without_a_chronic_load_and_no_share_on_monday():
    runs_only = [x for x in history() if x.sport == Sport.run]
    facts = compute_facts(Athlete(name="Runner"), runs_only, DAY, SETTINGS)
    assert "load.swim_acwr" not in facts and facts["load.swim_acute"] == 0.0
    assert facts["week.run_share_pct"] == 100.0
    monday = compute_facts(Athlete(name="Runner"), runs_only, DAY - dt.timedelta(days=3), SETTINGS)
    assert monday["week.load"] == 0.0 and "week.run_share_pct" not in monday


def test_the_sport_series_add_up_to_the_total_series_less_strength_and_cross():
    extra = history() + [w(1, Sport.strength, 60, 6), w(9, Sport.cross, 30, 4)]
    by_sport = L.sport_load_series(extra, DAY - dt.timedelta(days=1), 56, L.session_load, 25)
    total = L.load_series(extra, DAY - dt.timedelta(days=1), 56)
    others = L.load_series([x for x in extra if x.sport in (Sport.strength, Sport.cross)], DAY - dt.timedelta(days=1), 56)
    for i in range(56):
        assert sum(s[i] for s in by_sport.values()) + others[i] == pytest.approx(total[i])
    assert by_sport["run"][-2] - by_hand([x for x in history() if x.sport == Sport.run], "run")[-2] == pytest.approx(135.0)


def test_a_rule_set_copied_before_the_brick_share_existed_still_loads_with_25_pct():
    import yaml

    from coach.engine.rules.source import SourceFile, parse_yaml
    from coach.engine.rules.validate import validate_settings
    from coach.service.rulesets import read_rule_set

    plain = yaml.safe_load((read_rule_set(None).directory / "settings.yml").read_text())
    del plain["load"]["brick_run_share_pct"]
    settings, problems = validate_settings("settings.yml", parse_yaml(SourceFile("settings.yml", yaml.safe_dump(plain))))
    assert problems == [] and settings.load.brick_run_share_pct == 25
    plain["load"]["brick_run_share_pct"] = 120
    _, problems = validate_settings("settings.yml", parse_yaml(SourceFile("settings.yml", yaml.safe_dump(plain))))
    assert [p.message for p in problems] == ["load.brick_run_share_pct: input should be less than or equal to 100, got 120"]
