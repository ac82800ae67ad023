"""Golden files of the rule compiler: the built-in rules/*.yml -> durable_rules' JSON form.

A change in the compiler or in a rule's condition shows up here as a diff of
tests/golden/compiled/; when it is intended, regenerate with
`python tests/golden/regenerate.py compiled` and review the diff.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
HINT = "intended? regenerate with: python tests/golden/regenerate.py compiled"


def _regenerate_module():
    spec = importlib.util.spec_from_file_location("golden_regenerate", GOLDEN / "regenerate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


REGENERATE = _regenerate_module()
COMPUTED = REGENERATE.compiled_golden()


def test_every_rule_file_has_exactly_one_golden_file():
    from coach.engine.rules import builtin_dir, is_rule_file

    rule_files = {p.stem + ".json" for p in builtin_dir().iterdir() if p.is_file() and is_rule_file(p.name)}
    stored = {p.name for p in (GOLDEN / "compiled").glob("*.json")}
    assert stored == rule_files | {"_order.json"}, HINT
    assert set(COMPUTED) == stored, HINT


@pytest.mark.parametrize("name", sorted(p.name for p in (GOLDEN / "compiled").glob("*.json")))
def test_the_compiled_rules_match_their_golden_file(name):
    stored = (GOLDEN / "compiled" / name).read_text(encoding="utf-8")
    assert name in COMPUTED, HINT
    # the exact text, so that the order of rules and of tests inside a condition is checked too
    assert REGENERATE.render(COMPUTED[name]) == stored, f"{name} differs; {HINT}"


def test_the_golden_files_hold_every_rule_once():
    ids = [rule_id for name, doc in COMPUTED.items() if name != "_order.json" for rule_id in doc]
    order = json.loads((GOLDEN / "compiled" / "_order.json").read_text(encoding="utf-8"))
    assert sorted(ids) == sorted(order.values()) and len(set(ids)) == len(ids)


def test_a_changed_condition_is_caught(tmp_path, monkeypatch):
    """The comparison can fail: a rule set with one threshold changed differs from the golden file."""
    import shutil

    from coach.engine.rules import builtin_dir
    from coach.service import rulesets

    target = tmp_path / "rules"
    shutil.copytree(builtin_dir(), target, ignore=shutil.ignore_patterns("__*", "*.py", "*.md"))
    fatigue = target / "fatigue.yml"
    fatigue.write_text(fatigue.read_text().replace("load.acwr > 1.3", "load.acwr > 1.4", 1))
    real = rulesets.read_rule_set
    monkeypatch.setattr(rulesets, "read_rule_set", lambda directory=None, **kw: real(target, **kw))
    edited = REGENERATE.compiled_golden()
    stored = (GOLDEN / "compiled" / "fatigue.json").read_text(encoding="utf-8")
    assert REGENERATE.render(edited["fatigue.json"]) != stored
    assert REGENERATE.render(edited["form.json"]) == (GOLDEN / "compiled" / "form.json").read_text(encoding="utf-8")
