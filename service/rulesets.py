"""Reading a rule set from disk: one validated, cached `RuleSet` per command.

The engine validates text (`coach.engine.ruleset.validate_rule_set`); this module does the
I/O around it: it reads every file of a rule set directory (`read_sources`), hashes them
(the rule set's content version) and keeps the validated result in a JSON cache
(`coach.service.ruleset_cache`), so a command that uses an unchanged rule set parses no YAML.

- `read_rule_set(directory, cache_dir=...) -> RuleSet`: the loaded rule set, or
  `RuleSetInvalid` listing every problem as file:line: message;
- `check_rule_set(directory) -> list[Problem]`: every problem (none: the set is valid),
  never from the cache (what `coach rules check` prints).

A rule set is a directory: `settings.yml` (fact parameters and the weekly pattern),
`classify.yml` (import classification; the built-in one when absent), `sessions/*.yml`
(session templates), `trends/trends.yml` and `planned/planned.yml` (the built-in ones when
absent), and every other
top-level `*.yml` is a rule file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from coach.engine.classify import FILE_NAME as CLASSIFY_FILE
from coach.engine.compliance import CONFIG_PATH as PLANNED_PATH
from coach.engine.rules import (
    SETTINGS_FILE,
    Problem,
    RuleSetInvalid,
    SourceFile,
    builtin_dir,
    is_rule_file,
)
from coach.engine.ruleset import RuleSet, RuleSetSources, validate_rule_set
from coach.engine.season import SEASON_FILE
from coach.engine.trends import CONFIG_PATH as TRENDS_PATH

__all__ = ["builtin_dir", "check_rule_set", "content_version", "read_rule_set", "read_rules_only",
           "read_sources", "source_files", "validate_directory"]

SESSIONS = "sessions"


def _yaml_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix in (".yml", ".yaml"))


def source_files(folder: Path | str) -> tuple[SourceFile, ...] | None:
    """The YAML files of a folder (such as a rule set's `sessions/`), in name order; None if
    there is no such folder.

    :raises RuleSetInvalid: when a file cannot be read
    """
    folder = Path(folder)
    if not folder.is_dir():
        return None
    problems: list[Problem] = []
    sources = tuple(s for s in (_read(p, problems) for p in _yaml_files(folder)) if s is not None)
    if problems:
        raise RuleSetInvalid(problems)
    return sources


def _read(path: Path, problems: list[Problem]) -> SourceFile | None:
    """The text of a file, or None with a problem (file:line) when it cannot be read."""
    try:
        return SourceFile(str(path), path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        problems.append(Problem(str(path), 1, "not a UTF-8 text file"))
    except OSError as exc:
        problems.append(Problem(str(path), 1, f"cannot read: {exc.strerror or exc}"))
    return None


#: files a rule set may leave out: the built-in ones are used instead
FALLBACKS = (Path(CLASSIFY_FILE), TRENDS_PATH, PLANNED_PATH)


def content_version(directory: Path) -> str:
    """A content hash of every YAML file the set uses (relative names and bytes, sorted by
    name), the built-in files it falls back to included, so that the version (and the cache
    key) changes whenever any of them does."""
    directory = Path(directory)
    digest = hashlib.sha256()
    files = sorted(
        (p.relative_to(directory).as_posix(), p) for p in directory.rglob("*")
        if p.is_file() and p.suffix in (".yml", ".yaml") and "__pycache__" not in p.parts
    )
    files += [(f"builtin:{rel.as_posix()}", builtin_dir() / rel) for rel in FALLBACKS
              if not (directory / rel).is_file() and (builtin_dir() / rel).is_file()]
    for name, path in files:
        rel = name.encode()
        data = path.read_bytes()
        digest.update(len(rel).to_bytes(4, "big") + rel + len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:16]


def read_sources(directory: Path, version: str | None = None) -> RuleSetSources:
    """The text of every file of the rule set in `directory` (which must exist).

    Files that cannot be read become problems (file:line), so that they are reported with
    the rest.
    """
    directory = Path(directory)
    problems: list[Problem] = []

    def read(path: Path) -> SourceFile | None:
        return _read(path, problems)

    def read_all(paths: list[Path]) -> tuple[SourceFile, ...]:
        return tuple(s for s in (read(p) for p in paths) if s is not None)

    settings_path = directory / SETTINGS_FILE
    settings = read(settings_path) if settings_path.is_file() else None
    rule_files = read_all([p for p in _yaml_files(directory) if is_rule_file(p.name)])
    sessions_dir = directory / SESSIONS
    sessions = read_all(_yaml_files(sessions_dir)) if sessions_dir.is_dir() else None

    def own_or_builtin(relative: Path) -> SourceFile:
        own = directory / relative
        return (read(own) if own.is_file() else None) or read(builtin_dir() / relative) \
            or SourceFile(str(own), "")

    return RuleSetSources(
        directory=directory,
        version=version if version is not None else content_version(directory),
        settings=settings,
        rule_files=rule_files,
        sessions_dir=str(sessions_dir),
        sessions=sessions,
        classify=own_or_builtin(Path(CLASSIFY_FILE)),
        trends=own_or_builtin(TRENDS_PATH),
        planned=own_or_builtin(PLANNED_PATH),
        season=read(directory / SEASON_FILE) if (directory / SEASON_FILE).is_file() else None,
        problems=tuple(problems),
    )


def validate_directory(directory: Path | str | None = None) -> tuple[RuleSet | None, list[Problem]]:
    """Read and validate a rule set directory completely, without the cache.

    :param directory: the rule set (None: the built-in one)
    :return: the rule set (None if there is any problem) and every problem found, in file order
    """
    directory = Path(directory) if directory is not None else builtin_dir()
    if not directory.is_dir():
        return None, [Problem(str(directory), 1, "rule set directory not found")]
    return validate_rule_set(read_sources(directory))


def check_rule_set(directory: Path | str | None = None) -> list[Problem]:
    """Every problem of a rule set directory (empty when it is valid); never from the cache.

    :param directory: the rule set (None: the built-in one)
    """
    return validate_directory(directory)[1]


def read_rule_set(directory: Path | str | None = None, *, cache_dir: Path | str | None = None) -> RuleSet:
    """Read and validate a rule set: its rules, settings, templates, classify.yml and trends.yml.

    :param directory: the rule set directory (None: the built-in rules)
    :param cache_dir: a folder for a cache of the validated set (see `ruleset_cache`): when its
        entry matches the files' content hash, no YAML is parsed; None: always validate
    :raises RuleSetInvalid: listing every problem in every file, each as file:line: message
    """
    if cache_dir is None:
        ruleset, problems = validate_directory(directory)
        if ruleset is None:
            raise RuleSetInvalid(problems)
        return ruleset
    from coach.service import ruleset_cache as cache

    directory = Path(directory) if directory is not None else builtin_dir()
    if not directory.is_dir():
        raise RuleSetInvalid(validate_directory(directory)[1])
    version = content_version(directory)
    key = cache.cache_key(directory, version)
    hit = cache.read(Path(cache_dir), directory, key)
    if hit is not None:
        return hit
    ruleset, problems = validate_directory(directory)
    if ruleset is None:
        raise RuleSetInvalid(problems)
    if ruleset.version == version:  # not edited while being validated
        cache.write(Path(cache_dir), ruleset, key)
    return ruleset


def read_rules_only(directory: Path | str, base: RuleSet | None = None) -> RuleSet:
    """The rule files and settings.yml of `directory` with the session templates, classify.yml
    and trends.yml of another rule set (default: the built-in one).

    For trying a folder of rules on its own (tests, tools) without a whole rule set around it.

    :raises RuleSetInvalid: listing every problem of the rule files and settings.yml
    """
    from coach.engine.rules import validate_rules
    from coach.engine.ruleset import rule_set_of

    directory = Path(directory)
    if not directory.is_dir():
        raise RuleSetInvalid([Problem(str(directory), 1, "rule set directory not found")])
    sources = read_sources(directory)
    valid, problems = validate_rules(str(directory), sources.settings, sources.rule_files)
    problems = list(sources.problems) + problems
    if valid is None or problems:
        raise RuleSetInvalid(problems)
    base = base if base is not None else read_rule_set()
    return rule_set_of(base, valid.rules, sources.version, derived=valid.derived, settings=valid.settings,
                       directory=directory)
