"""P14: stable rep paces and a falling RPE at the same pace move targets up; the opposite moves them down."""

from __future__ import annotations

import pytest
from scenario_kit import DAY, Kind, days_before, main_paces, principles_of, reason_of, reps_400, run


def _rep_sessions(scenario, rpes, paces=(240, 241, 240, 241, 240, 241)):
    days = (12, 8, 4)
    scenario.baseline(drop=days)
    scenario.log(*[run(days_before(DAY, n), Kind.intervals, 45, rpe, 9, reps=reps_400(list(paces), target=240))
                   for n, rpe in zip(days, rpes)])


@pytest.fixture
def calm(other):
    other.baseline()
    return other.propose()


def test_lower_effort_at_the_same_pace_makes_targets_faster(scenario, calm):
    _rep_sessions(scenario, rpes=(8, 8, 7))
    p = scenario.propose()
    assert p.facts["calib.sessions"] == 3 and p.facts["calib.rpe_change"] == -1
    assert "P14" in principles_of(p)
    assert "RPE changed by -1" in reason_of(p, "calibrate-faster")
    paced = [(new, old) for new, old in zip(main_paces(p), main_paces(calm), strict=True) if new != old]
    assert paced and all(new < old for new, old in paced)


def test_higher_effort_at_the_same_pace_makes_targets_slower(scenario, calm):
    _rep_sessions(scenario, rpes=(7, 8, 8))
    p = scenario.propose()
    assert p.facts["calib.rpe_change"] == 1
    assert "RPE changed by +1" in reason_of(p, "calibrate-slower")
    paced = [(new, old) for new, old in zip(main_paces(p), main_paces(calm), strict=True) if new != old]
    assert paced and all(new > old for new, old in paced)


def test_uneven_reps_do_not_earn_faster_targets(scenario):
    _rep_sessions(scenario, rpes=(8, 8, 7), paces=(230, 250, 228, 255, 232, 252))
    p = scenario.propose()
    assert p.facts["calib.pace_cv_pct"] >= 3
    assert "calibrate-faster" not in {a.rule for a in p.adaptations}


# --- calibration that lasts (issue 12): time trials, and races that set later paces ------------


def _seven_weeks(scenario, **athlete):
    from scenario_kit import baseline_history

    scenario.athlete(**athlete)
    scenario.log(*baseline_history(DAY, weeks=7))


def test_no_race_or_time_trial_in_six_weeks_schedules_a_time_trial(scenario):
    _seven_weeks(scenario)  # the profile's 5K has no date: it does not say how recent it is
    p = scenario.propose()
    assert p.facts["days_since.calibration"] == 99 and p.facts["history.days"] >= 42
    assert p.session.kind == "time_trial"
    assert "over 6 weeks old" in reason_of(p, "calibrate-time-trial")


def test_a_recent_race_needs_no_time_trial(scenario):
    import datetime as dt

    from coach.engine.model import RaceResult

    _seven_weeks(scenario, recent_races=[RaceResult(label="5k", distance_m=5000, time_s=1230,
                                                    date=DAY - dt.timedelta(days=20))])
    p = scenario.propose()
    assert p.facts["days_since.calibration"] == 20
    assert p.session.kind != "time_trial"
    assert "calibrate-time-trial" not in {a.rule for a in p.adaptations}


def test_no_time_trial_in_the_last_weeks_before_a_race(scenario):
    import datetime as dt

    _seven_weeks(scenario, race_date=DAY + dt.timedelta(days=14))
    p = scenario.propose()
    assert p.facts["athlete.days_to_race"] == 14
    assert p.session.kind != "time_trial"


def test_a_short_log_does_not_schedule_a_time_trial(scenario):
    scenario.baseline()  # five weeks: too short to know that no time trial was run
    p = scenario.propose()
    assert p.facts["history.days"] < 42
    assert p.session.kind != "time_trial"


