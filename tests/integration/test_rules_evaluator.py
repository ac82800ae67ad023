"""The evaluator on durable_rules: decisions, unknown facts, forward chaining, many rule sets, errors.

The property test at the end is the compiler's correctness check: for random conditions
and random facts, durable_rules decides exactly as the plain-Python evaluation of the
condition tree does.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.engine.errors import CoachError
from coach.engine.model import Action
from coach.engine.ruleset import rule_set_of
from coach.service.rulesets import read_rules_only
from coach.engine.rules.evaluator import Evaluator, engine_message
from coach.engine.rules.model import And, Compare, In, Not, Or, Rule

BASIC = Path(__file__).parent.parent / "unit" / "rulesets" / "basic"


def load(directory: Path):
    """A test rule set: its rule files and settings with the built-in templates."""
    return read_rules_only(directory)


@pytest.fixture(scope="module")
def basic():
    ruleset = load(BASIC)
    return ruleset, Evaluator(ruleset)


def fired(evaluator, facts, key="ana"):
    return [f.rule for f in evaluator.evaluate(key, facts)]


def test_fires_in_priority_order_with_reasons_and_actions(basic):
    _, ev = basic
    facts = {"load.acwr": 1.456, "plan.intensity": "hard", "form.broke": True, "form.broke_at_rep": 5,
             "days_since.hard": 3}
    firings = ev.evaluate("ana", facts)
    assert [f.rule for f in firings] == ["fatigue-swap-fast-day", "form-shorten"]
    first = firings[0]
    assert (first.principle, first.priority) == ("P7", 50)
    assert first.reason.startswith("Your 7-day load is 1.46 times")
    assert first.actions == [Action(name="swap", params={"to": "steady"}),
                             Action(name="note", params={"text": "Keep it conversational."})]
    assert firings[1].reason == "Form broke at rep 5 last time, so today has 2 reps fewer."


def test_nothing_fires_below_the_threshold(basic):
    _, ev = basic
    assert fired(ev, {"load.acwr": 1.3, "plan.intensity": "hard", "form.broke": False}) == []


def test_unknown_facts_are_false_and_their_negation_true(basic):
    _, ev = basic
    # form-shorten: `form.broke and not (days_since.hard < 2)`; days_since.hard unknown -> the `not` holds
    assert fired(ev, {"form.broke": True}) == ["form-shorten"]
    assert fired(ev, {"form.broke": True, "days_since.hard": 1}) == []
    assert fired(ev, {"form.broke": True, "days_since.hard": None, "load.acwr": float("nan")}) == ["form-shorten"]
    assert fired(ev, {}) == []


def test_facts_outside_the_vocabulary_are_ignored(basic):
    _, ev = basic
    assert fired(ev, {"load.acwr": 2, "plan.intensity": "hard", "not.a.fact": [1, 2], "sid": "x"}) == ["fatigue-swap-fast-day"]


def test_forward_chaining_through_a_derived_fact(basic):
    _, ev = basic
    facts = {"wellness.soreness": 7, "wellness.sleep_h": 5.5, "plan.kind": "intervals"}
    firings = ev.evaluate("ana", facts)
    assert [f.rule for f in firings] == ["rest-when-fatigued", "derive-fatigue"]
    assert firings[0].reason == "Fatigue accumulated (yes), so today is a rest day."
    assert [f.rule for f in ev.evaluate_python(facts)] == ["rest-when-fatigued", "derive-fatigue"]
    assert fired(ev, {**facts, "wellness.sleep_h": 7}) == []
    # a derived fact given from outside does not bypass the rules: only `set` asserts it
    explanation = {e.rule: e for e in ev.explain("ana", {**facts, "plan.kind": "long"})}
    assert explanation["derive-fatigue"].fired
    assert explanation["rest-when-fatigued"].false == [
        'plan.kind in ["intervals", "tempo", "easy"] was false: plan.kind = "long"']


def test_explain_lists_every_rule(basic):
    ruleset, ev = basic
    facts = {"load.acwr": 1.05, "plan.intensity": "hard"}
    explanation = ev.explain("ana", facts)
    assert [e.rule for e in explanation] == [r.id for r in ruleset.rules]
    swap = next(e for e in explanation if e.rule == "fatigue-swap-fast-day")
    assert not swap.fired and swap.false == ["load.acwr > 1.3 was false: load.acwr = 1.05"]
    assert "load.acwr > 1.3 was false: load.acwr = 1.05" in swap.describe()


def test_two_evaluators_of_one_rule_set_live_side_by_side(basic):
    ruleset, ev = basic
    again = Evaluator(ruleset)
    facts = {"load.acwr": 1.5, "plan.intensity": "hard"}
    assert fired(again, facts) == fired(ev, facts) == ["fatigue-swap-fast-day"]


def test_an_edited_threshold_changes_the_decision(tmp_path, basic):
    _, ev = basic
    edited = tmp_path / "edited"
    shutil.copytree(BASIC, edited)
    path = edited / "fatigue.yml"
    path.write_text(path.read_text().replace("load.acwr > 1.3", "load.acwr > 1.5"))
    ev2 = Evaluator(load(edited))
    facts = {"load.acwr": 1.4, "plan.intensity": "hard"}
    assert fired(ev, facts) == ["fatigue-swap-fast-day"]
    assert fired(ev2, facts) == []
    assert fired(ev2, {**facts, "load.acwr": 1.6}) == ["fatigue-swap-fast-day"]


def test_derived_facts_that_never_settle_are_an_error(tmp_path):
    d = tmp_path / "loop"
    d.mkdir()
    shutil.copy(BASIC / "settings.yml", d)
    (d / "loop.yml").write_text(
        "derived:\n  - {name: flip.on, type: bool, description: flips}\n"
        "rules:\n"
        "  - {id: flip, principle: P7, priority: 1, description: d, when: not flip.on,\n"
        "     then: [{set: {fact: flip.on}}], reason: r}\n"
    )
    ev = Evaluator(load(d))
    with pytest.raises(CoachError, match="derived facts never settle: rules flip keep changing"):
        ev.evaluate("ana", {})


def test_engine_errors_become_words():
    assert engine_message(Exception("Could not assert fact, error code: 401")) == \
        "the rule engine failed (error 401: too many live sessions (at most 1,024))"
    assert engine_message(MemoryError()) == "the rule engine ran out of sessions or memory (error 1: out of memory)"
    assert engine_message(Exception("Could not create ruleset, error code: 999")) == \
        "the rule engine failed (error 999: unknown error)"


def test_no_background_threads(basic):
    _, ev = basic
    ev.evaluate("ana", {"load.acwr": 2})
    assert [t for t in threading.enumerate() if t is not threading.main_thread()] == []


# --------------------------------------------------------------------------- property: compiler == AST

NUMBER_FACTS = ("load.acwr", "days_since.rest", "yesterday.rpe")
STRING_FACT = "plan.kind"
KINDS = ("easy", "tempo", "intervals", "rest")
BOOL_FACT = "form.broke"
NUMBERS = st.sampled_from([0, 1, 2, -1, 1.5, 1.3, 2.0, 7, 0.5])

leaf = st.one_of(
    st.builds(Compare, fact=st.sampled_from(NUMBER_FACTS), op=st.sampled_from(["==", "!=", "<", "<=", ">", ">="]),
              value=NUMBERS),
    st.builds(Compare, fact=st.just(STRING_FACT), op=st.sampled_from(["==", "!="]), value=st.sampled_from(KINDS)),
    st.builds(Compare, fact=st.just(BOOL_FACT), op=st.sampled_from(["==", "!="]), value=st.booleans()),
    st.builds(In, fact=st.just(STRING_FACT), values=st.lists(st.sampled_from(KINDS), min_size=1, max_size=3).map(tuple)),
    st.builds(In, fact=st.sampled_from(NUMBER_FACTS), values=st.lists(NUMBERS, min_size=1, max_size=3).map(tuple)),
)
conditions = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.builds(Not, item=inner),
        st.builds(And, items=st.lists(inner, min_size=2, max_size=3).map(tuple)),
        st.builds(Or, items=st.lists(inner, min_size=2, max_size=3).map(tuple)),
    ),
    max_leaves=6,
)
fact_values = st.fixed_dictionaries({}, optional={
    **{name: NUMBERS for name in NUMBER_FACTS},
    STRING_FACT: st.sampled_from(KINDS),
    BOOL_FACT: st.booleans(),
})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(conds=st.lists(conditions, min_size=1, max_size=6), many_facts=st.lists(fact_values, min_size=1, max_size=12))
def test_durable_rules_decides_like_the_condition_tree(basic, conds, many_facts):
    base, _ = basic
    rules = tuple(
        Rule(id=f"rule-{i}", principle="P7", priority=0, description="random", when=str(c), condition=c,
             then=(Action(name="note", params={"text": "x"}),), reason="r")
        for i, c in enumerate(conds)
    )
    ruleset = rule_set_of(base, rules, "hypothesis")
    ev = Evaluator(ruleset)
    for facts in many_facts:
        assert fired(ev, facts) == [f.rule for f in ev.evaluate_python(facts)], (facts, [str(c) for c in conds])
