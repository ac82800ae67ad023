"""Schema validation of rule files and settings.yml: every problem, each with file:line.

Each function takes one parsed YAML document (from `source.parse_yaml`, so every mapping and
list knows its lines) and returns the typed objects it could build plus a list of
`Problem`s. Validation never stops at the first problem: a coach fixing a file wants
to see all of them at once.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from pydantic import ValidationError

from coach.engine import vocabulary
from coach.engine.model import Action
from coach.engine.rules.condition import (
    ConditionSyntaxError,
    FactType,
    check_condition,
    did_you_mean,
    parse_condition,
)
from coach.engine.rules.model import (
    DerivedFact,
    FactParams,
    LoadParams,
    PaceParams,
    PatternDay,
    Problem,
    ReadinessParams,
    HeartRateZoneParams,
    Rule,
    RuleSettings,
)
from coach.engine.rules.reason import check_template
from coach.engine.rules.source import LineDict, LineList, is_number

RULE_FILE_KEYS = ("rules", "derived")
RULE_KEYS = ("id", "principle", "priority", "description", "when", "then", "reason")
DERIVED_KEYS = ("name", "type", "description", "values")
SETTINGS_KEYS = ("facts", "intensity_of_kind", "pattern")
#: settings.yml keys that may be left out: `paces` (its defaults apply), `load` and `readiness`
#: (without them, only RPE gives a load and check-ins give no facts)
OPTIONAL_SETTINGS_KEYS = ("paces", "load", "readiness", "heart_rate_zones")
PATTERN_KEYS = ("slot", "kind")
_RULE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_FACT_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
_TYPE_NAMES = {"number": "a number", "string": "a string", "bool": "true or false"}


def _line(node: Any, key: Any = None, default: int = 1) -> int:
    if isinstance(node, LineDict):
        return node.line_of(key) if key is not None else node.line
    if isinstance(node, LineList):
        return node.line_of(key) if isinstance(key, int) else node.line
    return default


def _unknown_keys(file: str, node: LineDict, allowed: tuple[str, ...], what: str) -> list[Problem]:
    problems = []
    for key in node:
        if key not in allowed:
            problems.append(Problem(
                file, node.line_of(key),
                f'unknown {what} "{key}"{did_you_mean(str(key), allowed)}; allowed: {", ".join(allowed)}',
            ))
    return problems


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def fact_types(derived: list[DerivedFact] | tuple[DerivedFact, ...] = ()) -> dict[str, FactType]:
    """The facts rules may read: the vocabulary plus the set's derived facts."""
    types = {f.name: FactType(f.type, f.values) for f in vocabulary.FACTS}
    for d in derived:
        types[d.name] = FactType(d.type, d.values)
    return types


# ---------------------------------------------------------------- derived facts


def validate_derived(file: str, doc: Any) -> tuple[list[DerivedFact], list[Problem]]:
    """The `derived:` section of a rule file.

    :param file: the file's name for messages
    :param doc: the whole parsed file
    """
    if not isinstance(doc, LineDict) or "derived" not in doc:
        return [], []
    section = doc["derived"]
    if not isinstance(section, LineList):
        return [], [Problem(file, doc.line_of("derived"), "derived: expected a list of facts")]
    out: list[DerivedFact] = []
    problems: list[Problem] = []
    for i, item in enumerate(section):
        line = section.line_of(i)
        if not isinstance(item, LineDict):
            problems.append(Problem(file, line, "derived: each item must be a mapping with name, type, description"))
            continue
        found = _unknown_keys(file, item, DERIVED_KEYS, "derived fact key")
        for key in ("name", "type", "description"):
            if key not in item:
                found.append(Problem(file, item.line, f'derived fact: missing required key "{key}"'))
        name, ftype = item.get("name"), item.get("type")
        if "name" in item:
            if not isinstance(name, str) or not _FACT_NAME.match(name) or "__" in name:
                found.append(Problem(file, item.line_of("name"),
                                     f"derived fact name {_type_name(name)} must be lowercase words joined by dots"))
            elif name in vocabulary.FACTS_BY_NAME:
                found.append(Problem(file, item.line_of("name"),
                                     f'derived fact "{name}" is already a fact of the vocabulary'))
        if "type" in item and ftype not in _TYPE_NAMES:
            found.append(Problem(file, item.line_of("type"),
                                 f"derived fact type must be number, string or bool, got {_type_name(ftype)}"))
        if "description" in item and (not isinstance(item["description"], str) or not item["description"].strip()):
            found.append(Problem(file, item.line_of("description"), "derived fact description must be text"))
        values = item.get("values", ())
        if "values" in item and (
            not isinstance(values, list) or not all(isinstance(v, str) for v in values) or ftype != "string"
        ):
            found.append(Problem(file, item.line_of("values"), "derived fact values: a list of strings, for string facts only"))
        if found:
            problems.extend(found)
            continue
        out.append(DerivedFact(name=name, type=ftype, description=item["description"].strip(),
                               values=tuple(values or ()), file=file, line=item.line_of("name")))
    return out, problems


