"""The rule pipeline: rule files -> validated, typed rules -> durable_rules -> firings.

Stages, one module each (the ansible-rulebook model):

- `source.py`: YAML with line numbers, so every problem names file:line;
- `validate.py`: the schema of rule files and settings.yml, collecting every problem;
- `model.py`: typed rules, the condition tree, the rule set and its settings;
- `condition.py`: the condition language (parser, type checker, Python evaluator);
- `reason.py`: reason templates filled from the facts;
- `compiler.py`: a condition tree -> durable_rules' JSON ruleset form;
- `evaluator.py`: the only module that imports durable_rules.

A rule set is a directory: `settings.yml` (fact parameters and the weekly pattern),
`classify.yml` (import classification), `sessions/*.yml` (session templates), and every
other top-level `*.yml` is a rule file. Other parts validate their own files through
`EXTRA_VALIDATORS`; their problems join ours.
"""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path

from coach.engine.errors import CoachError
from coach.engine.rules.model import Problem, Rule, RuleSet, Settings

__all__ = [
    "EXTRA_VALIDATORS", "Problem", "Rule", "RuleSet", "RuleSetInvalid", "Settings",
    "builtin_dir", "check_ruleset", "load_ruleset", "rule_files",
]

#: Validators of the files other parts own: "module:function", function(dir: Path) -> list[Problem],
#: called with the rule set directory, or with a folder inside it when written "module:function@folder".
#: Imported when a rule set is checked; each listed module must exist.
EXTRA_VALIDATORS: list[str] = [
    "coach.engine.templates:validate_dir@sessions",
    "coach.engine.classify:validate_dir",
    "coach.engine.trends:validate_dir",
]

SETTINGS_FILE = "settings.yml"
#: Top-level files of a rule set that are not rule files (validated by their owners).
NOT_RULE_FILES = {SETTINGS_FILE, "classify.yml"}


class RuleSetInvalid(CoachError):
    """A rule set has problems; `.problems` lists every one, each printed as file:line: message."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def builtin_dir() -> Path:
    """The rule set shipped with coach (the `coach.rules` package directory)."""
    import coach.rules

    return Path(coach.rules.__file__).resolve().parent


def rule_files(directory: Path) -> list[Path]:
    """The rule files of a rule set: top-level *.yml / *.yaml other than settings.yml and classify.yml."""
    return sorted(
        p for p in Path(directory).iterdir()
        if p.is_file() and p.suffix in (".yml", ".yaml") and p.name not in NOT_RULE_FILES
    )


def content_version(directory: Path) -> str:
    """A content hash of every YAML file in the set (relative names and bytes, sorted by name)."""
    directory = Path(directory)
    digest = hashlib.sha256()
    files = sorted(
        p for p in directory.rglob("*")
        if p.is_file() and p.suffix in (".yml", ".yaml") and "__pycache__" not in p.parts
    )
    for path in files:
        rel = path.relative_to(directory).as_posix().encode()
        data = path.read_bytes()
        digest.update(len(rel).to_bytes(4, "big") + rel + len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:16]


def _extra_problems(directory: Path) -> list[Problem]:
    problems: list[Problem] = []
    for target in EXTRA_VALIDATORS:
        target, _, folder = target.partition("@")
        module_name, func_name = target.split(":")
        func = getattr(importlib.import_module(module_name), func_name)
        where = directory / folder if folder else directory
        try:
            found = list(func(where))
        except Exception as exc:  # noqa: BLE001 - a validator tripped by a malformed file: report, not crash
            found = [Problem(str(where), 1, f"a file here could not be checked ({type(exc).__name__}); "
                                           "look for a value of the wrong shape (a list or mapping where a "
                                           "word belongs)")]
        for p in found:
            problems.append(p if isinstance(p, Problem) else Problem(str(p.file), int(p.line), str(p.message)))
    return problems


def check_ruleset(directory: Path | str | None = None) -> tuple[RuleSet | None, list[Problem]]:
    """Validate a rule set directory completely.

    :param directory: the rule set (None: the built-in one)
    :return: the rule set (None if there is any problem) and every problem found, in file order
    """
    from coach.engine.rules.limits import check_limits
    from coach.engine.rules.source import YamlSyntaxError, load_yaml
    from coach.engine.rules.validate import (
        check_duplicate_derived,
        check_duplicate_ids,
        fact_types,
        validate_derived,
        validate_rule_file,
        validate_settings,
    )

    directory = Path(directory) if directory is not None else builtin_dir()
    if not directory.is_dir():
        return None, [Problem(str(directory), 1, "rule set directory not found")]
    problems: list[Problem] = []

    def load(path: Path):
        try:
            return load_yaml(path), True
        except YamlSyntaxError as exc:
            problems.append(Problem(exc.path, exc.line, exc.message))
            return None, False

    settings = None
    settings_path = directory / SETTINGS_FILE
    if not settings_path.is_file():
        problems.append(Problem(str(settings_path), 1, "missing: every rule set needs a settings.yml "
                                "(copy one with `coach rules init`)"))
    else:
        doc, ok = load(settings_path)
        if ok:
            settings, found = validate_settings(str(settings_path), doc)
            problems.extend(found)

    docs = []
    for path in rule_files(directory):
        doc, ok = load(path)
        if ok:
            docs.append((str(path), doc))
    derived = []
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
        problems.append(Problem(str(directory), 1, "no rule files (*.yml other than settings.yml)"))
    problems.extend(_extra_problems(directory))
    if problems or settings is None:
        return None, problems
    ordered = tuple(sorted(rules, key=lambda r: (-r.priority, r.id)))
    return RuleSet(rules=ordered, derived=tuple(derived), settings=settings,
                   directory=directory, version=content_version(directory)), []


def load_ruleset(directory: Path | str | None = None, *, cache_dir: Path | str | None = None) -> RuleSet:
    """Load and validate a rule set.

    :param directory: the rule set directory (None: the built-in rules)
    :param cache_dir: a folder for a cache of the validated set (see `cache.py`): when its entry
        matches the files' content hash, the YAML is not parsed again; None: always validate
    :raises RuleSetInvalid: listing every problem in every file, each as file:line: message
    """
    if cache_dir is None:
        ruleset, problems = check_ruleset(directory)
        if ruleset is None:
            raise RuleSetInvalid(problems)
        return ruleset
    from coach.engine.rules import cache

    directory = Path(directory) if directory is not None else builtin_dir()
    if not directory.is_dir():
        raise RuleSetInvalid(check_ruleset(directory)[1])
    version = content_version(directory)
    key = cache.cache_key(directory, version)
    hit = cache.read(Path(cache_dir), directory, key)
    if hit is not None:
        ruleset, templates = hit
        if templates is not None:
            from coach.engine.templates import remember

            remember(ruleset.sessions_dir, templates)
        return ruleset
    ruleset, problems = check_ruleset(directory)
    if ruleset is None:
        raise RuleSetInvalid(problems)
    if ruleset.version == version:  # not edited while being validated
        cache.write(Path(cache_dir), ruleset, key, _valid_templates(ruleset))
    return ruleset


def _valid_templates(ruleset: RuleSet):
    """The rule set's session templates, already validated with it (None if they cannot be had)."""
    try:
        from coach.engine.templates import load_templates

        return load_templates(ruleset.sessions_dir)
    except Exception:  # noqa: BLE001 - the cache then holds the rules only
        return None
