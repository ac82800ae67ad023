"""The athlete's physiology as the load methods see it: given in the profile, else estimated.

Pure: the caller passes the workouts (and morning resting heart rates, when check-ins exist).

- **HRmax**: the profile's; else the highest maximum heart rate recorded in the given
  workouts, once at least `load.hr_max_min_sessions` of them recorded one (a single
  reading may be a strap artefact, and a few easy runs never reach the maximum; the
  estimate is a floor that rises as harder sessions are recorded).
- **Resting HR**: the profile's; else the lowest morning resting heart rate of the
  check-ins given; else `load.hr_rest_default` (an assumption, said so).
- **Threshold HR**: the profile's; else `load.threshold_hr_pct_of_max` % of HRmax (Friel's
  rule of thumb puts lactate-threshold heart rate near 90 % of HRmax in runners).
- **Threshold pace**: the profile's; else Daniels' threshold pace of the athlete's current
  fitness (`coach.engine.paces.paces_for`: a recent race or time trial, else an estimate).
- **FTP, CSS, sex**: the profile's only (no estimate).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from coach.engine.load_methods import LoadSettings, Thresholds, WorkoutLoad
from coach.engine.model import Athlete, Workout

#: The physiology fields, in display order.
FIELDS: tuple[str, ...] = ("sex", "hr_max", "hr_rest", "threshold_hr", "threshold_pace_s_per_km", "ftp_w",
                           "css_s_per_100m")


@dataclass(frozen=True)
class Known:
    """One value with where it came from; `estimated` is False for the athlete's own."""

    value: float | str
    source: str
    estimated: bool


def resolve(athlete: Athlete, workouts: Iterable[Workout], day: dt.date, settings: LoadSettings,
            resting_hrs: Sequence[float] = (), with_pace: bool = True,
            pace_policy: Mapping[str, float] | None = None) -> dict[str, Known]:
    """Every physiology value known for `athlete` on `day`: theirs, else estimated.

    :param athlete: the athlete (their `physiology` wins over any estimate)
    :param workouts: their workouts; only those before `day` are read
    :param day: the day the values are for
    :param settings: the rule set's `load:` settings
    :param resting_hrs: morning resting heart rates (check-ins) to estimate resting HR from
    :param with_pace: also estimate the threshold pace (it costs a look at the races)
    :param pace_policy: settings.yml `paces:` windows (race_window_days, estimate_window_days,
        estimate_min_minutes), so that the threshold pace reads what the proposal's paces read
    :return: field name -> Known, for the fields with a value
    """
    own = athlete.physiology
    past = [w for w in workouts if w.date < day]
    out: dict[str, Known] = {}
    for name in FIELDS:
        value = getattr(own, name)
        if value is not None:
            out[name] = Known(getattr(value, "value", value), "your profile", False)

    if "hr_max" not in out:
        peaks = sorted(((w.max_hr, w.date) for w in past if w.max_hr), reverse=True)
        if len(peaks) >= settings.hr_max_min_sessions:
            top, when = peaks[0]
            out["hr_max"] = Known(top, f"highest of {len(peaks)} recorded sessions ({when.isoformat()})", True)
    if "hr_rest" not in out:
        if resting_hrs:
            out["hr_rest"] = Known(min(resting_hrs), f"lowest of {len(resting_hrs)} morning check-ins", True)
        else:
            out["hr_rest"] = Known(settings.hr_rest_default, "assumed until set or given in a check-in", True)
    if "threshold_hr" not in out and "hr_max" in out:
        pct = settings.threshold_hr_pct_of_max
        value = round(float(out["hr_max"].value) * pct / 100.0)
        if value > float(out["hr_rest"].value):
            out["threshold_hr"] = Known(value, f"{pct:g} % of HRmax", True)
    if with_pace and "threshold_pace_s_per_km" not in out:
        from coach.engine.paces import paces_for

        reserve = hr_reserve(out)
        paces, source = paces_for(athlete, past, day, hr_reserve=reserve, **dict(pace_policy or {}))
        if paces is not None:
            out["threshold_pace_s_per_km"] = Known(paces.threshold, "your current fitness: "
                                                   + source.removeprefix("Paces ").rstrip("."), True)
    return out


def hr_reserve(known: Mapping[str, Known]) -> tuple[float, float] | None:
    """(resting, maximal) heart rate from `resolve`'s result, when both are known."""
    if "hr_max" not in known or "hr_rest" not in known:
        return None
    return float(known["hr_rest"].value), float(known["hr_max"].value)


def thresholds(known: dict[str, Known]) -> Thresholds:
    """The `Thresholds` the load methods read, from `resolve`'s result."""
    def num(name: str) -> float | None:
        k = known.get(name)
        return None if k is None else float(k.value)

    sex = known.get("sex")
    return Thresholds(sex=None if sex is None else str(sex.value), hr_max=num("hr_max"), hr_rest=num("hr_rest"),
                      threshold_hr=num("threshold_hr"), threshold_pace_s_per_km=num("threshold_pace_s_per_km"),
                      ftp_w=num("ftp_w"), css_s_per_100m=num("css_s_per_100m"))


def workout_loads(athlete: Athlete, workouts: Sequence[Workout], day: dt.date, settings: LoadSettings | None,
                  resting_hrs: Sequence[float] = (), history: Sequence[Workout] | None = None,
                  pace_policy: Mapping[str, float] | None = None) -> dict[int, WorkoutLoad]:
    """Each workout's load and method (`load_methods.workout_load`), keyed by `id(workout)`.

    The thresholds are those known on `day` (`resolve` over the workouts before it: `history`,
    default `workouts`); they are only worked out when some workout has no RPE.
    """
    from coach.engine.load_methods import workout_load

    known: Thresholds | None = None
    if settings is not None and any(w.rpe is None for w in workouts):
        needs_pace = any(w.rpe is None and not w.avg_hr and w.distance_m for w in workouts)
        known = thresholds(resolve(athlete, workouts if history is None else history, day, settings,
                                   resting_hrs, with_pace=needs_pace, pace_policy=pace_policy))
    return {id(w): workout_load(w, known, settings) for w in workouts}