# ---------------------------------------------------------------- actions


def _check_param(action: str, spec: vocabulary.ParamSpec, value: Any) -> str | None:
    if spec.type == "number":
        if not is_number(value):
            return f"{action}: {spec.name} must be a number, got {_type_name(value)}"
        if (spec.minimum is not None and value < spec.minimum) or (spec.maximum is not None and value > spec.maximum):
            return f"{action}: {spec.name} must be between {spec.minimum:g} and {spec.maximum:g}, got {value:g}"
    elif spec.type == "string":
        if not isinstance(value, str):
            return f"{action}: {spec.name} must be text, got {_type_name(value)}"
        if spec.values and value not in spec.values:
            return (f'{action}: {spec.name} must be one of {", ".join(spec.values)}, got "{value}"'
                    f"{did_you_mean(value, spec.values)}")
    elif not isinstance(value, bool):
        return f"{action}: {spec.name} must be true or false, got {_type_name(value)}"
    return None


def _check_set(params: Mapping[str, Any], derived: Mapping[str, DerivedFact]) -> tuple[dict[str, Any] | None, str | None]:
    name = params.get("fact")
    if not isinstance(name, str):
        return None, f"set: fact must be the name of a derived fact, got {_type_name(name)}"
    if name not in derived:
        hint = did_you_mean(name, derived) if derived else ""
        where = "declared under derived:" if derived else "declared: add it under derived:"
        return None, f'set: "{name}" is not a derived fact {where}{hint}'
    spec = derived[name]
    if "value" not in params:
        if spec.type != "bool":
            return None, f'set: missing parameter "value" ({name} is {_TYPE_NAMES[spec.type]})'
        return {"fact": name, "value": True}, None
    value = params["value"]
    ok = {"bool": isinstance(value, bool), "number": is_number(value), "string": isinstance(value, str)}[spec.type]
    if not ok:
        return None, f"set: value for {name} must be {_TYPE_NAMES[spec.type]}, got {_type_name(value)}"
    if spec.type == "string" and spec.values and value not in spec.values:
        return None, f'set: {name} is never "{value}"; its values are: {", ".join(spec.values)}'
    return {"fact": name, "value": value}, None


def validate_action(item: Any, derived: Mapping[str, DerivedFact]) -> tuple[Action | None, list[tuple[int | None, str]]]:
    """One item of a rule's `then:` list: `name`, `{name: null}` or `{name: {param: value}}`.

    Returns the action (or None) and problems as (line or None for the item's line, message).
    """
    if isinstance(item, str):
        name, params, pnode = item, {}, None
    elif isinstance(item, LineDict) and len(item) == 1:
        name, params = next(iter(item.items()))
        pnode = params if isinstance(params, LineDict) else None
        if params is None:
            params = {}
        if not isinstance(params, dict):
            return None, [(None, f"{name}: parameters must be a mapping like {{param: value}}, got {_type_name(params)}")]
    else:
        return None, [(None, "each action must be one name with its parameters, like `- swap: {to: steady}`")]
    spec = vocabulary.ACTIONS_BY_NAME.get(name) if isinstance(name, str) else None
    if spec is None:
        return None, [(None, f'unknown action "{name}"{did_you_mean(str(name), vocabulary.ACTIONS_BY_NAME)}; '
                             f'allowed: {", ".join(vocabulary.ACTIONS_BY_NAME)}')]
    problems: list[tuple[int | None, str]] = []
    known = {p.name: p for p in spec.params}
    for key, value in params.items():
        line = pnode.line_of(key) if pnode is not None else None
        if key not in known:
            allowed = ", ".join(known) if known else "none"
            problems.append((line, f'{name}: unknown parameter "{key}"{did_you_mean(str(key), known)}; allowed: {allowed}'))
        elif name != "set":
            msg = _check_param(name, known[key], value)
            if msg:
                problems.append((line, msg))
    if name == "set":
        if not problems:
            checked, msg = _check_set(params, derived)
            if msg:
                problems.append((None, msg))
            else:
                params = checked or {}
    else:
        for p in spec.params:
            if p.required and p.name not in params:
                problems.append((None, f'{name}: missing parameter "{p.name}"'))
        if name == "shorten" and not problems and not params:
            problems.append((None, "shorten: give percent or reps"))
    if problems:
        return None, problems
    return Action(name=name, params=dict(params)), []


