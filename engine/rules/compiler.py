"""Condition trees -> durable_rules' JSON ruleset form (plain data; no durable_rules import here).

Each athlete's facts are asserted as ONE durable_rules fact whose fields are the fact names
with dots mapped to double underscores (`load.acwr` -> `load__acwr`), plus a marker field
`coach__fact: 1`. Every compiled rule also matches the marker: durable_rules' own state
record also flows through the network, and a condition true for a record *without* the
fields (such as "load.acwr is unknown") would otherwise match it and spin forever.

durable_rules has no `not`, so negation is pushed down to the comparisons (De Morgan),
keeping our semantics for unknown facts: a comparison on an unknown fact is false, so its
negation is true: `not (x > 1)` becomes `x is unknown or x <= 1`.

The catch-all rule (`CATCH_ALL`) matches every athlete fact on its marker, so no fact is
ever "not handled" and `delete_state` never meets a state in which nothing fired (both
crash or raise in durable_rules 2.0.28).
"""

from __future__ import annotations

from typing import Any, Callable

from coach.engine.rules.model import And, Compare, Condition, In, Not, Rule

MARKER = "coach__fact"
CATCH_ALL = "coach__catch_all"
_OPS = {"==": None, "!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
_NEGATED = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}


def field_name(fact: str) -> str:
    """The durable_rules field of a fact name (dots are not allowed there)."""
    return fact.replace(".", "__")


def rule_key(index: int) -> str:
    """The durable_rules rule name of the rule at `index` in the rule set's priority order."""
    return f"r{index}"


def _compare(field: str, op: str, value: Any) -> dict[str, Any]:
    name = _OPS[op]
    return {field: value} if name is None else {name: {field: value}}


def _unknown(field: str) -> dict[str, Any]:
    return {"$nex": {field: 1}}


def _all(items: list[dict[str, Any]]) -> dict[str, Any]:
    return items[0] if len(items) == 1 else {"$and": items}


def _any(items: list[dict[str, Any]]) -> dict[str, Any]:
    return items[0] if len(items) == 1 else {"$or": items}


def compile_condition(node: Condition, negate: bool = False) -> dict[str, Any]:
    """One condition tree as a durable_rules expression (without the marker).

    :param node: the parsed condition
    :param negate: compile `not node` instead
    """
    if isinstance(node, Compare):
        field = field_name(node.fact)
        if not negate:
            return _compare(field, node.op, node.value)
        return _any([_unknown(field), _compare(field, _NEGATED[node.op], node.value)])
    if isinstance(node, In):
        field = field_name(node.fact)
        if not negate:
            return _any([_compare(field, "==", v) for v in node.values])
        return _any([_unknown(field), _all([_compare(field, "!=", v) for v in node.values])])
    if isinstance(node, Not):
        return compile_condition(node.item, not negate)
    parts = [compile_condition(i, negate) for i in node.items]
    conj = isinstance(node, And) != negate
    return _all(parts) if conj else _any(parts)


def compile_rules(rules: tuple[Rule, ...] | list[Rule], action: Callable[[int], Callable[[Any], None]]) -> dict[str, Any]:
    """A durable_rules ruleset definition for the rules, plus the catch-all.

    :param rules: the rules in priority order (their index names them: r0, r1, ...)
    :param action: index -> the function durable_rules calls when that rule fires
    """
    definition: dict[str, Any] = {}
    for index, rule in enumerate(rules):
        compiled = compile_condition(rule.condition)
        tests = compiled["$and"] if set(compiled) == {"$and"} else [compiled]
        # The marker goes last: it matches every athlete fact, and durable_rules' network
        # runs about three times faster when the selective tests come first (measured).
        definition[rule_key(index)] = {"all": [{"m": {"$and": [*tests, {MARKER: 1}]}}], "run": action(index)}
    definition[CATCH_ALL] = {"all": [{"m": {MARKER: 1}}], "run": action(-1)}
    return definition


def compiled_json(rules: tuple[Rule, ...] | list[Rule]) -> dict[str, Any]:
    """The compiled form without actions (for golden files and `coach rules show --compiled`)."""
    definition = compile_rules(rules, lambda i: None)
    for rule in definition.values():
        rule.pop("run")
    return definition
