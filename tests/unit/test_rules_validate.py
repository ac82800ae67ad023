"""Rule set validation: every class of problem is reported as an exact file:line: message."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from coach.engine.rules import RuleSetInvalid, builtin_dir
from coach.service.rulesets import check_rule_set, read_rule_set, read_rules_only, validate_directory

BASIC = Path(__file__).parent / "rulesets" / "basic"

GOOD_RULE = """\
rules:
  - id: ok-rule
    principle: P7
    priority: 10
    description: A valid rule.
    when: load.acwr > 1.3
    then:
      - swap: {to: steady}
    reason: "ACWR {load.acwr:.2f}."
"""


def make_set(tmp_path: Path, files: dict[str, str], settings: str | None = None) -> Path:
    """A rule set with these rule files, the fixture's settings (or these) and the built-in
    session templates (these tests are about rule files and settings.yml)."""
    d = tmp_path / "set"
    shutil.copytree(builtin_dir() / "sessions", d / "sessions", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    if settings is None:
        shutil.copy(BASIC / "settings.yml", d / "settings.yml")
    else:
        (d / "settings.yml").write_text(textwrap.dedent(settings))
    for name, text in files.items():
        (d / name).write_text(textwrap.dedent(text))
    return d


def problems_of(d: Path) -> list[str]:
    ruleset, problems = validate_directory(d)
    assert ruleset is None
    return [str(p) for p in problems]


def rule(when='load.acwr > 1.3', then="      - swap: {to: steady}", reason='"ACWR {load.acwr:.2f}."',
         principle="P7", rid="r1", extra=""):
    return (f"rules:\n  - id: {rid}\n    principle: {principle}\n    priority: 10\n"
            f"    description: A rule.\n    when: {when}\n    then:\n{then}\n    reason: {reason}\n{extra}")


# --------------------------------------------------------------------------- the fixture set


def test_basic_fixture_set_loads_in_priority_order():
    ruleset = read_rules_only(BASIC)
    assert [r.id for r in ruleset.rules] == ["rest-when-fatigued", "derive-fatigue", "fatigue-swap-fast-day", "form-shorten"]
    assert [d.name for d in ruleset.derived] == ["fatigue.accumulated"]
    assert ruleset.settings.facts.hard_rpe == 7
    assert [(p.slot, p.kind.value) for p in ruleset.settings.pattern][:2] == [("hard", "intervals"), ("light", "easy")]
    assert ruleset.sessions_dir == BASIC / "sessions"
    swap = ruleset.rule("fatigue-swap-fast-day")
    assert swap.file == str(BASIC / "fatigue.yml") and swap.line == 3
    assert [(a.name, a.params) for a in swap.then] == [("swap", {"to": "steady"}), ("note", {"text": "Keep it conversational."})]


def test_version_is_a_content_hash(tmp_path):
    d = make_set(tmp_path, {"a.yml": GOOD_RULE})
    first = read_rule_set(d).version
    assert read_rule_set(d).version == first
    (d / "a.yml").write_text(GOOD_RULE.replace("1.3", "1.4"))
    assert read_rule_set(d).version != first
    copy = tmp_path / "copy"
    shutil.copytree(d, copy)
    assert read_rule_set(copy).version == read_rule_set(d).version


# --------------------------------------------------------------------------- one test per class


def test_yaml_syntax_error(tmp_path):
    d = make_set(tmp_path, {"bad.yml": "rules:\n  - id: x\n    when: [unclosed\n"})
    assert problems_of(d) == [f"{d}/bad.yml:4: YAML syntax: expected ',' or ']', but got '<stream end>'"]


def test_unknown_fact_with_did_you_mean(tmp_path):
    d = make_set(tmp_path, {"a.yml": rule(when="load.acrw > 1.3")})
    assert problems_of(d) == [f'{d}/a.yml:6: rule "r1": unknown fact "load.acrw" (did you mean "load.acwr"?)']


def test_type_mismatch_number_fact_against_string(tmp_path):
    d = make_set(tmp_path, {"a.yml": rule(when='load.acwr > "high"')})
    assert problems_of(d) == [f'{d}/a.yml:6: rule "r1": type mismatch: load.acwr is a number, compared to the string "high"']


def test_type_mismatch_string_fact_against_number_and_unknown_value(tmp_path):
    d = make_set(tmp_path, {"a.yml": rule(when='plan.intensity == 3 or plan.intensity == "hardd"')})
    assert problems_of(d) == [
        f'{d}/a.yml:6: rule "r1": type mismatch: plan.intensity is a string, compared to the number 3',
        f'{d}/a.yml:6: rule "r1": plan.intensity is never "hardd" (did you mean "hard"?); '
        "its values are: hard, moderate, easy, rest",
    ]


def test_ordering_a_string_fact(tmp_path):
    d = make_set(tmp_path, {"a.yml": rule(when='plan.kind > "easy"')})
    assert problems_of(d) == [f'{d}/a.yml:6: rule "r1": type mismatch: plan.kind is a string; > only compares numbers']


def test_condition_syntax_error(tmp_path):
    d = make_set(tmp_path, {"a.yml": rule(when="load.acwr = 1.3")})
    assert problems_of(d) == [f"{d}/a.yml:6: rule \"r1\": condition: unexpected '=' (use == to compare) at column 11"]


def test_unknown_action(tmp_path):
    d = make_set(tmp_path, {"a.yml": rule(then="      - swapp: {to: steady}")})
    assert problems_of(d) == [
        f'{d}/a.yml:8: rule "r1": unknown action "swapp" (did you mean "swap"?); '
        "allowed: swap, shorten, reduce_intensity, simplify, adjust_pace, set_slot, strides, cap_minutes, note, set"
    ]


def test_unknown_action_parameter(tmp_path):
    d = make_set(tmp_path, {"a.yml": rule(then="      - swap:\n          too: steady")})
    assert problems_of(d) == [
        f'{d}/a.yml:9: rule "r1": swap: unknown parameter "too" (did you mean "to"?); allowed: to',
        f'{d}/a.yml:8: rule "r1": swap: missing parameter "to"',
    ]


def test_missing_action_parameter(tmp_path):
    d = make_set(tmp_path, {"a.yml": rule(then="      - adjust_pace: {}")})
    assert problems_of(d) == [f'{d}/a.yml:8: rule "r1": adjust_pace: missing parameter "percent"']


def test_out_of_range_and_wrong_value_parameters(tmp_path):
    then = "      - shorten: {percent: 95}\n      - swap: {to: hard}\n      - reduce_intensity: {zones: two}"
    d = make_set(tmp_path, {"a.yml": rule(then=then)})
    assert problems_of(d) == [
        f'{d}/a.yml:8: rule "r1": shorten: percent must be between 1 and 90, got 95',
        f'{d}/a.yml:9: rule "r1": swap: to must be one of steady, easy, recovery, cross, rest, three_zone, time_trial, got "hard"',
        f'{d}/a.yml:10: rule "r1": reduce_intensity: zones must be a number, got "two"',
    ]


def test_duplicate_rule_ids_name_both_lines(tmp_path):
    d = make_set(tmp_path, {"a.yml": GOOD_RULE, "b.yml": "\n\n" + GOOD_RULE})
    assert problems_of(d) == [f'{d}/b.yml:4: duplicate rule id "ok-rule": first defined at {d}/a.yml:2']



def test_a_derived_fact_declared_twice_names_both_lines(tmp_path):
    text = "derived:\n  - name: legs.tired\n    type: bool\n    description: once\n"
    d = make_set(tmp_path, {"a.yml": GOOD_RULE, "d.yml": text, "e.yml": "\n" + text})
    assert problems_of(d) == [f'{d}/e.yml:3: derived fact "legs.tired" declared twice: first at {d}/d.yml:2']

@pytest.mark.parametrize("principle, shown", [("P18", '"P18"'), ("X3", '"X3"'), ("7", "the number 7")])
def test_principle_that_does_not_exist(tmp_path, principle, shown):
    d = make_set(tmp_path, {"a.yml": rule(principle=principle)})
    assert problems_of(d) == [f'{d}/a.yml:3: rule "r1": principle {shown} does not exist (P1 to P17)']


def test_missing_required_keys(tmp_path):
    d = make_set(tmp_path, {"a.yml": "rules:\n  - id: lonely\n    principle: P7\n    priority: 1\n"})
    assert problems_of(d) == [
        f'{d}/a.yml:2: rule "lonely": missing required key "description"',
        f'{d}/a.yml:2: rule "lonely": missing required key "when"',
        f'{d}/a.yml:2: rule "lonely": missing required key "then"',
        f'{d}/a.yml:2: rule "lonely": missing required key "reason"',
    ]


def test_unknown_top_level_and_rule_keys(tmp_path):
    text = GOOD_RULE.replace("    reason:", "    reasn: x\n    reason:") + "rule: oops\n"
    d = make_set(tmp_path, {"a.yml": text})
    assert problems_of(d) == [
        f'{d}/a.yml:11: unknown top-level key "rule" (did you mean "rules"?); allowed: rules, derived',
        f'{d}/a.yml:9: unknown rule key "reasn" (did you mean "reason"?); '
        "allowed: id, principle, priority, description, when, then, reason",
    ]


def test_reason_template_naming_an_unknown_fact(tmp_path):
    d = make_set(tmp_path, {"a.yml": rule(reason='"ACWR {load.acwrr:.2f}, pace {pace[0]}"')})
    assert problems_of(d) == [
        f'{d}/a.yml:9: rule "r1": reason template names unknown fact "load.acwrr" (did you mean "load.acwr"?)',
        f'{d}/a.yml:9: rule "r1": reason template: {{pace[0]}} is not a fact name (write {{fact.name}} or {{fact.name:.1f}})',
    ]


def test_reason_template_with_a_bad_format_spec(tmp_path):
    d = make_set(tmp_path, {"a.yml": rule(reason='"ACWR {load.acwr:.2q}"')})
    (msg,) = problems_of(d)
    assert msg.startswith(f'{d}/a.yml:9: rule "r1": reason template: {{load.acwr:.2q}}: ')


def test_set_action_needs_a_declared_derived_fact(tmp_path):
    d = make_set(tmp_path, {"a.yml": rule(then="      - set: {fact: tired}", when="load.acwr > 1")})
    assert problems_of(d) == [f'{d}/a.yml:8: rule "r1": set: "tired" is not a derived fact declared: add it under derived:']


def test_derived_fact_clashing_with_the_vocabulary(tmp_path):
    text = "derived:\n  - name: load.acwr\n    type: number\n    description: again\n"
    d = make_set(tmp_path, {"a.yml": GOOD_RULE, "d.yml": text})
    assert problems_of(d) == [f'{d}/d.yml:2: derived fact "load.acwr" is already a fact of the vocabulary']


def test_every_problem_in_every_file_is_reported(tmp_path):
    d = make_set(tmp_path, {
        "a.yml": rule(when="load.acrw > 1"),
        "b.yml": rule(rid="r2", principle="P99"),
        "c.yml": "rules: [\n",
    })
    with pytest.raises(RuleSetInvalid) as info:
        read_rule_set(d)
    problems = info.value.problems
    assert [(Path(p.file).name, p.line) for p in problems] == [("c.yml", 2), ("a.yml", 6), ("b.yml", 3)]
    assert str(info.value).splitlines() == [str(p) for p in problems]


def test_missing_directory_and_missing_settings(tmp_path):
    assert problems_of(tmp_path / "nope") == [f"{tmp_path}/nope:1: rule set directory not found"]
    d = tmp_path / "empty"
    d.mkdir()
    (d / "a.yml").write_text(GOOD_RULE)
    assert problems_of(d) == [
        f"{d}/settings.yml:1: missing: every rule set needs a settings.yml (copy one with `coach rules init`)",
        f"{d}/sessions:1: session template folder not found",
    ]


# --------------------------------------------------------------------------- settings.yml

SETTINGS_BAD = """\
facts:
  hard_rpe: seven
  maximal_rpe: 11
  heavy_load: 480
  long_run_minutes: 80
  form_drift_pct: 5
  easy_hr_window_days: 7
  calibration_pace_pct: 5
  hrd_rpe: 7
