"""Load from any workout, on one scale: the formulas, and the one choice of method per workout.

Pure functions, no I/O. Session-RPE itself (RPE x minutes, Foster 2001) is computed once, in
`coach.engine.training_load.session_load`; this module adds the methods for the workouts that carry
no RPE, and puts them on the same scale.

The scale
---------
Every load is in session-RPE units (AU, RPE x minutes), the unit the rule files already
speak (`facts.heavy_load`, `yesterday.load`, ACWR, monotony, strain). The other methods first
give *points* on the TSS idea (Coggan): **an hour at threshold is 100 points**, and
`points x load.au_per_point` (settings.yml) turns them into AU. With the shipped 4.0, an
hour at threshold (100 points) counts as 400 AU, an hour at RPE 6.7.

Calibration, and the tolerance we promise: the same session logged with an RPE and imported
with heart rate gives loads within **35 %** of each other for the sessions runners do most
(an easy hour at RPE 3-4, a tempo session at RPE 6, intervals at RPE 7, an hour-long time
trial at RPE 8; see `tests/unit/test_load_methods.py`). Session-RPE rates the whole session
by its hardest part while heart rate averages it, so easy sessions come out a little higher
from heart rate and interval sessions a little lower; 4.0 AU per point is the multiplier that
keeps both ends inside the tolerance.

Methods (in the order `workout_load` tries them)
------------------------------------------------
- ``rpe``: session-RPE, Foster 2001 (`coach.engine.training_load.session_load`).
- ``power`` (rides with an average power and an FTP): TSS = hours x IF^2 x 100 with
  IF = power / FTP (Coggan; TrainingPeaks: an hour at FTP is 100 TSS). With average power,
  not normalised power, a variable ride is slightly underrated.
- ``hr``: Banister's TRIMP (Banister 1991; Morton, Fitz-Clarke & Banister 1990):
  minutes x x x 0.64 e^(1.92 x) for men, 0.86 e^(1.67 x) for women, x = (HR - HRrest) /
  (HRmax - HRrest); unknown sex uses the men's factors (Banister's original). Normalised
  as hrTSS: 100 x TRIMP / TRIMP of an hour at threshold heart rate. Test value: male,
  HRmax 200, HRrest 40, 30 min at 130 bpm gives TRIMP 31.8 (Runalyze's
  `Trimp/CalculatorTest` gives 32 +- 1 %).
- ``pace`` (runs with a distance and a threshold pace): rTSS = hours x IF^2 x 100, IF =
  threshold pace / pace (McGregor's running TSS as TrainingPeaks publishes it). Where the
  elevation gain is known, the distance is grade-adjusted first: each metre climbed counts
  as `load.flat_m_per_m_climb` metres on the flat (7.92, Scarf 2007's equivalence behind
  Naismith's rule). Test value: 30 min at 5:00/km with threshold 4:30/km gives 40.5.
- ``swim_pace`` (swims with a distance and a critical swim speed): sTSS = hours x IF^3 x 100,
  IF = CSS pace / pace (per 100 m), as TrainingPeaks defines swim TSS: an hour at CSS is 100.
- ``none``: no duration, or nothing to compute from (no RPE, no heart rate, no threshold).

Fitness, fatigue, form
----------------------
CTL (fitness) and ATL (fatigue) are exponentially weighted averages of the daily load (AU per
day) with time constants `load.ctl_days` (42) and `load.atl_days` (7); TSB (form) = CTL - ATL;
the ramp rate is CTL now minus CTL 7 days earlier. `load.ema` picks the daily weight:
"e" = 1 - e^(-1/N) (Banister's model as GoldenCheetah computes it: 42 days of 100 from zero
give a CTL of 63.2), "1/n" (TrainingPeaks' simple form: 63.7) or "2/(n+1)" (the EWMA of
the ACWR: 86.5).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from coach.engine.training_load import duration_minutes, session_load
from coach.engine.model import Kind, Sport, Workout

#: The load methods, in the order `workout_load` tries them, then "none".
METHODS: tuple[str, ...] = ("rpe", "power", "hr", "pace", "swim_pace", "none")
#: How a method reads in sentences ("load from heart rate").
METHOD_WORDS: Mapping[str, str] = {
    "rpe": "RPE", "power": "power", "hr": "heart rate", "pace": "pace",
    "swim_pace": "swim pace", "none": "no data",
}

_MALE = (0.64, 1.92)
_FEMALE = (0.86, 1.67)


# --- the formulas ----------------------------------------------------------------------------

def banister_trimp(minutes: float, avg_hr: float, hr_rest: float, hr_max: float, sex: str | None = None) -> float:
    """Banister's training impulse of a session from its average heart rate.

    :param minutes: duration in minutes
    :param avg_hr: average heart rate (bpm)
    :param hr_rest: resting heart rate (bpm)
    :param hr_max: maximal heart rate (bpm), above `hr_rest`
    :param sex: "female" for the women's weighting; anything else uses the men's
    :return: TRIMP (arbitrary units); 0 when the average is at or below rest
    """
    if hr_max <= hr_rest:
        raise ValueError("hr_max must be above hr_rest")
    x = min(max((avg_hr - hr_rest) / (hr_max - hr_rest), 0.0), 1.0)
    a, b = _FEMALE if sex == "female" else _MALE
    return minutes * x * a * math.exp(b * x)


def hr_points(minutes: float, avg_hr: float, hr_rest: float, hr_max: float, threshold_hr: float,
              sex: str | None = None) -> float:
    """hrTSS-style points: TRIMP of the session over TRIMP of an hour at threshold HR, x 100."""
    hour = banister_trimp(60.0, threshold_hr, hr_rest, hr_max, sex)
    if hour <= 0:
        raise ValueError("threshold_hr must be above hr_rest")
    return banister_trimp(minutes, avg_hr, hr_rest, hr_max, sex) / hour * 100.0


def grade_adjusted_distance(distance_m: float, climb_m: float | None, flat_m_per_m_climb: float) -> float:
    """The flat distance a run with `climb_m` of ascent is worth (Scarf 2007 / Naismith)."""
    return distance_m + (climb_m or 0.0) * flat_m_per_m_climb


def run_points(duration_s: float, distance_m: float, threshold_pace_s_per_km: float) -> float:
    """rTSS: hours x IF^2 x 100, IF = threshold pace / the run's pace (both s/km)."""
    pace = duration_s / (distance_m / 1000.0)
    intensity = threshold_pace_s_per_km / pace
    return duration_s / 3600.0 * intensity * intensity * 100.0


