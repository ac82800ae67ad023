"""Evaluating a rule set on an athlete's facts with durable_rules (the only module importing it).

How durable_rules 2.0.28 is used, and why (measured limits and crash bugs):

- One host per process, with no background timer threads: `Host()` normally starts two
  chains of timer threads (a new OS thread every 0.2 s) for timers and queued actions,
  which we never use; our host leaves them out, so nothing runs in the background and
  nothing can delay the process exit.
- Each `Evaluator` compiles its rule set once and registers it under a unique name
  (`coach_<version>_<n>`), so a second rule set, or an edited one, never collides with
  "already registered".
- Per evaluation: the athlete's facts go in as ONE fact under a fresh session id; the
  rules that fire run synchronously inside `assert_fact` and are collected; the session's
  state is deleted before returning. So at most one session is ever alive (durable_rules
  allows 1,024 per ruleset and finds sessions by a 32-bit hash on which ids such as
  "40189" and "797186" collide). One thread at a time.
- A catch-all rule matches every athlete fact (see `compiler.py`), so no fact is ever
  "not handled" and `delete_state` never meets a state in which nothing fired.

Forward chaining (the `set` action) runs in rounds: evaluate on the base facts; the `set`
actions of the rules that fired give the derived facts (in priority order, the first
value set for a fact wins); evaluate again on base + derived facts; repeat until the
derived facts stop changing. The rules that fire in the last round are the result. A rule
set whose derived facts never settle is an error naming the rules involved.

`explain` evaluates the same rounds on the condition trees in plain Python; a property
test checks that both ways always agree.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
import threading
from typing import TYPE_CHECKING, Any, Callable, Mapping

from pydantic import BaseModel, ConfigDict

from coach.engine.errors import CoachError
from coach.engine.model import Action, Firing
from coach.engine.rules.compiler import compile_rules, field_name
from coach.engine.rules.condition import evaluate, false_parts
from coach.engine.rules.model import Rule

if TYPE_CHECKING:
    from coach.engine.ruleset import RuleSet
from coach.engine.rules.reason import render_reason
from coach.engine.rules.validate import fact_types

#: durable_rules' numeric error codes (src/rules/rules.h) in words.
ENGINE_ERRORS = {
    1: "out of memory",
    2: "unexpected type",
    3: "a name is too long",
    4: "unexpected value",
    5: "unexpected name",
    6: "too many rules",
    7: "too many conditions on whether facts exist",
    8: "a condition is too complex (too many joins)",
    9: "a rule has no condition",
    101: "a value could not be parsed",
    102: "a string could not be parsed",
    103: "a number could not be parsed",
    104: "an object could not be parsed",
    105: "a list could not be parsed",
    201: "a fact matched no rule",
    202: "too many fields in one fact or condition",
    203: "a condition is nested too deeply",
    204: "no session id",
    205: "invalid session id",
    206: "a field path could not be parsed",
    207: "too many results for one condition",
    208: "too many results",
    209: "too many commands",
    401: "too many live sessions (at most 1,024)",
    402: "a binding is not mapped",
    403: "a session state is not loaded",
    404: "a session state is stale",
    405: "a property was not found",
}
_CODE = re.compile(r"error code: (\d+)")
#: Which rules fired for whom (DEBUG): switch on with logging to watch decisions.
log = logging.getLogger("coach.rules")


class RuleEngineError(CoachError):
    """durable_rules failed; the message says what in words."""


def engine_message(exc: BaseException) -> str:
    """A durable_rules exception in words, with its numeric code when it has one."""
    if isinstance(exc, MemoryError):
        return "the rule engine ran out of sessions or memory (error 1: out of memory)"
    m = _CODE.search(str(exc))
    if m:
        code = int(m.group(1))
        return f"the rule engine failed (error {code}: {ENGINE_ERRORS.get(code, 'unknown error')})"
    return f"the rule engine failed: {exc}"


_HOST = None
_HOST_LOCK = threading.Lock()
_NAMES = itertools.count(1)


def _host():
    """The process's one durable_rules host, without background timer threads."""
    global _HOST
    with _HOST_LOCK:
        if _HOST is None:
            from durable.engine import Host

            class _QuietHost(Host):
                def _run(self) -> None:  # no timer threads: we use neither timers nor queued actions
                    pass

            _HOST = _QuietHost()
        return _HOST


class RuleExplanation(BaseModel):
    """One rule on one day: whether it fired, and if not, which parts of its condition were false."""

    model_config = ConfigDict(frozen=True)

    rule: str
    principle: str
    priority: int
    when: str
    fired: bool
    reason: str | None = None
    false: list[str] = []

    def describe(self) -> str:
        """Plain text, one rule per paragraph."""
        head = f"{'FIRED ' if self.fired else 'not   '} {self.rule} ({self.principle}, priority {self.priority}): {self.when}"
        lines = [head]
        if self.fired and self.reason:
            lines.append(f"       {self.reason}")
        lines.extend(f"       {part}" for part in self.false)
        return "\n".join(lines)


def clean_facts(facts: Mapping[str, Any], known: Mapping[str, Any]) -> dict[str, Any]:
    """The facts the rules can see: known names with plain values (None and NaN mean unknown)."""
    out: dict[str, Any] = {}
    for name, value in facts.items():
        if name not in known or value is None:
            continue
        if isinstance(value, float) and not math.isfinite(value):
            continue
        if isinstance(value, (bool, int, float, str)):
            out[name] = value
        elif hasattr(value, "value") and isinstance(value.value, str):  # an enum
            out[name] = value.value
    return out


