"""The triathlete's week and season: which sport and kind each day, and the week's size.

Pure functions of the rule set's season.yml `triathlon:` section (`TriathlonSeason`), the
session templates' `triathlon_week` (the default days), the athlete and a date: no clock, no
I/O. The phases are the runner's (engine/season.py `position`, counted back from the race
with the lengths of the closest running distance); what a triathlete's week holds in each
phase, and how big it is, is data in season.yml.

- `athlete_days(athlete, default_week)`: the athlete's swim days, bike days, long-ride day
  and long-run day (their own, else those of the default `triathlon_week`).
- `week_plan(...)`: (sport, kind) for each day of the calendar week holding a date. The long
  ride goes on its day; the brick (build and peak) on the bike day nearest before it; the
  key runs on run days at least `placement.key_run_after_brick` days after a brick and
  `key_run_after_hard_bike` after a hard bike (P13), after a light day first (P10); the long
  run on the athlete's long-run day (else the latest free run day); hard rides where they are
  neither the day before a key run nor next to another hard day; hard swims on the swim days
  left that are not next to a hard day. A hard session that finds no such day stays easy:
  the phase's kinds are a cap per sport, never a quota to force in.
- `season_facts(...)`: the `season.*` facts of a triathlete (phase, weekly minutes, long ride,
  long run, an easy day's length).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from coach.engine.model import Athlete, Weekday

TRI_GOALS = ("sprint", "olympic", "70.3", "ironman")
_DAYS = tuple(d.value for d in Weekday)
_HardKind = Literal["tempo", "intervals", "repetitions"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TriPlacement(_Model):
    key_run_after_brick: int = Field(ge=1, le=4)
    key_run_after_hard_bike: int = Field(ge=1, le=4)


class TriGoal(_Model):
    hours_start: float = Field(gt=0, le=40)
    hours_peak: float = Field(gt=0, le=40)
    long_ride_start: float = Field(gt=0, le=480)
    long_ride_peak: float = Field(gt=0, le=480)
    long_run_start: float = Field(gt=0, le=300)
    long_run_peak: float = Field(gt=0, le=300)

    @model_validator(mode="after")
    def _grows(self) -> "TriGoal":
        if (self.hours_start > self.hours_peak or self.long_ride_start > self.long_ride_peak
                or self.long_run_start > self.long_run_peak):
            raise ValueError("a start value must not be above its peak")
        return self


class TriWeek(_Model):
    swim: tuple[_HardKind, ...] = ()
    bike: tuple[_HardKind, ...] = ()
    run: tuple[_HardKind, ...] = ()
    brick: _HardKind | None = None
    long_ride: bool
    long_run: bool
    down_week_keeps: tuple[Literal["swim", "bike", "run", "brick"], ...] = ()


class TriathlonSeason(_Model):
    """season.yml `triathlon:`: what a triathlete's week holds by phase, and its size by goal."""

    placement: TriPlacement
    goals: dict[Literal["sprint", "olympic", "70.3", "ironman"], TriGoal]
    hard_session: float = Field(gt=0, le=240)
    easy_min: float = Field(gt=0, le=240)
    easy_max: float = Field(gt=0, le=300)
    weeks: dict[Literal["base", "build", "peak", "taper", "race", "recovery", "rolling"], TriWeek]

    @model_validator(mode="after")
    def _complete(self) -> "TriathlonSeason":
        missing = [g for g in TRI_GOALS if g not in self.goals]
        if missing:
            raise ValueError(f"goals: missing goals: {', '.join(missing)}")
        missing = [p for p in ("base", "build", "peak", "taper", "race", "recovery", "rolling") if p not in self.weeks]
        if missing:
            raise ValueError(f"weeks: missing phases: {', '.join(missing)}")
        if self.easy_min > self.easy_max:
            raise ValueError("easy_min must not be above easy_max")
        return self


# --- the athlete's days ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Days:
    """Weekday numbers (0 = Monday) of each sport; a training day in none of them is a run day."""

    swim: frozenset[int]
    bike: frozenset[int]
    long_ride: int | None
    long_run: int | None


def _n(day: Any) -> int:
    return _DAYS.index(str(getattr(day, "value", day)))