def power_points(duration_s: float, power_w: float, ftp_w: float) -> float:
    """TSS from power: hours x IF^2 x 100, IF = power / FTP."""
    intensity = power_w / ftp_w
    return duration_s / 3600.0 * intensity * intensity * 100.0


def swim_points(duration_s: float, distance_m: float, css_s_per_100m: float) -> float:
    """Swim TSS: hours x IF^3 x 100, IF = CSS pace / the swim's pace (s per 100 m)."""
    pace = duration_s / (distance_m / 100.0)
    intensity = css_s_per_100m / pace
    return duration_s / 3600.0 * intensity ** 3 * 100.0


# --- settings and thresholds -----------------------------------------------------------------

@dataclass(frozen=True)
class LoadSettings:
    """settings.yml `load:`: how loads without an RPE are put on the session-RPE scale, and how
    missing thresholds are estimated (see `coach.engine.physiology`)."""

    au_per_point: float
    flat_m_per_m_climb: float
    hr_rest_default: float
    threshold_hr_pct_of_max: float
    hr_max_min_sessions: int
    ctl_days: float
    atl_days: float
    ema: str
    #: the share of a brick's load that is its run (the rest is the ride), for the per-sport
    #: load facts; settings.yml `load.brick_run_share_pct` (optional)
    brick_run_share_pct: float = 25.0

    @classmethod
    def of(cls, node: Any) -> "LoadSettings | None":
        """From the validated settings' `load` (a model or a mapping); None when absent."""
        if node is None:
            return None
        if isinstance(node, LoadSettings):
            return node
        data = dict(node) if isinstance(node, Mapping) else {k: getattr(node, k) for k in type(node).model_fields}
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data and data[k] is not None})


@dataclass(frozen=True)
class Thresholds:
    """The athlete's values the methods need; None where unknown."""

    sex: str | None = None
    hr_max: float | None = None
    hr_rest: float | None = None
    threshold_hr: float | None = None
    threshold_pace_s_per_km: float | None = None
    ftp_w: float | None = None
    css_s_per_100m: float | None = None


class WorkoutLoad(NamedTuple):
    """A workout's load in AU (None: unknown), the method that gave it, and its points (TSS-like).

    A named tuple: one is made per workout per proposal, and a tuple is the cheapest to make."""

    load: float | None
    method: str
    points: float | None = None


NO_LOAD = WorkoutLoad(None, "none")


