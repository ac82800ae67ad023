"""Scenario files: what a coach writes down as "for this history, the proposal must be ...".

A rule set keeps its scenarios in `scenarios/*.yml` beside the rules; `coach rules test`
runs them (`coach.service.rules_test`). One file holds a list of scenarios:

    scenarios:
      - name: a load spike swaps the fast day to a steady run
        principle: P7                 # optional: the principle the scenario guards
        date: 2026-11-19              # the day proposed
        athlete: {goal: 5k}           # optional: Athlete fields (default: a 5K in 20:30)
        history:
          baseline: 5                 # weeks of the calm hard, easy, hard, rest cycle
          baseline_until: 0           # days before `date` the baseline ends (default 0)
          drop: [2]                   # days before `date` left out of the baseline
          workouts:
            - {days_before: 3, kind: steady, minutes: 60, rpe: 6, km: 12}
        expect:
          kind: steady                # or a list: one of them
          not_intensity: hard
          fired: [fatigue-load-spike] # rules that changed the proposal
          not_fired: [no-hard-after-hard]
          principles: [P7]
          main_m: {min: 1000, max: 3000}   # main-set distance, metres
          facts: {plan.slot: hard}
          reasons: {fatigue-load-spike: "ACWR"}

Parsing is pure (text in, `Scenario` objects or `Problem`s out, every problem as file:line);
reading the files is `read_scenarios`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from coach.engine.model import Athlete, Intensity, Kind, Rep, Sport, Workout
from coach.engine.rules import Problem, SourceFile
from coach.engine.rules.condition import did_you_mean
from coach.engine.rules.source import LineDict, LineList, YamlSyntaxError, is_number, parse_yaml

__all__ = ["Expectation", "Scenario", "SCENARIOS_DIR", "baseline_history", "parse_scenarios",
           "read_scenarios", "scenario_paths"]

#: the folder of a rule set that holds its scenario files
SCENARIOS_DIR = "scenarios"

#: the athlete of a scenario that names none: a runner with a 5K in 20:30 and no fixed rest
#: day; a name no real athlete's overrides apply to (name one to test their overrides)
DEFAULT_ATHLETE: dict[str, Any] = {
    "name": "Scenario runner",
    "recent_races": [{"label": "5k", "distance_m": 5000, "time_s": 20 * 60 + 30}],
    "rest_days": [],
}

_SCENARIO_KEYS = ("name", "principle", "date", "athlete", "history", "expect")
_HISTORY_KEYS = ("baseline", "baseline_until", "drop", "workouts")
_EXPECT_KEYS = ("kind", "not_kind", "intensity", "not_intensity", "fired", "not_fired", "principles",
                "not_principles", "main_m", "facts", "reasons")
_WORKOUT_KEYS = ("days_before", "date", "sport", "kind", "minutes", "km", "rpe", "soreness", "sleep_h",
                 "avg_hr", "max_hr", "cadence", "form_broke_at", "notes", "reps")
_REPS_KEYS = ("distance_m", "paces", "target")


@dataclass(frozen=True)
class Expectation:
    """What the proposal must (and must not) be; each check keeps the line it was written on."""

    kind: tuple[str, ...] = ()
    not_kind: tuple[str, ...] = ()
    intensity: tuple[str, ...] = ()
    not_intensity: tuple[str, ...] = ()
    fired: tuple[str, ...] = ()
    not_fired: tuple[str, ...] = ()
    principles: tuple[str, ...] = ()
    not_principles: tuple[str, ...] = ()
    main_m_min: float | None = None
    main_m_max: float | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    """One scenario: an athlete, their history, the day proposed and what is expected."""

    file: str
    line: int
    name: str
    principle: str | None
    date: dt.date
    athlete: Athlete
    history: tuple[Workout, ...]
    expect: Expectation

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def baseline_history(day: dt.date, weeks: int) -> list[Workout]:
    """A calm, well-based history before `day`: `weeks` weeks of a 4-day cycle (intervals,
    easy 10 km, tempo, rest) ending with a rest day the day before.

    Its 7-day load is about 0.9 times the 28-day average and it holds about 70 km of easy
    running in 4 weeks: on the default rules no adaptation fires on it.
    """
    out = []
    for n in range(weeks * 7, 0, -1):
        if n % 4 == 1:
            continue  # the rest day of the cycle
        date = day - dt.timedelta(days=n)
        kind, minutes, rpe, km = {0: (Kind.intervals, 45, 7, 9), 3: (Kind.easy, 50, 3, 10)}.get(
            n % 4, (Kind.tempo, 45, 7, 10))
        out.append(Workout(date=date, sport=Sport.run, kind=kind, duration_s=minutes * 60, rpe=rpe,
                           distance_m=km * 1000))
    return out


class _Checker:
    """Collects problems while reading one file."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def mapping(self, value: Any, line: int, what: str, keys: tuple[str, ...]) -> LineDict | None:
        if not isinstance(value, LineDict):
            self.problem(getattr(value, "line", line), f"{what}: expected a mapping")
            return None
        for key in value:
            if key not in keys:
                self.problem(value.line_of(key), f"{what}: unknown key {key!r}{did_you_mean(str(key), keys)}; "
                             f"expected one of {', '.join(keys)}")
        return value

    def words(self, value: Any, line: int, what: str, allowed: tuple[str, ...] | None = None) -> tuple[str, ...]:
        """A word or a list of words (checked against `allowed` when given)."""
        items = list(value) if isinstance(value, list) else [value]
        out = []
        for item in items:
            if not isinstance(item, (str, int)) or isinstance(item, bool):
                self.problem(line, f"{what}: expected a word or a list of words, got {item!r}")
                continue
            word = str(item)
            if allowed is not None and word not in allowed:
                self.problem(line, f"{what}: unknown value {word!r}{did_you_mean(word, allowed)}; "
                             f"expected one of {', '.join(allowed)}")
                continue
            out.append(word)
        return tuple(out)

    def number(self, value: Any, line: int, what: str, minimum: float | None = 0) -> float | None:
        if not is_number(value) or (minimum is not None and value < minimum):
            floor = "" if minimum is None else f" >= {minimum:g}"
            self.problem(line, f"{what}: expected a number{floor}, got {value!r}")
            return None
        return float(value)

    def date(self, value: Any, line: int, what: str) -> dt.date | None:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.problem(line, f"{what}: expected a date (YYYY-MM-DD), got {value!r}")
        return None

    def model_errors(self, exc: Any, line: int, what: str) -> None:
        for error in exc.errors():
            loc = ".".join(str(p) for p in error["loc"]) or what
            self.problem(line, f"{what}.{loc}: {error['msg']}")


