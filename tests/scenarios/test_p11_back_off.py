"""P11: the speed session after a long run or a heavy day is reduced in intensity."""

from __future__ import annotations

from scenario_kit import DAY, Kind, days_before, main_paces, principles_of, reason_of, rules_of, run


def assert_slower(p, calm):
    """Same main set, no target faster than before and at least one slower (a higher s/km)."""
    pairs = list(zip(main_paces(p), main_paces(calm), strict=True))
    assert all(new >= old for new, old in pairs)
    assert any(new > old for new, old in pairs)


def test_long_run_two_days_ago_slows_the_speed_session(scenario, other):
    other.baseline()
    calm = other.propose()

    scenario.baseline(drop=(2,))
    scenario.log(run(days_before(DAY, 2), Kind.long, 95, 5, 18))
    p = scenario.propose()
    assert p.facts["days_since.long_run"] == 2
    assert "P11" in principles_of(p)
    assert "2 day" in reason_of(p, "back-off-after-long-run")
    assert p.session.kind == calm.session.kind
    assert_slower(p, calm)


def test_heavy_session_two_days_ago_slows_the_speed_session(scenario, other):
    other.baseline()
    calm = other.propose()

    scenario.baseline(drop=(2,))
    scenario.log(run(days_before(DAY, 2), Kind.steady, 75, 7, 15))  # load 525
    p = scenario.propose()
    assert p.facts["days_since.heavy"] == 2 and p.facts["days_since.long_run"] > 2
    assert "back-off-after-heavy-day" in rules_of(p)
    assert_slower(p, calm)


def test_long_run_earlier_in_the_week_changes_nothing(scenario):
    scenario.baseline(drop=(3,))
    scenario.log(run(days_before(DAY, 3), Kind.long, 95, 5, 18))
    p = scenario.propose()
    assert p.facts["days_since.long_run"] == 3
    assert "P11" not in principles_of(p)
    assert p.session.intensity == "hard"