def athlete_days(athlete: Athlete, default_week: Mapping[str, tuple[str, str]] | None) -> Days:
    """The athlete's swim and bike days and long-ride day, each their own when set, else the
    default `triathlon_week`'s (swim days: its swims; bike days: its rides and bricks; long ride:
    its long ride, or the last bike day that is not a rest day). The athlete's own days win
    over a default day of the other sport. The long-run day is the athlete's, else the default
    week's long run."""
    week = {d: tuple(v) for d, v in (default_week or {}).items()}
    rest = {_n(d) for d in athlete.rest_days}
    own_swim, own_bike = athlete.swim_days is not None, athlete.bike_days is not None
    swim = ({_n(d) for d in athlete.swim_days} if own_swim
            else {_n(d) for d, (sport, _) in week.items() if sport == "swim"})
    bike = ({_n(d) for d in athlete.bike_days} if own_bike
            else {_n(d) for d, (sport, _) in week.items() if sport in ("bike", "brick")})
    long_ride: int | None
    if athlete.long_ride_day is not None:
        long_ride = _n(athlete.long_ride_day)
        bike.add(long_ride)
        swim.discard(long_ride)
    if own_swim and not own_bike:
        bike -= swim
    else:
        swim -= bike
    if athlete.long_ride_day is None:
        rides = [_n(d) for d, (sport, kind) in week.items() if sport == "bike" and kind == "long"]
        long_ride = rides[0] if rides and rides[0] in bike and rides[0] not in rest else None
        if long_ride is None:
            open_days = sorted(bike - rest)
            long_ride = open_days[-1] if open_days else None
    if athlete.long_run_day is not None:
        long_run: int | None = _n(athlete.long_run_day)
    else:
        runs = [_n(d) for d, (sport, kind) in week.items() if sport == "run" and kind == "long"]
        long_run = runs[0] if runs else None
    return Days(frozenset(swim), frozenset(bike), long_ride, long_run)


# --- the week ---------------------------------------------------------------------------------------


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _after(day: int, marks: Sequence[int]) -> int:
    """Days from the latest mark before `day`, the week repeating (a Saturday brick is two days
    before the next Monday); 7 when there is none."""
    return min(((day - m) % 7 or 7 for m in marks), default=7)


def layout(t: TriathlonSeason, week: TriWeek, days: Days, training: Sequence[int],
           down: bool) -> dict[int, tuple[str, str]]:
    """(sport, kind) of each weekday (0 = Monday) for one week template (see the module docstring).

    :param t: the triathlon settings (placement gaps)
    :param week: the phase's week template
    :param days: the athlete's days
    :param training: the weekdays that are not rest days
    :param down: a down week keeps only the hard sessions of `week.down_week_keeps`
    """
    keep = set(week.down_week_keeps) if down else {"swim", "bike", "run", "brick"}
    plan: dict[int, tuple[str, str]] = {i: ("rest", "rest") for i in range(7)}
    for i in training:
        plan[i] = ("swim" if i in days.swim else "bike" if i in days.bike else "run", "easy")
    hard: set[int] = set()

    def free(sport: str) -> list[int]:
        return [i for i in training if plan[i] == (sport, "easy")]

    def quiet(i: int) -> bool:  # neither neighbour is a hard day (P10: no two hard days in a row)
        return (i - 1) % 7 not in hard and (i + 1) % 7 not in hard

    def far(i: int, bricks: Sequence[int]) -> bool:
        return _after(i, bricks) >= t.placement.key_run_after_brick

    if week.long_ride and days.long_ride in training and days.long_ride in days.bike:
        plan[days.long_ride] = ("bike", "long")
    bricks: list[int] = []
    if week.brick and "brick" in keep:
        # the bike day nearest before the long ride (a Saturday brick, a Sunday long ride) that
        # leaves a run day far enough after it for the key run
        anchor = days.long_ride if days.long_ride is not None else 6
        rides = sorted(free("bike"), key=lambda i: ((anchor - i) % 7 or 7, i))
        fits = [b for b in rides if not week.run or any(far(i, [b]) for i in free("run"))]
        if fits or rides:
            b = (fits or rides)[0]
            plan[b] = ("brick", week.brick)
            hard.add(b)
            bricks.append(b)
    key_runs: list[int] = []
    for kind in week.run if "run" in keep else ():
        runs = free("run")
        if not runs:
            break
        # the long-run day only when no other run day is far enough from the brick
        ok = [i for i in runs if far(i, bricks) and i != days.long_run] or [i for i in runs if far(i, bricks)]
        runs = [i for i in runs if i != days.long_run] or runs
        # the best day: far enough from a brick, no hard neighbour, after a rest or light day
        best = min(ok or runs, key=lambda i: (not quiet(i), (i - 1) % 7 in hard, i))
        plan[best] = ("run", kind)
        hard.add(best)
        key_runs.append(best)
    if week.long_run:
        runs = free("run")
        if runs:
            lr = days.long_run if days.long_run in runs else max(runs)
            plan[lr] = ("run", "long")
    for kind in week.bike if "bike" in keep else ():
        rides = [i for i in free("bike") if quiet(i)
                 and all((k - i) % 7 >= t.placement.key_run_after_hard_bike for k in key_runs)]
        if not rides:
            break  # no day leaves the key run its distance: the ride stays easy
        plan[rides[0]] = ("bike", kind)
        hard.add(rides[0])
    for kind in week.swim if "swim" in keep else ():
        swims = [i for i in free("swim") if quiet(i)]
        if not swims:
            break  # a hard swim beside another hard day would push that day's session off (P10)
        plan[swims[0]] = ("swim", kind)
        hard.add(swims[0])
    return plan


