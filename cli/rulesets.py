"""Which rule set a command uses: one resolution shared by every command.

The first of:

1. `--rules DIR` on the command line (or the `COACH_RULES` environment variable),
2. `[rules] dir = "..."` in config.toml (a relative path is relative to the config directory),
3. `rules/` in the config directory: the copy `coach rules init` makes for you to edit,
4. the rule set built into coach (`None`).

Only the standard library is imported here.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The folder, inside the config directory, that `coach rules init` copies the built-in rules to.
USER_RULES = "rules"


def _from_config(config_dir: Path) -> Path | None:
    from coach.engine.errors import InvalidInput

    path = config_dir / "config.toml"
    if not path.is_file():
        return None
    import tomllib  # only when there is a config file to read

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot read config file: {exc}") from None
    section = data.get("rules")
    if section is None:
        return None
    if not isinstance(section, dict) or set(section) - {"dir"}:
        raise InvalidInput(f'{path}: [rules] takes one setting, dir = "PATH"')
    value = section.get("dir")
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{path}: rules.dir must be a non-empty string")
    rules_dir = Path(value.strip()).expanduser()
    return rules_dir if rules_dir.is_absolute() else config_dir / rules_dir


def user_rules_dir() -> Path:
    """Where `coach rules init` puts the editable copy by default."""
    from coach.cli.config import config_dir

    return config_dir() / USER_RULES


def resolve_rules_dir(rules_dir: str | Path | None = None) -> Path | None:
    """The rule set directory to use, or None for the built-in rules.

    :param rules_dir: the value of `--rules` (click also fills it from COACH_RULES)
    :raises InvalidInput: if config.toml's [rules] section is malformed
    """
    if rules_dir is not None and str(rules_dir).strip():
        return Path(str(rules_dir).strip()).expanduser()
    env = os.environ.get("COACH_RULES", "").strip()
    if env:
        return Path(env).expanduser()
    from coach.cli.config import config_dir

    configured = _from_config(config_dir())
    if configured is not None:
        return configured
    copy = user_rules_dir()
    if (copy / "settings.yml").is_file():
        return copy
    return None


#: Files of a rule set that `coach rules init` copies (package files such as __init__.py are not).
_COPIED = {".yml", ".yaml", ".md"}


def copy_ruleset(target: Path, force: bool = False) -> int:
    """Copy the built-in rule set to `target` for editing; return how many files were copied.

    :param target: the new rule set directory
    :param force: overwrite files that are already there
    :raises InvalidInput: if `target` already holds files and `force` is not set, or is not a folder
    """
    import shutil

    from coach.engine.errors import InvalidInput
    from coach.engine.rules import builtin_dir

    source = builtin_dir()
    if target.exists() and not target.is_dir():
        raise InvalidInput(f"{target}: exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise InvalidInput(f"{target}: already holds files; use --force to overwrite them")
    files = sorted(p for p in source.rglob("*")
                   if p.is_file() and p.suffix in _COPIED and "__pycache__" not in p.parts)
    from coach.cli.config import config_dir

    if config_dir() in target.parents:  # coach's own config folder (it may hold config.toml): owner-only
        config_dir().mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        for path in files:
            dest = target / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            shutil.copyfile(path, dest)
    except OSError as exc:
        raise InvalidInput(f"{target}: cannot copy the rule set: {exc.strerror or exc}") from None
    return len(files)


def rule_set_in_use(rules_dir: str | Path | None = None):
    """The loaded rule set in use (`coach.service.rulesets.read_rule_set`, with the user's cache).

    An invalid set prints every problem as `file:line: message` on stderr and stops the
    command with exit status 1, so every command reports a broken rule set alike. Its compiled
    rules are `ruleset.evaluator()`.
    """
    import click

    from coach.cli.config import cache_dir
    from coach.engine.rules import RuleSetInvalid
    from coach.service.rulesets import read_rule_set

    try:
        return read_rule_set(resolve_rules_dir(rules_dir), cache_dir=cache_dir())
    except RuleSetInvalid as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"the rule set is invalid ({len(exc.problems)} problem(s)); "
                                   "fix it, or check it with `coach rules check`") from None
