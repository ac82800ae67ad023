"""A season simulated as a coach would judge it (issue 12).

Synthetic athletes follow the proposals for 16 weeks through the same use case as
`coach next` (service/simulation.py: seeded noise, an illness gap, the race logged as raced).
The assertions are what a coach checks when reading the weeks: long runs most weeks and
growing, hard sessions kept at their intended intensity in the build phase, volume that
progresses with down weeks, a taper, the race proposed on race day, recovery after it, never
two hard days in a row and never a hard day after a maximal one.
"""

from __future__ import annotations

import datetime as dt

import pytest

from coach.service.simulation import Profile, SimDay, simulate_season, week_rows, weeks_of

START = dt.date(2026, 12, 7)  # a Monday
RACE_WEEK = 14                 # the race is on the long-run day (Sunday) of week 15

PROFILES = {
    "5k": Profile(name="five", goal="5k", start=START, weeks=16, race_result=("5k", 5000, 20 * 60 + 30),
                  race_in_weeks=RACE_WEEK, seed=5),
    "marathon": Profile(name="mara", goal="marathon", start=START, weeks=16,
                        race_result=("half", 21097.5, 95 * 60), race_in_weeks=RACE_WEEK, seed=42),
    "ill": Profile(name="ill", goal="10k", start=START, weeks=16, race_result=("10k", 10000, 44 * 60),
                   race_in_weeks=RACE_WEEK, ill=(40, 7), seed=7, long_run_day="sat", rest_days=("fri",),
                   days_per_week=6),
    # a whole calendar week off sick, back on the Monday of a down week
    "ill_week": Profile(name="illw", goal="10k", start=START, weeks=16, race_result=("10k", 10000, 44 * 60),
                        race_in_weeks=RACE_WEEK, ill=(35, 7), seed=1, long_run_day="sat", rest_days=("fri",),
                        days_per_week=6),
}


@pytest.fixture(scope="module")
def seasons(default_rules) -> dict[str, list[SimDay]]:
    ruleset, evaluator = default_rules
    return {name: simulate_season(p, ruleset, evaluator) for name, p in PROFILES.items()}


def _race_day(name: str) -> dt.date:
    race = PROFILES[name].athlete().race_date
    assert race is not None
    return race


@pytest.mark.parametrize("name", ["5k", "marathon", "ill"])
def test_never_two_hard_days_in_a_row_nor_a_hard_day_after_a_maximal_one(seasons, name):
    days = seasons[name]
    for before, after in zip(days, days[1:]):
        assert not (before.hard and after.hard), f"{before.date} and {after.date} are both hard"
        maximal = before.done is not None and (before.kind in ("race", "time_trial") or (before.done.rpe or 0) >= 9)
        assert not (maximal and after.hard), f"hard day {after.date} after a maximal one"


@pytest.mark.parametrize("name", ["5k", "marathon", "ill"])
def test_the_race_is_proposed_on_race_day_with_a_pacing_plan_and_recovery_after(seasons, name):
    race = _race_day(name)
    [day] = [d for d in seasons[name] if d.date == race]
    assert day.kind == "race"
    reason = next(a.reason for a in day.proposal.adaptations if a.rule == "race-day")
    assert "Pacing plan: target" in reason and "finish" in reason
    after = [d for d in seasons[name] if 0 < (d.date - race).days <= 5]
    assert after and not any(d.hard for d in after)
    assert after[0].kind == "rest"
    eve = [d for d in seasons[name] if 0 < (race - d.date).days <= 2]
    assert eve and not any(d.hard for d in eve)


@pytest.mark.parametrize("name", ["5k", "marathon"])
def test_long_runs_most_weeks_and_growing(seasons, name):
    race = _race_day(name)
    before = [w for w in weeks_of(seasons[name]) if w.monday + dt.timedelta(days=6) < race]
    with_long = [w for w in before if w.long_run > 0]
    assert len(with_long) >= 0.8 * len(before)
    peak = max(w.long_run for w in before)
    assert peak >= 1.3 * with_long[0].long_run
    target = {"5k": (75, 95), "marathon": (150, 185)}[name]
    assert target[0] <= peak <= target[1], f"peak long run {peak:.0f} min"
    # down weeks: a long run shorter than the week before, then growth again
    drops = [b for a, b in zip(with_long, with_long[1:]) if b.long_run < 0.9 * a.long_run]
    assert drops, "no down week in the long runs"


