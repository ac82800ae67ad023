"""The compiled durable_rules form of conditions (golden shapes; the property test checks behaviour)."""

from __future__ import annotations

from coach.engine.model import Action
from coach.engine.rules.compiler import compile_condition, compiled_json
from coach.engine.rules.condition import parse_condition
from coach.engine.rules.model import Rule


def compiled(text: str) -> dict:
    return compile_condition(parse_condition(text))


def test_comparisons_map_dotted_names_to_fields():
    assert compiled('plan.intensity == "hard"') == {"plan__intensity": "hard"}
    assert compiled("load.acwr > 1.3") == {"$gt": {"load__acwr": 1.3}}
    assert compiled("load.acwr != 1") == {"$neq": {"load__acwr": 1}}
    assert compiled('plan.kind in ["tempo", "intervals"]') == {"$or": [{"plan__kind": "tempo"}, {"plan__kind": "intervals"}]}


def test_negation_is_pushed_down_and_keeps_unknown_facts_true():
    assert compiled("not load.acwr > 1.3") == {"$or": [{"$nex": {"load__acwr": 1}}, {"$lte": {"load__acwr": 1.3}}]}
    assert compiled("not (load.acwr > 1.3 and form.broke)") == {"$or": [
        {"$or": [{"$nex": {"load__acwr": 1}}, {"$lte": {"load__acwr": 1.3}}]},
        {"$or": [{"$nex": {"form__broke": 1}}, {"$neq": {"form__broke": True}}]},
    ]}
    assert compiled('plan.kind not in ["rest"]') == {"$or": [{"$nex": {"plan__kind": 1}}, {"$neq": {"plan__kind": "rest"}}]}
    assert compiled("not not load.acwr < 1") == {"$lt": {"load__acwr": 1}}


def test_rules_match_the_marker_and_a_catch_all_is_added():
    rule = Rule(id="r", principle="P7", priority=1, description="d", when="load.acwr > 1 and form.broke",
                condition=parse_condition("load.acwr > 1 and form.broke"), then=(Action(name="simplify"),), reason="r")
    assert compiled_json([rule]) == {
        "r0": {"all": [{"m": {"$and": [{"$gt": {"load__acwr": 1}}, {"form__broke": True}, {"coach__fact": 1}]}}]},
        "coach__catch_all": {"all": [{"m": {"coach__fact": 1}}]},
    }
