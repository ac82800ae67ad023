"""How large a rule set durable_rules can take, checked before it ever sees one.

durable_rules 2.0.28 does not refuse a rule set it cannot handle: past some sizes its C
code spins forever (deaf to Ctrl-C) on the first fact, or fails with a bare error code.
These limits were measured on the engine itself (`rules/README.md`, "Limits") and are set
a little below the breaking points; `coach rules check` (and so every command that loads
the rule set) refuses a rule set past them, naming the rule's file:line and the limit.

* rules in one rule set: 510 evaluate in 3 ms; with 511 (plus our catch-all rule) the
  first fact never returns;
* alternatives of one `or` in the compiled condition (an `or` chain, an `in [...]` list,
  a negated `and`): 510 work; 511 never return;
* nesting of `and`/`or` in the compiled condition: 15 levels work; 16 fail with error 113;
* the parser refuses brackets and `not` nested deeper than MAX_DEPTH (`condition.py`),
  so 500 nested brackets are a message, not a RecursionError.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from coach.engine.rules.model import Problem, Rule

#: rules in one rule set (the engine hangs from 511)
MAX_RULES = 500
#: alternatives of one `or` once compiled (the engine hangs from 511)
MAX_OR_TERMS = 500
#: nesting of and/or once compiled, and of brackets and `not` as written (the engine fails from 16)
MAX_DEPTH = 12
#: comparisons in one condition (far above any real rule; keeps compiling quick)
MAX_TERMS = 2_000


def _measure(expr: Any, depth: int = 1) -> tuple[int, int, int]:
    """(deepest and/or nesting, widest or, comparisons) of a compiled durable_rules expression."""
    if isinstance(expr, dict) and len(expr) == 1:
        (key, value), = expr.items()
        if key in ("$and", "$or") and isinstance(value, list):
            deepest, widest, terms = depth, len(value) if key == "$or" else 0, 0
            for item in value:
                d, w, t = _measure(item, depth + 1)
                deepest, widest, terms = max(deepest, d), max(widest, w), terms + t
            return deepest, widest, terms
    return depth - 1, 0, 1


def condition_size(rule: Rule) -> tuple[int, int, int]:
    """(nesting depth, widest `or`, comparisons) of a rule's condition as durable_rules gets it."""
    from coach.engine.rules.compiler import compile_condition

    return _measure(compile_condition(rule.condition))


def check_limits(rules: Iterable[Rule]) -> list[Problem]:
    """Problems for a rule set durable_rules could not run: too many rules, or a condition too
    wide or too deeply nested. Each names the rule's file:line and the limit.

    :param rules: the validated rules, in file order
    """
    rules = list(rules)
    problems: list[Problem] = []
    if len(rules) > MAX_RULES:
        first_over = rules[MAX_RULES]
        problems.append(Problem(first_over.file, first_over.line,
                                f"rule {first_over.id!r} is rule {MAX_RULES + 1} of {len(rules)}: a rule set holds "
                                f"at most {MAX_RULES} rules (the rule engine hangs past 510)"))
    for rule in rules:
        depth, widest, terms = condition_size(rule)
        where = f"rule {rule.id!r}: its condition"
        if terms > MAX_TERMS:
            problems.append(Problem(rule.file, rule.line, f"{where} has {terms} comparisons; at most {MAX_TERMS}"))
        elif widest > MAX_OR_TERMS:
            problems.append(Problem(rule.file, rule.line,
                                    f"{where} has an `or` (or `in` list) of {widest} alternatives; at most "
                                    f"{MAX_OR_TERMS} (the rule engine hangs past 510): split the rule"))
        elif depth > MAX_DEPTH:
            problems.append(Problem(rule.file, rule.line,
                                    f"{where} nests and/or {depth} levels deep; at most {MAX_DEPTH}"))
    return problems
