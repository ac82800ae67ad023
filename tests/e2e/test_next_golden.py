"""Golden file of `coach next --json` for the demo athlete on a fixed date, facts included.

The stored document (tests/golden/next/) is compared exactly with what the current code
prints: every key, every fact, every number. A change in facts, rules, paces or session
composition shows up as a failure here; when it is intended, regenerate with
`python tests/golden/regenerate_next.py` and review the diff.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
HINT = "intended? regenerate with: python tests/golden/regenerate.py next, and review the diff"


def _module():
    spec = importlib.util.spec_from_file_location("golden_regenerate_next", GOLDEN / "regenerate_next.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


NEXT = _module()


def test_the_golden_folder_holds_exactly_the_computed_files():
    stored = {p.name for p in (GOLDEN / NEXT.FOLDER).glob("*.json")}
    assert stored == {NEXT.FILE}, HINT


def test_no_key_is_volatile():
    # the date is fixed and the demo history is seeded from the dates: everything is compared
    assert NEXT.VOLATILE == frozenset()


def test_next_json_of_the_demo_athlete_matches_the_golden_file_exactly():
    stored_text = (GOLDEN / NEXT.FOLDER / NEXT.FILE).read_text(encoding="utf-8")
    computed = NEXT.next_json_of_demo(NEXT.DAY)
    assert computed == json.loads(stored_text), HINT
    assert NEXT.render(computed) == stored_text, HINT  # same key order and number formatting too


def test_the_golden_day_is_worth_keeping():
    # the fixed day shows what a golden file should guard: a hard session adapted by rules,
    # with the facts the rules saw
    data = json.loads((GOLDEN / NEXT.FOLDER / NEXT.FILE).read_text(encoding="utf-8"))
    assert data["athlete"] == "Demo Runner" and data["date"] == NEXT.DAY.isoformat()
    assert data["session"]["intensity"] == "hard" and data["adaptations"]
    assert data["facts"]["plan.slot"] == "hard" and len(data["facts"]) >= 30