def parse_scenarios(source: SourceFile) -> tuple[list[Scenario], list[Problem]]:
    """The scenarios of one file and every problem found in it (file:line: message).

    :param source: the file's name (as messages name it) and its text
    :return: the valid scenarios (only when there is no problem) and the problems
    """
    check = _Checker(source.name)
    try:
        data = parse_yaml(source)
    except YamlSyntaxError as exc:
        return [], [Problem(source.name, exc.line, exc.message)]
    top = check.mapping(data, 1, "file", ("scenarios",))
    if top is None or "scenarios" not in top:
        if top is not None:
            check.problem(top.line or 1, "file: missing key 'scenarios' (a list of scenarios)")
        return [], check.problems
    items = top["scenarios"]
    if not isinstance(items, LineList) or not items:
        check.problem(top.line_of("scenarios"), "scenarios: expected a non-empty list")
        return [], check.problems
    out: list[Scenario] = []
    names: dict[str, int] = {}
    for index, item in enumerate(items):
        line = items.line_of(index)
        scenario = _scenario(check, item, line)
        if scenario is None:
            continue
        if scenario.name in names:
            check.problem(line, f"scenario {scenario.name!r}: the same name as line {names[scenario.name]}")
        names.setdefault(scenario.name, line)
        out.append(scenario)
    return (out if not check.problems else []), check.problems


def _scenario(check: _Checker, item: Any, line: int) -> Scenario | None:
    node = check.mapping(item, line, "scenario", _SCENARIO_KEYS)
    if node is None:
        return None
    before = len(check.problems)
    for key in ("name", "date", "expect"):
        if key not in node:
            check.problem(node.line, f"scenario: missing key {key!r}")
    name = node.get("name")
    if "name" in node and (not isinstance(name, str) or not name.strip()):
        check.problem(node.line_of("name"), "name: expected a non-empty text")
    principle = node.get("principle")
    if principle is not None and not (isinstance(principle, str) and principle[:1] == "P"
                                      and principle[1:].isdigit() and 1 <= int(principle[1:]) <= 17):
        check.problem(node.line_of("principle"), f"principle: expected P1 to P17, got {principle!r}")
    day = check.date(node["date"], node.line_of("date"), "date") if "date" in node else None
    athlete = _athlete(check, node.get("athlete"), node.line_of("athlete"), day)
    history = _history(check, node.get("history"), node.line_of("history"), day)
    expect = _expect(check, node["expect"], node.line_of("expect")) if "expect" in node else None
    if len(check.problems) > before or day is None or athlete is None or expect is None:
        return None
    return Scenario(file=check.file, line=line, name=name.strip(), principle=principle, date=day,
                    athlete=athlete, history=tuple(history), expect=expect)


