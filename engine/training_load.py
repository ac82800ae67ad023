"""Training-load formulas: the one implementation the facts, the trends and the importer call.

Pure functions over `coach.engine.model.Workout` values, dates and daily series. No I/O.

Conventions (each is a decision, written down so that rules and charts agree):

- **Session-RPE load** (Foster 2001) = RPE x duration in minutes, in arbitrary units (AU).
  The duration is the moving/timer time (`duration_s`), else the elapsed time.
  **A workout without an RPE (or without any duration) has no load** (`None`): it is
  skipped, contributing 0 to the daily series. We do not estimate a missing RPE: the load
  feeds numbers that rules quote back to the athlete (P17), and those must come from what
  was logged, not from a guess. `unrated(workouts)` lists the skipped ones so that a
  renderer can say how many sessions were left out.
- **Daily series**: one value per calendar day, in date order, `start` inclusive and `end`
  exclusive (like the store's `between`). Days without a rated workout are 0 (rest).
- **A series passed to the ratio functions** is oldest first and ends on the day of interest
  (include or exclude that day yourself). A series shorter than the window is read as if
  preceded by rest days (0).
- **Rolling ACWR** = acute / chronic, acute = sum of the last 7 days, chronic = sum of the
  last 28 days / 4 (the average week). **`None` when the chronic load is 0**: with no base
  to compare against, the ratio is undefined, and `None` (an unknown fact) never satisfies
  a rule's comparison, which is what we want.
- **EWMA ACWR** (Williams et al. 2017): EWMA_today = load_today x l + (1 - l) x EWMA_yesterday,
  l = 2 / (N + 1), N = 7 (acute) and 28 (chronic), seeded with 0 before the first day of
  the series; ratio = acute / chronic, `None` when the chronic EWMA is 0.
- **Monotony** (Foster 1998) = mean daily load / standard deviation of daily load over the
  last 7 days, using the population standard deviation (the 7 days are the whole week, not a
  sample of it). **`None` when the standard deviation is 0** (no load at all, or exactly the
  same load every day): the ratio is undefined. Any week with at least one rest day and one
  rated session has a standard deviation above 0.
- **Strain** = weekly load (sum of the 7 days) x monotony; `None` when monotony is `None`.
- **Split consistency** of an interval session = coefficient of variation of the paces of its
  work set (the same reps `coach.engine.form` reads), in percent (population standard
  deviation / mean x 100); `None` with fewer than 2 paced reps.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from coach.engine.form import work_set, work_set_paces
from coach.engine.model import Kind, Sport, Workout

ACUTE_DAYS = 7
CHRONIC_DAYS = 28
WEEKS_IN_CHRONIC = CHRONIC_DAYS / ACUTE_DAYS
# enum members bound once: looking a member up on its class costs more than comparing it
_REST_SPORT, _REST_KIND = Sport.rest, Kind.rest


# --- one workout -------------------------------------------------------------------------

def duration_minutes(workout: Workout) -> float | None:
    """Duration of a workout in minutes: moving/timer time, else elapsed time, else None."""
    seconds = workout.duration_s if workout.duration_s is not None else workout.elapsed_s
    return None if seconds is None else seconds / 60.0


def session_load(workout: Workout) -> float | None:
    """Foster's session-RPE load: RPE x minutes (AU).

    :param workout: a logged workout.
    :return: the load, or None when the RPE or the duration is unknown (the workout is skipped).
    """
    minutes = duration_minutes(workout)
    if workout.rpe is None or minutes is None:
        return None
    return workout.rpe * minutes


def unrated(workouts: Iterable[Workout]) -> list[Workout]:
    """The workouts that carry no load (no RPE or no duration), other than logged rest days."""
    return [w for w in workouts if w.sport != Sport.rest and w.kind != Kind.rest and session_load(w) is None]


def intensity_of(workout: Workout, intensity_of_kind: Mapping[str, str], hard_rpe: float) -> str | None:
    """The intensity of a logged workout: "hard", "moderate", "easy", "rest", or None if unknown.

    A rest is "rest"; an RPE at or above `hard_rpe` makes any session "hard" whatever its kind;
    otherwise the kind decides through `intensity_of_kind` (settings.yml). A workout without a
    kind and below `hard_rpe` (or unrated) has an unknown intensity.

    :param intensity_of_kind: kind name -> intensity name, from the rule set's settings.
    :param hard_rpe: the rule set's `facts.hard_rpe`.
    """
    if workout.sport == _REST_SPORT or workout.kind == _REST_KIND:
        return "rest"
    if workout.rpe is not None and workout.rpe >= hard_rpe:
        return "hard"
    if workout.kind is None:
        return None
    return intensity_of_kind.get(workout.kind)  # a Kind is its own name (StrEnum): same key, no lookup of .value


def is_hard(workout: Workout, intensity_of_kind: Mapping[str, str], hard_rpe: float) -> bool:
    """True when `intensity_of` says "hard"."""
    return intensity_of(workout, intensity_of_kind, hard_rpe) == "hard"


# --- daily series ------------------------------------------------------------------------

def daily_loads(workouts: Iterable[Workout], start: dt.date, end: dt.date,
                load_of: Callable[[Workout], float | None] = session_load) -> dict[dt.date, float]:
    """Session-RPE load per calendar day from `start` (inclusive) to `end` (exclusive).

    Every day of the range is present, in order; days without a rated workout are 0.
    Workouts outside the range are ignored; several on one day add up.
    `load_of` gives a workout's load (default session-RPE; `coach.engine.load_methods` gives
    every workout one).
    """
    series = {start + dt.timedelta(days=i): 0.0 for i in range(max((end - start).days, 0))}
    for w in workouts:
        if w.date in series:
            load = load_of(w)
            if load is not None:
                series[w.date] += load
    return series


def load_series(workouts: Iterable[Workout], day: dt.date, days: int,
                load_of: Callable[[Workout], float | None] = session_load) -> list[float]:
    """The `days` daily loads ending on `day` (inclusive), oldest first: `daily_loads` as a list."""
    start = day - dt.timedelta(days=days - 1)
    series = [0.0] * max(days, 0)
    for w in workouts:
        i = (w.date - start).days
        if 0 <= i < days:
            load = load_of(w)
            if load is not None:
                series[i] += load
    return series


#: the sports with load facts of their own (`load.run_acute`, `week.bike_load`, ...)
LOAD_SPORTS = ("run", "bike", "swim")


def sport_load_series(workouts: Iterable[Workout], day: dt.date, days: int,
                      load_of: Callable[[Workout], float | None],
                      brick_run_share_pct: float) -> dict[str, list[float]]:
    """`load_series` per sport (`LOAD_SPORTS`), in one pass over the workouts.

    A workout of a sport gives all its load to that sport; a brick (a ride, then a run off the
    bike) gives `brick_run_share_pct` % of its load to the run and the rest to the bike; any
    other workout (strength, cross-training) to none. The sports' loads of a day add up to its
    total load less strength and cross-training.
    """
    start = day - dt.timedelta(days=days - 1)
    out = {sport: [0.0] * max(days, 0) for sport in LOAD_SPORTS}
    by_member = {Sport(sport): out[sport] for sport in LOAD_SPORTS}  # enum members: no .value per workout
    run_part = brick_run_share_pct / 100.0
    run, bike, brick = out["run"], out["bike"], Sport.brick
    for w in workouts:
        sport = w.sport
        series = by_member.get(sport)
        if series is None and sport is not brick:
            continue
        i = (w.date - start).days
        if not 0 <= i < days:
            continue
        load = load_of(w)
        if load is None:
            continue
        if series is None:  # a brick
            run[i] += load * run_part
            bike[i] += load * (1.0 - run_part)
        else:
            series[i] += load
    return out


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _pstdev(values: Sequence[float]) -> float:
    """Population standard deviation of a few floats (two passes over the values).

    `statistics.pstdev` gives the same figure through exact fractions, at ten times the cost;
    the load ratios are rounded to three digits, far above the difference. Identical values
    give exactly 0, as the "undefined when sd is 0" rules below need.
    """
    if max(values) == min(values):
        return 0.0
    mean = _mean(values)
    return math.sqrt(math.fsum([(x - mean) * (x - mean) for x in values]) / len(values))


def _last(series: Sequence[float], n: int) -> list[float]:
    tail = list(series[-n:]) if n else []
    return [0.0] * (n - len(tail)) + tail


# --- ratios ------------------------------------------------------------------------------

def acute_load(series: Sequence[float]) -> float:
    """Sum of the last 7 daily loads (AU)."""
    return sum(_last(series, ACUTE_DAYS))


def chronic_load(series: Sequence[float]) -> float:
    """Average weekly load over the last 28 days: their sum / 4 (AU per week)."""
    return sum(_last(series, CHRONIC_DAYS)) / WEEKS_IN_CHRONIC


def rolling_acwr(series: Sequence[float]) -> float | None:
    """Rolling acute:chronic workload ratio; None when the chronic load is 0."""
    chronic = chronic_load(series)
    if chronic == 0:
        return None
    return acute_load(series) / chronic


def acwr_present(series: Sequence[float], missing: Iterable[int] = (), before: Iterable[int] = ()) -> float | None:
    """Rolling acute:chronic ratio around an absence: the idle days are missing data, not zero
    load, and the chronic level is not below the one before the absence.

    The 7-day sum over 7 x a daily chronic level: the mean daily load of the last 28 days
    without the days left out, or, when higher, that of the days `before` (the weeks before
    the absence: the level the athlete was used to). The acute sum stays as it was: load not
    done in the last 7 days was not done. The same figure as `rolling_acwr` when no day is
    left out and none is `before`; None when the chronic level is 0.

    :param series: daily loads, oldest first, ending with the last day of both windows
    :param missing: days to leave out, counted back from the end (0 = the last day)
    :param before: days of the level before the absence, counted back from the end
    """
    gone = set(missing)
    chronic = [x for i, x in enumerate(reversed(_last(series, CHRONIC_DAYS))) if i not in gone]
    back = list(reversed(series))
    earlier = [back[i] for i in before if 0 <= i < len(back)]
    level = max(_mean(chronic) if chronic else 0.0, _mean(earlier) if earlier else 0.0)
    if level == 0:
        return None
    return acute_load(series) / (level * ACUTE_DAYS)


def ewma(series: Sequence[float], n: int) -> float:
    """Exponentially weighted moving average of a daily series, l = 2 / (n + 1), seeded with 0."""
    lam = 2.0 / (n + 1)
    value = 0.0
    for load in series:
        value = load * lam + (1.0 - lam) * value
    return value


def ewma_acwr(series: Sequence[float]) -> float | None:
    """EWMA acute:chronic ratio (N = 7 over N = 28); None when the chronic EWMA is 0."""
    chronic = ewma(series, CHRONIC_DAYS)
    if chronic == 0:
        return None
    return ewma(series, ACUTE_DAYS) / chronic


def monotony(series: Sequence[float]) -> float | None:
    """Foster's monotony over the last 7 days: mean / population sd; None when sd is 0."""
    week = _last(series, ACUTE_DAYS)
    sd = _pstdev(week)
    if sd == 0:
        return None
    return _mean(week) / sd


