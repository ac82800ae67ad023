"""Issue 17, finding 4 (rule sets): a rule set past what durable_rules can run is refused by
`coach rules check` and every command, with file:line and the limit; deep nesting is a
message, never a RecursionError or a hang."""

from __future__ import annotations

import shutil

import pytest

from coach.cli.main import cli
from coach.engine.rules import builtin_dir
from coach.service.rulesets import validate_directory as check_ruleset
from coach.engine.rules.condition import ConditionSyntaxError, parse_condition
from coach.engine.rules.limits import MAX_DEPTH, MAX_OR_TERMS, MAX_RULES


def rule(i: int, when: str) -> str:
    return (f"  - id: extra-{i}\n    principle: P7\n    priority: 1\n    description: extra rule {i}.\n"
            f"    when: '{when}'\n    then:\n      - swap: {{to: steady}}\n    reason: extra {i}.\n")


@pytest.fixture
def rules_dir(tmp_path):
    target = tmp_path / "rules"
    shutil.copytree(builtin_dir(), target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def write(rules_dir, *rules: str) -> str:
    path = rules_dir / "zz-extra.yml"  # read last: its rules come after the built-in ones
    path.write_text("rules:\n" + "".join(rules))
    return str(path)


def test_too_many_rules_are_refused_at_the_first_one_over(rules_dir):
    builtin = len(check_ruleset(rules_dir)[0].rules)
    path = write(rules_dir, *(rule(i, f"wellness.soreness >= {i % 10}") for i in range(MAX_RULES + 1 - builtin)))
    ruleset, problems = check_ruleset(rules_dir)
    assert ruleset is None
    [problem] = problems
    assert problem.file == path and problem.line > 1
    assert f"is rule {MAX_RULES + 1} of {MAX_RULES + 1}: a rule set holds at most {MAX_RULES} rules" in problem.message


def test_exactly_the_limit_is_accepted(rules_dir):
    builtin = len(check_ruleset(rules_dir)[0].rules)
    write(rules_dir, *(rule(i, f"wellness.soreness >= {i % 10}") for i in range(MAX_RULES - builtin)))
    ruleset, problems = check_ruleset(rules_dir)
    assert problems == [] and len(ruleset.rules) == MAX_RULES


@pytest.mark.parametrize("when, words", [
    (" or ".join(f"wellness.soreness == {i % 11}" for i in range(MAX_OR_TERMS + 1)),
     f"an `or` (or `in` list) of {MAX_OR_TERMS + 1} alternatives; at most {MAX_OR_TERMS}"),
    ("plan.kind in [" + ", ".join('"easy"' for _ in range(5000)) + "]",
     "has 5000 comparisons; at most 2000"),
    ("not (" + " and ".join(f"wellness.soreness != {i % 11}" for i in range(600)) + ")",
     "alternatives; at most 500"),
])
def test_a_condition_too_wide_is_refused_with_file_line_and_limit(rules_dir, when, words):
    path = write(rules_dir, rule(1, when))
    ruleset, problems = check_ruleset(rules_dir)
    assert ruleset is None
    [problem] = problems
    assert problem.file == path and problem.line == 2
    assert words in problem.message and "rule 'extra-1'" in problem.message


def test_nesting_past_the_limit_is_refused(rules_dir):
    deep = "wellness.soreness > 1"
    for i in range(MAX_DEPTH + 1):
        deep = f"(wellness.soreness > {i} {'and' if i % 2 else 'or'} {deep})"
    write(rules_dir, rule(1, deep))
    _, problems = check_ruleset(rules_dir)
    assert any(f"nested more than {MAX_DEPTH} deep" in p.message or f"at most {MAX_DEPTH}" in p.message
               for p in problems), problems


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 500, 5000])
def test_deep_brackets_are_a_syntax_error_not_a_recursion_error(depth):
    with pytest.raises(ConditionSyntaxError, match=f"nested more than {MAX_DEPTH} deep at column {MAX_DEPTH + 1}"):
        parse_condition("(" * depth + "load.acwr > 1" + ")" * depth)
    with pytest.raises(ConditionSyntaxError, match="nested more than"):
        parse_condition("not " * depth + "form.broke")


def test_nesting_within_the_limit_parses():
    text = "(" * MAX_DEPTH + "load.acwr > 1" + ")" * MAX_DEPTH
    assert parse_condition(text) == parse_condition("load.acwr > 1")


def test_rules_check_and_next_refuse_an_oversized_set(runner, rules_dir):
    path = write(rules_dir, rule(1, " or ".join(f"wellness.soreness == {i % 11}" for i in range(1000))))
    for args in (["rules", "check", "--rules", str(rules_dir)], ["next", "--rules", str(rules_dir)]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 1, result.output
        assert isinstance(result.exception, SystemExit)
        assert f"{path}:2: rule 'extra-1': its condition has an `or`" in result.output


def test_the_builtin_rules_are_far_inside_the_limits():
    from coach.engine.rules.limits import condition_size

    ruleset, problems = check_ruleset(None)
    assert problems == []
    assert len(ruleset.rules) < MAX_RULES // 5
    assert all(condition_size(r)[0] <= MAX_DEPTH // 2 and condition_size(r)[1] < 50 for r in ruleset.rules)


@pytest.mark.parametrize("file, old, new, words", [
    ("fatigue.yml", "priority: 80", "priority: 2026-02-30", "fatigue.yml:9: YAML syntax: cannot read the value of 'priority'"),
    ("classify.yml", "  - kind: intervals", "  - kind: {a: 1}", "classify.yml:30: kind must be one of"),
    ("classify.yml", "  - kind: intervals", "  - kind: [intervals]", "classify.yml:30: kind must be one of"),
    ("fatigue.yml", "priority: 80", "priority: " + "[" * 5000 + "]" * 5000, "fatigue.yml:"),
])
def test_mutated_rule_files_from_the_issue_give_file_line(runner, rules_dir, file, old, new, words):
    path = rules_dir / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    for args in (["rules", "check", "--rules", str(rules_dir)], ["next", "--rules", str(rules_dir)]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), (args, result.exception)
        assert str(rules_dir / words) in result.output or words in result.output, result.output


def test_a_validator_tripped_by_a_strange_shape_is_a_problem_not_a_traceback(monkeypatch):
    """Whatever part of a rule set a validator has not foreseen is reported at its file."""
    import coach.engine.ruleset as ruleset_module

    def trips(source):
        raise TypeError("unhashable type: 'LineDict'")

    monkeypatch.setattr(ruleset_module, "parse_trends", trips)
    ruleset, problems = check_ruleset(None)
    assert ruleset is None
    [problem] = problems
    assert problem.file.endswith("trends.yml") and problem.line == 1
    assert "could not be checked (TypeError)" in problem.message