def _athlete(check: _Checker, value: Any, line: int, day: dt.date | None) -> Athlete | None:
    fields = dict(DEFAULT_ATHLETE)
    if value is not None:
        if not isinstance(value, LineDict):
            check.problem(line, "athlete: expected a mapping of athlete fields")
            return None
        fields.update(value)
        if "race_in_days" in fields:
            days = fields.pop("race_in_days")
            if not isinstance(days, int) or isinstance(days, bool) or day is None:
                check.problem(value.line_of("race_in_days"), "athlete.race_in_days: expected a whole number of days")
                return None
            fields["race_date"] = day + dt.timedelta(days=days)
    try:
        return Athlete(**fields)
    except ValidationError as exc:
        check.model_errors(exc, getattr(value, "line", line), "athlete")
    except TypeError as exc:
        check.problem(line, f"athlete: {exc}")
    return None


def _history(check: _Checker, value: Any, line: int, day: dt.date | None) -> list[Workout]:
    if value is None:
        return []
    node = check.mapping(value, line, "history", _HISTORY_KEYS)
    if node is None:
        return []
    weeks = node.get("baseline", 0)
    if weeks is True:
        weeks = 5
    if weeks is False or not isinstance(weeks, int) or isinstance(weeks, bool) or not 0 <= weeks <= 52:
        check.problem(node.line_of("baseline"), f"history.baseline: expected weeks from 0 to 52, got {weeks!r}")
        weeks = 0
    drop = node.get("drop", [])
    drop = drop if isinstance(drop, list) else [drop]
    if not all(isinstance(d, int) and not isinstance(d, bool) and d >= 1 for d in drop):
        check.problem(node.line_of("drop"), "history.drop: expected days before the date (1, 2, ...)")
        drop = []
    until = node.get("baseline_until", 0)
    if not isinstance(until, int) or isinstance(until, bool) or until < 0:
        check.problem(node.line_of("baseline_until"),
                      f"history.baseline_until: expected days before the date (0, 1, ...), got {until!r}")
        until = 0
    out = []
    if day is not None and weeks:
        out = [w for w in baseline_history(day - dt.timedelta(days=until), weeks)
               if (day - w.date).days not in drop]
    workouts = node.get("workouts")
    if workouts is None:
        return out
    if not isinstance(workouts, LineList):
        check.problem(node.line_of("workouts"), "history.workouts: expected a list of workouts")
        return out
    for index, item in enumerate(workouts):
        workout = _workout(check, item, workouts.line_of(index), day)
        if workout is not None:
            out.append(workout)
    return sorted(out, key=lambda w: w.date)


def _workout(check: _Checker, value: Any, line: int, day: dt.date | None) -> Workout | None:
    node = check.mapping(value, line, "workout", _WORKOUT_KEYS)
    if node is None:
        return None
    before = len(check.problems)
    fields: dict[str, Any] = {k: v for k, v in node.items()
                              if k not in ("days_before", "date", "minutes", "km", "reps")}
    fields.setdefault("sport", "run")
    if ("days_before" in node) == ("date" in node):
        check.problem(line, "workout: give either days_before or date")
    elif "days_before" in node:
        n = node["days_before"]
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            check.problem(node.line_of("days_before"), f"workout.days_before: expected a whole number >= 0, got {n!r}")
        elif day is not None:
            fields["date"] = day - dt.timedelta(days=n)
    else:
        fields["date"] = check.date(node["date"], node.line_of("date"), "workout.date")
    if "minutes" not in node:
        check.problem(line, "workout: missing key 'minutes'")
    else:
        minutes = check.number(node["minutes"], node.line_of("minutes"), "workout.minutes")
        fields["duration_s"] = None if not minutes else minutes * 60
    if "km" in node:
        km = check.number(node["km"], node.line_of("km"), "workout.km")
        fields["distance_m"] = None if km is None else km * 1000
    if "reps" in node:
        fields["reps"] = _reps(check, node["reps"], node.line_of("reps"))
    if len(check.problems) > before or day is None:
        return None
    try:
        return Workout(**fields)
    except ValidationError as exc:
        check.model_errors(exc, line, "workout")
    return None


