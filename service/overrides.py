"""Per-athlete and per-group overrides: reading `overrides/*.yml` and the tailored rule set
of an athlete (the format and the tailoring are `coach.engine.overrides`).

`for_athlete` is what every proposal goes through: without an override for the athlete it
returns the rule set and Evaluator it was given; with some, the tailored rule set, built and
compiled once per process for each distinct combination of overrides.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.engine.overrides import OVERRIDES_DIR, applying, tailor
from coach.engine.rules import Problem, SourceFile

if TYPE_CHECKING:
    from coach.engine.model import Athlete
    from coach.engine.overrides import Override
    from coach.engine.ruleset import RuleSet

__all__ = ["for_athlete", "override_lines", "override_notes", "overrides_of", "with_overrides"]

#: tailored rule sets of this process, by (base version, base folder, overrides applied)
_TAILORED: dict[tuple, RuleSet] = {}


def with_overrides(ruleset: RuleSet, directory: Path) -> tuple[RuleSet | None, list[Problem]]:
    """The rule set with the overrides of `directory/overrides/*.yml` attached, or None and
    every problem of those files as file:line: message."""
    from coach.engine.overrides import parse_overrides

    folder = Path(directory) / OVERRIDES_DIR
    if not folder.is_dir():
        return ruleset, []
    found: list[Override] = []
    problems: list[Problem] = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".yml", ".yaml")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(str(path), 1, f"cannot read: {getattr(exc, 'strerror', None) or exc}"))
            continue
        overrides, wrong = parse_overrides(SourceFile(str(path), text), ruleset)
        found += overrides
        problems += wrong
    if problems:
        return None, problems
    return ruleset.model_copy(update={"overrides": tuple(found)}), []


def overrides_of(ruleset: RuleSet, athlete: Athlete | str) -> list[Override]:
    """The overrides that apply to an athlete, in the order they apply."""
    name = athlete if isinstance(athlete, str) else athlete.name
    return applying(ruleset.overrides, name) if ruleset.overrides else []


def for_athlete(ruleset: RuleSet, evaluator: Any, athlete: Athlete) -> tuple[RuleSet, Any]:
    """The rule set and Evaluator to propose `athlete`'s sessions with.

    :param ruleset: the rule set in use
    :param evaluator: its Evaluator (returned as is when no override applies)
    :param athlete: the athlete
    """
    mine = overrides_of(ruleset, athlete)
    if not mine:
        return ruleset, evaluator
    key = (ruleset.version, str(ruleset.directory), tuple(o.where for o in mine))
    tailored = _TAILORED.get(key)
    if tailored is None:  # once per combination: the athletes of a group share it
        tailored = _TAILORED[key] = tailor(ruleset, mine)
    return tailored, tailored.evaluator()


def override_notes(base: RuleSet, tailored: RuleSet, athlete: Athlete, workouts: Any, day: Any,
                   facts: dict[str, Any], checkins: Any = ()) -> list[Any]:
    """The Adaptations that say an athlete's overridden settings changed their facts (the
    overridden rules say so in their own reasons)."""
    from coach.engine.overrides import settings_note
    from coach.service.propose import facts_for

    if tailored is base:
        return []
    mine = overrides_of(base, athlete)
    if not any(o.settings for o in mine):
        return []
    note = settings_note(mine, facts_for(athlete, workouts, day, base, checkins), facts)
    return [note] if note is not None else []


def override_lines(ruleset: RuleSet, athlete: Athlete | str) -> list[str]:
    """One line per override that applies to an athlete: who, where and what it changes
    (what `coach why` prints)."""
    from coach.engine.overrides import describe

    return [f"Override for {o.who} ({o.where}): {'; '.join(describe(o))}" + (f" ({o.note})" if o.note else "")
            for o in overrides_of(ruleset, athlete)]
