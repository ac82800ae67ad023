"""Golden file: the demo athlete's intervals session as a FIT workout, decoded step by step.

The decoded step list is kept in tests/data/golden/demo_intervals_fit_steps.json. After a
deliberate change to the session templates or the encoder, regenerate it with
`COACH_UPDATE_GOLDEN=1 python -m pytest tests/integration/test_watch_demo.py` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from fitcheck import decode, step_list

from coach.cli.demo import NAME, build_demo
from coach.cli.watch import workout_bytes
from coach.service.plan import plan
from coach.storage import open_store

TODAY = dt.date(2026, 11, 30)  # a Monday: the demo's history ends on Sunday; its season reaches intervals in build
GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden" / "demo_intervals_fit_steps.json"


def test_demo_intervals_decode_to_the_golden_step_list(tmp_path, default_rules):
    ruleset, evaluator = default_rules
    with open_store(str(tmp_path / "demo.db")) as store:
        build_demo(store, TODAY)
        with store.unit_of_work() as uow:
            athlete = uow.athletes.get(NAME)
            season = plan(uow, athlete, TODAY, 84, ruleset, evaluator)
    proposal = next(p for p in season if p.session.kind.value == "intervals")
    data = workout_bytes(proposal, ruleset.planned.watch)
    steps = json.loads(json.dumps(step_list(data)))
    if os.environ.get("COACH_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(steps, indent=1) + "\n", encoding="utf-8")
    assert steps == json.loads(GOLDEN.read_text(encoding="utf-8"))
    # and the golden file says what the session says: one rep step per block, a repeat for each set
    blocks = proposal.session.blocks
    assert sum(1 for s in steps if s["duration_type"] == "repeat_until_steps_cmplt") == \
        sum(1 for b in blocks if b.repeat > 1)
    assert sum(1 for s in steps if s["duration_type"] != "repeat_until_steps_cmplt"
               and s["wkt_step_name"] != "Recover") == len(blocks)
    assert decode(data)["workout"][0]["num_valid_steps"] == len(steps)
