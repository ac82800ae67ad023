"""The condition language: parsing, type checking, Python evaluation, explanations and reason templates."""

from __future__ import annotations

import pytest

from coach.engine.rules.condition import (
    ConditionSyntaxError,
    FactType,
    check_condition,
    evaluate,
    false_parts,
    parse_condition,
)
from coach.engine.rules.model import And, Compare, In, Not, Or
from coach.engine.rules.reason import check_template, render_reason
from coach.engine.rules.validate import fact_types

FACTS = fact_types()


def test_precedence_not_binds_tighter_than_and_than_or():
    tree = parse_condition('not form.broke and load.acwr > 1.3 or plan.kind in ["tempo", "intervals"]')
    assert tree == Or(items=(
        And(items=(Not(item=Compare(fact="form.broke", op="==", value=True)),
                   Compare(fact="load.acwr", op=">", value=1.3))),
        In(fact="plan.kind", values=("tempo", "intervals")),
    ))


def test_parentheses_literals_and_not_in():
    tree = parse_condition("(days_since.rest >= 3 or yesterday.rpe <= -1) and plan.slot not in ['rest'] and today.is_rest_day == false")
    assert tree == And(items=(
        Or(items=(Compare(fact="days_since.rest", op=">=", value=3), Compare(fact="yesterday.rpe", op="<=", value=-1))),
        Not(item=In(fact="plan.slot", values=("rest",))),
        Compare(fact="today.is_rest_day", op="==", value=False),
    ))
    assert isinstance(parse_condition("load.acwr != 1").value, int)
    assert parse_condition('athlete.goal == "70.3"').value == "70.3"
    assert parse_condition(r'athlete.goal == "a \"b\""').value == 'a "b"'


def test_str_round_trips():
    text = 'plan.intensity == "hard" and (load.acwr > 1.3 or not form.broke == true) and plan.kind in ["tempo", "intervals"]'
    tree = parse_condition(text)
    assert parse_condition(str(tree)) == tree


@pytest.mark.parametrize("text, message", [
    ("", "empty condition at column 1"),
    ("load.acwr >", "expected a number, a \"string\", true or false, found the end of the condition at column 12"),
    ("load.acwr > 1.3 and", "expected a fact name, found the end of the condition at column 20"),
    ("(load.acwr > 1", "expected ')', found the end of the condition at column 15"),
    ("load.acwr > 1 load.acute > 2", "expected 'and', 'or' or the end, found 'load.acute' at column 15"),
    ("plan.kind == tempo", "expected a number, a \"string\", true or false, found 'tempo' (quote text values) at column 14"),
    ('plan.kind == "tempo', "unterminated string at column 14"),
    ("form.broke == True", "write true, not True at column 15"),
    ("load.acwr > 1 && x", "unexpected character '&' at column 15"),
    ("plan.kind in ('a')", "expected '[' after 'in', found '(' at column 14"),
    ("__import__('os').system('x')", "unexpected character '.' at column 17"),
])
def test_syntax_errors_name_the_column(text, message):
    with pytest.raises(ConditionSyntaxError) as info:
        parse_condition(text)
    assert str(info.value) == message


def test_type_checks():
    def check(text):
        return check_condition(parse_condition(text), FACTS)

    assert check('load.acwr > 1.3 and plan.kind in ["tempo", "easy"] and form.broke') == []
    assert check("load.acwr") == ["type mismatch: load.acwr is a number, compared to true"]
    assert check("form.broke > 1") == ["type mismatch: form.broke is true or false; > only compares numbers"]
    assert check('form.broke == "yes"') == ['type mismatch: form.broke is true or false, compared to the string "yes"']
    assert check('plan.kind in ["tempo", 3]') == ["type mismatch: plan.kind is a string, compared to the number 3"]
    assert check("load.acute > 1 and lod.acute > 1") == ['unknown fact "lod.acute" (did you mean "load.acute"?)']
    assert check("zzz > 1") == ['unknown fact "zzz"']
    derived = {"x.y": FactType("string", ("a", "b"))}
    assert check_condition(parse_condition('x.y == "c"'), derived) == ['x.y is never "c"; its values are: a, b']


def test_unknown_facts_make_comparisons_false_and_their_negation_true():
    facts = {"load.acwr": 1.0}
    assert evaluate(parse_condition("load.acwr < 2"), facts)
    assert not evaluate(parse_condition("load.acute < 2"), facts)
    assert not evaluate(parse_condition("load.acute != 2"), facts)
    assert not evaluate(parse_condition('plan.kind in ["tempo"]'), facts)
    assert evaluate(parse_condition("not load.acute < 2"), facts)
    assert evaluate(parse_condition('plan.kind not in ["tempo"]'), facts)
    assert evaluate(parse_condition("load.acute < 2 or load.acwr == 1"), facts)


def test_false_parts_show_values():
    tree = parse_condition('plan.intensity == "hard" and load.acwr > 1.3 and not form.broke and wellness.sleep_h < 6')
    facts = {"plan.intensity": "hard", "load.acwr": 1.05, "form.broke": True}
    assert false_parts(tree, facts) == [
        "load.acwr > 1.3 was false: load.acwr = 1.05",
        "not form.broke == true was false because form.broke == true was true: form.broke = true",
        "wellness.sleep_h < 6 was false: wellness.sleep_h is unknown",
    ]
    assert false_parts(tree, {**facts, "load.acwr": 2, "form.broke": False, "wellness.sleep_h": 5}) == []


def test_reason_templates():
    assert check_template("ACWR {load.acwr:.2f}, sore {wellness.soreness}/10 {{literal}}", FACTS) == []
    assert check_template("{load.acwr!r}", FACTS) == ["reason template: {load.acwr!r}: conversions are not allowed"]
    assert check_template("{load.acwr.__class__}", FACTS)[0].startswith('reason template names unknown fact "load.acwr.__class__"')
    assert check_template("{0}", FACTS) == ["reason template: {0} is not a fact name (write {fact.name} or {fact.name:.1f})"]
    assert check_template("{load.acwr", FACTS) == ["reason template: expected '}' before end of string"]
    text = "ACWR {load.acwr:.2f}; sore {wellness.soreness}; broke {form.broke}; {{x}}"
    assert render_reason(text, {"load.acwr": 1.456, "form.broke": False}) == "ACWR 1.46; sore unknown; broke no; {x}"
