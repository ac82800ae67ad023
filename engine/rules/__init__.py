"""The rule pipeline: rule files -> validated, typed rules -> durable_rules -> firings.

Stages, one module each (the ansible-rulebook model):

- `source.py`: YAML with line numbers, so every problem names file:line;
- `validate.py`: the schema of rule files and settings.yml, collecting every problem;
- `model.py`: typed rules, the condition tree and the settings;
- `condition.py`: the condition language (parser, type checker, Python evaluator);
- `reason.py`: reason templates filled from the facts;
- `compiler.py`: a condition tree -> durable_rules' JSON ruleset form;
- `evaluator.py`: the only module that imports durable_rules.

This package validates text it is given (`validate_rules`); it reads no file. The whole
loaded rule set (rules, settings, session templates, classify.yml, trends.yml) is
`coach.engine.ruleset.RuleSet`, composed by `coach.engine.ruleset.validate_rule_set`; the
service layer (`coach.service.rulesets`) reads the files and caches the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from coach.engine.errors import CoachError
from coach.engine.rules.model import DerivedFact, Problem, Rule, RuleSettings
from coach.engine.rules.source import SourceFile

__all__ = [
    "Problem", "Rule", "RuleSetInvalid", "RuleSettings", "SourceFile", "ValidRules",
    "builtin_dir", "is_rule_file", "validate_rules",
]

SETTINGS_FILE = "settings.yml"
#: Top-level files of a rule set that are not rule files (validated by their owners).
NOT_RULE_FILES = {SETTINGS_FILE, "classify.yml", "season.yml"}


class RuleSetInvalid(CoachError):
    """A rule set has problems; `.problems` lists every one, each printed as file:line: message."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ValidRules(NamedTuple):
    """The validated rule files and settings.yml of a rule set."""

    rules: tuple[Rule, ...]  # in priority order (highest first), then by id
    derived: tuple[DerivedFact, ...]
    settings: RuleSettings


def builtin_dir() -> Path:
    """The rule set shipped with coach (the `coach.rules` package directory)."""
    import coach.rules

    return Path(coach.rules.__file__).resolve().parent


def is_rule_file(name: str) -> bool:
    """Whether a top-level file of a rule set is a rule file (*.yml other than settings and classify)."""
    return Path(name).suffix in (".yml", ".yaml") and Path(name).name not in NOT_RULE_FILES


def validate_rules(
    directory: str, settings: SourceFile | None, rule_files: Sequence[SourceFile],
) -> tuple[ValidRules | None, list[Problem]]:
    """Validate the rule files and settings.yml of a rule set, from their text.

    :param directory: the rule set's folder, as messages name it
    :param settings: settings.yml (None: the set has none)
    :param rule_files: the rule files, in name order
    :return: the rules (None if there is any problem) and every problem, in file order
    """
    from coach.engine.rules.limits import check_limits
    from coach.engine.rules.source import YamlSyntaxError, parse_yaml
    from coach.engine.rules.validate import (
        check_duplicate_derived,
        check_duplicate_ids,
        fact_types,
        validate_derived,
        validate_rule_file,
        validate_settings,
    )

    problems: list[Problem] = []

    def parse(source: SourceFile):
        try:
            return parse_yaml(source), True
        except YamlSyntaxError as exc:
            problems.append(Problem(exc.path, exc.line, exc.message))
            return None, False

    valid_settings = None
    if settings is None:
        problems.append(Problem(str(Path(directory) / SETTINGS_FILE), 1,
                                "missing: every rule set needs a settings.yml "
                                "(copy one with `coach rules init`)"))
    else:
        doc, ok = parse(settings)
        if ok:
            valid_settings, found = validate_settings(settings.name, doc)
            problems.extend(found)

    docs = []
    for source in rule_files:
        doc, ok = parse(source)
        if ok:
            docs.append((source.name, doc))
    derived: list[DerivedFact] = []
    for name, doc in docs:
        found_derived, found = validate_derived(name, doc)
        derived.extend(found_derived)
        problems.extend(found)
    problems.extend(check_duplicate_derived(derived))
    facts = fact_types(derived)
    by_name = {d.name: d for d in derived}
    rules: list[Rule] = []
    for name, doc in docs:
        found_rules, found = validate_rule_file(name, doc, facts, by_name)
        rules.extend(found_rules)
        problems.extend(found)
    problems.extend(check_duplicate_ids(rules))
    problems.extend(check_limits(rules))  # what durable_rules can run (engine/rules/limits.py)
    if not docs and not problems:
        problems.append(Problem(directory, 1, "no rule files (*.yml other than settings.yml)"))
    if problems or valid_settings is None:
        return None, problems
    ordered = tuple(sorted(rules, key=lambda r: (-r.priority, r.id)))
    return ValidRules(ordered, tuple(derived), valid_settings), []