def _reps(check: _Checker, value: Any, line: int) -> list[Rep]:
    node = check.mapping(value, line, "workout.reps", _REPS_KEYS)
    if node is None:
        return []
    distance = check.number(node.get("distance_m"), node.line_of("distance_m"), "workout.reps.distance_m", 1)
    target = node.get("target")
    target = None if target is None else check.number(target, node.line_of("target"), "workout.reps.target", 1)
    paces = node.get("paces")
    if not isinstance(paces, list) or not paces or not all(is_number(p) and p > 0 for p in paces):
        check.problem(node.line_of("paces"), "workout.reps.paces: expected a list of paces in s/km")
        return []
    if distance is None:
        return []
    return [Rep(index=i + 1, distance_m=distance, duration_s=p * distance / 1000, target_pace_s_per_km=target)
            for i, p in enumerate(paces)]


def _expect(check: _Checker, value: Any, line: int) -> Expectation | None:
    node = check.mapping(value, line, "expect", _EXPECT_KEYS)
    if node is None:
        return None
    if not node:
        check.problem(line, "expect: name at least one thing the proposal must be")
        return None
    kinds = tuple(k.value for k in Kind)
    intensities = tuple(i.value for i in Intensity)
    principles = tuple(f"P{n}" for n in range(1, 18))
    found: dict[str, Any] = {}
    for key in ("kind", "not_kind"):
        if key in node:
            found[key] = check.words(node[key], node.line_of(key), f"expect.{key}", kinds)
    for key in ("intensity", "not_intensity"):
        if key in node:
            found[key] = check.words(node[key], node.line_of(key), f"expect.{key}", intensities)
    for key in ("principles", "not_principles"):
        if key in node:
            found[key] = check.words(node[key], node.line_of(key), f"expect.{key}", principles)
    for key in ("fired", "not_fired"):
        if key in node:
            found[key] = check.words(node[key], node.line_of(key), f"expect.{key}")
    if "main_m" in node:
        bounds = check.mapping(node["main_m"], node.line_of("main_m"), "expect.main_m", ("min", "max"))
        if bounds is not None:
            if not bounds:
                check.problem(node.line_of("main_m"), "expect.main_m: give min, max or both (metres)")
            if "min" in bounds:
                found["main_m_min"] = check.number(bounds["min"], bounds.line_of("min"), "expect.main_m.min")
            if "max" in bounds:
                found["main_m_max"] = check.number(bounds["max"], bounds.line_of("max"), "expect.main_m.max")
    for key in ("facts", "reasons"):
        if key in node:
            mapping = node[key]
            if not isinstance(mapping, LineDict) or not mapping:
                check.problem(node.line_of(key), f"expect.{key}: expected a mapping of names to values")
                continue
            if key == "reasons" and not all(isinstance(v, str) for v in mapping.values()):
                check.problem(node.line_of(key), "expect.reasons: expected rule id: words the reason must hold")
                continue
            found[key] = dict(mapping)
    lines = {key: node.line_of(key) for key in node}
    for key in ("facts", "reasons"):
        if key in found:
            lines.update({f"{key}:{name}": node[key].line_of(name) for name in node[key]})
    return Expectation(lines=lines, **found)


def scenario_paths(directory: Path | str) -> list[Path]:
    """The scenario files of a folder (`*.yml`, `*.yaml`), in name order."""
    folder = Path(directory)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".yml", ".yaml"))


def read_scenarios(paths: list[Path]) -> tuple[list[Scenario], list[Problem]]:
    """Read and parse scenario files: every scenario, and every problem as file:line: message."""
    scenarios: list[Scenario] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.append(Problem(str(path), 1, "not a UTF-8 text file"))
            continue
        except OSError as exc:
            problems.append(Problem(str(path), 1, f"cannot read: {exc.strerror or exc}"))
            continue
        found, wrong = parse_scenarios(SourceFile(str(path), text))
        scenarios += found
        problems += wrong
    return scenarios, problems