intensity_of_kind: {tempo: hard, intervals: hard, repetitions: hard, three_zone: hard, race: hard,
                    time_trial: hard, steady: moderate, long: moderate, easy: easy, recovery: easy,
                    cross: easy, rest: rest}
pattern:
  - {slot: hard, kind: intervals}
  - {slot: hrd, kind: easy}
  - {slot: rest, kind: jog}
colour: blue
"""


def test_settings_problems(tmp_path):
    d = make_set(tmp_path, {"a.yml": GOOD_RULE}, settings=SETTINGS_BAD)
    s = f"{d}/settings.yml"
    assert problems_of(d) == [
        f'{s}:17: unknown settings key "colour"; allowed: facts, intensity_of_kind, pattern, paces, load, readiness, heart_rate_zones',
        f'{s}:9: unknown facts parameter "hrd_rpe" (did you mean "hard_rpe"?); allowed: hard_rpe, maximal_rpe, '
        "heavy_load, long_run_minutes, form_drift_pct, easy_hr_window_days, calibration_pace_pct",
        f'{s}:2: facts.hard_rpe must be a whole number, got "seven"',
        f'{s}:15: pattern: unknown slot "hrd" (did you mean "hard"?); slots: hard, light, rest',
        f'{s}:16: pattern: unknown kind "jog"',
    ]


def test_settings_pace_windows_are_validated_and_optional(tmp_path):
    good = SETTINGS_BAD.replace("seven", "7").replace("  hrd_rpe: 7\n", "").replace("maximal_rpe: 11", "maximal_rpe: 9")
    good = good.replace("  - {slot: hrd, kind: easy}\n  - {slot: rest, kind: jog}\n", "").replace("colour: blue\n", "")
    from coach.service.rulesets import read_rule_set as load_ruleset

    for sub in ("plain", "bad", "zero", "ok"):
        (tmp_path / sub).mkdir()
    assert load_ruleset(make_set(tmp_path / "plain", {"a.yml": GOOD_RULE}, settings=good)).settings.paces.race_window_days == 180
    text = good + "paces:\n  race_window_days: 0\n  estimate_window_days: six\n  estimate_min_minutes: 20\n"
    d = make_set(tmp_path / "bad", {"a.yml": GOOD_RULE}, settings=text)
    s = f"{d}/settings.yml"
    assert problems_of(d) == [f'{s}:16: paces.estimate_window_days must be a whole number, got "six"']
    d = make_set(tmp_path / "zero", {"a.yml": GOOD_RULE}, settings=text.replace("six", "42"))
    assert problems_of(d) == [f"{d}/settings.yml:15: paces.race_window_days: input should be greater than or equal to 1, got 0"]
    d = make_set(tmp_path / "ok", {"a.yml": GOOD_RULE}, settings=text.replace("six", "42").replace("days: 0", "days: 100"))
    assert load_ruleset(d).settings.paces.race_window_days == 100


def test_settings_range_and_missing_kinds(tmp_path):
    text = SETTINGS_BAD.replace("seven", "7").replace("  hrd_rpe: 7\n", "").replace("colour: blue\n", "")
    text = text.replace("  - {slot: hrd, kind: easy}\n  - {slot: rest, kind: jog}\n", "")
    text = text.replace(" rest: rest}", " rest: restful}").replace("tempo: hard, ", "")
    d = make_set(tmp_path, {"a.yml": GOOD_RULE}, settings=text)
    s = f"{d}/settings.yml"
    assert problems_of(d) == [
        f"{s}:3: facts.maximal_rpe: input should be less than or equal to 10, got 11",
        f'{s}:11: intensity_of_kind.rest must be one of hard, moderate, easy, rest, got "restful"',
        f"{s}:9: intensity_of_kind: missing kinds: tempo",
    ]


# --------------------------------------------------------------------------- other parts' validators


def test_problems_of_every_part_are_reported_together_in_file_order(tmp_path):
    d = make_set(tmp_path, {"a.yml": rule(when="load.acrw > 1.3")})
    assert len(check_rule_set(d)) == 1
    (d / "classify.yml").write_text("kinds: []\n")
    (d / "trends").mkdir()
    (d / "trends" / "trends.yml").write_text("acwr_safe_band: {low: 1.5, high: 0.8}\n")
    five_k = d / "sessions" / "5k.yml"
    five_k.write_text(five_k.read_text().replace("pace: race-2%}", "pace: warp}", 1))
    line = next(n for n, text in enumerate(five_k.read_text().splitlines(), 1) if "pace: warp}" in text)
    found = problems_of(d)
    assert found[0] == f'{d}/a.yml:6: rule "r1": unknown fact "load.acrw" (did you mean "load.acwr"?)'
    assert found[1].startswith(f"{five_k}:{line}: ") and "unknown pace zone 'warp'" in found[1]
    assert found[2:] == [
        f"{d}/classify.yml:1: kinds must be a non-empty list of {{kind, sports, when}}",
        f"{d}/trends/trends.yml:1: acwr_safe_band.high (0.8) must be above low (1.5)",
    ]


def test_the_builtin_set_is_valid_with_every_validator():
    assert check_rule_set(None) == []
    ruleset, problems = validate_directory(None)
    assert problems == []
    assert ruleset.rules and all(r.principle in {f"P{i}" for i in range(1, 18)} for r in ruleset.rules)
