"""P15: without an aerobic base, sessions stay simple; complex ones come as the base grows.

Issue 12: until an aerobic base exists (under 120 min of running a week over 4 weeks, with two
weeks logged), a hard day is easy running with strides, every session is sized to the
athlete's typical run (at most 110 %), and a rolling week to at most 110 % of their 4-week
weekly average. The thin-base scenario used to be 4 runs of 30 min in two weeks: that athlete
has no base at all (30 min a week), so they now get easy running with strides rather than a
simplified hard session; the simplified session is for a thin but real base (below).
"""

from __future__ import annotations

from scenario_kit import DAY, Kind, days_before, principles_of, reason_of, rules_of, run

#: Three 20-minute jogs a week for five weeks, none yesterday (so today's plan is a hard day).
BEGINNER_DAYS = (2, 4, 7, 9, 11, 14, 16, 18, 21, 23, 25, 28, 30, 32, 35)


def _blocks_of(p, phase):
    return [b for b in p.session.blocks if b.phase.value == phase]


def test_thin_base_simplifies_the_hard_session(scenario, other):
    other.baseline()
    based = other.propose()

    scenario.athlete()
    scenario.log(*[run(days_before(DAY, n), Kind.easy, 50, 3, 5) for n in range(2, 22, 2)])
    p = scenario.propose()
    assert p.facts["base.easy_km_28d"] == 50 and p.facts["base.week_minutes_28d"] == 125
    assert p.session.intensity == "hard"
    assert "P15" in principles_of(p)
    assert "50 km" in reason_of(p, "base-thin-simplify")
    assert not rules_of(p) & {"base-none-easy-strides", "base-session-length", "base-week-ramp"}
    assert len(p.session.blocks) <= len(based.session.blocks)
    assert len({b.pace_s_per_km for b in p.session.blocks if b.phase.value == "main"}) <= 1


def test_a_solid_base_keeps_the_full_session(scenario):
    scenario.baseline()
    p = scenario.propose()
    assert p.facts["base.easy_km_28d"] >= 60
    assert "P15" not in principles_of(p)


def test_a_beginner_gets_easy_running_with_strides_sized_to_their_runs(scenario):
    scenario.athlete()
    scenario.log(*[run(days_before(DAY, n), Kind.easy, 20, 3, 2.9) for n in BEGINNER_DAYS])
    p = scenario.propose()
    assert p.facts["plan.intensity"] == "hard"
    assert p.facts["base.session_minutes_28d"] == 20 and p.facts["base.week_minutes_28d"] == 60
    assert p.session.kind == "easy" and p.session.intensity == "easy"
    strides = [b for b in _blocks_of(p, "taper") if "strides" in b.description]
    assert len(strides) == 1 and strides[0].repeat == 4 and strides[0].distance_m == 100
    # the whole session, strides included, is at most 110 % of the typical 20-minute run
    assert 15 * 60 <= p.session.total_duration_s <= 22 * 60
    assert "60 min a week" in reason_of(p, "base-none-easy-strides")
    assert "22 min" in reason_of(p, "base-session-length")
    assert not any(b.pace_s_per_km and b.pace_s_per_km < 300 for b in _blocks_of(p, "main"))


def test_a_beginners_week_stops_at_110_percent_of_their_average(scenario):
    scenario.athlete()
    days = (1, 2, 3, 4, 5, 7, 9, 11, 14, 16, 18, 21, 23, 25, 28)
    scenario.log(*[run(days_before(DAY, n), Kind.easy, 20, 3, 2.9) for n in days])
    p = scenario.propose()
    assert p.facts["ramp.minutes_6d"] == 100 and p.facts["base.week_minutes_28d"] == 75
    assert p.facts["plan.intensity"] == "easy"
    assert p.session.kind == "rest"
    assert "today is a rest day" in reason_of(p, "base-week-ramp")


def test_the_ramp_leaves_room_for_a_shorter_run(scenario):
    scenario.athlete()
    days = (2, 3, 7, 9, 11, 14, 16, 18, 21, 23, 25, 28)
    scenario.log(*[run(days_before(DAY, n), Kind.easy, 20, 3, 2.9) for n in days])
    p = scenario.propose()
    # 66 min a week allowed, 40 min run in the last 6 days: 26 min left, more than the 22 min run
    assert p.facts["ramp.minutes_6d"] == 40 and p.facts["base.week_minutes_28d"] == 60
    assert "base-week-ramp" not in rules_of(p)
    assert p.session.kind != "rest"


def test_no_log_yet_is_not_judged_a_beginner(scenario):
    scenario.athlete()
    scenario.log(*[run(days_before(DAY, n), Kind.easy, 20, 3, 2.9) for n in (2, 4, 7)])
    p = scenario.propose()
    assert p.facts["history.days"] < 14
    assert not rules_of(p) & {"base-none-easy-strides", "base-session-length", "base-week-ramp"}
