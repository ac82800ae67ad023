"""P1-P6: the shape of the sessions the default rules and templates propose.

Each test logs a history through the store, proposes (as `coach next` does) and reads the
session a runner would be handed: its purpose, warm-up, main set, recoveries, paces,
tapering element and cool-down.
"""

from __future__ import annotations

import datetime as dt

from scenario_kit import DAY, Kind, days_before, main_blocks, reps_400, run

#: What a session may say it trains (P1), in the words of PRINCIPLES.md.
PURPOSES = ("turnover", "neuromuscular", "race-pace", "race pace", "race dynamics", "fatigue tolerance",
            "aerobic base", "recovery", "rest")
#: The Sunday before a week whose Tuesday the weekly pattern makes a tempo day.
SUNDAY = dt.date(2026, 11, 22)
FIVE_K_RACE_PACE = (20 * 60 + 30) / 5  # the scenario athlete's 5K in 20:30, s/km


def _phases(proposal) -> list[str]:
    return [b.phase.value for b in proposal.session.blocks]


def _week_ahead(scenario, days: int = 7):
    from coach.service.plan import simulate

    athlete = scenario.athlete()
    with scenario.store() as store, store.unit_of_work() as uow:
        history = uow.workouts.between(athlete.id, days_before(DAY, 56), DAY)
    return simulate(athlete, history, DAY, days, scenario.ruleset, scenario.evaluator)


def test_p01_every_day_of_the_week_ahead_says_what_it_trains(scenario):
    scenario.baseline()
    proposals = _week_ahead(scenario)
    assert len(proposals) == 7
    kinds = {p.session.kind.value for p in proposals}
    assert {"intervals", "easy", "rest"} <= kinds, kinds
    for p in proposals:
        purpose = p.session.purpose.lower()
        assert any(word in purpose for word in PURPOSES), (p.date, p.session.kind, purpose)


def test_p02_hard_sessions_start_with_a_warm_up_and_end_with_a_cool_down(scenario):
    scenario.baseline()
    p = scenario.propose()
    assert p.session.intensity == "hard"
    phases = _phases(p)
    assert phases[0] == "warmup" and phases[-1] == "cooldown"
    warmup = " ".join(b.description for b in p.session.blocks if b.phase.value == "warmup").lower()
    assert "easy" in warmup and ("drills" in warmup or "acceleration" in warmup or "stride" in warmup)


def test_p02_shortening_cuts_the_main_set_never_the_warm_up_or_cool_down(scenario, other):
    other.baseline()
    calm = other.propose()
    scenario.baseline(drop=(4,))
    scenario.log(run(days_before(DAY, 4), Kind.intervals, 45, 7, 9,
                     reps=reps_400([240, 240, 241, 242, 256, 259, 262, 265], target=240)))
    short = scenario.propose()
    assert "form-broke-shorten" in {a.rule for a in short.adaptations}

    def kept(p):
        return [(b.phase.value, b.repeat, b.duration_s) for b in p.session.blocks if b.phase.value != "main"]

    assert kept(short) == kept(calm)
    assert sum(b.repeat * (b.duration_s or 0) for b in main_blocks(short)) < \
        sum(b.repeat * (b.duration_s or 0) for b in main_blocks(calm))


def test_p03_shorter_easier_reps_first_most_demanding_last_then_a_relaxed_taper(scenario):
    scenario.baseline()
    p = scenario.propose()
    main = [b for b in main_blocks(p) if b.pace_s_per_km]
    assert len(main) >= 2
    rep_times = [b.duration_s for b in main]
    assert rep_times == sorted(rep_times), "reps grow from the shortest to the longest"
    last = main[-1]
    assert last.repeat * last.duration_s == max(b.repeat * b.duration_s for b in main), "the biggest block comes last"
    assert last.pace_s_per_km <= FIVE_K_RACE_PACE, "the last block is at or faster than race pace"
    phases = _phases(p)
    assert phases.index("taper") > max(i for i, ph in enumerate(phases) if ph == "main")
    taper = [b for b in p.session.blocks if b.phase.value == "taper"]
    assert all("relaxed" in b.description or "light" in b.description for b in taper)