class Evaluator:
    """A compiled rule set, ready to evaluate athletes one after another (one per process per RuleSet)."""

    def __init__(self, ruleset: RuleSet):
        """Compile the rule set and register it with the process's durable_rules host.

        :param ruleset: a validated rule set
        :raises RuleEngineError: if durable_rules rejects the compiled rules
        """
        self.ruleset = ruleset
        self.rules: tuple[Rule, ...] = ruleset.rules
        self._known = fact_types(ruleset.derived)
        self._chains = any(a.name == "set" for r in self.rules for a in r.then)
        self._name = f"coach_{ruleset.version[:12]}_{next(_NAMES)}"
        self._fired: list[int] = []
        #: fact name -> durable_rules field, worked out once per name
        self._fields: dict[str, str] = {}
        self._sids = itertools.count(1)
        self._lock = threading.Lock()
        definition = compile_rules(self.rules, self._recorder)
        try:
            _host().register_rulesets({self._name: definition})
        except Exception as exc:  # durable_rules raises plain errors with numeric codes
            raise RuleEngineError(f"{engine_message(exc)} while compiling the rule set in {ruleset.directory}") from None

    def _recorder(self, index: int) -> Callable[[Any], None]:
        fired = self._fired

        def run(_closure: Any) -> None:
            if index >= 0:
                fired.append(index)

        return run

    # ------------------------------------------------------------------ matching

    def _match_engine(self, facts: Mapping[str, Any]) -> list[int]:
        host = _host()
        sid = str(next(self._sids))
        fields = self._fields
        fact = {fields.get(k) or fields.setdefault(k, field_name(k)): v for k, v in facts.items()}
        fact["coach__fact"] = 1
        fact["sid"] = sid
        self._fired.clear()
        try:
            host.assert_fact(self._name, fact)
        except Exception as exc:
            raise RuleEngineError(engine_message(exc)) from None
        finally:
            try:
                host.delete_state(self._name, sid)
            except Exception:  # the state may not exist if the assert failed
                pass
        return sorted(set(self._fired))

    def _match_python(self, facts: Mapping[str, Any]) -> list[int]:
        return [i for i, rule in enumerate(self.rules) if evaluate(rule.condition, facts)]

    def _rounds(self, facts: Mapping[str, Any], match: Callable[[Mapping[str, Any]], list[int]]) -> tuple[list[int], dict[str, Any]]:
        derived: dict[str, Any] = {}
        seen: list[dict[str, Any]] = []
        while True:
            current = {**facts, **derived}
            fired = match(current)
            if not self._chains:
                return fired, current
            new: dict[str, Any] = {}
            for index in fired:
                for action in self.rules[index].then:
                    if action.name == "set":
                        new.setdefault(action.params["fact"], action.params.get("value", True))
            if new == derived:
                return fired, current
            if new in seen or len(seen) > len(self.rules) + 1:
                setters = sorted({self.rules[i].id for i in fired
                                  if any(a.name == "set" for a in self.rules[i].then)})
                raise CoachError("derived facts never settle: rules "
                                 f"{', '.join(setters)} keep changing each other's facts")
            seen.append(new)
            derived = new

    def _firings(self, fired: list[int], facts: Mapping[str, Any]) -> list[Firing]:
        out = []
        for index in fired:
            rule = self.rules[index]
            out.append(Firing(
                rule=rule.id, principle=rule.principle, priority=rule.priority,
                reason=render_reason(rule.reason, facts),
                actions=[Action(name=a.name, params=dict(a.params)) for a in rule.then],
            ))
        return out

    # ------------------------------------------------------------------ public

    def evaluate(self, athlete_key: str, facts: Mapping[str, Any]) -> list[Firing]:
        """The rules that fire for one athlete's facts, in priority order (higher first, then id).

        :param athlete_key: who the facts are about (for messages)
        :param facts: fact name -> value; unknown facts are left out (or None)
        :raises RuleEngineError: if durable_rules fails (its error code in words)
        """
        clean = clean_facts(facts, self._known)
        with self._lock:
            try:
                fired, final = self._rounds(clean, self._match_engine)
            except RuleEngineError as exc:
                raise RuleEngineError(f"{exc} (athlete {athlete_key})") from None
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s: fired %s", athlete_key, ", ".join(self.rules[i].id for i in fired) or "nothing")
        return self._firings(fired, final)

    def evaluate_python(self, facts: Mapping[str, Any]) -> list[Firing]:
        """The same decision as `evaluate`, computed on the condition trees in plain Python."""
        clean = clean_facts(facts, self._known)
        fired, final = self._rounds(clean, self._match_python)
        return self._firings(fired, final)

    def explain(self, athlete_key: str, facts: Mapping[str, Any]) -> list[RuleExplanation]:
        """Every rule in priority order: fired or not, and for those that did not, the false parts.

        :param athlete_key: who the facts are about (unused by the evaluation; kept for symmetry)
        :param facts: fact name -> value
        """
        clean = clean_facts(facts, self._known)
        fired, final = self._rounds(clean, self._match_python)
        fired_set = set(fired)
        out = []
        for index, rule in enumerate(self.rules):
            hit = index in fired_set
            out.append(RuleExplanation(
                rule=rule.id, principle=rule.principle, priority=rule.priority, when=rule.when, fired=hit,
                reason=render_reason(rule.reason, final) if hit else None,
                false=[] if hit else false_parts(rule.condition, final),
            ))
        return out
