"""Issue 14: the triathlete's week and season (engine/triathlon.py, season.yml `triathlon:`).

The week is built on the athlete's own swim and bike days (else the default
`triathlon_week`'s), by phase: a long ride, a long run, a brick in build and peak only, the
key run never the day after a brick or a hard ride (P13), never two hard days in a row for
the placed sessions (P10), and the phase's hard kinds as a cap per sport. Its size (minutes,
long ride, long run) grows through the season and drops in the taper.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from coach.engine import triathlon as T
from coach.engine.model import Athlete
from coach.engine.season import position
from coach.service.rulesets import read_rule_set

RULES = read_rule_set(None)
SEASON, WEEK = RULES.season, RULES.templates.triathlon_week
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
START = dt.date(2026, 12, 7)                    # a Monday
RACE = START + dt.timedelta(weeks=11, days=6)   # the Sunday of week 12
HARD = {"tempo", "intervals", "repetitions"}


def athlete(**kw) -> Athlete:
    kw.setdefault("rest_days", [])
    return Athlete(name="Tri", sport="triathlon", goal=kw.pop("goal", "olympic"), **kw)


def week(a: Athlete, monday: dt.date) -> list[tuple[str, str]]:
    return list(T.week_plan(SEASON, a, monday, WEEK).values())


def season_athlete(**kw) -> Athlete:
    return athlete(race_date=RACE, season_start=START, **kw)


def mondays():
    return [START + dt.timedelta(weeks=n) for n in range(12)]


def test_the_default_days_give_the_default_week_in_a_build_week():
    a = season_athlete()
    monday = next(m for m in mondays() if position(SEASON, a, m).phase == "build"
                  and not position(SEASON, a, m).down_week)
    assert week(a, monday) == [("swim", "intervals"), ("bike", "easy"), ("run", "intervals"), ("swim", "easy"),
                               ("run", "long"), ("brick", "tempo"), ("bike", "long")]


def test_the_athletes_own_days_decide_each_days_sport():
    a = season_athlete(swim_days=["tue", "fri"], bike_days=["wed", "sat", "sun"], long_ride_day="sat",
                       rest_days=["mon"])
    for monday in mondays()[:-1]:
        for n, (sport, kind) in enumerate(week(a, monday)):
            day = DAYS[n]
            if day == "mon":
                assert sport == "rest"
            elif day in ("tue", "fri"):
                assert sport == "swim", (monday, day)
            elif day in ("wed", "sat", "sun"):
                assert sport in ("bike", "brick"), (monday, day)
            else:
                assert sport == "run", (monday, day)
        phase = position(SEASON, a, monday).phase
        if phase in ("base", "build", "peak"):
            assert week(a, monday)[5] == ("bike", "long"), monday  # the long ride on its day


def test_a_default_long_ride_on_a_rest_day_moves_to_the_last_open_bike_day():
    days = T.athlete_days(athlete(rest_days=["sun"]), WEEK)
    assert days.long_ride == DAYS.index("sat") and DAYS.index("sun") in days.bike


def test_own_days_win_over_the_default_days_of_the_other_sport():
    days = T.athlete_days(athlete(swim_days=["tue", "sat"]), WEEK)  # tue and sat are default bike days
    assert days.swim == {1, 5} and not days.bike & {1, 5}
    days = T.athlete_days(athlete(swim_days=["mon", "sun"]), WEEK)  # sun: the default long ride
    assert days.swim == {0, 6} and days.long_ride == DAYS.index("sat") and days.bike == {1, 5}


def _all_layouts():
    """Every week of two swim days, three bike days (one the long ride) and up to one rest day."""
    for rest in [(), ("mon",), ("fri",)]:
        open_days = [d for d in range(7) if DAYS[d] not in rest]
        for swim in itertools.combinations(open_days, 2):
            for bike in itertools.combinations([d for d in open_days if d not in swim], 3):
                if len(open_days) - 5 < 1:
                    continue
                for ride in bike:
                    yield athlete(rest_days=list(rest), swim_days=[DAYS[d] for d in swim],
                                  bike_days=[DAYS[d] for d in bike], long_ride_day=DAYS[ride])


@pytest.mark.parametrize("phase", ["base", "build", "peak", "rolling"])
def test_the_key_run_is_never_the_day_after_a_brick_or_a_hard_ride_whatever_the_days(phase):
    t = SEASON.triathlon
    checked = 0
    for a in _all_layouts():
        days = T.athlete_days(a, WEEK)
        training = [d for d in range(7) if DAYS[d] not in [r.value for r in a.rest_days]]
        plan = T.layout(t, t.weeks[phase], days, training, down=False)
        bikes = [d for d, (s, k) in plan.items() if s == "brick" or (s == "bike" and k in HARD)]
        for d, (sport, kind) in plan.items():
            if sport == "run" and kind in HARD:
                checked += 1
                assert all((d - b) % 7 >= t.placement.key_run_after_hard_bike for b in bikes), (a, plan)
            if sport == "bike" and kind in HARD:  # a placed hard ride has no hard neighbour
                assert plan[(d - 1) % 7][1] not in HARD and plan[(d + 1) % 7][1] not in HARD, (a, plan)
        # the phase's kinds are a cap per sport
        assert sum(1 for s, k in plan.values() if s == "run" and k in HARD) <= len(t.weeks[phase].run)
        assert sum(1 for s, k in plan.values() if s == "bike" and k in HARD) <= len(t.weeks[phase].bike)
        assert sum(1 for s, _ in plan.values() if s == "brick") <= (1 if t.weeks[phase].brick else 0)
        assert sum(1 for s, k in plan.values() if s == "swim" and k in HARD) <= len(t.weeks[phase].swim)
    assert checked > 100  # the property was tested on many weeks with a key run


def test_a_brick_only_in_build_and_peak_and_the_race_and_recovery_at_the_end():
    a = season_athlete()
    for monday in mondays():
        plan = week(a, monday)
        phase = position(SEASON, a, monday).phase
        has_brick = any(s == "brick" for s, _ in plan)
        assert has_brick == (phase in ("build", "peak")), (monday, phase, plan)
    race_week = week(a, RACE)
    assert race_week[-1] == ("run", "race")
    assert all(k not in HARD for _, k in race_week[-1 - SEASON.race.no_hard_days:-1])  # fresh for the race
    after = week(a, RACE + dt.timedelta(days=1))
    assert after[0] == ("rest", "rest") and all(k in ("easy", "rest") for _, k in after)


def test_the_weeks_size_grows_to_the_peak_then_the_taper_cuts_it():
    a = season_athlete()
    sizes = [(position(SEASON, a, m), T.size(SEASON, a, m)) for m in mondays()]
    up = [(w, s) for w, s in sizes if w.phase in ("base", "build", "peak") and not w.down_week]
    assert [s.minutes for _, s in up] == sorted(s.minutes for _, s in up)
    assert [s.long_ride for _, s in up] == sorted(s.long_ride for _, s in up)
    assert up[0][1].long_ride < up[-1][1].long_ride == SEASON.triathlon.goals["olympic"].long_ride_peak
    assert up[-1][1].minutes == SEASON.triathlon.goals["olympic"].hours_peak * 60
    down = [s for w, s in sizes if w.down_week]
    assert down and all(s.minutes < up[-1][1].minutes for s in down)
    taper = [s for w, s in sizes if w.phase in ("taper", "race")]
    assert taper and all(s.minutes < up[-1][1].minutes and s.long_ride < up[-1][1].long_ride for s in taper)
    after = T.size(SEASON, a, RACE + dt.timedelta(days=2))
    assert after.minutes < up[-1][1].minutes and after.long_ride == 0


def test_goals_differ_in_size():
    peak = {g: T.size(SEASON, season_athlete(goal=g), RACE - dt.timedelta(weeks=5, days=6)).minutes
            for g in ("sprint", "olympic", "70.3", "ironman")}
    assert peak["sprint"] < peak["olympic"] < peak["70.3"] < peak["ironman"]


def test_season_facts_say_the_week_and_the_long_ride():
    a = season_athlete()
    sunday = RACE - dt.timedelta(weeks=3)
    facts = T.season_facts(SEASON, a, sunday, WEEK)
    assert facts["season.calendar"] is True and facts["season.phase"] in ("build", "peak")
    assert facts["season.long_ride_min"] == T.size(SEASON, a, sunday).long_ride > 0
    assert SEASON.triathlon.easy_min <= facts["season.easy_run_min"] <= SEASON.triathlon.easy_max


def test_a_broken_triathlon_section_is_reported_at_its_line():
    from coach.engine.rules.source import SourceFile
    from coach.engine.season import parse_season

    text = (RULES.directory / "season.yml").read_text()
    broken = text.replace("    key_run_after_brick: 2", "    key_run_after_brick: 9")
    assert broken != text
    _, problems = parse_season(SourceFile("season.yml", broken))
    line = broken.splitlines().index("    key_run_after_brick: 9") + 1
    assert [(p.line, "key_run_after_brick" in p.message) for p in problems] == [(line, True)]
