"""5,000 athletes in a row through one Evaluator (more than durable_rules' 1,024 live sessions,
including the keys "40189" and "797186" whose session ids collide on its 32-bit hash): no crash,
and every decision equals the one the athlete gets alone, in a fresh process, and in plain Python."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
WORKER = HERE / "rules" / "evaluate_many.py"
BASIC = HERE.parent / "unit" / "rulesets" / "basic"
N = 5000


def run(*args: str) -> dict[str, list]:
    proc = subprocess.run([sys.executable, str(WORKER), str(BASIC), *args], capture_output=True, text=True,
                          timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    return {row["key"]: row["fired"] for row in rows}


@pytest.fixture(scope="module")
def many():
    return run("many", str(N))


def test_five_thousand_athletes_in_one_process(many):
    assert len(many) == N
    assert "40189" in many and "797186" in many
    # the facts vary enough that the rules really decide: some fire, some do not
    assert sum(1 for fired in many.values() if fired) > N // 10
    assert sum(1 for fired in many.values() if not fired) > N // 10


def test_each_decision_equals_the_athletes_own_in_a_fresh_process(many):
    sample = ["40189", "797186", "0", "1", "1023", "1024", "1025", str(N - 1)]
    alone = run("alone", *sample)
    for key in sample:
        assert alone[key] == many[key], key
    # the colliding pair evaluated one after the other in a fresh process, both orders
    assert run("alone", "797186", "40189") == {k: many[k] for k in ("797186", "40189")}


def test_each_decision_equals_the_plain_python_evaluation(many):
    sys.path.insert(0, str(WORKER.parent))
    try:
        import evaluate_many
    finally:
        sys.path.remove(str(WORKER.parent))
    from coach.engine.rules.evaluator import Evaluator
    from coach.service.rulesets import read_rules_only

    ruleset = read_rules_only(BASIC)
    evaluator = Evaluator(ruleset)
    for key, fired in many.items():
        expected = [f.model_dump() for f in evaluator.evaluate_python(evaluate_many.facts_for(key))]
        assert fired == expected, key
