"""P7/P9 for an athlete who only imports watch files (heart rate, no RPE): issue 13.

Their load comes from heart rate (Banister TRIMP normalised to an hour at threshold), so the
load ratios are known and the fatigue rules fire for them as for an athlete who logs RPE.
"""

from __future__ import annotations

from scenario_kit import DAY, Kind, baseline_history, days_before, principles_of, rules_of, run

#: average and maximum heart rate a watch records for each kind of the baseline (HRmax 190)
HR = {Kind.intervals: (160, 186), Kind.tempo: (163, 180), Kind.easy: (140, 152), Kind.steady: (155, 168)}


def watch(workouts, *, rpe: bool):
    """The workouts as a watch records them: heart rate always, the RPE only when `rpe`."""
    return [w.model_copy(update={"avg_hr": HR[w.kind][0], "max_hr": HR[w.kind][1],
                                 **({} if rpe else {"rpe": None})}) for w in workouts]


def spike():
    """Three extra steady hours in the last week (the load-spike scenario of P7)."""
    return [run(days_before(DAY, n), Kind.steady, 60, 6, 12) for n in (3, 4, 6)]


def test_watch_only_baseline_has_a_known_acwr_from_heart_rate_and_keeps_the_hard_day(scenario):
    scenario.log(*watch(baseline_history(DAY), rpe=False))
    p = scenario.propose()
    assert p.facts["load.method"] == "hr" and p.facts["load.method_share_pct"] == 100.0
    assert p.facts["load.unknown_28d"] == 0
    assert p.facts["load.acute"] > 0 and 0.8 < p.facts["load.acwr"] < 1.15
    assert p.session.intensity == "hard"
    assert "P7" not in principles_of(p) and "P9" not in principles_of(p)


def test_watch_only_load_spike_fires_the_same_rule_as_with_rpe(scenario, other):
    scenario.log(*watch(baseline_history(DAY) + spike(), rpe=False))
    other.log(*watch(baseline_history(DAY) + spike(), rpe=True))
    from_hr, from_rpe = scenario.propose(), other.propose()
    assert (from_hr.facts["load.method"], from_rpe.facts["load.method"]) == ("hr", "rpe")
    assert from_hr.facts["load.acwr"] > 1.3 and from_rpe.facts["load.acwr"] > 1.3
    assert "fatigue-load-spike" in rules_of(from_hr) and "fatigue-load-spike" in rules_of(from_rpe)
    assert from_hr.session.kind.value == from_rpe.session.kind.value == "steady"


def test_without_heart_rate_or_rpe_the_load_stays_unknown(scenario):
    # no RPE, no heart rate, no distance: nothing to compute a load from
    scenario.log(*[w.model_copy(update={"rpe": None, "distance_m": None}) for w in baseline_history(DAY)])
    p = scenario.propose()
    assert "load.acwr" not in p.facts and "load.method" not in p.facts
    assert p.facts["load.unknown_28d"] > 0
    assert "fatigue-load-spike" not in rules_of(p)
