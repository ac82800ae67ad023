"""P15: without an aerobic base, sessions stay simple; complex ones come as the base grows."""

from __future__ import annotations

from scenario_kit import DAY, Kind, days_before, principles_of, reason_of, run


def test_thin_base_simplifies_the_hard_session(scenario, other):
    other.baseline()
    based = other.propose()

    scenario.athlete()
    scenario.log(*[run(days_before(DAY, n), Kind.easy, 30, 3, 5) for n in (2, 6, 10, 14)])
    p = scenario.propose()
    assert p.facts["base.easy_km_28d"] == 20
    assert p.session.intensity == "hard"
    assert "P15" in principles_of(p)
    assert "20 km" in reason_of(p, "base-thin-simplify")
    assert len(p.session.blocks) <= len(based.session.blocks)
    assert len({b.pace_s_per_km for b in p.session.blocks if b.phase.value == "main"}) <= 1


def test_a_solid_base_keeps_the_full_session(scenario):
    scenario.baseline()
    p = scenario.propose()
    assert p.facts["base.easy_km_28d"] >= 60
    assert "P15" not in principles_of(p)
