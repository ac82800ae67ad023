"""Kind classification of recorded workouts, with the thresholds from classify.yml."""

from __future__ import annotations

import pytest

from coach.engine.classify import FEATURES, classify, features, parse_classify
from coach.engine.rules import SourceFile
from coach.service.rulesets import builtin_dir, read_rule_set, read_sources
from coach.engine.model import Kind, Rep, Sport, Workout
from coach.engine.paces import training_paces, vdot

import datetime as dt

DAY = dt.date(2026, 3, 2)
PACES = training_paces(vdot(5000, 20 * 60 + 30))  # a 20:30 5K runner (from a race)
CONFIG = read_rule_set().classify


def validate_dir(folder):
    """The problems of a rule set folder's classify.yml."""
    path = folder / "classify.yml"
    return parse_classify(SourceFile(str(path), path.read_text(encoding="utf-8")))[1]


def load_classify(folder):
    """classify.yml as the rule set loader reads it: the folder's own, else the built-in one."""
    config, problems = parse_classify(read_sources(folder).classify)
    assert not problems, problems
    return config


def laps(*spec):
    """(metres, seconds) per lap -> reps"""
    return [Rep(index=i, distance_m=d, duration_s=t) for i, (d, t) in enumerate(spec, start=1)]


def run(distance_m, duration_s, reps=(), sport=Sport.run):
    return Workout(date=DAY, sport=sport, distance_m=distance_m, duration_s=duration_s, reps=list(reps))


def kind_of(w, paces=PACES, config=CONFIG):
    return classify(w, paces, config)[0]


def test_builtin_file_is_valid():
    assert validate_dir(builtin_dir()) == []


def test_easy_run():
    pace = PACES.easy * 1.02
    w = run(8000, 8 * pace, laps(*[(1000, pace)] * 8))
    assert kind_of(w) == Kind.easy


def test_steady_run_is_faster_than_easy():
    pace = PACES.easy * 0.90
    assert kind_of(run(10000, 10 * pace, laps(*[(1000, pace)] * 10))) == Kind.steady


def test_intervals_from_alternating_laps():
    rep, jog = PACES.interval, PACES.easy * 1.15
    spec = [(2000, 2 * PACES.easy)]
    for _ in range(6):
        spec += [(800, 0.8 * rep), (400, 0.4 * jog)]
    spec += [(2000, 2 * PACES.easy)]
    reps = laps(*spec)
    w = run(sum(r.distance_m for r in reps), sum(r.duration_s for r in reps), reps)
    f = features(w, PACES, CONFIG.parameters)
    assert f["surge_blocks"] == 6
    assert kind_of(w) == Kind.intervals
    # structure alone (no paces known) still finds intervals
    assert kind_of(w, paces=None) == Kind.intervals


def test_progression_run_is_not_intervals():
    paces = [PACES.easy, PACES.easy, PACES.easy * 0.97, PACES.easy * 0.85, PACES.easy * 0.80, PACES.easy * 0.78]
    reps = laps(*[(1000, p) for p in paces])
    w = run(6000, sum(paces), reps)
    assert features(w, PACES, CONFIG.parameters)["surge_blocks"] == 1
    assert kind_of(w) != Kind.intervals


def test_tempo_from_time_at_threshold():
    spec = [(2000, 2 * PACES.easy), (5000, 5 * PACES.threshold), (2000, 2 * PACES.easy)]
    reps = laps(*spec)
    w = run(9000, sum(t for _, t in spec), reps)
    assert features(w, PACES, CONFIG.parameters)["threshold_minutes"] == pytest.approx(5 * PACES.threshold / 60)
    assert kind_of(w) == Kind.tempo


def test_race_at_predicted_time():
    from coach.engine.paces import race_time

    t = race_time(PACES.vdot, 10000) * 1.01
    assert kind_of(run(10000, t)) == Kind.race
    # the same run with estimated paces is never called a race
    estimated = training_paces(PACES.vdot, estimated=True)
    assert kind_of(run(10000, t), paces=estimated) != Kind.race


def test_long_run_and_long_ride():
    assert kind_of(run(16000, 95 * 60)) == Kind.long
    assert kind_of(run(40000, 100 * 60, sport=Sport.bike)) == Kind.easy
    assert kind_of(run(80000, 160 * 60, sport=Sport.bike)) == Kind.long