# ---------------------------------------------------------------- rules


def validate_rule_file(
    file: str,
    doc: Any,
    facts: Mapping[str, FactType],
    derived: Mapping[str, DerivedFact],
) -> tuple[list[Rule], list[Problem]]:
    """The `rules:` of one rule file (top-level keys checked here too).

    :param file: the file's name for messages
    :param doc: the parsed file
    :param facts: every fact rules may read (vocabulary plus derived)
    :param derived: the set's derived facts by name (for the `set` action)
    """
    if doc is None:
        return [], [Problem(file, 1, 'empty rule file: expected "rules:" with a list of rules')]
    if not isinstance(doc, LineDict):
        return [], [Problem(file, _line(doc), 'expected a mapping with "rules:" (a list of rules)')]
    problems = _unknown_keys(file, doc, RULE_FILE_KEYS, "top-level key")
    if "rules" not in doc:
        if "derived" not in doc:
            problems.append(Problem(file, doc.line, 'missing required key "rules"'))
        return [], problems
    section = doc["rules"]
    if not isinstance(section, LineList):
        problems.append(Problem(file, doc.line_of("rules"), "rules: expected a list of rules (items starting with -)"))
        return [], problems
    rules: list[Rule] = []
    for i, item in enumerate(section):
        rule, found = _validate_rule(file, item, section.line_of(i), facts, derived)
        problems.extend(found)
        if rule is not None:
            rules.append(rule)
    return rules, problems


def _validate_rule(
    file: str, item: Any, line: int, facts: Mapping[str, FactType], derived: Mapping[str, DerivedFact]
) -> tuple[Rule | None, list[Problem]]:
    if not isinstance(item, LineDict):
        return None, [Problem(file, line, f"each rule must be a mapping of {', '.join(RULE_KEYS)}")]
    problems = _unknown_keys(file, item, RULE_KEYS, "rule key")
    rid = item.get("id")
    label = f'rule "{rid}"' if isinstance(rid, str) else "rule"
    for key in RULE_KEYS:
        if key not in item:
            problems.append(Problem(file, item.line, f'{label}: missing required key "{key}"'))

    def at(key: str, message: str) -> None:
        problems.append(Problem(file, item.line_of(key), message))

    if "id" in item and (not isinstance(rid, str) or not _RULE_ID.match(rid)):
        at("id", f"rule id {_type_name(rid)} must be lowercase letters, digits and dashes (like fatigue-swap-fast-day)")
    principle = item.get("principle")
    if "principle" in item and principle not in vocabulary.PRINCIPLES:
        at("principle", f"{label}: principle {_type_name(principle)} does not exist (P1 to P17)")
    priority = item.get("priority")
    if "priority" in item and not (isinstance(priority, int) and not isinstance(priority, bool)):
        at("priority", f"{label}: priority must be a whole number, got {_type_name(priority)}")
    desc = item.get("description")
    if "description" in item and (not isinstance(desc, str) or not desc.strip()):
        at("description", f"{label}: description must be text")

    condition = None
    when = item.get("when")
    if "when" in item:
        if not isinstance(when, str) or not when.strip():
            at("when", f"{label}: when must be a condition like load.acwr > 1.3, got {_type_name(when)}")
        else:
            try:
                condition = parse_condition(when)
            except ConditionSyntaxError as exc:
                at("when", f"{label}: condition: {exc}")
            else:
                for msg in check_condition(condition, facts):
                    at("when", f"{label}: {msg}")

    actions: list[Action] = []
    then = item.get("then")
    if "then" in item:
        if not isinstance(then, LineList) or not then:
            at("then", f"{label}: then must be a list of actions (items starting with -)")
        else:
            for j, action_item in enumerate(then):
                action, found = validate_action(action_item, derived)
                for aline, msg in found:
                    problems.append(Problem(file, aline or then.line_of(j), f"{label}: {msg}"))
                if action is not None:
                    actions.append(action)

    reason = item.get("reason")
    if "reason" in item:
        if not isinstance(reason, str) or not reason.strip():
            at("reason", f"{label}: reason must be text")
        else:
            for msg in check_template(reason, facts):
                at("reason", f"{label}: {msg}")

    if problems:
        return None, problems
    return Rule(
        id=rid, principle=principle, priority=priority, description=desc.strip(), when=when.strip(),
        condition=condition, then=tuple(actions), reason=reason.strip(), file=file, line=item.line,
    ), []


