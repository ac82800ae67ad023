"""Paces from current fitness (P5): Jack Daniels' VDOT, training paces, equivalent race times.

VDOT is Daniels' "pseudo VO2max": the oxygen cost of a race's average speed divided by the
fraction of VO2max a runner can sustain for the race's duration. Both equations are the
published ones (Daniels & Gilbert, 1979):

    VO2 cost (ml/kg/min) = -4.60 + 0.182258 v + 0.000104 v^2        (v in metres per minute)
    %VO2max              = 0.8 + 0.1894393 e^(-0.012778 t) + 0.2989558 e^(-0.1932605 t)   (t in minutes)

Training paces invert the cost equation at the fractions of VDOT Daniels trains at (these
reproduce his tables to a second or two: threshold 88 %, interval 97.5 %, easy 59-74 %);
marathon pace is the predicted marathon's average pace and repetition pace is interval pace
minus 6 s per 400 m, as in his tables. Riegel's formula (T2 = T1 (D2/D1)^1.06) is offered as a
cross-check of equivalent times. Paces are seconds per kilometre throughout.

No I/O here: `paces_for` receives the athlete and the logged workouts and picks its source.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from coach.engine.model import Athlete, Kind, Sport, Workout

MARATHON_M = 42195.0
HALF_M = 21097.5

#: Run distance of each goal race (triathlon goals: the run leg).
GOAL_DISTANCE_M: dict[str, float] = {
    "5k": 5000.0, "10k": 10000.0, "half": HALF_M, "marathon": MARATHON_M,
    "sprint": 5000.0, "olympic": 10000.0, "70.3": HALF_M, "ironman": MARATHON_M,
}

# Daniels' model constants: the fractions of VDOT behind his training-pace tables.
_FRACTION = {
    "recovery": 0.60,
    "easy": 0.67,
    "easy_fast": 0.74,
    "easy_slow": 0.59,
    "threshold": 0.88,
    "interval": 0.975,
}
_REPETITION_GAIN_S_PER_400 = 6.0

#: Pace zones from slowest to fastest; "race" (the goal race pace) sits where its pace puts it.
ZONES: tuple[str, ...] = ("recovery", "easy", "marathon", "threshold", "interval", "repetition", "race")
STANDARD_LADDER: tuple[str, ...] = ("recovery", "easy", "marathon", "threshold", "interval", "repetition")

ZONE_LABEL = {
    "recovery": "recovery pace",
    "easy": "easy pace",
    "marathon": "marathon pace",
    "threshold": "threshold pace",
    "interval": "interval pace",
    "repetition": "repetition pace",
}


def vo2_cost(velocity_m_per_min: float) -> float:
    """Oxygen cost of running at a speed, ml/kg/min (Daniels & Gilbert).

    :param velocity_m_per_min: speed in metres per minute
    """
    v = velocity_m_per_min
    return -4.60 + 0.182258 * v + 0.000104 * v * v


def fraction_of_vo2max(minutes: float) -> float:
    """Fraction of VO2max sustainable for a race lasting `minutes` (Daniels & Gilbert)."""
    t = minutes
    return 0.8 + 0.1894393 * math.exp(-0.012778 * t) + 0.2989558 * math.exp(-0.1932605 * t)


def vdot(distance_m: float, time_s: float) -> float:
    """VDOT of a race or all-out time trial.

    :param distance_m: race distance in metres
    :param time_s: finishing time in seconds
    """
    if distance_m <= 0 or time_s <= 0:
        raise ValueError("distance and time must be positive")
    minutes = time_s / 60.0
    return vo2_cost(distance_m / minutes) / fraction_of_vo2max(minutes)


def velocity_at(vo2: float) -> float:
    """Speed (m/min) whose oxygen cost is `vo2`: the positive root of the cost equation."""
    a, b, c = 0.000104, 0.182258, -4.60 - vo2
    return (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)


def pace_at_fraction(vdot_value: float, fraction: float) -> float:
    """Pace (s/km) that costs `fraction` of VDOT."""
    return 60_000.0 / velocity_at(vdot_value * fraction)


@functools.lru_cache(maxsize=4096)
def race_time(vdot_value: float, distance_m: float) -> float:
    """Equivalent race time (s) for a distance at a VDOT, solved by bisection.

    A pure function of its two numbers, so each answer is kept (about 50 evaluations of the
    VDOT formula each): every proposal's training paces solve it twice, and an athlete's VDOT
    is the same from one day (and one paces lookup) to the next until a new race.

    :param vdot_value: the runner's VDOT
    :param distance_m: the race distance in metres
    """
    if distance_m <= 0:
        raise ValueError("distance must be positive")
    lo, hi = 1.0, 60.0 * 60 * 24  # one second .. one day: VDOT falls as time grows
    for _ in range(100):
        mid = (lo + hi) / 2
        if vdot(distance_m, mid) > vdot_value:
            lo = mid
        else:
            hi = mid
        if hi - lo < 0.01:
            break
    return (lo + hi) / 2


def riegel(time_s: float, distance_m: float, to_distance_m: float, exponent: float = 1.06) -> float:
    """Riegel's equivalent time: T2 = T1 x (D2 / D1) ^ exponent."""
    return time_s * (to_distance_m / distance_m) ** exponent