def test_unknown_features_make_conditions_false():
    w = run(5000, 30 * 60)  # no laps, no paces
    f = features(w, None, CONFIG.parameters)
    assert "surge_blocks" not in f and "pace_vs_easy_pct" not in f
    assert kind_of(w, paces=None) == Kind.easy


def test_cross_training_is_cross():
    assert kind_of(run(3000, 1800, sport=Sport.cross)) == Kind.cross


def test_thresholds_come_from_the_file(tmp_path):
    (tmp_path / "classify.yml").write_text(
        "kinds:\n  - kind: long\n    when:\n      minutes: {min: 30}\n  - kind: easy\n", encoding="utf-8"
    )
    config = load_classify(tmp_path)
    assert kind_of(run(6000, 35 * 60), config=config) == Kind.long
    assert kind_of(run(6000, 25 * 60), config=config) == Kind.easy


def test_missing_file_falls_back_to_builtin(tmp_path):
    assert load_classify(tmp_path).kinds == CONFIG.kinds


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("kinds:\n  - kind: sprint\n", 2, "kind must be one of"),
        ("kinds:\n  - kind: easy\n    when:\n      speed: {min: 3}\n", 4, "unknown feature 'speed'"),
        ("kinds:\n  - kind: easy\n    when:\n      minutes: {least: 3}\n", 4, "condition on minutes"),
        ("kinds:\n  - kind: easy\n    when:\n      minutes: {min: 9, max: 3}\n", 4, "above its max"),
        ("kinds:\n  - kind: easy\n    sports: [hockey]\n", 3, "sports must be"),
        ("parameters:\n  surge_pct: -1\nkinds:\n  - kind: easy\n", 2, "surge_pct must be a number"),
        ("parameters:\n  speed: 1\nkinds:\n  - kind: easy\n", 2, "unknown parameter"),
        ("kinds: []\n", 1, "non-empty list"),
        ("kinds:\n  - kind: easy\nform:\n  work_pace_pct: 150\n", 4, "percentage"),
        ("kinds:\n  - kind: easy\nextra: 1\n", 3, "unknown section"),
        ("kinds:\n  - kind: easy\n  bad: [\n", 3, "YAML syntax"),
        ("kinds:\n  - kind: easy\n  - easy\n", 3, "each kinds entry must be a mapping"),
        ("kinds:\n  - kind: easy\n    colour: red\n", 3, "unknown key 'colour' in a kinds entry"),
        ("kinds:\n  - kind: easy\nform:\n  speed: 3\n", 4, "unknown key 'speed' in form"),
        ("kinds:\n  - kind: easy\nform: 3\n", 3, "form must be a mapping"),
        ("kinds:\n  - kind: easy\n    when: 5\n", 3, "when must be a mapping"),
    ],
)
def test_problems_name_file_and_line(tmp_path, text, line, words):
    (tmp_path / "classify.yml").write_text(text, encoding="utf-8")
    problems = validate_dir(tmp_path)
    assert problems, text
    assert problems[0].line == line
    assert words in problems[0].message
    assert str(problems[0]).startswith(f"{tmp_path / 'classify.yml'}:{line}: ")


def test_features_are_documented_in_the_builtin_file():
    text = (builtin_dir() / "classify.yml").read_text(encoding="utf-8")
    for name in FEATURES:
        assert f"#   {name}" in text


def test_every_entry_with_a_problem_is_reported_in_line_order(tmp_path):
    (tmp_path / "classify.yml").write_text(
        "parameters:\n  surge_pct: x\nkinds:\n  - kind: sprint\n  - kind: easy\n    sports: [hockey]\n",
        encoding="utf-8",
    )
    path = tmp_path / "classify.yml"
    assert [str(p) for p in validate_dir(tmp_path)] == [
        f"{path}:2: parameter surge_pct must be a number >= 0",
        f"{path}:4: kind must be one of easy, intervals, long, race, recovery, repetitions, steady, tempo,"
        " three_zone, time_trial, not 'sprint'",
        f"{path}:6: sports must be a list of bike, brick, cross, rest, run, strength, swim",
    ]


def test_each_kind_rule_knows_the_line_of_its_entry():
    text = (builtin_dir() / "classify.yml").read_text(encoding="utf-8").splitlines()
    for rule in CONFIG.kinds:
        assert text[rule.line - 1].lstrip().startswith(f"- kind: {rule.kind.value}")
