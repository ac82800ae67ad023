"""Issue 14: twelve simulated weeks of an olympic-distance triathlete following the proposals.

Every week has swims, rides, runs, a long ride and a brick; run speed work happens every
week, never the day after a brick and never on or the day after a hard bike (P13).
"""

from __future__ import annotations

import datetime as dt

from coach.engine.model import Athlete
from coach.engine.plan import session_to_workout
from coach.service.plan import simulate

START = dt.date(2026, 12, 7)  # a Monday
WEEKS = 12


def _season(default_rules):
    ruleset, evaluator = default_rules
    athlete = Athlete(name="Tri", sport="triathlon", goal="olympic", rest_days=[],
                      physiology={"ftp_w": 240, "css_s_per_100m": 110}, recent_races=[{"label": "10k", "distance_m": 10000, "time_s": 2580}])
    history, proposals = [], []
    for chunk in range(WEEKS // 4):
        days = simulate(athlete, history, START + dt.timedelta(days=28 * chunk), 28, ruleset, evaluator)
        for p in days:
            s = p.session
            done = session_to_workout(s, p.date, ruleset.templates.expected_rpe_for("olympic", s.kind.value,
                                                                                   s.intensity.value))
            if done is not None:
                history.append(done)
        proposals += days
    return proposals


def test_twelve_weeks_have_every_sport_and_run_speed_work_placed_around_bricks(default_rules):
    proposals = _season(default_rules)
    assert len(proposals) == 7 * WEEKS
    by_day = {p.date: p.session for p in proposals}
    for week in range(WEEKS):
        days = [START + dt.timedelta(days=7 * week + n) for n in range(7)]
        sessions = [by_day[d] for d in days]
        sports = {s.sport.value for s in sessions}
        assert {"swim", "bike", "run", "brick"} <= sports, (days[0], sports)
        assert any(s.sport == "bike" and s.kind == "long" for s in sessions), days[0]
        speed = [d for d in days if by_day[d].sport == "run" and by_day[d].intensity == "hard"]
        assert speed, f"no run speed work in the week of {days[0]}"
    for p in proposals:  # the running-base rules (P15) judge run days only
        if p.session.sport != "run":
            assert not {"base-thin-simplify", "base-few-runs-simplify"} & {a.rule for a in p.adaptations}, p.date
    for day, s in by_day.items():
        if s.sport == "run" and s.intensity == "hard":
            before = by_day.get(day - dt.timedelta(days=1))
            assert before is None or before.sport != "brick", day
            assert before is None or not (before.sport == "bike" and before.intensity == "hard"), day
