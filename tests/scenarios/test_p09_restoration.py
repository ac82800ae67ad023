"""P9: lingering (not acute) fatigue cuts the hard blocks, keeping the intensity of the key efforts."""

from __future__ import annotations

from scenario_kit import DAY, Kind, days_before, main_distance, main_paces, principles_of, reason_of, run


def test_moderately_raised_load_shortens_hard_blocks_at_the_same_pace(scenario, other):
    other.baseline()
    calm = other.propose()

    scenario.baseline()
    scenario.log(*[run(days_before(DAY, n), Kind.steady, 50, 6, 10) for n in (3, 6)])  # two extra sessions
    p = scenario.propose()
    acwr = p.facts["load.acwr"]
    assert 1.15 < acwr <= 1.3
    assert p.session.intensity == "hard" and p.session.kind == calm.session.kind
    assert "P9" in principles_of(p) and "P7" not in principles_of(p)
    assert f"{acwr:.2f}" in reason_of(p, "restoration-raised-load")
    assert 0 < main_distance(p) < main_distance(calm)
    assert set(main_paces(p)) == set(main_paces(calm))


def test_acute_spike_is_p7_not_p9(scenario):
    scenario.baseline()
    scenario.log(*[run(days_before(DAY, n), Kind.steady, 60, 6, 12) for n in (3, 4, 6)])
    p = scenario.propose()
    assert "P9" not in principles_of(p) and "P7" in principles_of(p)