def test_a_logged_time_trial_sets_the_paces_of_later_proposals_and_says_so(scenario, calm):
    scenario.baseline(drop=(12,))
    # a 5 km time trial in 19:00, faster than the profile's 20:30 5K
    scenario.log(run(days_before(DAY, 12), Kind.time_trial, 19, 10, 5))
    p = scenario.propose()
    assert p.facts["days_since.calibration"] == 12
    assert "time trial of 19:00" in reason_of(p, "paces-from-race")
    assert p.session.intensity == "hard"
    paced = list(zip(main_paces(p), main_paces(calm), strict=True))
    assert paced and all(new < old for new, old in paced)


# --- targets that move for good: reps ahead of their targets since the last race or time trial ---


def _sessions_at(scenario, paces_by_day: dict[int, float], rpe: int = 7, target: float = 240):
    scenario.baseline(drop=tuple(paces_by_day))
    scenario.log(*[run(days_before(DAY, n), Kind.intervals, 45, rpe, 9, reps=reps_400([pace] * 6, target=target))
                   for n, pace in paces_by_day.items()])


def _ratio(p, calm):
    """The ratios of moved main-set paces to the calm athlete's (fixed strides never move)."""
    pairs = list(zip(main_paces(p), main_paces(calm), strict=True))
    return [round(new / old, 3) for new, old in pairs if new != old]


def test_reps_ahead_of_their_targets_move_targets_up(scenario, calm):
    _sessions_at(scenario, {12: 234, 8: 234})  # 2.6 % ahead of 4:00/km, twice: +5.1 %
    p = scenario.propose()
    assert p.facts["calib.gain_sessions"] == 2 and p.facts["calib.gain_pct"] == 5.1
    assert "5.1% ahead" in reason_of(p, "calibrate-lasting-up-max")
    assert set(_ratio(p, calm)) == {0.96}  # 4 %, the limit, not 5.1 %


def test_a_gain_stays_when_the_next_session_runs_to_the_moved_targets(scenario, calm):
    _sessions_at(scenario, {12: 233})           # 3 % ahead of 4:00/km
    scenario.log(run(days_before(DAY, 8), Kind.intervals, 45, 7, 9,
                     reps=reps_400([235.2] * 6, target=235.2)))  # on the 2 % faster target
    p = scenario.propose()
    assert p.facts["calib.gain_sessions"] == 2 and p.facts["calib.gain_pct"] == 3.0
    assert "calibrate-lasting-up" in {a.rule for a in p.adaptations}
    assert set(_ratio(p, calm)) == {0.98}


def test_a_time_trial_re_bases_the_targets(scenario):
    _sessions_at(scenario, {12: 234, 8: 234})
    scenario.log(run(days_before(DAY, 6), Kind.time_trial, 20.5, 10, 5))  # after those sessions
    p = scenario.propose()
    assert p.facts["days_since.calibration"] == 6
    assert "calib.gain_pct" not in p.facts
    assert not {a.rule for a in p.adaptations} & {"calibrate-lasting-up", "calibrate-lasting-up-max"}


def test_all_out_sessions_are_not_evidence(scenario):
    _sessions_at(scenario, {12: 234, 8: 234}, rpe=9)
    p = scenario.propose()
    assert "calib.gain_pct" not in p.facts


def test_reps_behind_their_targets_move_targets_down_while_form_holds(scenario, calm):
    _sessions_at(scenario, {12: 248, 8: 248})  # 3.2 % behind, twice, evenly (form holds)
    p = scenario.propose()
    assert p.facts["calib.gain_pct"] == -6.5 and p.facts["form.broke"] is False
    assert "-6.5%" in reason_of(p, "calibrate-lasting-down")
    assert set(_ratio(p, calm)) == {1.02}


def test_reps_behind_after_a_form_break_keep_the_targets(scenario):
    scenario.baseline(drop=(12, 8))
    scenario.log(run(days_before(DAY, 12), Kind.intervals, 45, 7, 9, reps=reps_400([248] * 6, target=240)),
                 run(days_before(DAY, 8), Kind.intervals, 45, 7, 9, reps=reps_400([248] * 6, target=240),
                     form_broke_at=4))
    p = scenario.propose()
    assert p.facts["calib.gain_pct"] <= -3 and p.facts["form.broke"] is True
    assert "calibrate-lasting-down" not in {a.rule for a in p.adaptations}