@dataclass(frozen=True)
class TrainingPaces:
    """Training paces (s/km) for one VDOT, and where that VDOT came from."""

    vdot: float
    easy: float
    easy_range: tuple[float, float]  # (fast end, slow end)
    recovery: float
    marathon: float
    threshold: float
    interval: float
    repetition: float
    race: float
    goal: str
    source: str = ""
    estimated: bool = False
    extra: dict[str, float] = field(default_factory=dict)

    def zone(self, name: str) -> float:
        """Pace of a zone by name (see ZONES)."""
        if name not in ZONES:
            raise KeyError(name)
        return float(getattr(self, name))

    def ladder(self) -> list[tuple[str, float]]:
        """The standard zones, slowest first, with their paces."""
        return [(z, self.zone(z)) for z in STANDARD_LADDER]


def training_paces(vdot_value: float, goal: str = "5k", *, source: str = "", estimated: bool = False) -> TrainingPaces:
    """Daniels' training paces for a VDOT, plus the goal race's pace.

    :param vdot_value: the runner's VDOT
    :param goal: goal race (a key of GOAL_DISTANCE_M), whose pace becomes the "race" zone
    :param source: a sentence saying where the VDOT came from
    """
    interval = pace_at_fraction(vdot_value, _FRACTION["interval"])
    goal_m = GOAL_DISTANCE_M.get(str(goal), 5000.0)
    return TrainingPaces(
        vdot=vdot_value,
        easy=pace_at_fraction(vdot_value, _FRACTION["easy"]),
        easy_range=(pace_at_fraction(vdot_value, _FRACTION["easy_fast"]),
                    pace_at_fraction(vdot_value, _FRACTION["easy_slow"])),
        recovery=pace_at_fraction(vdot_value, _FRACTION["recovery"]),
        marathon=race_time(vdot_value, MARATHON_M) / (MARATHON_M / 1000.0),
        threshold=pace_at_fraction(vdot_value, _FRACTION["threshold"]),
        interval=interval,
        repetition=interval - _REPETITION_GAIN_S_PER_400 * 2.5,
        race=race_time(vdot_value, goal_m) / (goal_m / 1000.0),
        goal=str(goal),
        source=source,
        estimated=estimated,
    )


#: Share of VDOT a logged run of each kind is taken to have cost, to estimate fitness
#: from training when no race is on file (Daniels' zone fractions).
_KIND_FRACTION = {
    Kind.easy: _FRACTION["easy"], Kind.long: _FRACTION["easy"], Kind.recovery: _FRACTION["recovery"],
    Kind.steady: 0.80, Kind.tempo: _FRACTION["threshold"], Kind.three_zone: _FRACTION["threshold"],
    Kind.intervals: _FRACTION["interval"], Kind.repetitions: _FRACTION["interval"],
}


def _fmt_time(seconds: float) -> str:
    from coach.engine.presentation import format_clock

    return format_clock(seconds)


def _fmt_km(metres: float) -> str:
    km = metres / 1000.0
    return f"{km:.1f} km" if abs(km - round(km)) > 1e-6 else f"{km:.0f} km"


#: a run's average heart rate says how hard it was only from this share of the heart-rate reserve
#: up (below it, heart rate moves little with pace and the estimate would be loose)
HR_RESERVE_MIN = 0.6


def _reserve_share(avg_hr: float | None, hr_reserve: tuple[float, float] | None) -> float | None:
    """The share of the heart-rate reserve (Karvonen) of an average heart rate, when it says
    how hard the run was; None without heart rate or thresholds, or below HR_RESERVE_MIN."""
    if not avg_hr or hr_reserve is None:
        return None
    rest, top = hr_reserve
    if top <= rest:
        return None
    share = (avg_hr - rest) / (top - rest)
    return share if HR_RESERVE_MIN <= share <= 1.0 else None


