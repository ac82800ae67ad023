"""The loaded rule set: one object carries every part, validates from text, compiles once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pathlib

import pytest

from coach.engine.model import Athlete, Kind, Rep, Sport, Workout
from coach.engine.rules import SourceFile
from coach.engine.ruleset import RuleSet, rule_set_of, validate_rule_set
from coach.service.propose import propose_from_history
from coach.service.rulesets import builtin_dir, read_rule_set, read_sources

DAY = dt.date(2026, 11, 19)


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return read_rule_set(None)


def recorded_intervals(days_ago: int = 2) -> Workout:
    """A watch-recorded interval session (laps from a FIT file)."""
    laps = [(2000, 660)] + [(800, 192), (200, 90)] * 5 + [(800, 194), (1600, 600)]
    reps = [Rep(index=i + 1, distance_m=m, duration_s=s) for i, (m, s) in enumerate(laps)]
    return Workout(date=DAY - dt.timedelta(days=days_ago), sport=Sport.run, kind=Kind.intervals, rpe=8,
                   duration_s=sum(s for _, s in laps), distance_m=sum(m for m, _ in laps),
                   source="fit:0f3a9c", reps=reps)


def test_every_part_is_carried_by_the_one_object(ruleset):
    assert ruleset.rules and ruleset.settings.pattern
    assert ruleset.templates.find("5k", "intervals") is not None
    assert ruleset.classify.kinds and ruleset.classify.form.work_pace_pct is not None
    assert ruleset.trends.acwr_safe_band.low < ruleset.trends.acwr_safe_band.high
    assert ruleset.templates.directory == builtin_dir() / "sessions"


def test_the_evaluator_is_compiled_once_per_rule_set_object(ruleset):
    assert ruleset.evaluator() is ruleset.evaluator()
    other = rule_set_of(ruleset, ruleset.rules[:1], "one-rule")
    assert other.evaluator() is not ruleset.evaluator()
    assert other.evaluator().rules == ruleset.rules[:1]


def test_fact_settings_take_the_work_lap_threshold_from_classify(ruleset):
    assert ruleset.fact_settings().work_pace_pct is None
    assert ruleset.fact_settings(recorded_laps=True).work_pace_pct == ruleset.classify.form.work_pace_pct
    assert ruleset.fact_settings() is ruleset.fact_settings()  # parsed once per rule set


def test_the_engine_validates_text_it_is_given():
    sources = read_sources(builtin_dir())
    assert validate_rule_set(sources)[1] == []
    bad = SourceFile("in-memory/classify.yml", "kinds: []\n")
    ruleset, problems = validate_rule_set(dataclasses.replace(sources, classify=bad))
    assert ruleset is None
    assert [str(p) for p in problems] == [
        "in-memory/classify.yml:1: kinds must be a non-empty list of {kind, sports, when}"]


def test_a_proposal_never_goes_back_to_disk(ruleset, monkeypatch):
    """Facts with recorded laps need classify.yml's threshold: it comes from the rule set."""
    def no_disk(*_args, **_kwargs):
        raise AssertionError("a file was read during a proposal")

    evaluator = ruleset.evaluator()
    for name in ("read_text", "read_bytes", "open", "iterdir", "is_file", "is_dir"):
        monkeypatch.setattr(pathlib.Path, name, no_disk)
    monkeypatch.setattr("builtins.open", no_disk)
    proposal = propose_from_history(Athlete(name="Ana"), [recorded_intervals()], DAY, ruleset, evaluator)
    assert proposal.rules_version == ruleset.version
    assert proposal.facts["form.reps"] == 6  # only the work laps: classify.yml's threshold was applied
