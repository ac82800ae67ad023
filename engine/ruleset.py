"""The loaded rule set: everything a rule set directory holds, validated together once.

`RuleSet` carries the typed rules and derived facts, settings.yml, the session templates
(`sessions/`), the classification settings (`classify.yml`), the trends settings
(`trends/trends.yml`) and the watch targets and compliance bands (`planned/planned.yml`), with the directory it came from and its content version. It is
built by `validate_rule_set` from the files' text (this module reads no file: the service
layer, `coach.service.rulesets`, reads and caches) and then passed down to every use case,
so no part of it is ever read again from disk or kept in a cache of its own.

`validate_rule_set` composes the validators of every part: `coach.engine.rules` (rule files,
settings.yml), `coach.engine.templates`, `coach.engine.classify`, `coach.engine.trends` and
`coach.engine.compliance`.
The rule pipeline itself knows none of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from coach.engine.classify import ClassifyConfig, parse_classify
from coach.engine.compliance import PlannedSettings, parse_planned
from coach.engine.overrides import Override
from coach.engine.rules import Problem, SourceFile, validate_rules
from coach.engine.rules.model import DerivedFact, Rule, RuleSettings
from coach.engine.season import SeasonSettings, parse_season
from coach.engine.templates import TemplateSet, parse_templates
from coach.engine.trends import TrendsConfig, parse_trends

if TYPE_CHECKING:
    from coach.engine.facts import FactSettings
    from coach.engine.rules.evaluator import Evaluator

__all__ = ["RuleSet", "RuleSetSources", "validate_rule_set"]


@dataclass(frozen=True)
class RuleSetSources:
    """The text of every file of a rule set, as the service layer read it.

    `classify`, `trends` and `planned` are the set's own files, or the built-in ones when it has none.
    """

    directory: Path
    version: str  # content hash of every YAML file in the set
    settings: SourceFile | None
    rule_files: tuple[SourceFile, ...]
    sessions_dir: str  # as messages name it
    sessions: tuple[SourceFile, ...] | None  # None: the set has no sessions folder
    classify: SourceFile
    trends: SourceFile
    planned: SourceFile
    problems: tuple[Problem, ...] = ()  # files that could not be read
    season: SourceFile | None = None  # season.yml (issue 12); None when the set has none


class RuleSet(BaseModel):
    """A validated rule set: rules in priority order, derived facts, settings, session templates,
    classification and trends settings, where it came from and its content version."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    rules: tuple[Rule, ...]
    derived: tuple[DerivedFact, ...] = ()
    settings: RuleSettings
    templates: TemplateSet
    classify: ClassifyConfig
    trends: TrendsConfig
    planned: PlannedSettings
    season: SeasonSettings | None = None  # season.yml: phases, calendar week, progression, taper
    directory: Path
    version: str = Field(description="content hash of every file in the set")
    #: per-athlete and per-group overrides (`overrides/*.yml`, see coach.engine.overrides)
    overrides: tuple[Override, ...] = ()

    _evaluator: Any = PrivateAttr(default=None)
    _fact_settings: Any = PrivateAttr(default=None)
    _lap_fact_settings: Any = PrivateAttr(default=None)

    @property
    def sessions_dir(self) -> Path:
        return self.directory / "sessions"

    def evaluator(self) -> "Evaluator":
        """The compiled rules, built on first use and then kept with this rule set.

        durable_rules registers every compiled ruleset by name for the whole process (and
        keeps its timer threads), so compiling costs more than evaluating: each loaded rule
        set compiles once, here, and every proposal of the process that uses this object
        shares the one Evaluator. Commands load the rule set once, so this is once per
        process per rule-set version.
        """
        if self._evaluator is None:
            from coach.engine.rules.evaluator import Evaluator

            self._evaluator = Evaluator(self)
        return self._evaluator

    def fact_settings(self, *, recorded_laps: bool = False) -> "FactSettings":
        """The numbers fact computation needs (settings.yml), parsed once per rule set.

        :param recorded_laps: with classify.yml's `form.work_pace_pct`, so that form and
            calibration read only the work laps of watch-recorded workouts, as the importer does
        """
        from dataclasses import replace

        from coach.engine.facts import FactSettings

        if self._fact_settings is None:
            week = getattr(self.templates, "triathlon_week", None)  # the triathletes' week (issue 14)
            season = self.season  # with its triathlon section, the week of a triathlete's own days
            self._fact_settings = replace(FactSettings.of(self.settings), triathlon_week=week, season=season)
            self._lap_fact_settings = replace(FactSettings.of(self.settings, work_pace_pct=self.classify.form.work_pace_pct),
                                              triathlon_week=week, season=season)
        return self._lap_fact_settings if recorded_laps else self._fact_settings

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id.

        :raises NotFound: with a did-you-mean when no rule has that id
        """
        from coach.engine.errors import NotFound
        from coach.engine.rules.condition import did_you_mean

        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        hint = did_you_mean(rule_id, [r.id for r in self.rules])
        raise NotFound(f"no rule {rule_id!r} in {self.directory}{hint}")


def _guarded(where: str, parse: Any, *args: Any) -> tuple[Any, list[Problem]]:
    """A part's validator tripped by a file of a shape it did not foresee is a problem at that
    file (a one-line message), never a traceback."""
    try:
        return parse(*args)
    except Exception as exc:  # noqa: BLE001 - any validator bug on hostile input becomes a message
        return None, [Problem(where, 1, f"could not be checked ({type(exc).__name__}): look for a list "
                                        "or mapping where a single value belongs")]


def validate_rule_set(sources: RuleSetSources) -> tuple[RuleSet | None, list[Problem]]:
    """Validate every part of a rule set together.

    :param sources: the text of its files (see `coach.service.rulesets.read_sources`)
    :return: the rule set (None if there is any problem) and every problem, in file order
    """
    problems: list[Problem] = list(sources.problems)
    valid, found = validate_rules(str(sources.directory), sources.settings, sources.rule_files)
    problems.extend(found)
    templates, found = _guarded(str(sources.sessions_dir), parse_templates, sources.sessions_dir, sources.sessions)
    problems.extend(found)
    classify, found = _guarded(sources.classify.name, parse_classify, sources.classify)
    problems.extend(found)
    trends, found = _guarded(sources.trends.name, parse_trends, sources.trends)
    problems.extend(found)
    planned, found = parse_planned(sources.planned)
    problems.extend(found)
    season, found = parse_season(sources.season)
    problems.extend(found)
    if problems or valid is None or templates is None or classify is None or trends is None or planned is None:
        return None, problems
    return RuleSet(rules=valid.rules, derived=valid.derived, settings=valid.settings, templates=templates,
                   classify=classify, trends=trends, planned=planned, season=season,
                   directory=sources.directory, version=sources.version), []


def rule_set_of(base: RuleSet, rules: Sequence[Rule], version: str, **changes: Any) -> RuleSet:
    """A new rule set: `base` with other rules, its own version and any other field changed (for
    tools and tests that compile a subset). Built afresh, so it compiles its own Evaluator."""
    return RuleSet(**{**dict(base), "rules": tuple(rules), "version": version, **changes})
