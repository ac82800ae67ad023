"""Per-athlete and per-group overrides of a rule set: tailoring without copying the whole set.

A rule set may hold `overrides/*.yml`:

    groups:
      masters: [Ana, Ben]                   # athlete names
    overrides:
      - group: masters                      # or athlete: Ana
        note: older legs recover slower     # optional, shown with the reasons
        settings:
          facts.heavy_load: 420             # any number of settings.yml, by its path
          pattern:                          # or a whole weekly pattern
            - {slot: hard, kind: intervals}
            - {slot: light, kind: easy}
            - {slot: rest, kind: rest}
        rules_off: [fatigue-poor-sleep]     # rules switched off
        thresholds:
          fatigue-load-spike: {load.acwr: 1.2}   # the number a rule compares a fact with

For an athlete, the overrides of their groups apply first, then their own, each in file
order. The result is a rule set of its own (`tailor`): the reasons of the rules an override
changed say so, and its version says it is tailored. Pure: text in, objects out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError

from coach.engine.rules.model import Compare, In, Not, Problem, RuleSettings
from coach.engine.rules.source import LineDict, LineList, SourceFile, YamlSyntaxError, is_number, parse_yaml

if TYPE_CHECKING:
    from coach.engine.ruleset import RuleSet

__all__ = ["OVERRIDES_DIR", "Override", "SETTING_PRINCIPLES", "applying", "describe", "parse_overrides",
           "settings_note", "tailor"]

#: the folder of a rule set that holds its overrides files
OVERRIDES_DIR = "overrides"

_ENTRY_KEYS = ("athlete", "group", "note", "settings", "rules_off", "thresholds")

#: the principle each overridable setting serves (the principle of an override's note)
SETTING_PRINCIPLES = {
    "pattern": "P12", "facts.hard_rpe": "P10", "facts.maximal_rpe": "P10", "facts.heavy_load": "P11",
    "facts.long_run_minutes": "P11", "facts.form_drift_pct": "P8", "facts.easy_hr_window_days": "P7",
    "facts.calibration_pace_pct": "P14",
}


class Override(BaseModel):
    """One entry of an overrides file: who it is for, and what it changes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    athletes: tuple[str, ...]  # the athlete, or the members of the group
    group: str | None = None
    note: str | None = None
    settings: dict[str, Any] = {}
    rules_off: tuple[str, ...] = ()
    thresholds: dict[str, dict[str, float]] = {}
    file: str
    line: int

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def who(self) -> str:
        return f"group {self.group}" if self.group else self.athletes[0]


def applying(overrides: Sequence[Override], athlete: str) -> list[Override]:
    """The overrides for an athlete: their groups' first, then their own, in file order."""
    mine = [o for o in overrides if athlete in o.athletes]
    return [o for o in mine if o.group] + [o for o in mine if not o.group]


def describe(override: Override) -> list[str]:
    """What an override changes, one short phrase each."""
    def show(path: str, value: Any) -> str:
        if path == "pattern":
            return ", ".join(f"{day['slot']} ({day['kind']})" for day in value)
        return f"{value:g}" if is_number(value) else json.dumps(value)

    out = [f"{path} {show(path, value)}" for path, value in override.settings.items()]
    out += [f"{rule} switched off" for rule in override.rules_off]
    out += [f"{rule}: {fact} threshold {value:g}" for rule, facts in override.thresholds.items()
            for fact, value in facts.items()]
    return out


# --------------------------------------------------------------------------- parsing


def _compares(condition: Any, fact: str) -> list[Compare]:
    if isinstance(condition, Compare):
        return [condition] if condition.fact == fact else []
    if isinstance(condition, In):
        return []
    if isinstance(condition, Not):
        return _compares(condition.item, fact)
    return [c for item in condition.items for c in _compares(item, fact)]


def _with_threshold(condition: Any, fact: str, value: float) -> Any:
    if isinstance(condition, Compare):
        return condition.model_copy(update={"value": value}) if condition.fact == fact else condition
    if isinstance(condition, In):
        return condition
    if isinstance(condition, Not):
        return condition.model_copy(update={"item": _with_threshold(condition.item, fact, value)})
    return condition.model_copy(update={"items": tuple(_with_threshold(i, fact, value) for i in condition.items)})


def _merged_settings(base: RuleSettings, changes: dict[str, Any]) -> RuleSettings:
    data = base.model_dump(mode="json")
    for path, value in changes.items():
        if path == "pattern":
            data["pattern"] = [dict(day) for day in value]
            continue
        *parents, key = path.split(".")
        node = data
        for part in parents:
            node = node[part]
        node[key] = value
    return RuleSettings.model_validate(data)


def _number_paths(data: Any, prefix: str = "") -> list[str]:
    """The dotted paths of every number in the settings (what `settings:` may override)."""
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _number_paths(v, f"{prefix}{k}.")]
    return [prefix[:-1]] if is_number(data) else []