def _training(athlete: Athlete) -> list[int]:
    rest = {_n(d) for d in athlete.rest_days}
    return [i for i in range(7) if i not in rest]


def week_plan(season: Any, athlete: Athlete, day: dt.date,
              default_week: Mapping[str, tuple[str, str]] | None) -> dict[dt.date, tuple[str, str]]:
    """(sport, kind) of each day (Monday to Sunday) of the week holding `day`.

    The week follows the phase of its Monday (race week: the `race` template); race day is
    the race, the `race.no_hard_days` before it easy, the days after it rest, then easy
    sessions through the recovery.

    :param season: the rule set's SeasonSettings (with its `triathlon` section)
    :param athlete: the athlete (days, rest days, goal, race date)
    :param day: any day of the week
    :param default_week: the session templates' `triathlon_week` (the default days)
    """
    monday = _monday(day)
    key = (id(season), id(default_week), monday, athlete.goal, athlete.race_date, athlete.season_start,
           tuple(athlete.rest_days), athlete.days_per_week, athlete.long_run_day, athlete.long_ride_day,
           None if athlete.swim_days is None else tuple(athlete.swim_days),
           None if athlete.bike_days is None else tuple(athlete.bike_days))
    hit = _WEEKS.get(key)
    if hit is not None and hit[0] is season and hit[1] is default_week:
        return dict(hit[2])
    if len(_WEEKS) >= _WEEKS_KEPT:
        _WEEKS.clear()
    out = _week_plan(season, athlete, monday, default_week)
    _WEEKS[key] = (season, default_week, out)  # the objects themselves: their ids stay theirs
    return dict(out)


#: week plans already laid out (a proposal reads the same week several times: the day, the
#: days before it this week, yesterday's plan and the season's size)
_WEEKS: dict[tuple, tuple[Any, Any, dict[dt.date, tuple[str, str]]]] = {}
_WEEKS_KEPT = 512


def _week_plan(season: Any, athlete: Athlete, monday: dt.date,
               default_week: Mapping[str, tuple[str, str]] | None) -> dict[dt.date, tuple[str, str]]:
    from coach.engine.season import phase_lengths, position

    t: TriathlonSeason = season.triathlon
    where = position(season, athlete, monday)
    dates = [monday + dt.timedelta(days=i) for i in range(7)]
    race = athlete.race_date
    race_week = race is not None and monday <= race <= dates[-1]
    days = athlete_days(athlete, default_week)
    plan = layout(t, t.weeks["race" if race_week else where.phase], days, _training(athlete), where.down_week)
    out = {d: plan[d.weekday()] for d in dates}
    if race is None:
        return out
    lengths = phase_lengths(season, athlete)
    for d in dates:
        left = (race - d).days
        sport, kind = out[d]
        if left == 0:
            out[d] = ("run", "race")
        elif sport == "rest":
            continue
        elif -lengths.rest_after_race <= left < 0:
            out[d] = ("rest", "rest")
        elif -lengths.recovery_days <= left < 0 or 0 < left <= season.race.no_hard_days:
            out[d] = (sport if sport != "brick" else "bike", "easy")
    return out


# --- the week's size -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Size:
    minutes: float          # the week's training, all sports
    long_ride: float        # 0: none this week
    long_run: float