def paces_for(
    athlete: Athlete,
    workouts: Iterable[Workout] = (),
    day: dt.date | None = None,
    *,
    race_window_days: int = 180,
    estimate_window_days: int = 42,
    estimate_min_minutes: float = 20.0,
    hr_reserve: tuple[float, float] | None = None,
) -> tuple[TrainingPaces | None, str]:
    """The athlete's training paces and a sentence saying where they come from.

    Order of preference: the most recent race or time trial (the athlete's recent races and
    logged race/time-trial runs within `race_window_days`); else an estimate from the logged
    runs of the last `estimate_window_days` whose effort the heart rate tells (with
    `hr_reserve`: an average at 60 % or more of the heart-rate reserve, taken as that share
    of the VO2 reserve, Swain & Leutholtz 1997), the one implying the highest VDOT; else from
    the run that implies the highest VDOT assuming it cost the share of VO2max Daniels gives
    its kind (easy ~67 %, tempo ~88 %, intervals ~97.5 %); else None ("no paces: run by feel").

    :param athlete: the athlete (goal and recent races)
    :param workouts: logged workouts, any order
    :param hr_reserve: (resting, maximal) heart rate, given or estimated (engine/physiology.py)
    :param day: the day the paces are for (default: the latest date of a workout or a dated
        race; the engine reads no clock, so callers that know the day pass it)
    """
    workouts = list(workouts)
    if day is None:
        dates = [w.date for w in workouts] + [r.date for r in athlete.recent_races if r.date]
        day = max(dates, default=dt.date(2000, 1, 1))
    goal = str(athlete.goal)

    races: list[tuple[dt.date, float, float, str]] = []
    for r in athlete.recent_races:
        # an undated race counts, but any dated or logged race is newer (P14: a time trial logged
        # later must set the paces, not a profile race of unknown age)
        when = r.date or day - dt.timedelta(days=race_window_days)
        if when <= day and (day - when).days <= race_window_days:
            races.append((when, r.distance_m, r.time_s, f"your {r.label} of {_fmt_time(r.time_s)}"
                          + (f" on {r.date.isoformat()}" if r.date else "")))
    for w in workouts:
        if (w.sport == Sport.run and w.kind in (Kind.race, Kind.time_trial) and w.distance_m and w.duration_s
                and w.date <= day and (day - w.date).days <= race_window_days and w.distance_m >= 1500):
            what = "race" if w.kind == Kind.race else "time trial"
            races.append((w.date, w.distance_m, w.duration_s,
                          f"your {_fmt_km(w.distance_m)} {what} of {_fmt_time(w.duration_s)} on {w.date.isoformat()}"))
    if races:
        when, dist, time_s, text = max(races, key=lambda r: (r[0], vdot(r[1], r[2])))
        value = vdot(dist, time_s)
        source = f"Paces from {text} (VDOT {value:.1f})."
        return training_paces(value, goal, source=source), source

    best: tuple[float, Workout] | None = None
    by_hr: tuple[float, Workout, float] | None = None
    for w in workouts:
        fraction = _KIND_FRACTION.get(w.kind) if w.kind else None
        if (w.sport != Sport.run or not w.distance_m or not w.duration_s
                or w.date > day or (day - w.date).days > estimate_window_days
                or w.duration_s < estimate_min_minutes * 60):
            continue
        cost = vo2_cost(w.distance_m / (w.duration_s / 60.0))
        reserve = _reserve_share(w.avg_hr, hr_reserve)
        if reserve is not None:
            # %HRR ~ %VO2 reserve (Swain & Leutholtz 1997): VO2max = 3.5 + (VO2 - 3.5) / share
            value = 3.5 + (cost - 3.5) / reserve
            if by_hr is None or value > by_hr[0]:
                by_hr = (value, w, reserve)
        elif fraction is not None:
            value = cost / fraction
            if best is None or value > best[0]:
                best = (value, w)
    if by_hr is not None:
        value, w, reserve = by_hr
        pace = w.duration_s / (w.distance_m / 1000.0)
        source = (f"Paces estimated from your {_fmt_km(w.distance_m)} run on {w.date.isoformat()} at "
                  f"{_fmt_time(pace)}/km with your heart rate at {reserve * 100:.0f} % of its reserve "
                  f"(VDOT about {value:.0f}); race a 5K or run a time trial for better targets.")
        return training_paces(value, goal, source=source, estimated=True), source
    if best is not None:
        value, w = best
        pace = w.duration_s / (w.distance_m / 1000.0)
        source = (f"Paces estimated from your {_fmt_km(w.distance_m)} {w.kind} run on {w.date.isoformat()} "
                  f"at {_fmt_time(pace)}/km (VDOT about {value:.0f}); race a 5K or run a time trial for better targets.")
        return training_paces(value, goal, source=source, estimated=True), source

    return None, ("No race, time trial or timed run on file, so paces are by feel; "
                  "run a 5K time trial to get target paces.")
