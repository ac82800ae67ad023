"""Weeks, not days (issue 12): synthetic athletes follow the proposals and log what was proposed.

In one process through the use-case API (`service.propose.propose_from_history`), fast:

- a beginner with five weeks of three 20-minute jogs a week follows `coach next` for 8 weeks:
  only easy running (with strides) until their aerobic base exists, every rolling week within
  110 % of their 4-week weekly average, and the volume does grow;
- a trained athlete misses 5 days (illness): the first two days back are easy, no hard day
  comes first, the hard days that follow are shortened, and two hard days never follow.
"""

from __future__ import annotations

import datetime as dt

from coach.engine.model import Athlete, Kind, Sport, Workout

START = dt.date(2026, 3, 2)
EASY_PACE_S_PER_KM = 420  # a beginner's jog, 7:00/km


def _did(proposal, day: dt.date) -> Workout | None:
    """The workout an athlete logs after doing the proposal as proposed (None for a rest day)."""
    s = proposal.session
    if s.kind == "rest":
        return None
    rpe = {"hard": 7, "moderate": 5, "easy": 3}[str(s.intensity)]
    km = s.total_duration_s / EASY_PACE_S_PER_KM if s.intensity == "easy" else (s.total_distance_m or 0) / 1000
    return Workout(date=day, sport=Sport.run, kind=Kind(str(s.kind)), duration_s=s.total_duration_s,
                   distance_m=max(km * 1000, 1000), rpe=rpe)


def _follow(athlete, log, first: dt.date, days: int, ruleset, evaluator):
    from coach.service.propose import propose_from_history

    out = []
    for n in range(days):
        day = first + dt.timedelta(days=n)
        p = propose_from_history(athlete, log, day, ruleset, evaluator)
        out.append(p)
        w = _did(p, day)
        if w is not None:
            log.append(w)
    return out


def _minutes(log, start: dt.date, end: dt.date) -> float:
    return sum(w.duration_s / 60 for w in log if w.sport == Sport.run and start <= w.date < end)


def test_a_beginner_ramps_up_on_easy_running_until_the_base_exists(default_rules):
    ruleset, evaluator = default_rules
    athlete = Athlete(name="Bea", recent_races=[], rest_days=[])
    log = [Workout(date=START - dt.timedelta(days=n), sport=Sport.run, kind=Kind.easy, duration_s=20 * 60,
                   distance_m=2900, rpe=3)
           for n in range(35, 0, -1) if n % 7 in (1, 3, 5)]
    proposals = _follow(athlete, log, START, 56, ruleset, evaluator)

    without_base = [p for p in proposals if p.facts["base.week_minutes_28d"] < 120]
    assert without_base, "the beginner starts without an aerobic base"
    assert all(p.session.intensity in ("easy", "rest") for p in without_base)
    assert proposals[0].session.total_duration_s <= 22 * 60
    assert any("strides" in b.description for p in without_base for b in p.session.blocks)
    for p in without_base:
        day = p.date
        week = _minutes(log, day - dt.timedelta(days=6), day + dt.timedelta(days=1))
        average = _minutes(log, day - dt.timedelta(days=28), day) / 4
        assert week <= 1.10 * average + 0.5, f"{day}: {week:.0f} min in 7 days, average {average:.0f}"
    first_week = _minutes(log, START, START + dt.timedelta(days=7))
    last_week = _minutes(log, START + dt.timedelta(days=49), START + dt.timedelta(days=56))
    # the volume grows (slowly: each rolling week within 110 % of an average it is part of)
    assert last_week > first_week * 1.2, (first_week, last_week)
    rests = [p for p in without_base if p.session.kind == "rest" and p.facts["plan.intensity"] != "rest"]
    assert rests and all({a.rule for a in p.adaptations} == {"base-week-ramp"} for p in rests)


def _trained_history(first: dt.date) -> list[Workout]:
    """Six weeks of hard, easy, hard, rest before `first`."""
    out = []
    for n in range(42, 0, -1):
        day, phase = first - dt.timedelta(days=n), n % 4
        if phase == 1:
            continue
        kind, minutes, rpe, km = {0: (Kind.intervals, 45, 7, 9), 3: (Kind.easy, 50, 3, 10),
                                  2: (Kind.tempo, 45, 7, 10)}[phase]
        out.append(Workout(date=day, sport=Sport.run, kind=kind, duration_s=minutes * 60, rpe=rpe,
                           distance_m=km * 1000))
    return out


def test_after_a_five_day_illness_the_first_days_back_are_easy(default_rules):
    ruleset, evaluator = default_rules
    athlete = Athlete(name="Ivo", recent_races=[{"label": "5k", "distance_m": 5000, "time_s": 1230}],
                      rest_days=[])
    log = _trained_history(START)
    before = _follow(athlete, log, START, 14, ruleset, evaluator)
    ill_from = START + dt.timedelta(days=14)
    back = ill_from + dt.timedelta(days=5)  # five days with nothing logged
    after = _follow(athlete, log, back, 21, ruleset, evaluator)

    assert sum(p.session.intensity == "hard" for p in before) >= 4, "a healthy athlete trains hard"
    assert after[0].facts["absence.days"] == 5
    assert all(p.session.intensity != "hard" for p in after[:2])
    assert "absence-easy-return" in {a.rule for p in after[:2] for a in p.adaptations}
    hard = [p for p in after if p.session.intensity == "hard"]
    assert hard, "the plan resumes"
    assert "absence-ramp-short" in {a.rule for a in hard[0].adaptations}
    for a, b in zip(after, after[1:]):
        assert not (a.session.intensity == "hard" and b.session.intensity == "hard"), b.date