def parse_overrides(source: SourceFile, ruleset: RuleSet) -> tuple[list[Override], list[Problem]]:
    """The overrides of one file, checked against the rule set they tailor.

    :return: the overrides (none if there is any problem) and every problem as file:line
    """
    from coach.engine.rules.condition import did_you_mean

    problems: list[Problem] = []

    def problem(line: int, message: str) -> None:
        problems.append(Problem(source.name, line, message))

    try:
        data = parse_yaml(source)
    except YamlSyntaxError as exc:
        return [], [Problem(source.name, exc.line, exc.message)]
    if not isinstance(data, LineDict):
        return [], [Problem(source.name, 1, "expected a mapping with 'overrides:' (and 'groups:')")]
    for key in data:
        if key not in ("groups", "overrides"):
            problem(data.line_of(key), f"unknown key {key!r}{did_you_mean(str(key), ('groups', 'overrides'))}")
    groups: dict[str, tuple[str, ...]] = {}
    raw_groups = data.get("groups", LineDict())
    if not isinstance(raw_groups, LineDict):
        problem(data.line_of("groups"), "groups: expected group name: [athlete names]")
    else:
        for name, members in raw_groups.items():
            if not isinstance(members, list) or not members or not all(isinstance(m, str) and m.strip()
                                                                      for m in members):
                problem(raw_groups.line_of(name), f"groups.{name}: expected a list of athlete names")
                continue
            groups[str(name)] = tuple(m.strip() for m in members)
    entries = data.get("overrides")
    if not isinstance(entries, LineList) or not entries:
        problem(data.line_of("overrides") if "overrides" in data else 1, "overrides: expected a non-empty list")
        return [], problems
    rules = {r.id: r for r in ruleset.rules}
    out: list[Override] = []
    for index, entry in enumerate(entries):
        line = entries.line_of(index)
        if not isinstance(entry, LineDict):
            problem(line, "override: expected a mapping")
            continue
        before = len(problems)
        for key in entry:
            if key not in _ENTRY_KEYS:
                problem(entry.line_of(key), f"override: unknown key {key!r}{did_you_mean(str(key), _ENTRY_KEYS)}")
        if ("athlete" in entry) == ("group" in entry):
            problem(line, "override: give either athlete or group")
            continue
        group = entry.get("group")
        if group is not None and str(group) not in groups:
            problem(entry.line_of("group"), f"override.group: no group {group!r} under groups:"
                    f"{did_you_mean(str(group), groups)}")
            continue
        athlete = entry.get("athlete")
        if group is None and (not isinstance(athlete, str) or not athlete.strip()):
            problem(entry.line_of("athlete"), "override.athlete: expected an athlete's name")
            continue
        who = groups[str(group)] if group is not None else (athlete.strip(),)
        note = entry.get("note")
        if note is not None and not isinstance(note, str):
            problem(entry.line_of("note"), "override.note: expected a text")
        settings = _settings(entry, ruleset, problem)
        off = entry.get("rules_off", [])
        off = off if isinstance(off, list) else [off]
        for rule in off:
            if rule not in rules:
                problem(entry.line_of("rules_off"),
                        f"override.rules_off: no rule {rule!r} in the rule set{did_you_mean(str(rule), rules)}")
        thresholds = _thresholds(entry, rules, problem)
        if len(problems) > before:
            continue
        if not settings and not off and not thresholds:
            problem(line, "override: changes nothing (give settings, rules_off or thresholds)")
            continue
        out.append(Override(athletes=who, group=None if group is None else str(group), note=note,
                            settings=settings, rules_off=tuple(off), thresholds=thresholds,
                            file=source.name, line=line))
    problems.sort(key=lambda p: p.line)
    return (out if not problems else []), problems


def _settings(entry: LineDict, ruleset: RuleSet, problem) -> dict[str, Any]:
    raw = entry.get("settings")
    if raw is None:
        return {}
    if not isinstance(raw, LineDict) or not raw:
        problem(entry.line_of("settings"), "override.settings: expected a mapping of setting paths to values")
        return {}
    from coach.engine.rules.condition import did_you_mean

    known = _number_paths(ruleset.settings.model_dump(mode="json")) + ["pattern"]
    out: dict[str, Any] = {}
    for path, value in raw.items():
        line = raw.line_of(path)
        if path == "pattern":
            if not isinstance(value, list) or not value or not all(isinstance(d, dict) for d in value):
                problem(line, "override.settings.pattern: expected a list of {slot, kind}")
                continue
        elif path not in known:
            problem(line, f"override.settings: unknown setting {path!r}{did_you_mean(str(path), known)}")
            continue
        elif not is_number(value):
            problem(line, f"override.settings.{path}: expected a number, got {value!r}")
            continue
        try:
            _merged_settings(ruleset.settings, {path: value})
        except ValidationError as exc:
            error = exc.errors()[0]
            problem(line, f"override.settings.{path}: {error['msg']}")
            continue
        out[str(path)] = value
    return out


