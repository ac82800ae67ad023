"""Evaluate many athlete keys through ONE Evaluator in one process; print each decision as JSON.

    python evaluate_many.py RULES_DIR many N        # keys 0..N-1 plus the colliding "40189" and "797186"
    python evaluate_many.py RULES_DIR alone KEY...  # just these keys (a fresh process: nothing before them)

Each key's facts are derived from the key alone, so a decision can be compared across runs.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path


COLLIDING = ("40189", "797186")  # land in one durable_rules session by its 32-bit hash


def facts_for(key: str) -> dict:
    h = hashlib.sha256(key.encode()).digest()
    facts = {
        "load.acwr": round(0.8 + h[0] / 255 * 0.9, 2),
        "plan.intensity": ("hard", "easy", "moderate")[h[1] % 3],
        "form.broke": bool(h[2] % 2),
        "form.broke_at_rep": 1 + h[3] % 8,
        "days_since.hard": h[4] % 4,
        "wellness.soreness": h[5] % 10,
        "wellness.sleep_h": 4 + h[6] % 5,
        "plan.kind": ("easy", "tempo", "intervals", "long")[h[7] % 4],
    }
    return {k: v for i, (k, v) in enumerate(facts.items()) if h[8 + i] % 5}  # some facts unknown


def keys(n: int) -> list[str]:
    out = [str(i) for i in range(n)]
    out[n // 3] = COLLIDING[0]
    out[n // 3 + 1] = COLLIDING[1]
    return out


def main(argv: list[str]) -> None:
    from coach.service.rulesets import read_rules_only
    from coach.engine.rules.evaluator import Evaluator

    ruleset = read_rules_only(Path(argv[0]))  # a test rule set without session templates
    evaluator = Evaluator(ruleset)
    chosen = keys(int(argv[2])) if argv[1] == "many" else argv[2:]
    for key in chosen:
        firings = evaluator.evaluate(key, facts_for(key))
        sys.stdout.write(json.dumps({"key": key, "fired": [f.model_dump() for f in firings]}) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