def strain(series: Sequence[float]) -> float | None:
    """Foster's strain over the last 7 days: weekly load x monotony; None when monotony is."""
    mono = monotony(series)
    if mono is None:
        return None
    return acute_load(series) * mono


# --- paces, splits and effort ------------------------------------------------------------

def _work_reps(workout: Workout, work_pace_pct: float | None) -> list:
    return work_set(sorted(workout.reps, key=_rep_index), work_pace_pct)


def _rep_index(rep) -> int:
    return rep.index


def rep_paces(workout: Workout, work_pace_pct: float | None = None) -> list[float]:
    """The paces (s/km) of the workout's work set, in rep order (`coach.engine.form.work_set`:
    the reps with a target pace if any have one, else every rep with a pace; with
    `work_pace_pct`, laps slower than the fastest by more than that percentage are dropped as
    warm-up, recovery or cool-down)."""
    return [r.pace() for r in _work_reps(workout, work_pace_pct)]  # type: ignore[misc]


def work_paces(workout: Workout, work_pace_pct: float | None = None, *,
               chosen: Sequence[tuple[Any, float]] | None = None) -> tuple[list[float], float | None]:
    """`rep_paces` and `main_pace` of a workout together, its work set picked once.

    :param chosen: the work set already picked (`work_set_paces` of the reps in index order),
        for a caller that reads it several ways
    """
    if chosen is None:
        chosen = work_set_paces(sorted(workout.reps, key=_rep_index), work_pace_pct)
    return [p for _, p in chosen], _main_pace(workout, [r for r, _ in chosen])


