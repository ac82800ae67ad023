"""Session templates: the built-in set is complete and well-formed; bad files name file:line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.engine.rules import RuleSetInvalid
from coach.engine.templates import (
    GOALS,
    PaceRef,
    parse_distance,
    parse_duration,
    parse_pace,
    parse_templates,
)
from coach.engine.vocabulary import KINDS
from coach.service import rulesets


def builtin_dir() -> Path:
    return rulesets.builtin_dir() / "sessions"


def validate_dir(folder: Path) -> list:
    """Every problem of a folder of session templates, as the rule set loader finds them."""
    return parse_templates(str(folder), rulesets.source_files(folder))[1]


@pytest.fixture(scope="module")
def builtin():
    return rulesets.read_rule_set().templates


@pytest.fixture
def sessions(tmp_path) -> Path:
    """An editable copy of the built-in templates."""
    target = tmp_path / "sessions"
    shutil.copytree(builtin_dir(), target, ignore=shutil.ignore_patterns("__*"))
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_the_builtin_templates_are_valid(builtin):
    assert validate_dir(builtin_dir()) == []
    assert builtin.directory == builtin_dir()


@pytest.mark.parametrize("goal", GOALS)
@pytest.mark.parametrize("kind", KINDS)
def test_every_goal_has_a_session_for_every_kind(builtin, goal, kind):
    template = builtin.find(goal, kind)
    assert template is not None
    assert template.kind == kind
    assert goal in template.goals or "any" in template.goals


@pytest.mark.parametrize("goal", ["5k", "10k", "half", "marathon", "olympic"])
def test_each_goal_has_its_own_hard_sessions(builtin, goal):
    for kind in ("intervals", "tempo", "repetitions", "three_zone", "long"):
        assert goal in builtin.find(goal, kind).goals


def test_every_hard_template_warms_up_tapers_and_cools_down(builtin):
    hard = [t for t in builtin.templates if t.intensity == "hard"]
    assert len(hard) >= 20
    for t in hard:
        assert t.warmup and t.taper and t.cooldown, t.id
        assert len(t.purpose) > 20, t.id
        assert t.simple is not None or t.kind in ("race", "time_trial"), t.id


def test_the_5k_interval_day_has_strides_and_400s_a_little_faster_than_race_pace(builtin):
    t = builtin.find("5k", "intervals")
    assert any("stride" in s.what and s.pace.zone == "repetition" for s in t.main)
    last = t.main[-1]
    assert last.distance_m == 400 and last.reps >= 6
    assert last.pace.zone == "race" and -5 <= last.pace.offset_pct < 0


def test_the_three_zone_session_ends_with_a_strong_even_block(builtin):
    for goal in ("5k", "10k", "half", "marathon", "sprint"):
        t = builtin.find(goal, "three_zone")
        assert any(s.surge is not None for s in t.main), goal
        assert t.main[-1].surge is None and t.main[-1].reps == 1
        assert "strong" in t.main[-1].what


def test_triathletes_cross_train_on_the_bike(builtin):
    assert builtin.find("olympic", "cross").sport == "bike"
    assert builtin.find("5k", "cross").sport == "cross"


def test_expected_rpe_comes_from_the_template_else_the_intensity(builtin):
    assert builtin.expected_rpe_for("5k", "intervals", "hard") == builtin.find("5k", "intervals").rpe
    assert builtin.expected_rpe_for("5k", "rest", "rest") is None


def test_with_pattern_takes_the_first_kind_of_each_slot(builtin):
    changed = builtin.with_pattern([{"slot": "hard", "kind": "tempo"}, {"slot": "light", "kind": "recovery"},
                                    {"slot": "hard", "kind": "intervals"}])
    assert changed.slot_kinds == {"hard": "tempo", "light": "recovery", "rest": "rest"}
    assert changed.find("5k", "tempo") is builtin.find("5k", "tempo")
    assert builtin.slot_kinds["hard"] == "intervals"


@pytest.mark.parametrize("text, seconds", [("45s", 45), ("12min", 720), ("1h30min", 5400), ("1:30", 90), (90, 90)])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text, metres", [("400m", 400), ("1.6km", 1600), ("2mi", 3218.688)])
def test_parse_distance(text, metres):
    assert parse_distance(text) == pytest.approx(metres)


@pytest.mark.parametrize("text, ref", [
    ("race", PaceRef("race")), ("race-2%", PaceRef("race", offset_pct=-2)),
    ("threshold+5s", PaceRef("threshold", offset_s=5)), ("easy", PaceRef("easy")),
])
def test_parse_pace(text, ref):
    assert parse_pace(text) == ref


@pytest.mark.parametrize("bad", ["fast", "race*2", "race-50%", "", 4])
def test_parse_pace_rejects(bad):
    with pytest.raises(ValueError):
        parse_pace(bad)


@pytest.mark.parametrize("bad", ["ten minutes", "0s", "-5min", True])
def test_parse_duration_rejects(bad):
    with pytest.raises(ValueError):
        parse_duration(bad)


@given(st.floats(min_value=60, max_value=1800), st.sampled_from(["repetition", "interval", "race", "threshold", "marathon", None]))
def test_auto_recoveries_stay_within_half_and_all_of_the_rep(builtin, rep_s, zone):
    # P4: jog recovery of 50-100 % of the rep's duration
    recovery = builtin.recovery.recovery_for(zone, rep_s)
    assert 0.5 * rep_s <= recovery <= 1.0 * rep_s


def test_faster_and_longer_reps_get_longer_recoveries(builtin):
    r = builtin.recovery
    assert r.recovery_for("interval", 120) > r.recovery_for("threshold", 120)
    assert r.recovery_for("interval", 300) / 300 > r.recovery_for("interval", 120) / 120


# --- problems name the file and line ---------------------------------------------------------


def test_an_unknown_pace_zone_is_reported_with_file_and_line(sessions):
    path = sessions / "5k.yml"
    edit(path, "pace: race-2%}", "pace: warp}")
    problems = validate_dir(sessions)
    assert len(problems) == 1
    p = problems[0]
    assert p.file == str(path) and p.line == line_of(path, "pace: warp")
    assert "unknown pace zone 'warp'" in p.message
    assert str(p) == f"{path}:{p.line}: {p.message}"


def test_reading_the_rule_set_lists_every_template_problem(tmp_path):
    target = tmp_path / "set"
    shutil.copytree(rulesets.builtin_dir(), target, ignore=shutil.ignore_patterns("__*", "*.py", "*.md"))
    sessions = target / "sessions"
    edit(sessions / "10k.yml", "kind: tempo", "kind: fartlek")
    edit(sessions / "half.yml", "rpe: 8", "rpe: 11")
    with pytest.raises(RuleSetInvalid) as err:
        rulesets.read_rule_set(target)
    assert len(err.value.problems) == 2
    first, second = (str(p) for p in err.value.problems)
    assert first.startswith(f"{sessions / '10k.yml'}:") and "unknown kind 'fartlek'" in first
    assert second.startswith(f"{sessions / 'half.yml'}:") and "rpe" in second


def test_unknown_keys_are_rejected(sessions):
    path = sessions / "common.yml"
    edit(path, "    kind: easy\n", "    kind: easy\n    colour: blue\n")
    [p] = validate_dir(sessions)
    assert p.line == line_of(path, "colour: blue") and "unknown key 'colour'" in p.message


def test_a_hard_session_without_a_cool_down_is_rejected(sessions):
    path = sessions / "5k.yml"
    text = path.read_text()
    start = text.index("id: 5k-tempo")
    cut = text.index("    cooldown: cooldown_hard\n", start)
    path.write_text(text[:cut] + text[cut + len("    cooldown: cooldown_hard\n"):])
    problems = validate_dir(sessions)
    assert any("5k-tempo" in p.message and "needs a cooldown" in p.message for p in problems)


def test_duplicate_ids_across_files_are_rejected(sessions):
    path = sessions / "half.yml"  # read after 5k.yml
    edit(path, "id: half-long", "id: 5k-long")
    [p] = validate_dir(sessions)
    assert p.file == str(path) and "already used in 5k.yml" in p.message


def test_a_missing_kind_for_some_goal_is_reported(sessions):
    path = sessions / "5k.yml"
    edit(path, "kind: three_zone", "kind: tempo")  # the 5K now has no three-zone session
    problems = validate_dir(sessions)
    assert any("no 'three_zone' template for goal(s) 5k" in p.message for p in problems)


def test_yaml_syntax_errors_name_the_line(sessions):
    path = sessions / "marathon.yml"
    edit(path, "    kind: long\n", "    kind: [long\n")
    problems = validate_dir(sessions)
    assert problems and problems[0].file == str(path) and "YAML syntax" in problems[0].message


def test_unknown_parts_and_missing_defaults(sessions):
    edit(sessions / "half.yml", "warmup: warmup_hard", "warmup: warmup_gentle")
    problems = validate_dir(sessions)
    assert any("unknown part 'warmup_gentle'" in p.message for p in problems)
    (sessions / "defaults.yml").unlink()
    assert any(p.file.endswith("defaults.yml") and "missing" in p.message for p in validate_dir(sessions))


def test_bad_recovery_settings_are_reported(sessions):
    path = sessions / "defaults.yml"
    edit(path, "min_share: 0.5", "min_share: 1.5")
    [p] = validate_dir(sessions)
    assert p.line == line_of(path, "min_share") and "min_share is above max_share" in p.message


def test_a_missing_folder_is_a_problem(tmp_path):
    [p] = validate_dir(tmp_path / "nowhere")
    assert "not found" in p.message


def test_a_bad_step_in_a_part_names_the_part_and_step(sessions):
    path = sessions / "defaults.yml"
    text = path.read_text()
    start = text.index("parts:")
    first_duration = text.index("duration:", start)
    end = text.index(",", first_duration)
    path.write_text(text[:first_duration] + "duration: ten" + text[end:])
    problems = validate_dir(sessions)
    assert problems and all(p.file == str(path) for p in problems[:1])
    assert problems[0].line == text[:first_duration].count("\n") + 1
    assert problems[0].message.startswith("parts.") and "]: duration: 'ten' is not a duration" in problems[0].message


def test_a_step_that_is_not_a_mapping_names_its_place(sessions):
    path = sessions / "common.yml"
    text = path.read_text()
    at = text.index("    main:\n") + len("    main:\n")
    path.write_text(text[:at] + "      - 5\n" + text[at:])
    [p] = validate_dir(sessions)
    assert p.line == text[:at].count("\n") + 1
    assert p.message.endswith("main[1]: a step must be a mapping like {what: ..., duration: 10min, pace: easy}")