@pytest.mark.parametrize("name", ["5k", "marathon"])
def test_volume_progresses_with_down_weeks_then_tapers(seasons, name):
    weeks = weeks_of(seasons[name])
    race = _race_day(name)
    build = [w for w in weeks if w.phase in ("build", "peak")]
    up = [w for w in build if not w.down]
    down = [w for w in build if w.down]
    assert down, "a down week every 3-4 weeks"
    assert up[-1].volume > 1.15 * up[0].volume, "volume grows through build and peak"
    for w in down:
        before = [u for u in weeks if u.monday < w.monday][-1]
        assert w.volume < before.volume
    peak = max(w.volume for w in weeks if w.phase == "peak")
    race_week = [w for w in weeks if w.monday <= race <= w.monday + dt.timedelta(days=6)][0]
    before_race = sum(d.minutes for d in race_week.days if d.date < race)
    assert before_race < 0.7 * peak, "race week cut by a third or more"
    # the week-to-week growth stays sensible outside the weeks after a down week
    # (nor after a time-trial week: the trial is logged as the effort alone, as a race is, so
    # that week reads lighter than it was run)
    for a, b in zip(weeks, weeks[1:]):
        trial = any(d.kind == "time_trial" for d in a.days)
        if not a.down and not trial and a.phase in ("build", "peak") and b.phase in ("build", "peak"):
            assert b.volume <= 1.25 * a.volume, f"{b.monday}: {a.volume:.0f} -> {b.volume:.0f} min"


@pytest.mark.parametrize("name", ["5k", "marathon"])
def test_hard_sessions_are_kept_at_intended_intensity_in_build(seasons, name):
    build = [w for w in weeks_of(seasons[name]) if w.phase in ("build", "peak")]
    per_week = sum(w.hard_intended for w in build) / len(build)
    assert per_week >= 1.5, [(w.monday.isoformat(), w.hard_intended) for w in build]


def test_key_sessions_grow_through_the_build(seasons):
    days = seasons["5k"]
    intervals = [d for d in days if d.kind == "intervals" and d.proposal.facts.get("season.phase") in ("build", "peak")]

    def reps(d: SimDay) -> int:
        return sum(b.repeat for b in d.proposal.session.blocks if b.phase.value == "main")
    assert max(reps(d) for d in intervals[1:]) > reps(intervals[0])


def test_the_illness_gap_is_followed_by_the_season_and_the_race(seasons):
    days = seasons["ill"]
    ill = [d for d in days if d.ill]
    assert len(ill) == 7 and all(d.done is None for d in ill)
    weeks = weeks_of(days)
    assert any(w.long_run > 0 for w in weeks if w.monday > ill[-1].date)


def test_the_season_prints_week_by_week_in_80_columns(seasons):
    lines = week_rows(seasons["marathon"])
    assert all(len(line) <= 80 for line in lines)
    assert any("RACE" in line for line in lines)
    assert sum(1 for line in lines if line[:4].isdigit()) == 16


def test_a_season_simulates_in_seconds(default_rules):
    import time

    ruleset, evaluator = default_rules
    began = time.perf_counter()
    simulate_season(PROFILES["5k"], ruleset, evaluator)
    assert time.perf_counter() - began < 10


# --- what a coach objected to at the last release ------------------------------------------------


@pytest.mark.parametrize("name", ["ill", "ill_week"])
def test_quality_comes_back_in_the_second_week_after_an_illness(seasons, name):
    """A week off sick is not a load spike to be punished for four weeks: the absence rules
    ramp the return, and quality is back by the second week (>= 1.5 a week from the third)."""
    days = seasons[name]
    back = max(d.date for d in days if d.ill) + dt.timedelta(days=1)
    race = _race_day(name)
    weeks = [w for w in weeks_of(days) if w.monday + dt.timedelta(days=6) >= back
             and w.monday + dt.timedelta(days=6) < race - dt.timedelta(days=7)]
    rows = [(w.monday.isoformat(), w.hard_intended) for w in weeks]
    assert weeks[1].hard_intended >= 1, rows
    later = weeks[2:]
    assert sum(w.hard_intended for w in later) / len(later) >= 1.5, rows
    spikes = [d.date for d in days if d.date >= back
              and any(a.rule.startswith("fatigue-load-spike") for a in d.proposal.adaptations)]
    assert len(spikes) <= 1, spikes


