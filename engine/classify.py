"""Naming the kind of a recorded workout (easy, steady, tempo, intervals, long, race).

Watch files say what sport a workout was, rarely what kind. The importer measures a few
features from the laps and paces against the athlete's training paces (`features`), then
the first entry of the rule set's ``classify.yml`` whose conditions hold names the kind
(`classify`). The numbers are all in that file; this module only measures and matches.

``parse_classify(source)`` validates the text of a rule set's classify.yml (pydantic models
whose errors keep file:line, see `coach.engine.rules.schema`) and returns the settings with
every problem; the rule set (`coach.engine.ruleset.RuleSet.classify`)
carries the result, read once with the rest of the set by the service layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from coach.engine.training_load import coefficient_of_variation_pct
from coach.engine.model import Kind, Sport, Workout
from coach.engine.rules.model import Problem
from coach.engine.rules.schema import invalid, problems_from
from coach.engine.rules.source import LineDict, SourceFile, YamlSyntaxError, is_number, parse_yaml


FILE_NAME = "classify.yml"

#: feature name -> what it measures (documented with units in classify.yml)
FEATURES: dict[str, str] = {
    "minutes": "moving time (min)",
    "km": "distance (km)",
    "laps": "laps in the file",
    "surge_blocks": "separate runs of consecutive laps at least surge_pct faster than the average pace",
    "lap_pace_cv_pct": "coefficient of variation of lap paces (%)",
    "pace_vs_easy_pct": "average pace against the easy pace (%; negative = faster)",
    "pace_vs_threshold_pct": "average pace against the threshold pace (%; negative = faster)",
    "threshold_minutes": "time in laps at or faster than threshold pace + threshold_margin_pct (min)",
    "race_effort_pct": "time against the predicted race time for the distance (%; negative = faster)",
}
PARAMETERS = ("surge_pct", "min_lap_seconds", "threshold_margin_pct")
_CLASSIFIABLE = {k.value for k in Kind} - {"rest", "cross"}


@dataclass(frozen=True)
class KindRule:
    kind: Kind
    sports: frozenset[Sport] | None
    #: feature -> (minimum or None, maximum or None), both inclusive
    when: Mapping[str, tuple[float | None, float | None]]
    line: int = 0

    def matches(self, sport: Sport, measured: Mapping[str, float]) -> bool:
        if self.sports is not None and sport not in self.sports:
            return False
        for name, (lo, hi) in self.when.items():
            value = measured.get(name)
            if value is None or (lo is not None and value < lo) or (hi is not None and value > hi):
                return False
        return True


@dataclass(frozen=True)
class FormConfig:
    kinds: frozenset[Kind] = frozenset()
    work_pace_pct: float | None = None
    cadence_drop_pct: float | None = None


@dataclass(frozen=True)
class ClassifyConfig:
    parameters: Mapping[str, float]
    kinds: tuple[KindRule, ...]
    form: FormConfig = field(default_factory=FormConfig)
    path: str = ""


# --- measuring -------------------------------------------------------------------------


def _pace(distance_m: float | None, seconds: float | None) -> float | None:
    if not distance_m or not seconds or distance_m <= 0 or seconds <= 0:
        return None
    return seconds / (distance_m / 1000.0)


def features(workout: Workout, paces: Any | None, parameters: Mapping[str, float]) -> dict[str, float]:
    """The measurable features of a workout (unknown ones left out).

    :param workout: the workout, with its reps (laps) in order
    :param paces: the athlete's `coach.engine.paces.TrainingPaces`, or None when unknown
    :param parameters: the `parameters:` of classify.yml
    """
    out: dict[str, float] = {}
    if workout.duration_s:
        out["minutes"] = workout.duration_s / 60.0
    if workout.distance_m:
        out["km"] = workout.distance_m / 1000.0
    out["laps"] = float(len(workout.reps))
    avg = _pace(workout.distance_m, workout.duration_s)
    min_lap = float(parameters.get("min_lap_seconds", 0))
    laps = [(r, r.pace()) for r in workout.reps if r.pace() is not None and (r.duration_s or 0) >= min_lap]
    if len(laps) >= 2:
        cv = coefficient_of_variation_pct([p for _, p in laps])  # type: ignore[misc]
        if cv is not None:
            out["lap_pace_cv_pct"] = cv
    if avg is not None and laps:
        limit = avg * (1.0 - float(parameters.get("surge_pct", 0)) / 100.0)
        blocks, inside = 0, False
        for _, p in laps:
            fast = p <= limit  # type: ignore[operator]
            if fast and not inside:
                blocks += 1
            inside = fast
        out["surge_blocks"] = float(blocks)
    if paces is not None and workout.sport == Sport.run:
        if avg is not None:
            out["pace_vs_easy_pct"] = (avg / paces.easy - 1.0) * 100.0
            out["pace_vs_threshold_pct"] = (avg / paces.threshold - 1.0) * 100.0
        if laps:
            limit = paces.threshold * (1.0 + float(parameters.get("threshold_margin_pct", 0)) / 100.0)
            out["threshold_minutes"] = sum(r.duration_s for r, p in laps if p <= limit) / 60.0  # type: ignore[misc]
        if not getattr(paces, "estimated", False) and workout.distance_m and workout.duration_s:
            from coach.engine.paces import race_time

            predicted = race_time(paces.vdot, workout.distance_m)
            out["race_effort_pct"] = (workout.duration_s / predicted - 1.0) * 100.0
    return out


def classify(workout: Workout, paces: Any | None, config: ClassifyConfig) -> tuple[Kind, dict[str, float]]:
    """The kind the first matching entry of classify.yml names, and the features it saw.

    Cross-training and strength sessions are `cross` whatever their features.
    """
    measured = features(workout, paces, config.parameters)
    if workout.sport in (Sport.cross, Sport.strength):
        return Kind.cross, measured
    for rule in config.kinds:
        if rule.matches(workout.sport, measured):
            return rule.kind, measured
    return Kind.easy, measured


# --- reading and validating classify.yml -----------------------------------------------


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _KindEntry(_Entry):
    """One entry of `kinds:` in classify.yml."""

    kind: Kind
    sports: frozenset[Sport] | None = None
    when: dict[str, tuple[float | None, float | None]] = {}

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        if not isinstance(value, str) or value not in _CLASSIFIABLE:  # a list or mapping is not hashable
            raise invalid(f"kind must be one of {', '.join(sorted(_CLASSIFIABLE))}, not {value!r}")
        return value

    @field_validator("sports", mode="before")
    @classmethod
    def _sports(cls, value: Any) -> Any:
        names = {s.value for s in Sport}
        if not isinstance(value, list) or not value or any(not isinstance(s, str) or s not in names for s in value):
            raise invalid(f"sports must be a list of {', '.join(sorted(names))}")
        return value

    @field_validator("when", mode="before")
    @classmethod
    def _when(cls, value: Any) -> Any:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise invalid("when must be a mapping of feature: {min: n, max: n}")
        when = {}
        for name, cond in value.items():
            if name not in FEATURES:
                raise invalid(f"unknown feature {name!r} (known: {', '.join(FEATURES)})", key=name)
            if not isinstance(cond, dict) or not cond or set(cond) - {"min", "max"}:
                raise invalid(f"condition on {name} must be {{min: n}}, {{max: n}} or both", key=name)
            lo, hi = cond.get("min"), cond.get("max")
            if any(v is not None and not is_number(v) for v in (lo, hi)):
                raise invalid(f"min and max of {name} must be numbers", key=name)
            if lo is not None and hi is not None and lo > hi:
                raise invalid(f"min of {name} is above its max", key=name)
            when[name] = (lo, hi)
        return when


class _FormEntry(_Entry):
    """`form:` in classify.yml."""

    kinds: frozenset[Kind] = frozenset()
    work_pace_pct: float | None = None
    cadence_drop_pct: float | None = None

    @field_validator("kinds", mode="before")
    @classmethod
    def _kinds(cls, value: Any) -> Any:
        if not isinstance(value, list) or any(not isinstance(k, str) or k not in {x.value for x in Kind} for k in value):
            raise invalid("form.kinds must be a list of kinds")
        return value

    @field_validator("work_pace_pct", "cadence_drop_pct", mode="before")
    @classmethod
    def _percentage(cls, value: Any, info: ValidationInfo) -> Any:
        if value is not None and (not is_number(value) or value <= 0 or value >= 100):
            raise invalid(f"form.{info.field_name} must be a percentage between 0 and 100")
        return value


class _ClassifyFile(_Entry):
    """The whole of classify.yml."""

    parameters: dict[str, float] = {}
    kinds: list[_KindEntry] = Field(default=None, validate_default=True)
    form: _FormEntry | None = None

    @field_validator("parameters", mode="before")
    @classmethod
    def _parameters(cls, value: Any) -> Any:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise invalid("parameters must be a mapping of names to numbers")
        for key, number in value.items():
            if key not in PARAMETERS:
                raise invalid(f"unknown parameter {key!r} (known: {', '.join(PARAMETERS)})", key=key)
            if not is_number(number) or number < 0:
                raise invalid(f"parameter {key} must be a number >= 0", key=key)
        return value

    @field_validator("kinds", mode="before")
    @classmethod
    def _kinds(cls, value: Any) -> Any:
        if not isinstance(value, list) or not value:
            raise invalid("kinds must be a non-empty list of {kind, sports, when}")
        for i, entry in enumerate(value):
            if not isinstance(entry, dict):
                raise invalid("each kinds entry must be a mapping with `kind:`", key=i)
        return value

    @field_validator("form", mode="before")
    @classmethod
    def _form(cls, value: Any) -> Any:
        if value is not None and not isinstance(value, dict):
            raise invalid("form must be a mapping (kinds, work_pace_pct, cadence_drop_pct)")
        return value


#: where classify.yml forbids other keys -> the message
_UNKNOWN_KEYS = {
    (): "unknown section {key} (expected parameters, kinds, form)",
    ("kinds", "*"): "unknown key {key} in a kinds entry (expected kind, sports, when)",
    ("form",): "unknown key {key} in form (expected kinds, work_pace_pct, cadence_drop_pct)",
}


def _parse(path: Path, data: Any, problems: list[Problem]) -> ClassifyConfig | None:
    f = str(path)
    if not isinstance(data, LineDict):
        problems.append(Problem(f, getattr(data, "line", 1) or 1, "classify.yml must be a mapping with `kinds:`"))
        return None
    try:
        top = _ClassifyFile.model_validate(data)
    except ValidationError as exc:
        problems.extend(problems_from(f, data, exc, _UNKNOWN_KEYS))
        return None
    kinds = data["kinds"]
    rules = tuple(KindRule(e.kind, e.sports, e.when, kinds.line_of(i)) for i, e in enumerate(top.kinds))
    form = FormConfig(top.form.kinds, top.form.work_pace_pct, top.form.cadence_drop_pct) if top.form else FormConfig()
    return ClassifyConfig(dict(top.parameters), rules, form, f)


def parse_classify(source: SourceFile) -> tuple[ClassifyConfig | None, list[Problem]]:
    """Validate the text of a rule set's classify.yml.

    :param source: the file's name (for file:line messages) and text
    :return: the settings (None if there is any problem) and every problem found
    """
    try:
        data = parse_yaml(source)
    except YamlSyntaxError as exc:
        return None, [Problem(exc.path, exc.line, exc.message)]
    problems: list[Problem] = []
    config = _parse(Path(source.name), data, problems)
    return (None if problems else config), problems
