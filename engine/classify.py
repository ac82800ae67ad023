"""Naming the kind of a recorded workout (easy, steady, tempo, intervals, long, race).

Watch files say what sport a workout was, rarely what kind. The importer measures a few
features from the laps and paces against the athlete's training paces (`features`), then
the first entry of the rule set's ``classify.yml`` whose conditions hold names the kind
(`classify`). The numbers are all in that file; this module only measures and matches.

``validate_dir(dir)`` checks a rule set's classify.yml and returns file:line problems, for
the rule loader's extra-validators hook; ``load_classify(dir)`` reads it (falling back to
the built-in file when the rule set has none).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.engine.errors import InvalidInput
from coach.engine.load import coefficient_of_variation_pct
from coach.engine.model import Kind, Sport, Workout
from coach.engine.rules.source import LineDict, LineList, YamlSyntaxError, load_yaml

from coach.engine.rules.model import Problem


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


def builtin_path() -> Path:
    """The classify.yml shipped with coach (in the `coach.rules` package folder)."""
    import coach.rules

    return Path(coach.rules.__file__).parent / FILE_NAME


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


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _parse(path: Path, data: Any, problems: list[Problem]) -> ClassifyConfig | None:
    f = str(path)

    def problem(line: int, message: str) -> None:
        problems.append(Problem(f, line, message))

    if not isinstance(data, LineDict):
        problem(getattr(data, "line", 1) or 1, "classify.yml must be a mapping with `kinds:`")
        return None
    for key in data:
        if key not in ("parameters", "kinds", "form"):
            problem(data.line_of(key), f"unknown section {key!r} (expected parameters, kinds, form)")

    params: dict[str, float] = {}
    raw_params = data.get("parameters") or LineDict()
    if not isinstance(raw_params, LineDict):
        problem(data.line_of("parameters"), "parameters must be a mapping of names to numbers")
    else:
        for key, value in raw_params.items():
            if key not in PARAMETERS:
                problem(raw_params.line_of(key), f"unknown parameter {key!r} (known: {', '.join(PARAMETERS)})")
            elif not _number(value) or value < 0:
                problem(raw_params.line_of(key), f"parameter {key} must be a number >= 0")
            else:
                params[key] = float(value)

    rules: list[KindRule] = []
    raw_kinds = data.get("kinds")
    if not isinstance(raw_kinds, LineList) or not raw_kinds:
        problem(data.line_of("kinds"), "kinds must be a non-empty list of {kind, sports, when}")
        raw_kinds = LineList()
    for i, entry in enumerate(raw_kinds):
        line = raw_kinds.line_of(i)
        if not isinstance(entry, LineDict):
            problem(line, "each kinds entry must be a mapping with `kind:`")
            continue
        for key in entry:
            if key not in ("kind", "sports", "when"):
                problem(entry.line_of(key), f"unknown key {key!r} in a kinds entry (expected kind, sports, when)")
        kind = entry.get("kind")
        if not isinstance(kind, str) or kind not in _CLASSIFIABLE:
            problem(entry.line_of("kind"), f"kind must be one of {', '.join(sorted(_CLASSIFIABLE))}, not {kind!r}")
            continue
        sports = None
        if "sports" in entry:
            raw = entry["sports"]
            names = {s.value for s in Sport}
            if not isinstance(raw, list) or not raw or any(not isinstance(s, str) or s not in names for s in raw):
                problem(entry.line_of("sports"), f"sports must be a list of {', '.join(sorted(names))}")
                continue
            sports = frozenset(Sport(s) for s in raw)
        when: dict[str, tuple[float | None, float | None]] = {}
        raw_when = entry.get("when") or LineDict()
        if not isinstance(raw_when, LineDict):
            problem(entry.line_of("when"), "when must be a mapping of feature: {min: n, max: n}")
            continue
        ok = True
        for name, cond in raw_when.items():
            cline = raw_when.line_of(name)
            if name not in FEATURES:
                problem(cline, f"unknown feature {name!r} (known: {', '.join(FEATURES)})")
                ok = False
                continue
            if not isinstance(cond, LineDict) or not cond or set(cond) - {"min", "max"}:
                problem(cline, f"condition on {name} must be {{min: n}}, {{max: n}} or both")
                ok = False
                continue
            lo, hi = cond.get("min"), cond.get("max")
            if any(v is not None and not _number(v) for v in (lo, hi)):
                problem(cline, f"min and max of {name} must be numbers")
                ok = False
                continue
            if lo is not None and hi is not None and lo > hi:
                problem(cline, f"min of {name} is above its max")
                ok = False
                continue
            when[name] = (lo, hi)
        if ok:
            rules.append(KindRule(Kind(kind), sports, when, line))

    form = FormConfig()
    raw_form = data.get("form")
    if raw_form is not None:
        if not isinstance(raw_form, LineDict):
            problem(data.line_of("form"), "form must be a mapping (kinds, work_pace_pct, cadence_drop_pct)")
        else:
            kinds: frozenset[Kind] = frozenset()
            values: dict[str, float | None] = {"work_pace_pct": None, "cadence_drop_pct": None}
            for key, value in raw_form.items():
                line = raw_form.line_of(key)
                if key == "kinds":
                    if not isinstance(value, list) or any(k not in {x.value for x in Kind} for k in value):
                        problem(line, "form.kinds must be a list of kinds")
                    else:
                        kinds = frozenset(Kind(k) for k in value)
                elif key in values:
                    if value is not None and (not _number(value) or value <= 0 or value >= 100):
                        problem(line, f"form.{key} must be a percentage between 0 and 100")
                    else:
                        values[key] = None if value is None else float(value)
                else:
                    problem(line, f"unknown key {key!r} in form (expected kinds, work_pace_pct, cadence_drop_pct)")
            form = FormConfig(kinds, values["work_pace_pct"], values["cadence_drop_pct"])
    return ClassifyConfig(params, tuple(rules), form, f)


def validate_dir(directory: Path | str) -> list[Problem]:
    """Problems in a rule set's classify.yml (none when the set has no such file).

    :param directory: the rule set's folder
    """
    path = Path(directory) / FILE_NAME
    if not path.is_file():
        return []
    problems: list[Problem] = []
    try:
        data = load_yaml(path)
    except YamlSyntaxError as exc:
        return [Problem(exc.path, exc.line, exc.message)]
    _parse(path, data, problems)
    return problems


def load_classify(directory: Path | str | None = None) -> ClassifyConfig:
    """Read classify.yml from a rule set folder (or the built-in one when None or absent).

    :raises InvalidInput: with "file:line: message" for the first problem
    """
    path = Path(directory) / FILE_NAME if directory is not None else builtin_path()
    if not path.is_file():
        path = builtin_path()
    try:
        data = load_yaml(path)
    except YamlSyntaxError as exc:
        raise InvalidInput(str(exc)) from None
    problems: list[Problem] = []
    config = _parse(path, data, problems)
    if problems or config is None:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise InvalidInput(f"{problems[0]}{more}")
    return config