@pytest.mark.parametrize("name", ["5k", "marathon", "ill"])
def test_the_first_planned_week_is_not_a_down_week(seasons, name):
    first = weeks_of(seasons[name])[0]
    assert not first.down, f"{name} opens on a down week"
    assert first.days[0].proposal.facts.get("season.down_week") is False


def test_base_long_runs_grow(seasons):
    """The base-phase long run grows from week to week (down weeks aside), not flat until
    the build."""
    base = [w for w in weeks_of(seasons["5k"]) if w.phase == "base" and not w.down and w.long_run > 0]
    assert len(base) >= 3
    assert base[-1].long_run >= 1.1 * base[0].long_run, [round(w.long_run) for w in base]
    for a, b in zip(base, base[1:]):
        assert b.long_run >= a.long_run - 3, [round(w.long_run) for w in base]


@pytest.fixture(scope="module")
def rolling(default_rules) -> dict[str, list[SimDay]]:
    ruleset, evaluator = default_rules
    return {goal: simulate_season(Profile(name=f"roll-{goal}", goal=goal, start=START, weeks=12,
                                          race_result=("10k", 10000, 44 * 60), seed=3), ruleset, evaluator)
            for goal in ("10k", "marathon")}


@pytest.mark.parametrize("goal", ["10k", "marathon"])
def test_rolling_blocks_grow_block_to_block(rolling, goal):
    weeks = weeks_of(rolling[goal])
    assert all(w.phase == "rolling" for w in weeks)
    blocks = [weeks[i:i + 4] for i in range(0, 12, 4)]
    tops = [max(w.long_run for w in b) for b in blocks]
    volumes = [max(w.volume for w in b) for b in blocks]
    assert tops[1] > tops[0] and tops[2] >= tops[1], tops
    assert volumes[2] > volumes[0], volumes
    assert all(b[3].down and not any(w.down for w in b[:3]) for b in blocks)


def test_marathon_interval_days_fit_their_budget(seasons, default_rules):
    """A marathon interval day's session (warm-up, reps, recoveries, cool-down) fits the
    time a hard day may take (season.yml `hard_session_max`), give or take a whole rep."""
    ruleset, _ = default_rules
    budget = ruleset.season.goals["marathon"].hard_session_max
    intervals = [d for d in seasons["marathon"] if d.kind == "intervals" and d.done is not None]
    assert intervals
    long_ones = [(d.date.isoformat(), round(d.proposal.session.total_duration_s / 60))
                 for d in intervals if d.proposal.session.total_duration_s / 60 > 1.1 * budget]
    assert not long_ones, long_ones


@pytest.mark.parametrize("name", ["5k", "marathon"])
def test_following_the_plan_is_not_a_load_spike(seasons, name):
    """An athlete who does what the season proposes, with no absence and no sign of fatigue,
    keeps the plan's key sessions: its own steps (a second key session in build, the week
    after a down week) are not a spike. At most one swap in a season (the first step from the
    athlete's own training onto the plan may be one)."""
    swaps = [(d.date.isoformat(), d.proposal.facts.get("load.acwr"), d.proposal.facts.get("load.acwr_over_plan"))
             for d in seasons[name] if any(a.rule.startswith("fatigue-load-spike") for a in d.proposal.adaptations)]
    assert len(swaps) <= 1, swaps


def _fired(default_rules, **facts) -> list[str]:
    _, evaluator = default_rules
    base = {"plan.intensity": "hard", "history.days": 40, "absence.days": 0, "season.calendar": True}
    return [f.rule for f in evaluator.evaluate("spike-probe", {**base, **facts})]


def test_on_a_season_a_rise_beyond_the_plan_is_still_caught(default_rules):
    # beyond what the plan raised: the fast day becomes a steady run
    assert "fatigue-load-spike-season" in _fired(default_rules, **{"load.acwr": 1.45, "load.acwr_over_plan": 1.35})
    # a rise well into the danger zone, planned or not
    assert "fatigue-load-spike-season" in _fired(default_rules, **{"load.acwr": 1.6, "load.acwr_over_plan": 1.1})
    # the plan's own step, a little more: the hard blocks are cut, the session kept
    fired = _fired(default_rules, **{"load.acwr": 1.35, "load.acwr_over_plan": 1.2})
    assert not any(r.startswith("fatigue-load-spike") for r in fired) and "restoration-above-plan" in fired
    # without a calendar season the 1.3 line stands
    assert "fatigue-load-spike" in _fired(default_rules, **{"load.acwr": 1.35, "season.calendar": False})