def coefficient_of_variation_pct(values: Sequence[float]) -> float | None:
    """Population sd / mean x 100; None with fewer than 2 values or a mean of 0."""
    if len(values) < 2:
        return None
    mean = _mean(values)
    if mean == 0:
        return None
    return _pstdev(values) / mean * 100.0


def split_consistency_pct(workout: Workout, work_pace_pct: float | None = None) -> float | None:
    """Spread of rep times of an interval session: coefficient of variation of its work-set
    rep paces, in %. Lower is more even. None with fewer than 2 paced reps.
    """
    return coefficient_of_variation_pct(rep_paces(workout, work_pace_pct))


def average_pace(workout: Workout) -> float | None:
    """Overall pace of a workout in s/km (duration / distance), None without both."""
    minutes = duration_minutes(workout)
    if minutes is None or not workout.distance_m:
        return None
    return minutes * 60.0 / (workout.distance_m / 1000.0)


def main_pace(workout: Workout, work_pace_pct: float | None = None) -> float | None:
    """The pace the RPE was given for, in s/km: the work set's pace when the workout has paced
    reps (total rep time / total rep distance when every rep has both, else the mean rep
    pace), else the overall pace."""
    return _main_pace(workout, _work_reps(workout, work_pace_pct))


def _main_pace(workout: Workout, reps: Sequence) -> float | None:
    if reps and all(r.distance_m and r.duration_s for r in reps):
        return sum(r.duration_s for r in reps) / (sum(r.distance_m for r in reps) / 1000.0)
    if reps:
        return _mean([r.pace() for r in reps])
    return average_pace(workout)


