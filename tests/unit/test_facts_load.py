"""The load facts read every workout's load (engine/load_methods.py) and add fitness, fatigue
and form (issue 13)."""

from __future__ import annotations

import datetime as dt

from test_facts import SETTINGS

from coach.engine.facts import compute_facts
from coach.engine.model import Athlete, Kind, Physiology, Sport, Workout

DAY = dt.date(2026, 11, 19)
ATHLETE = Athlete(name="A", rest_days=[], physiology=Physiology(hr_max=190, hr_rest=50, threshold_hr=171))


def daily(n_days, **kw):
    return [Workout(date=DAY - dt.timedelta(days=n), sport=Sport.run, kind=Kind.easy, duration_s=3600, **kw)
            for n in range(n_days, 0, -1)]


def test_a_steady_athlete_has_their_steady_fitness_and_no_form_change():
    facts = compute_facts(ATHLETE, daily(56, rpe=5), DAY, SETTINGS)
    assert (facts["load.ctl"], facts["load.atl"], facts["load.tsb"], facts["load.ramp"]) == (300.0, 300.0, 0.0, 0.0)
    assert (facts["load.method"], facts["load.method_share_pct"]) == ("rpe", 100.0)


def test_a_new_block_raises_fatigue_above_fitness():
    history = daily(56, rpe=3)[:-10] + [w.model_copy(update={"rpe": 7}) for w in daily(10)]
    facts = compute_facts(ATHLETE, history, DAY, SETTINGS)
    assert facts["load.atl"] > facts["load.ctl"] and facts["load.tsb"] < 0 and facts["load.ramp"] > 0


def test_mixed_sources_name_the_main_one_and_count_sessions_without_load():
    history = daily(28, avg_hr=150)[:-3] + daily(3, rpe=4) + [
        Workout(date=DAY - dt.timedelta(days=2), sport=Sport.cross, duration_s=1800)]
    facts = compute_facts(ATHLETE, history, DAY, SETTINGS)
    assert facts["load.method"] == "hr" and 50 < facts["load.method_share_pct"] < 100
    assert facts["load.unknown_28d"] == 1
    assert facts["yesterday.load"] == 240.0  # RPE 4 x 60 min: the RPE wins over the heart rate


def test_heart_rate_load_makes_heavy_days_and_week_load():
    history = daily(10, avg_hr=171)  # ten hours at threshold: 400 AU each
    facts = compute_facts(ATHLETE, history, DAY, SETTINGS)
    assert facts["yesterday.load"] == 400.0
    assert facts["week.load"] == 400.0 * 3  # Monday to Wednesday
    assert facts["load.acute"] == 2800.0


def test_without_a_load_section_only_rpe_counts():
    plain = {k: v for k, v in SETTINGS.items() if k != "load"}
    facts = compute_facts(ATHLETE, daily(10, avg_hr=171), DAY, plain)
    assert facts["load.acute"] == 0.0 and "load.method" not in facts and "load.ctl" not in facts


def test_trends_read_the_same_loads_and_form_as_the_facts():
    """A watch-only log: the weekly load of `coach trends` comes from heart rate, with CTL/ATL/TSB,
    and each week's figures are the facts of the next day."""
    from test_trends import CONFIG

    from coach.engine.trends import compute_trends

    history = daily(40, avg_hr=150)
    trends = compute_trends(ATHLETE, history, [], DAY - dt.timedelta(days=1), 3, SETTINGS, CONFIG)
    for week in trends.weeks:
        facts = compute_facts(ATHLETE, history, week.end + dt.timedelta(days=1), SETTINGS)
        assert week.load == facts["load.acute"] > 0 and week.unrated == 0
        assert (week.ctl, week.atl, week.tsb, week.ramp) == (facts["load.ctl"], facts["load.atl"], facts["load.tsb"],
                                                             facts["load.ramp"])


def test_pace_load_reads_the_rule_sets_pace_windows():
    """The threshold pace of a pace-based load comes from the same race window as the paces."""
    from coach.engine.model import RaceResult

    raced = Athlete(name="R", rest_days=[], recent_races=[
        RaceResult(label="5k", distance_m=5000, time_s=1230, date=DAY - dt.timedelta(days=100))])
    runs = daily(10, distance_m=10000)  # no RPE, no heart rate: only pace can give a load
    wide = {**SETTINGS, "paces": {"race_window_days": 180, "estimate_window_days": 42, "estimate_min_minutes": 20}}
    narrow = {**wide, "paces": {**wide["paces"], "race_window_days": 90, "estimate_min_minutes": 999}}
    assert compute_facts(raced, runs, DAY, wide)["load.method"] == "pace"
    facts = compute_facts(raced, runs, DAY, narrow)
    assert "load.method" not in facts and facts["load.unknown_28d"] == 10
