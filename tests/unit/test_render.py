"""Rendering a proposal: plain text (reused by email) and the rich terminal layout."""

from __future__ import annotations

import datetime as dt
import io

from rich.console import Console

from coach.cli.render import block_pace, block_size, print_plan, print_proposal, render_plan_text, render_text
from coach.engine.compose import compose
from coach.engine.model import Action, Athlete, Block, Firing, Proposal
from coach.engine.paces import training_paces, vdot
from coach.service.rulesets import read_rule_set

TEMPLATES = read_rule_set().templates
DAY = dt.date(2026, 11, 19)


def proposal(kind="intervals", units="km", firings=(), paces="race", day=DAY) -> Proposal:
    athlete = Athlete(name="Ana", goal="5k", units=units)
    if paces == "race":
        paces = training_paces(vdot(5000, 1200), "5k", source="Paces from your 5k.")
    session, adaptations = compose(athlete, {"plan.kind": kind}, list(firings), TEMPLATES, paces)
    return Proposal(athlete="Ana", date=day, session=session, adaptations=adaptations)


def test_text_lists_the_phases_in_order_with_purpose_and_paces():
    text = render_text(proposal())
    lines = text.splitlines()
    assert lines[0].startswith("Thu 2026-11-19 - Ana: Intervals (hard, about 1 h 11 min")
    assert lines[1].startswith("Purpose: Race-pace specificity")
    headings = [line for line in lines if line in ("Warm-up", "Main set", "Taper", "Cool-down")]
    assert headings == ["Warm-up", "Main set", "Taper", "Cool-down"]
    assert "8 x 400 m" in text and "(1:34 per 400 m)" in text and "/km" in text and "/mi" not in text


def test_paces_are_shown_per_mile_for_a_miles_athlete():
    text = render_text(proposal("easy", units="mi"), "mi")
    assert "40 min" in text and "8:33/mi" in text and "/km" not in text


def test_adaptations_are_listed_with_rule_and_principle():
    f = Firing(rule="form-broke-shorten", principle="P8", reason="Form broke on rep 6.",
               actions=[Action(name="shorten", params={"percent": 25})])
    text = render_text(proposal(firings=[f]))
    assert "Why it changed:" in text
    assert "  - form-broke-shorten (P8): Form broke on rep 6. Main set shortened" in text
    assert "6 x 400 m" in text


def test_a_rest_day_and_a_session_by_feel():
    assert "No training today." in render_text(proposal("rest"))
    text = render_text(proposal(paces=None))
    assert "@ " not in text.split("Why it changed:")[0]  # no target paces
    assert "paces-by-feel (P5)" in text


def _block(**kw):
    return Block(phase="main", description="x", **kw)


def test_block_size_follows_the_blocks_measure():
    assert block_size(_block(repeat=8, distance_m=400, duration_s=93.9, pace_s_per_km=234.8, measure="distance"),
                      "km") == "8 x 400 m"
    assert block_size(_block(duration_s=2400, distance_m=7524.3, pace_s_per_km=319, measure="time"), "km") == "40 min"
    # round numbers both ways: the block says which one the session asks for (no guessing)
    assert block_size(_block(distance_m=5000, duration_s=1500, pace_s_per_km=300, measure="distance"), "km") == "5 km"
    assert block_size(_block(distance_m=5000, duration_s=1500, pace_s_per_km=300, measure="time"), "km") == "25 min"
    assert block_size(_block(duration_s=300, measure="time"), "km") == "5 min"
    assert block_pace(_block(duration_s=300, measure="time"), "km") == ""
    assert block_pace(_block(repeat=3, distance_m=1000, duration_s=240, pace_s_per_km=240, measure="distance"),
                      "mi") == "6:26/mi (4:00 per 1000 m)"
    assert block_pace(_block(distance_m=1000, duration_s=240, pace_s_per_km=240, measure="time"), "km") == "4:00/km"


def test_a_block_saved_without_measure_still_renders():
    assert block_size(_block(duration_s=300), "km") == "5 min"
    assert block_size(_block(distance_m=400), "km") == "400 m"
    assert block_size(_block(), "km") == ""


def test_the_rich_layout_shows_the_same_session():
    out = io.StringIO()
    print_proposal(Console(file=out, width=200, color_system=None), proposal(), "km")
    text = out.getvalue()
    for needle in ("Intervals", "Purpose:", "Warm-up", "Main set", "Cool-down", "8 x 400 m", "3:55/km"):
        assert needle in text


def test_plan_text_has_one_line_per_day():
    days = [proposal("intervals"), proposal("easy", day=DAY + dt.timedelta(days=1)),
            proposal("rest", day=DAY + dt.timedelta(days=2))]
    lines = render_plan_text(days).splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("Thu 2026-11-19  Intervals") and "8 x 400 m @ 3:55/km" in lines[0]
    assert lines[2].startswith("Sat 2026-11-21  Rest day")
    full = render_plan_text(days, full=True)
    assert full.count("Purpose:") == 3
    out = io.StringIO()
    print_plan(Console(file=out, width=200, color_system=None), days, "km")
    assert "Fri 2026-11-20" in out.getvalue() and "Easy run" in out.getvalue()