def _runs(workouts: Iterable[Workout]) -> list[Workout]:
    return sorted((w for w in workouts if w.sport == Sport.run), key=lambda w: (w.date, w.start_time or dt.datetime.min))


def pace_at_effort(
    workouts: Iterable[Workout], rpe: int, tolerance: int = 0, work_pace_pct: float | None = None
) -> list[tuple[dt.date, float]]:
    """Runs logged at an effort within `rpe` +/- `tolerance`, as (date, main pace in s/km), in date order.

    Falling paces over time at the same effort mean the athlete got fitter (P14).
    """
    return [(w.date, p) for w in _runs(workouts)
            if w.rpe is not None and abs(w.rpe - rpe) <= tolerance and (p := main_pace(w, work_pace_pct)) is not None]


def effort_at_pace(
    workouts: Iterable[Workout], pace_s_per_km: float, tolerance_pct: float, work_pace_pct: float | None = None
) -> list[tuple[dt.date, int]]:
    """Runs whose main pace is within `tolerance_pct` % of `pace_s_per_km`, as (date, RPE), in date order.

    Falling RPE over time at the same pace means the athlete got fitter (P14).
    """
    out = []
    for w in _runs(workouts):
        p = main_pace(w, work_pace_pct)
        if w.rpe is not None and p is not None and abs(p - pace_s_per_km) <= pace_s_per_km * tolerance_pct / 100.0:
            out.append((w.date, w.rpe))
    return out