def workout_load(workout: Workout, thresholds: Thresholds | None, settings: LoadSettings | None) -> WorkoutLoad:
    """The load of one workout and the method that gave it: the one place that chooses.

    RPE first (what the athlete said), then power (rides), heart rate, pace (runs) and swim
    pace (swims), each only when its inputs are known. Without `settings` (a rule set with
    no `load:` section) only session-RPE counts.

    :param workout: a logged workout
    :param thresholds: the athlete's thresholds, given or estimated (`coach.engine.physiology`)
    :param settings: the rule set's `load:` settings
    """
    rpe_load = session_load(workout)
    if rpe_load is not None:
        return WorkoutLoad(rpe_load, "rpe")
    if settings is None or thresholds is None or workout.sport == Sport.rest or workout.kind == Kind.rest:
        return NO_LOAD
    minutes = duration_minutes(workout)
    if minutes is None:
        return NO_LOAD
    seconds = minutes * 60.0
    t = thresholds
    points: float | None = None
    method = "none"
    if workout.sport == Sport.bike and workout.avg_power_w and t.ftp_w:
        points, method = power_points(seconds, workout.avg_power_w, t.ftp_w), "power"
    elif (workout.avg_hr and t.hr_max and t.hr_rest is not None and t.threshold_hr
          and t.hr_rest < t.threshold_hr <= t.hr_max):
        points, method = hr_points(minutes, workout.avg_hr, t.hr_rest, t.hr_max, t.threshold_hr, t.sex), "hr"
    elif workout.sport == Sport.run and workout.distance_m and t.threshold_pace_s_per_km:
        flat = grade_adjusted_distance(workout.distance_m, workout.elevation_gain_m, settings.flat_m_per_m_climb)
        points, method = run_points(seconds, flat, t.threshold_pace_s_per_km), "pace"
    elif workout.sport == Sport.swim and workout.distance_m and t.css_s_per_100m:
        points, method = swim_points(seconds, workout.distance_m, t.css_s_per_100m), "swim_pace"
    if points is None:
        return NO_LOAD
    return WorkoutLoad(points * settings.au_per_point, method, points)


# --- fitness, fatigue, form (the performance management chart) --------------------------------

def ema_weight(days: float, ema: str) -> float:
    """The weight of one day in an exponentially weighted average with time constant `days`.

    "e": 1 - e^(-1/N), Banister's impulse-response decay as GoldenCheetah's PMCData.cpp
    computes it; "1/n": 1/N, the simple form TrainingPeaks publishes; "2/(n+1)": the
    EWMA weight of Williams et al. 2017 (the one `coach.engine.training_load.ewma` uses for ACWR).
    """
    if ema == "e":
        return 1.0 - math.exp(-1.0 / days)
    if ema == "1/n":
        return 1.0 / days
    if ema == "2/(n+1)":
        return 2.0 / (days + 1.0)
    raise ValueError(f"unknown ema {ema!r}: use e, 1/n or 2/(n+1)")


def exponential_load(series: Sequence[float], days: float, ema: str, seed: float = 0.0) -> float:
    """The exponentially weighted daily load after the last day of `series` (oldest first),
    starting from `seed` before the first day: CTL with `days` 42, ATL with 7."""
    k = ema_weight(days, ema)
    value = seed
    for load in series:
        value += (load - value) * k
    return value


@dataclass(frozen=True)
class Form:
    """Fitness (CTL), fatigue (ATL) and form (TSB = CTL - ATL) after a day, and the ramp rate
    (CTL gained over the last 7 days), all in AU per day."""

    ctl: float
    atl: float
    tsb: float
    ramp: float


def form_of(series: Sequence[float], settings: LoadSettings, seed_days: int = 0) -> Form:
    """CTL, ATL, TSB and ramp rate after the last day of a daily series (oldest first).

    :param series: daily loads (AU), ending on the last day to count (yesterday for a proposal)
    :param settings: the time constants and the weighting (`load.ctl_days`, `atl_days`, `ema`)
    :param seed_days: with a bounded window, the first `seed_days` days only seed both
        averages with their mean daily load (as if the athlete had trained at that level
        before), and the averages run over the rest; 0 seeds with 0 (training from nothing).
    """
    seed = sum(series[:seed_days]) / seed_days if seed_days else 0.0
    rest = list(series[seed_days:])
    ctl = exponential_load(rest, settings.ctl_days, settings.ema, seed)
    atl = exponential_load(rest, settings.atl_days, settings.ema, seed)
    week_ago = exponential_load(rest[:-7], settings.ctl_days, settings.ema, seed) if len(rest) >= 7 else seed
    return Form(ctl=ctl, atl=atl, tsb=ctl - atl, ramp=ctl - week_ago)