def _later_twins(items, key, message) -> list[Problem]:
    """A problem for every item whose key an earlier item already has, naming both places."""
    seen: dict = {}
    problems = []
    for item in items:
        first = seen.setdefault(key(item), item)
        if first is not item:
            problems.append(Problem(item.file, item.line, message(item, first)))
    return problems


def check_duplicate_ids(rules: list[Rule]) -> list[Problem]:
    """A problem for every rule whose id an earlier rule already uses, naming both places."""
    return _later_twins(rules, lambda r: r.id,
                        lambda r, first: f'duplicate rule id "{r.id}": first defined at {first.file}:{first.line}')


def check_duplicate_derived(derived: list[DerivedFact]) -> list[Problem]:
    """A problem for every derived fact declared again, naming both places."""
    return _later_twins(derived, lambda d: d.name,
                        lambda d, first: f'derived fact "{d.name}" declared twice: first at {first.file}:{first.line}')


# ---------------------------------------------------------------- settings.yml


def validate_settings(file: str, doc: Any) -> tuple[RuleSettings | None, list[Problem]]:
    """settings.yml: fact parameters, the intensity of each kind, the weekly pattern.

    :param file: the file's name for messages
    :param doc: the parsed file
    """
    if not isinstance(doc, LineDict):
        return None, [Problem(file, _line(doc), f"expected a mapping with {', '.join(SETTINGS_KEYS)}")]
    problems = _unknown_keys(file, doc, SETTINGS_KEYS + OPTIONAL_SETTINGS_KEYS, "settings key")
    for key in SETTINGS_KEYS:
        if key not in doc:
            problems.append(Problem(file, doc.line, f'missing required key "{key}"'))

    facts = None
    if "facts" in doc:
        facts, found = _validate_fact_params(file, doc["facts"], doc.line_of("facts"))
        problems.extend(found)
    intensity = None
    if "intensity_of_kind" in doc:
        intensity, found = _validate_intensity(file, doc["intensity_of_kind"], doc.line_of("intensity_of_kind"))
        problems.extend(found)
    pattern = None
    if "pattern" in doc:
        pattern, found = _validate_pattern(file, doc["pattern"], doc.line_of("pattern"))
        problems.extend(found)
    load = None
    if "load" in doc:
        load, found = _validate_params(file, "load", LoadParams, doc["load"], doc.line_of("load"))
        problems.extend(found)
    readiness = None
    if "readiness" in doc:
        readiness, found = _validate_params(file, "readiness", ReadinessParams, doc["readiness"],
                                            doc.line_of("readiness"))
        problems.extend(found)
    hr_zones = None
    if "heart_rate_zones" in doc:
        hr_zones, found = _validate_params(file, "heart_rate_zones", HeartRateZoneParams, doc["heart_rate_zones"],
                                           doc.line_of("heart_rate_zones"))
        problems.extend(found)
    paces = PaceParams()
    if "paces" in doc:
        found_paces, found = _validate_fact_params(file, doc["paces"], doc.line_of("paces"), PaceParams, "paces")
        paces = found_paces or paces
        problems.extend(found)
    if problems or facts is None or intensity is None or pattern is None:
        return None, problems
    return RuleSettings(facts=facts, intensity_of_kind=intensity, pattern=tuple(pattern), paces=paces, load=load,
                        readiness=readiness, heart_rate_zones=hr_zones), []


def _validate_params(file: str, section: str, model: Any, node: Any, line: int) -> tuple[Any, list[Problem]]:
    """A flat mapping of named parameters validated by a pydantic model, each problem on its line."""
    if not isinstance(node, LineDict):
        return None, [Problem(file, line, f"{section}: expected a mapping of parameter: value")]
    fields = model.model_fields
    problems = _unknown_keys(file, node, tuple(fields), f"{section} parameter")
    for name, field in fields.items():
        if name not in node and field.is_required():
            problems.append(Problem(file, node.line, f'{section}: missing parameter "{name}"'))
    if problems:
        return None, problems
    return _built(file, section, model, node)


