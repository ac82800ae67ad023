"""P8: when form broke in the last hard session, the next one shortens the reps and keeps the pace."""

from __future__ import annotations

from scenario_kit import DAY, Kind, days_before, main_distance, main_paces, principles_of, reason_of, reps_400, run


def _last_intervals(paces, **kw):
    return run(days_before(DAY, 4), Kind.intervals, 45, 7, 9, reps=reps_400(paces, target=240), **kw)


def test_drifting_reps_shorten_the_next_hard_session_at_the_same_pace(scenario, other):
    other.baseline()
    calm = other.propose()

    scenario.baseline(drop=(4,))
    scenario.log(_last_intervals([240, 240, 241, 242, 256, 259, 262, 265]))
    p = scenario.propose()
    assert p.facts["form.broke"] is True and p.facts["form.broke_at_rep"] == 5
    assert p.session.intensity == "hard" and p.session.kind == calm.session.kind
    assert "P8" in principles_of(p)
    reason = reason_of(p, "form-broke-shorten")
    assert "rep 5" in reason and "4 days ago" in reason
    assert 0 < main_distance(p) < main_distance(calm)
    assert main_paces(p) and set(main_paces(p)) == set(main_paces(calm))


def test_the_athletes_own_flag_counts_as_a_break(scenario):
    scenario.baseline(drop=(4,))
    scenario.log(run(days_before(DAY, 4), Kind.intervals, 45, 7, 9, form_broke_at=6))
    p = scenario.propose()
    assert "rep 6" in reason_of(p, "form-broke-shorten")


def test_even_reps_change_nothing(scenario):
    scenario.baseline(drop=(4,))
    scenario.log(_last_intervals([240, 240, 241, 241, 242, 241, 242, 243]))
    p = scenario.propose()
    assert p.facts["form.broke"] is False
    assert "P8" not in principles_of(p)
    assert p.session.intensity == "hard"
