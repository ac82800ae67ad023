"""Issue 14: twelve simulated weeks of an olympic-distance triathlete following the proposals.

Every week has swims, rides, runs and a long ride, and in the build and peak phases a brick;
run speed work happens every week, never the day after a brick and never on or the day after
a hard bike (P13). The weekly hours follow the phases (growing through build and peak, cut by
down weeks and the taper), the race comes on race day, and an athlete's own swim and bike
days are the days they swim and ride.
"""

from __future__ import annotations

import datetime as dt

import pytest

from coach.engine.model import Athlete
from coach.engine.plan import session_to_workout
from coach.service.plan import simulate

START = dt.date(2026, 12, 7)  # a Monday
WEEKS = 12
RACE = START + dt.timedelta(weeks=WEEKS - 1, days=6)  # the Sunday of the twelfth week


def _season(default_rules, weeks=WEEKS, **kw):
    ruleset, evaluator = default_rules
    kw.setdefault("rest_days", [])
    athlete = Athlete(name="Tri", sport="triathlon", goal="olympic",
                      physiology={"ftp_w": 240, "css_s_per_100m": 110},
                      recent_races=[{"label": "10k", "distance_m": 10000, "time_s": 2580}], **kw)
    history, proposals = [], []
    for chunk in range(weeks // 4):
        days = simulate(athlete, history, START + dt.timedelta(days=28 * chunk), 28, ruleset, evaluator)
        for p in days:
            s = p.session
            done = session_to_workout(s, p.date, ruleset.templates.expected_rpe_for("olympic", s.kind.value,
                                                                                   s.intensity.value))
            if done is not None:
                history.append(done)
        proposals += days
    return proposals


def _weeks(proposals):
    by_day = {p.date: p for p in proposals}
    out = []
    for week in range(len(proposals) // 7):
        out.append([by_day[START + dt.timedelta(days=7 * week + n)] for n in range(7)])
    return out


def _hard(p, *sports):
    return p.session.sport in sports and p.session.intensity == "hard"


def _p13_and_speed_every_week(proposals):
    by_day = {p.date: p for p in proposals}
    for week in _weeks(proposals):
        sessions = [p.session for p in week]
        sports = {s.sport.value for s in sessions}
        assert {"swim", "bike", "run"} <= sports, (week[0].date, sports)
        assert any(_hard(p, "run") for p in week), f"no run speed work in the week of {week[0].date}"
    for day, p in by_day.items():
        if _hard(p, "run") and p.session.kind != "race":
            before = by_day.get(day - dt.timedelta(days=1))
            assert before is None or before.session.sport != "brick", day
            assert before is None or not _hard(before, "bike"), day
    for p in proposals:  # the running-base rules (P15) judge run days only
        if p.session.sport != "run":
            assert not {"base-thin-simplify", "base-few-runs-simplify"} & {a.rule for a in p.adaptations}, p.date


@pytest.fixture(scope="module")
def race_season(default_rules):
    return _season(default_rules, race_date=RACE, season_start=START)


def test_twelve_weeks_without_a_race_have_every_sport_and_run_speed_work_around_bricks(default_rules):
    proposals = _season(default_rules)
    assert len(proposals) == 7 * WEEKS
    _p13_and_speed_every_week(proposals)
    for week in _weeks(proposals):
        assert any(p.session.sport == "bike" and p.session.kind == "long" for p in week), week[0].date
        assert any(p.session.sport == "brick" for p in week), week[0].date  # down weeks too


def test_a_season_to_an_olympic_race_follows_the_phases(race_season):
    proposals = race_season
    _p13_and_speed_every_week(proposals)
    weeks = _weeks(proposals)
    phases = [w[0].facts["season.phase"] for w in weeks]
    assert phases[0] == "base" and "build" in phases and "peak" in phases and phases[-1] in ("taper", "race")
    hours = []
    for week in weeks:
        phase = week[0].facts["season.phase"]
        bricks = [p for p in week if p.session.sport == "brick" and p.session.kind != "race"]
        assert bool(bricks) == (phase in ("build", "peak")), (week[0].date, phase)
        if phase in ("base", "build", "peak"):
            assert any(p.session.sport == "bike" and p.session.kind == "long" for p in week), week[0].date
            assert any(p.session.sport == "run" and p.session.kind == "long" for p in week), week[0].date
        hours.append((week[0].facts, sum(p.session.total_duration_s or 0 for p in week) / 3600))
    # weekly hours: the last peak week is the biggest; down weeks and race week are smaller
    peak = max(h for f, h in hours if f["season.phase"] == "peak")
    first_up = next(h for f, h in hours if not f["season.down_week"])
    assert peak > first_up + 1.0
    assert all(h < peak for f, h in hours if f["season.down_week"] or f["season.phase"] in ("taper", "race"))
    race_day = {p.date: p for p in proposals}[RACE]
    assert race_day.session.kind == "race" and {b.sport for b in race_day.session.blocks} >= {"swim", "bike", "run"}
    pacing = next(a.reason for a in race_day.adaptations if a.rule == "race-day")
    assert "the run leg's pacing plan: target" in pacing  # not a 10K race's target for the whole day
    for n in range(1, 3):  # fresh for the race
        assert race_day.facts["season.phase"] == "race"
        before = {p.date: p for p in proposals}[RACE - dt.timedelta(days=n)]
        assert before.session.intensity != "hard", before.date


def test_the_long_ride_grows_through_the_season(race_season):
    rides = [(p.date, p.session.total_duration_s) for p in race_season
             if p.session.sport == "bike" and p.session.kind == "long" and not p.facts["season.down_week"]]
    assert len(rides) >= 8
    assert rides[-1][1] > rides[0][1] * 1.4, rides


def test_an_athletes_own_swim_and_bike_days_are_respected(default_rules):
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    proposals = _season(default_rules, weeks=8, race_date=RACE, season_start=START, rest_days=["mon"],
                        swim_days=["tue", "fri"], bike_days=["wed", "sat", "sun"], long_ride_day="sat")
    _p13_and_speed_every_week(proposals)
    for p in proposals:
        day, sport = days[p.date.weekday()], p.session.sport.value
        if day == "mon":
            assert p.session.kind == "rest", p.date
        elif day in ("tue", "fri"):
            assert sport == "swim", p.date
        elif day in ("wed", "sat", "sun"):
            assert sport in ("bike", "brick"), p.date
        else:
            assert sport == "run", p.date
        if day == "sat":
            assert p.session.kind == "long", p.date