def _thresholds(entry: LineDict, rules: dict, problem) -> dict[str, dict[str, float]]:
    from coach.engine.rules.condition import did_you_mean

    raw = entry.get("thresholds")
    if raw is None:
        return {}
    if not isinstance(raw, LineDict) or not raw:
        problem(entry.line_of("thresholds"), "override.thresholds: expected rule id: {fact: number}")
        return {}
    out: dict[str, dict[str, float]] = {}
    for rule_id, facts in raw.items():
        line = raw.line_of(rule_id)
        rule = rules.get(rule_id)
        if rule is None:
            problem(line, f"override.thresholds: no rule {rule_id!r} in the rule set{did_you_mean(str(rule_id), rules)}")
            continue
        if not isinstance(facts, LineDict) or not facts:
            problem(line, f"override.thresholds.{rule_id}: expected {{fact: number}}")
            continue
        for fact, value in facts.items():
            found = _compares(rule.condition, str(fact))
            if len(found) != 1 or not is_number(found[0].value):
                what = "does not compare it with a number" if not found else "compares it more than once"
                problem(facts.line_of(fact), f"override.thresholds.{rule_id}: {fact}: the rule {what}"
                        f" (its condition: {rule.when})")
            elif not is_number(value):
                problem(facts.line_of(fact), f"override.thresholds.{rule_id}.{fact}: expected a number, got {value!r}")
            else:
                out.setdefault(str(rule_id), {})[str(fact)] = float(value)
    return out


# --------------------------------------------------------------------------- tailoring


def tailor(ruleset: RuleSet, overrides: Sequence[Override]) -> RuleSet:
    """`ruleset` with `overrides` applied (in order; later ones win): one athlete's rule set.

    The rules an override changes say so at the end of their reason; switched-off rules are
    left out; the version is the base version with a hash of the overrides.
    """
    from coach.engine.ruleset import rule_set_of

    settings: dict[str, Any] = {}
    off: set[str] = set()
    thresholds: dict[str, dict[str, tuple[float, Override]]] = {}
    for o in overrides:
        settings.update(o.settings)
        off.update(o.rules_off)
        for rule_id, facts in o.thresholds.items():
            for fact, value in facts.items():
                thresholds.setdefault(rule_id, {})[fact] = (value, o)
    rules = []
    for rule in ruleset.rules:
        if rule.id in off:
            continue
        changes = thresholds.get(rule.id)
        if changes:
            condition = rule.condition
            said = []
            for fact, (value, o) in changes.items():
                old = _compares(condition, fact)[0].value
                condition = _with_threshold(condition, fact, value)
                said.append(f"{fact} {value:g} instead of {old:g} for {o.who} ({o.where})")
            note = " Override: " + "; ".join(said) + "."
            rule = rule.model_copy(update={"condition": condition, "when": str(condition),
                                           "reason": rule.reason.rstrip() + note.replace("{", "{{").replace("}", "}}")})
        rules.append(rule)
    digest = hashlib.sha256(json.dumps([o.model_dump(mode="json") for o in overrides], sort_keys=True).encode())
    merged = _merged_settings(ruleset.settings, settings) if settings else ruleset.settings
    return rule_set_of(ruleset, rules, f"{ruleset.version}+{digest.hexdigest()[:8]}", settings=merged,
                       overrides=())


def settings_note(overrides: Sequence[Override], base_facts: dict[str, Any], facts: dict[str, Any]) -> Any:
    """The Adaptation that says an override's settings changed the facts of a proposal, with
    the facts that changed (None when no setting was overridden or no fact changed)."""
    from coach.engine.model import Adaptation

    tailored = [o for o in overrides if o.settings]
    changed = [k for k in facts if facts.get(k) != base_facts.get(k)]
    if not tailored or not changed:
        return None

    def show(value: Any) -> str:
        return f"{value:g}" if is_number(value) else str(value).lower() if isinstance(value, bool) else str(value)

    what = "; ".join(f"{'; '.join(describe(o.model_copy(update={'rules_off': (), 'thresholds': {}})))} "
                     f"for {o.who} ({o.where})" + (f": {o.note}" if o.note else "") for o in tailored)
    facts_text = ", ".join(f"{k} {show(facts[k])} (not {show(base_facts.get(k))})" for k in changed[:4])
    paths = [p for o in tailored for p in o.settings]
    if "pattern" in paths and any(k.startswith("plan.") for k in changed):
        paths.insert(0, "pattern")  # the weekly pattern is what changed the plan
    principle = next((SETTING_PRINCIPLES[p] for p in paths if p in SETTING_PRINCIPLES), "P12")
    return Adaptation(rule="override-settings", principle=principle,
                      reason=f"Override: {what}. It changed {facts_text}.")