def test_p04_recoveries_hold_form_without_letting_the_heart_rate_settle(scenario):
    scenario.baseline()
    p = scenario.propose()
    key_reps = [b for b in main_blocks(p) if b.repeat > 1 and b.duration_s and b.duration_s >= 60]
    assert key_reps, "an interval day has key reps of a minute or more"
    for b in key_reps:
        assert b.recovery_s is not None
        assert 0.5 * b.duration_s <= b.recovery_s <= 1.0 * b.duration_s, (b.description, b.duration_s, b.recovery_s)
    # longer reps get longer recoveries
    by_length = sorted(key_reps, key=lambda b: b.duration_s)
    assert [b.recovery_s for b in by_length] == sorted(b.recovery_s for b in by_length)


def test_p05_a_5k_interval_day_is_strides_and_400s_a_little_faster_than_5k_pace(scenario):
    scenario.baseline()
    p = scenario.propose()
    assert p.session.kind == "intervals"
    main = main_blocks(p)
    assert any("stride" in b.description for b in main)
    four_hundreds = [b for b in main if b.distance_m == 400 and b.repeat > 1]
    assert four_hundreds, [b.description for b in main]
    pace = four_hundreds[0].pace_s_per_km
    assert 0.95 * FIVE_K_RACE_PACE <= pace < FIVE_K_RACE_PACE, (pace, FIVE_K_RACE_PACE)


def test_p05_paces_follow_current_fitness_and_the_goal_picks_the_session(scenario, other):
    scenario.athlete()
    scenario.baseline()
    other.athlete(recent_races=[{"label": "10k", "distance_m": 10000, "time_s": 38 * 60}], goal="10k")
    other.baseline()
    five_k, ten_k = scenario.propose(), other.propose()
    assert five_k.session.purpose != ten_k.session.purpose or \
        [b.distance_m for b in main_blocks(five_k)] != [b.distance_m for b in main_blocks(ten_k)]
    # a 38:00 10K runner is fitter than a 20:30 5K runner: every main-set pace is faster
    assert max(b.pace_s_per_km for b in main_blocks(ten_k) if b.pace_s_per_km) < \
        max(b.pace_s_per_km for b in main_blocks(five_k) if b.pace_s_per_km)


def _tempo_day(scenario, race_in_days: int):
    tuesday = SUNDAY + dt.timedelta(days=2)
    scenario.athlete(race_date=tuesday + dt.timedelta(days=race_in_days))
    scenario.baseline(day=SUNDAY)
    scenario.log(run(SUNDAY, Kind.intervals, 45, 7, 9), run(SUNDAY + dt.timedelta(days=1), Kind.easy, 50, 3, 10))
    return scenario.propose(tuesday)


def test_p06_near_the_race_the_tempo_day_rotates_three_pace_zones_and_ends_strong_and_even(scenario):
    p = _tempo_day(scenario, race_in_days=30)
    assert p.facts["plan.kind"] == "tempo"
    assert p.session.kind == "three_zone"
    assert "race-dynamics-near-race" in {a.rule for a in p.adaptations}
    assert "30 days" in next(a.reason for a in p.adaptations if a.principle == "P6")
    main = main_blocks(p)
    rotation = [b for b in main if b.repeat > 1]
    assert rotation and rotation[0].recovery_s, "tempo blocks with surges alternate with easy recoveries"
    assert "surge" in rotation[0].description
    final = main[-1]
    assert final.repeat == 1 and "even" in final.description
    assert final.pace_s_per_km < rotation[0].pace_s_per_km, "the final block is stronger than the tempo blocks"


def test_p06_far_from_the_race_or_in_race_week_the_tempo_stays(scenario, other):
    assert _tempo_day(scenario, race_in_days=100).session.kind == "tempo"
    assert _tempo_day(other, race_in_days=5).session.kind == "tempo"