def size(season: Any, athlete: Athlete, day: dt.date) -> Size:
    """The week's minutes, long ride and long run: they grow toward the goal's peak as the
    runner's volume and long run do (season.yml `progression`), down weeks and the taper
    (`taper`, by the matching running distance) cut them, recovery runs a share of the peak."""
    from coach.engine.season import phase_lengths, position, season_goal

    t: TriathlonSeason = season.triathlon
    goal = t.goals.get(str(getattr(athlete.goal, "value", athlete.goal))) or t.goals["olympic"]
    prog, where = season.progression, position(season, athlete, day)
    peak = Size(goal.hours_peak * 60, goal.long_ride_peak, goal.long_run_peak)
    if where.phase == "recovery":
        return Size(round(peak.minutes * season.race.recovery_volume), 0.0, 0.0)
    if where.phase in ("race", "taper"):
        taper = season.taper[season_goal(athlete.goal)].get(where.weeks_to_race or 0)
        vol, long_share = (taper.volume, taper.long_run) if taper else (0.6, 0.0)
        return Size(round(peak.minutes * vol), round(peak.long_ride * long_share), round(peak.long_run * long_share))
    if where.phase == "rolling":
        n = (where.week_of_phase or 1) - 1
        ups = min(n, prog.down_every - 2)
        start = Size((goal.hours_start + goal.hours_peak) / 2 * 60, goal.long_ride_start, goal.long_run_start)
        grown = Size(start.minutes * (1 + prog.volume_step_pct / 100) ** ups,
                     start.long_ride * (1 + prog.long_run_step_pct / 100) ** ups,
                     start.long_run * (1 + prog.long_run_step_pct / 100) ** ups)
    else:
        k = where.weeks_to_race - phase_lengths(season, athlete).taper_weeks + 1
        ups = sum(1 for j in range(1, k) if j % prog.down_every)
        grown = Size(max(goal.hours_start * 60, peak.minutes / (1 + prog.volume_step_pct / 100) ** ups),
                     max(goal.long_ride_start, peak.long_ride / (1 + prog.long_run_step_pct / 100) ** ups),
                     max(goal.long_run_start, peak.long_run / (1 + prog.long_run_step_pct / 100) ** ups))
    if where.down_week:
        grown = Size(grown.minutes * prog.down_week_volume, grown.long_ride * prog.down_week_long_run,
                     grown.long_run * prog.down_week_long_run)
    return Size(round(grown.minutes), round(grown.long_ride), round(grown.long_run))


def season_facts(season: Any, athlete: Athlete, day: dt.date,
                 default_week: Mapping[str, tuple[str, str]] | None) -> dict[str, Any]:
    """The `season.*` facts of a triathlete on `day` (the day's `plan.*` come from
    engine/facts.py, which reads the same `week_plan`).

    `season.volume_min` is the week's training in all sports; `season.easy_run_min` the length
    of an easy session of any sport (what the week has left once the long ride, the long run
    and the hard sessions are counted, over the easy days, within `easy_min`..`easy_max`).
    """
    from coach.engine.season import position

    t: TriathlonSeason = season.triathlon
    where = position(season, athlete, day)
    target = size(season, athlete, day)
    plan = week_plan(season, athlete, day, default_week)
    kinds = list(plan.values())
    long_ride = target.long_ride if ("bike", "long") in kinds else 0.0
    long_run = target.long_run if ("run", "long") in kinds else 0.0
    hard = sum(1 for _, k in kinds if k in ("tempo", "intervals", "repetitions"))
    easy = sum(1 for _, k in kinds if k == "easy")
    left = target.minutes - long_ride - long_run - hard * t.hard_session
    easy_min = left / easy if easy else t.easy_min
    facts: dict[str, Any] = {
        "season.phase": where.phase,
        "season.down_week": where.down_week,
        "season.volume_min": target.minutes,
        "season.long_run_min": long_run,
        "season.long_ride_min": long_ride,
        "season.easy_run_min": round(min(max(easy_min, t.easy_min), t.easy_max)),
        "season.key_factor": where.key_factor,
        "season.calendar": True,
        "season.planned_ramp": _planned_ramp(season, athlete, day),
    }
    if where.week_of_phase is not None:
        facts["season.week_of_phase"] = where.week_of_phase
    if where.weeks_to_race is not None:
        facts["season.weeks_to_race"] = where.weeks_to_race
    if where.days_to_race is not None and 0 < where.days_to_race <= season.race.no_hard_days:
        facts["season.easy_run_min"] = round(t.easy_min)  # short and fresh before the race
        if plan[day][0] == "run":
            facts["season.race_eve"] = True
    return facts


def _planned_ramp(season: Any, athlete: Athlete, day: dt.date) -> float:
    """Last week's planned minutes over the mean of the four planned weeks ending with it."""
    monday = _monday(day)
    volumes = [size(season, athlete, monday - dt.timedelta(weeks=n)).minutes for n in range(1, 5)]
    mean = sum(volumes) / len(volumes)
    return round(volumes[0] / mean, 3) if mean else 1.0
