"""Limits of what can be true: the one module `coach log`, CSV imports and `athlete set` check.

A value past these limits is refused with the reason and the field; nothing is written.
Where a real case exists (a GPS glitch, a treadmill set wrong, a race downhill) the command
accepts `--force`. The limits are facts about the world and the pace model, not coaching
choices, so they live here rather than in a rule file:

- **Pace**: no run is faster than the men's world record for its distance (World Athletics
  records as of 2025, interpolated on log-distance between the record distances; under
  100 m the 100 m record's pace). Short sprints logged as runs keep a one-second margin.
- **Race time**: a race or time trial must imply a VDOT within the range Daniels' tables and
  the pace model stretch to (`coach.engine.paces`): 15 (a 5K walked in 55 minutes) to 90 (above
  every world record, which sit near 85).
- **Heart rate**: at most 250 bpm, and an average not above the maximum.
- **Power**: a ride's average power at most a ceiling for its duration (`POWER_CEILINGS`:
  2,500 W up to 30 s, 1,200 W to 5 min, 700 W to 20 min, 600 W beyond), set well above
  the best efforts reported for elite riders at each duration; --force accepts more.
- **Date**: a workout at most one day ahead of today (time zones); never later.

The fixed ceilings are entries of the one table `coach.engine.limits.LIMITS`, which the store's
own check (`coach.storage.plausible`) reads too, with the reason beside any difference.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Callable, Sequence

from coach.engine.errors import InvalidInput
from coach.engine.limits import LIMITS
from coach.engine.model import Kind, RaceResult, Sport, Workout
from coach.engine.presentation import format_clock

#: (distance m, men's world record s): World Athletics, outdoor (road for half and marathon)
WORLD_RECORDS: tuple[tuple[float, float], ...] = (
    (100, 9.58), (200, 19.19), (400, 43.03), (800, 100.91), (1000, 131.96), (1500, 206.00),
    (1609.344, 223.13), (3000, 440.67), (5000, 755.36), (10000, 1571.00), (21097.5, 3450.0),
    (42195, 7235.0),
)
#: the VDOT range the pace model covers (Daniels' tables)
VDOT_RANGE = (15.0, 90.0)
MAX_HR = int(LIMITS["heart_rate"].entry)
FUTURE_DAYS = 1
#: (ride lasting up to s, highest plausible average power W), shortest first; longer rides
#: take the last ceiling
POWER_CEILINGS: tuple[tuple[float, float], ...] = (
    (30, LIMITS["power_w"].high), (300, 1200.0), (1200, 700.0), (3600, 600.0))


class Implausible(InvalidInput):
    """A value that cannot be true (the message names the field and why)."""


def record_pace(distance_m: float) -> float:
    """The world-record pace (s/km) for a distance: interpolated on log distance between records."""
    dists = [d for d, _ in WORLD_RECORDS]
    paces = [t / d * 1000.0 for d, t in WORLD_RECORDS]
    if distance_m <= dists[0]:
        return paces[0]
    if distance_m >= dists[-1]:
        return paces[-1]
    i = bisect.bisect_left(dists, distance_m)
    lo, hi = i - 1, i
    f = (math.log(distance_m) - math.log(dists[lo])) / (math.log(dists[hi]) - math.log(dists[lo]))
    return paces[lo] + f * (paces[hi] - paces[lo])


def check_run_pace(distance_m: float, duration_s: float, field: str = "duration") -> None:
    """Refuse a run faster than the world record for its distance."""
    pace = duration_s / (distance_m / 1000.0)
    limit = record_pace(distance_m)
    if pace < limit - 1.0:
        raise Implausible(f"{field}: {format_clock(pace)}/km over {distance_m / 1000:g} km is faster than the world "
                          f"record pace for that distance ({format_clock(limit)}/km); check the distance and time, "
                          "or use --force")


def check_race(label: str, distance_m: float, time_s: float, field: str = "recent_races") -> None:
    """Refuse a race time whose VDOT falls outside the pace model's range."""
    from coach.engine.paces import vdot

    value = vdot(distance_m, time_s)
    low, high = VDOT_RANGE
    if not low <= value <= high:
        raise Implausible(f"{field}: {label} in {format_clock(time_s)} implies VDOT {value:.0f}, outside the range "
                          f"the pace model covers ({low:.0f}-{high:.0f}); check the time, or use --force")


def check_heart_rate(avg_hr: float | None, max_hr: float | None, avg_field: str = "avg_hr",
                     max_field: str = "max_hr") -> None:
    """Refuse heart rates over MAX_HR (250 bpm), and an average above the maximum."""
    for name, value in ((avg_field, avg_hr), (max_field, max_hr)):
        if value is not None and value > MAX_HR:
            raise Implausible(f"{name}: {value:g} bpm is over {MAX_HR}, beyond any human heart rate")
    if avg_hr is not None and max_hr is not None and avg_hr > max_hr:
        raise Implausible(f"{avg_field}: {avg_hr:g} bpm is above the maximum of {max_hr:g} bpm")


def check_power(avg_power_w: float, duration_s: float | None, field: str = "avg_power_w") -> None:
    """Refuse an average power above what any rider holds for the ride's duration."""
    seconds = duration_s or 0.0
    ceiling = next((w for s, w in POWER_CEILINGS if seconds <= s), POWER_CEILINGS[-1][1])
    if avg_power_w > ceiling:
        how_long = f"over {format_clock(seconds)}" if duration_s else "for a ride"
        raise Implausible(f"{field}: an average of {avg_power_w:g} W {how_long} is more than any rider holds "
                          f"(at most {ceiling:g} W); check the power meter, or use --force")


def check_date(day: dt.date, today: dt.date, field: str = "date") -> None:
    """Refuse a date more than a day ahead of today."""
    if day > today + dt.timedelta(days=FUTURE_DAYS):
        raise Implausible(f"{field}: {day.isoformat()} is in the future (today is {today.isoformat()}); "
                          "log what you did, not what you plan")


def check_workout(workout: Workout, today: dt.date, label: Callable[[str], str] = str,
                  force: bool = False) -> None:
    """Every limit for one workout; `force` skips the pace, race-time and power limits (a date in the
    future and an impossible heart rate are refused even so).

    :param label: how a field is named in the message (e.g. "duration" -> "--duration")
    """
    check_date(workout.date, today, label("date"))
    check_heart_rate(workout.avg_hr, workout.max_hr, label("avg_hr"), label("max_hr"))
    if not force and workout.avg_power_w is not None:
        check_power(workout.avg_power_w, workout.duration_s, label("power"))
    if force or workout.sport != Sport.run or not workout.distance_m or not workout.duration_s:
        return
    check_run_pace(workout.distance_m, workout.duration_s, label("duration"))
    if workout.kind in (Kind.race, Kind.time_trial) and workout.distance_m >= 1500:
        check_race(f"{workout.distance_m / 1000:g} km", workout.distance_m, workout.duration_s, label("duration"))


def check_new_races(before: Sequence[RaceResult], after: Sequence[RaceResult], today: dt.date,
                    field: str = "recent_races", force: bool = False) -> None:
    """The limits for the race results in `after` that `before` did not hold (date, pace, the
    pace model's range); `force` skips pace and range."""
    old = {(r.label, r.time_s, r.date) for r in before}
    for r in after:
        if (r.label, r.time_s, r.date) in old:
            continue
        if r.date is not None:
            check_date(r.date, today, field)
        if not force:
            check_run_pace(r.distance_m, r.time_s, field)
            check_race(r.label, r.distance_m, r.time_s, field)