def _built(file: str, section: str, model: Any, node: LineDict) -> tuple[Any, list[Problem]]:
    """The model built from a section's parameters (all present), or each value it refuses on its line."""
    try:
        return model(**{k: node[k] for k in model.model_fields if k in node}), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = err["loc"][0] if err["loc"] else ""
            msg = err["msg"][0].lower() + err["msg"][1:]
            if not key and msg.startswith("value error, "):  # a check across the section's values
                msg = msg.removeprefix("value error, ")
                named = re.split(r"[. :]", msg, maxsplit=1)[0]  # the parameter the message starts with
                problems.append(Problem(file, node.line_of(named) if named in node else node.line, f"{section}.{msg}"))
                continue
            problems.append(Problem(file, node.line_of(key), f"{section}.{key}: {msg}, got {node.get(key)!r}"))
        return None, problems


def _validate_fact_params(file: str, node: Any, line: int, model: Any = None,
                          section: str = "facts") -> tuple[Any, list[Problem]]:
    model = model or FactParams
    if not isinstance(node, LineDict):
        return None, [Problem(file, line, f"{section}: expected a mapping of parameter: number")]
    fields = model.model_fields
    problems = _unknown_keys(file, node, tuple(fields), f"{section} parameter")
    for name, field in fields.items():
        if name not in node:
            problems.append(Problem(file, node.line, f'{section}: missing parameter "{name}"'))
            continue
        value = node[name]
        whole = field.annotation is int or field.annotation == "int"
        if not is_number(value) or (whole and not isinstance(value, int)):
            kind = "a whole number" if whole else "a number"
            problems.append(Problem(file, node.line_of(name), f"{section}.{name} must be {kind}, got {_type_name(value)}"))
    if problems:
        return None, problems
    return _built(file, section, model, node)


def _validate_intensity(file: str, node: Any, line: int) -> tuple[dict | None, list[Problem]]:
    if not isinstance(node, LineDict):
        return None, [Problem(file, line, "intensity_of_kind: expected a mapping of kind: intensity")]
    problems = []
    for key, value in node.items():
        if key not in vocabulary.KINDS:
            problems.append(Problem(file, node.line_of(key), f'intensity_of_kind: unknown kind "{key}"'
                                    f"{did_you_mean(str(key), vocabulary.KINDS)}"))
        elif value not in vocabulary.INTENSITIES:
            problems.append(Problem(file, node.line_of(key), f"intensity_of_kind.{key} must be one of "
                                    f"{', '.join(vocabulary.INTENSITIES)}, got {_type_name(value)}"))
    missing = [k for k in vocabulary.KINDS if k not in node]
    if missing:
        problems.append(Problem(file, node.line, f"intensity_of_kind: missing kinds: {', '.join(missing)}"))
    return (None if problems else dict(node)), problems


def _validate_pattern(file: str, node: Any, line: int) -> tuple[list[PatternDay] | None, list[Problem]]:
    if not isinstance(node, LineList) or not node:
        return None, [Problem(file, line, "pattern: expected a list of days like {slot: hard, kind: intervals}")]
    problems: list[Problem] = []
    days: list[PatternDay] = []
    for i, item in enumerate(node):
        iline = node.line_of(i)
        if not isinstance(item, LineDict):
            problems.append(Problem(file, iline, "pattern: each day must be a mapping like {slot: hard, kind: intervals}"))
            continue
        found = _unknown_keys(file, item, PATTERN_KEYS, "pattern key")
        for key in PATTERN_KEYS:
            if key not in item:
                found.append(Problem(file, iline, f'pattern: missing key "{key}"'))
        slot, kind = item.get("slot"), item.get("kind")
        if "slot" in item and slot not in vocabulary.SLOTS:
            found.append(Problem(file, item.line_of("slot"), f"pattern: unknown slot {_type_name(slot)}"
                                 f"{did_you_mean(str(slot), vocabulary.SLOTS)}; slots: {', '.join(vocabulary.SLOTS)}"))
        if "kind" in item and kind not in vocabulary.KINDS:
            found.append(Problem(file, item.line_of("kind"), f"pattern: unknown kind {_type_name(kind)}"
                                 f"{did_you_mean(str(kind), vocabulary.KINDS)}"))
        problems.extend(found)
        if not found:
            days.append(PatternDay(slot=slot, kind=kind))
    return (None if problems else days), problems
