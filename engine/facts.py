"""Facts: the named values the rule files match on, computed from an athlete's log.

`compute_facts(athlete, workouts, day, settings)` turns the workouts logged before `day`
into the vocabulary's facts (engine/vocabulary.py: names, types, units, meanings). It is a
pure function: no I/O, no clock; the caller loads the workouts.

The window
----------
Only the last `WINDOW_DAYS` (56) days before `day` are read; older workouts are ignored,
so the cost of a proposal does not grow with years of history. 28 days are what the chronic
load, the aerobic base and calibration need; the EWMA load ratio needs more, because an
exponential average remembers the past: it is seeded with 0 at the start of the window,
and 56 days back leaves less than 2 % of the weight of the 28-day average on older days.
Days-since facts count within the window and say `NOT_IN_WINDOW` (99) when nothing matched.

Fitness and fatigue (`load.ctl`, `load.atl`, `load.tsb`, `load.ramp`) are exponential
averages with a 42-day memory, longer than any bounded window can hold. Within the window
they are seeded: the first 28 days of the window only give their mean daily load, taken as
both averages' value before the 29th day (as if the athlete had trained steadily at that
level), and the averages then run over the last 28 days. A steady athlete gets exactly
their steady CTL; an athlete who just started (zeros early in the window) a low one, as they
should. So `coach next` still reads a fixed window, whatever the history's length.

Only workouts strictly before `day` count, with one exception:
`today.planned_bike_hard` reads the workouts already logged for `day` itself (a
triathlete's hard bike session or brick of the day, P13). For triathletes it and the
`plan.days_after_*` facts also read the plan (engine/triathlon.py): the day's own planned
session, and yesterday's when nothing is logged for it yet (the evening email proposes
tomorrow before today's brick is logged).

A fact whose value is unknown (nothing logged to compute it from) is left out of the
result; every rule comparison on a missing fact is false.

The numbers used here (hard_rpe, maximal_rpe, heavy_load, long_run_minutes,
form_drift_pct, easy_hr_window_days, intensity_of_kind, the weekly pattern) come from the
rule set's settings.yml, never from this module. The formulas for load live once in
engine/training_load.py (session-RPE and the ratios) and engine/load_methods.py (load
without an RPE: heart rate, pace, power; settings.yml `load:`), form-break detection once in
engine/form.py. Every load fact reads each workout's load from `load_methods.workout_load`,
so an athlete who only imports watch files has a known ACWR; `load.method` says where most
of it came from.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from coach.engine import training_load as L
from coach.engine.load_methods import METHODS, LoadSettings, WorkoutLoad, form_of
from coach.engine.physiology import workout_loads
from coach.engine.readiness import ReadinessSettings, readiness_facts
from coach.engine.errors import InvalidInput
from coach.engine.form import recorded, set_form_break, set_pace_drift_pct, work_set_paces
from coach.engine.model import Athlete, Checkin, Kind, Rep, Sport, Weekday, Workout
from coach.engine.vocabulary import NOT_IN_WINDOW

#: Days of history before the proposal date that facts read (see the module docstring).
WINDOW_DAYS = 56
#: Days over which the aerobic base, calibration and chronic load are measured.
BASE_DAYS = 28
#: Wellness values (soreness, sleep) older than this many days are not "latest".
WELLNESS_DAYS = 2
#: Hard sessions with reps considered for calibration (the most recent ones).
CALIBRATION_SESSIONS = 4

_INTENSITY_RANK = {"rest": 0, "easy": 1, "moderate": 2, "hard": 3}
#: races and time trials are maximal whatever their RPE
_MAXIMAL_KINDS = frozenset({Kind.race, Kind.time_trial})
# enum members bound once: looking a member up on its class costs more than comparing it
_RUN, _BIKE, _BRICK, _REST, _LONG = Sport.run, Sport.bike, Sport.brick, Sport.rest, Kind.long


@dataclass(frozen=True)
class FactSettings:
    """The numbers and tables from settings.yml that fact computation needs (no defaults here:
    every number comes from the rule set).

    `work_pace_pct` is classify.yml's `form.work_pace_pct`: which laps of a workout recorded
    by a watch are work reps (None: every lap with a pace, as before that file was read).
    """

    hard_rpe: float
    maximal_rpe: float
    heavy_load: float
    long_run_minutes: float
    form_drift_pct: float
    easy_hr_window_days: int
    calibration_pace_pct: float
    intensity_of_kind: Mapping[str, str]
    pattern: tuple[tuple[str, str], ...]
    work_pace_pct: float | None = None
    load: LoadSettings | None = None
    readiness: ReadinessSettings | None = None
    #: settings.yml `paces:` windows, for the threshold pace a pace-based load compares with
    pace_policy: Mapping[str, float] | None = None
    #: weekday -> (sport, kind): the week of triathletes (the session templates' `triathlon_week`)
    triathlon_week: Mapping[str, tuple[str, str]] | None = None
    #: the rule set's SeasonSettings: with its `triathlon` section, a triathlete's week is built
    #: from their own days and the season's phase (engine/triathlon.py)
    season: Any = None

    @classmethod
    def of(cls, settings: Any, work_pace_pct: float | None = None) -> "FactSettings":
        """Read a rule set's settings (its validated object, or the plain settings.yml mapping).

        :param work_pace_pct: classify.yml's `form.work_pace_pct` (see the class docstring)
        """
        if isinstance(settings, FactSettings):
            return settings if work_pace_pct is None else replace(settings, work_pace_pct=work_pace_pct)
        data = _plain(settings)
        facts = _plain(data.get("facts") or {})
        names = ("hard_rpe", "maximal_rpe", "heavy_load", "long_run_minutes", "form_drift_pct",
                 "easy_hr_window_days", "calibration_pace_pct")
        missing = [k for k in names if facts.get(k) is None]
        if missing:
            raise InvalidInput(f"settings.yml: facts.{missing[0]} is missing")
        known = {k: facts[k] for k in names}
        kinds = {str(k): str(_value(v)) for k, v in _plain(data.get("intensity_of_kind") or {}).items()}
        pattern = tuple((str(_value(_plain(p)["slot"])), str(_value(_plain(p)["kind"])))
                        for p in (data.get("pattern") or ()))
        return cls(**known, intensity_of_kind=kinds, pattern=pattern, work_pace_pct=work_pace_pct,
                   load=LoadSettings.of(data.get("load")), readiness=ReadinessSettings.of(data.get("readiness")),
                   pace_policy=_pace_policy(data.get("paces")))


def _pace_policy(node: Any) -> dict[str, float] | None:
    if node is None:
        return None
    data = _plain(node)
    names = ("race_window_days", "estimate_window_days", "estimate_min_minutes")
    return {k: data[k] for k in names if data.get(k) is not None} or None


def _value(v: Any) -> Any:
    return getattr(v, "value", v)


def _plain(obj: Any) -> dict[str, Any]:
    if obj is None:
        return {}
    if isinstance(obj, Mapping):
        return dict(obj)
    if hasattr(obj, "model_dump"):
        return {k: getattr(obj, k) for k in type(obj).model_fields}
    return dict(vars(obj))


def fact_window(day: dt.date) -> tuple[dt.date, dt.date]:
    """The date range to load for a proposal on `day`: start inclusive, end exclusive.

    The end is the day after `day`, so that workouts already logged for the day itself are
    there for `today.planned_bike_hard`; every other fact reads only days before `day`.
    """
    return day - dt.timedelta(days=WINDOW_DAYS), day + dt.timedelta(days=1)


def _order(w: Workout) -> tuple:
    return (w.date, w.start_time.replace(tzinfo=None) if w.start_time else dt.datetime.min, w.id or 0)


class _Day:
    """What we need to know about one past day."""

    __slots__ = ("workouts", "intensity", "rest")

    def __init__(self, workouts: list[Workout], intensity: str):
        self.workouts = workouts
        self.intensity = intensity
        self.rest = intensity == "rest"


def compute_facts(athlete: Athlete, workouts: Iterable[Workout], day: dt.date, settings: Any,
                  checkins: Sequence[Checkin] = ()) -> dict[str, Any]:
    """The vocabulary's facts for `athlete` on `day`, from the workouts logged before it.

    :param athlete: the athlete (sport, goal, race date, preferred rest days).
    :param workouts: their workouts; any range is accepted, only the window is read.
    :param day: the proposal date.
    :param settings: the rule set's settings (fact parameters, intensity of kinds, weekly pattern),
        or a `FactSettings`; with `FactSettings.work_pace_pct` (classify.yml's, see
        `coach.service.propose.facts_for`), the laps of workouts recorded by a watch are read
        as the importer reads them: only the work laps count as reps.
    :param checkins: the athlete's morning check-ins (`readiness.checkin_window(day)`, the day
        itself included): the readiness facts, and resting heart rates for the load.
    :return: fact name -> value, for every fact whose value is known.
    """
    s = FactSettings.of(settings)
    start = day - dt.timedelta(days=WINDOW_DAYS)
    workouts = list(workouts)
    past = sorted((w for w in workouts if start <= w.date < day), key=_order)
    today = [w for w in workouts if w.date == day]
    # each workout's intensity, computed once (the rest of the function reads this table)
    kinds, hard_rpe = s.intensity_of_kind, s.hard_rpe
    levels = {id(w): L.intensity_of(w, kinds, hard_rpe) for w in past}
    levels.update((id(w), L.intensity_of(w, kinds, hard_rpe)) for w in today)

    def intensity(w: Workout) -> str | None:
        return levels[id(w)]

    # each workout's load and the method that gave it (engine/load_methods.py), computed once
    resting = [c.resting_hr for c in checkins if c.resting_hr and c.date <= day]
    loads = workout_loads(athlete, past, day, s.load, resting, pace_policy=s.pace_policy)

    def load_of(w: Workout) -> float | None:
        return loads[id(w)].load

    # each hard session's work set (its reps in index order, each with its pace), picked once:
    # calibration, lasting calibration and form read the same sets
    sets: dict[int, list[tuple[Rep, float]]] = {}

    def work_set_of(w: Workout) -> list[tuple[Rep, float]]:
        got = sets.get(id(w))
        if got is None:
            got = sets[id(w)] = work_set_paces(sorted(w.reps, key=_rep_index), _lap_pct(w, s))
        return got

    by_day: dict[dt.date, list[Workout]] = {}
    for w in past:
        by_day.setdefault(w.date, []).append(w)

    def day_of(d: dt.date) -> _Day:
        ws = by_day.get(d)
        if not ws:
            return _Day([], "rest")
        known = [i for i in (levels[id(w)] for w in ws) if i is not None]
        if not known:  # trained, but how hard is unknown: not a rest day, not hard either
            return _Day(ws, "easy")
        return _Day(ws, max(known, key=_INTENSITY_RANK.__getitem__))

    facts: dict[str, Any] = {}

    # --- the day and the athlete ---------------------------------------------------------
    weekday = Weekday.of(day)
    facts["today.weekday"] = weekday.value
    facts["today.is_rest_day"] = weekday in athlete.rest_days
    facts["athlete.sport"] = athlete.sport.value
    facts["athlete.goal"] = athlete.goal.value
    if athlete.race_date is not None:
        facts["athlete.days_to_race"] = (athlete.race_date - day).days
    facts["today.planned_bike_hard"] = any(w.sport == _BIKE and intensity(w) == "hard" for w in today)

    # --- days since ----------------------------------------------------------------------
    rest_ago = NOT_IN_WINDOW
    for n in range(1, WINDOW_DAYS + 1):
        ws = by_day.get(day - dt.timedelta(days=n))
        if not ws or all(levels[id(w)] == "rest" for w in ws):
            rest_ago = n
            break
    facts["days_since.rest"] = rest_ago
    facts.update(_days_since(past, day, s, levels, load_of))

    # --- the weekly pattern ----------------------------------------------------------------
    facts.update(_plan(s, athlete, day, rest_ago))

    # --- yesterday -----------------------------------------------------------------------
    yesterday = day_of(day - dt.timedelta(days=1))
    facts["yesterday.intensity"] = yesterday.intensity
    if yesterday.workouts:
        main = max(yesterday.workouts, key=lambda w: (
            _INTENSITY_RANK.get(intensity(w) or "easy", 1), L.duration_minutes(w) or 0.0))
        facts["yesterday.sport"] = main.sport.value
        if main.kind is not None or main.sport == _REST:
            facts["yesterday.kind"] = main.kind.value if main.kind is not None else "rest"
        rpes = [w.rpe for w in yesterday.workouts if w.rpe is not None]
        if rpes:
            facts["yesterday.rpe"] = max(rpes)
        known = [x for x in (load_of(w) for w in yesterday.workouts) if x is not None]
        if known:
            facts["yesterday.load"] = round(sum(known), 1)
    else:
        facts["yesterday.sport"] = "rest"
        facts["yesterday.kind"] = "rest"
        facts["yesterday.load"] = 0.0

    # --- load ----------------------------------------------------------------------------
    facts["history.days"] = (day - past[0].date).days if past else 0
    series = L.load_series(past, day - dt.timedelta(days=1), WINDOW_DAYS, load_of)
    facts["load.acute"] = round(L.acute_load(series), 1)
    facts["load.chronic"] = round(L.chronic_load(series), 1)
    _put(facts, "load.acwr", L.rolling_acwr(series), 3)
    _put(facts, "load.acwr_ewma", L.ewma_acwr(series), 3)
    # the same ratio with the idle days of an absence as missing data, not zero load (a week
    # off sick is no drop in fitness to be measured against for four weeks)
    # and with the level before the absence as the floor of the chronic one (the weeks back
    # are a ramp, not a new normal); two weeks of it at least, within the window
    absence = _absence(athlete, past, day, by_day)
    idle = [(day - dt.timedelta(days=1) - d).days for d in absence[1]] if absence else []
    before: list[int] = []
    if idle:
        first_idle = max(idle) + 1
        before = [i for i in range(first_idle, first_idle + L.CHRONIC_DAYS) if i < len(series)]
        if len(before) < 14:
            before = []
    _put(facts, "load.acwr_present", L.acwr_present(series, idle, before), 3)
    _put(facts, "week.monotony", L.monotony(series), 3)
    _put(facts, "week.strain", L.strain(series), 1)
    if s.load is not None:
        form = form_of(series, s.load, seed_days=BASE_DAYS)
        facts["load.ctl"] = round(form.ctl, 1)
        facts["load.atl"] = round(form.atl, 1)
        facts["load.tsb"] = round(form.tsb, 1)
        facts["load.ramp"] = round(form.ramp, 1)
    monday = day - dt.timedelta(days=day.weekday())
    this_week = [w for w in past if w.date >= monday]
    facts["week.load"] = round(sum(x for x in (load_of(w) for w in this_week) if x is not None), 1)
    facts.update(_load_sources(past, day, loads))
    facts.update(_sport_loads(past, day, load_of, facts["week.load"], s.load))
    facts["week.hard_sessions"] = _hard_sessions(this_week, intensity, s.maximal_rpe)

    # --- form, base, wellness, calibration ---------------------------------------------------
    facts.update(_form(past, day, s, intensity, work_set_of))
    base_start = day - dt.timedelta(days=BASE_DAYS)
    recent = [w for w in past if w.date >= base_start]
    runs = [w for w in recent if w.sport == _RUN]
    facts["base.runs_28d"] = len(runs)
    facts["base.easy_km_28d"] = round(sum(
        (w.distance_m or 0.0) for w in runs if intensity(w) in ("easy", "moderate")) / 1000.0, 1)
    facts.update(_comeback_base_calibration(athlete, past, day, by_day, absence))
    facts.update(_lasting_calibration(past, facts["days_since.calibration"], day, s, intensity, work_set_of))
    facts.update(_wellness(past, day, s, intensity))
    facts.update(_calibration(recent, s, intensity, work_set_of))
    facts.update(_missed(s, athlete, day, by_day, levels))
    facts.update(readiness_facts(checkins, day, s.readiness))
    if _triathlete(s, athlete):
        facts.update(_multisport_week(s, athlete, day, past, intensity))
        facts.update(_multisport_neighbours(s, athlete, day, by_day, today, intensity))
    return facts


def _missed(s: FactSettings, athlete: Athlete, day: dt.date, by_day: Mapping[dt.date, list[Workout]],
            levels: Mapping[int, str | None]) -> dict[str, Any]:
    """Missed sessions: days the weekly pattern planned training (`_plan` as of that day) with nothing logged.

    Judged against the pattern, not the stored proposals: facts read the log only. Only the
    first empty day of a break counts (see `missed`).
    """
    start = day - dt.timedelta(days=WINDOW_DAYS)

    def rested(d: dt.date) -> bool:
        ws = by_day.get(d)
        return not ws or all(levels[id(w)] == "rest" for w in ws)

    def planned(d: dt.date) -> dict[str, Any]:
        rest_ago = NOT_IN_WINDOW
        for n in range(1, (d - start).days + 1):
            if rested(d - dt.timedelta(days=n)):
                rest_ago = n
                break
        return _plan(s, athlete, d, rest_ago)

    def missed(d: dt.date) -> dict[str, Any] | None:
        # an empty day after another empty training day is a break, not one more missed session:
        # the pattern starts again after any day without training, so each would read as a key session
        before = d - dt.timedelta(days=1)
        if by_day.get(d) or (not by_day.get(before) and Weekday.of(before) not in athlete.rest_days):
            return None
        plan = planned(d)
        return None if plan["plan.slot"] == "rest" else plan

    out: dict[str, Any] = {}
    yesterday = missed(day - dt.timedelta(days=1))
    out["yesterday.missed"] = yesterday is not None
    if yesterday is not None:
        out["yesterday.missed_slot"] = yesterday["plan.slot"]
        out["yesterday.missed_kind"] = yesterday["plan.kind"]
    monday = day - dt.timedelta(days=day.weekday())
    out["week.key_missed"] = sum(1 for n in range((day - monday).days)
                                 if (m := missed(monday + dt.timedelta(days=n))) and m["plan.slot"] == "hard")
    sunday = monday + dt.timedelta(days=6)
    out["week.training_days_left"] = sum(1 for n in range((sunday - day).days + 1)
                                         if Weekday.of(day + dt.timedelta(days=n)) not in athlete.rest_days)
    return out


# --- triathletes (issue 14) -----------------------------------------------------------------


def _triathlete(s: FactSettings, athlete: Athlete) -> bool:
    return bool(s.triathlon_week) and athlete.sport.value == "triathlon"


def _triathlon_plan(s: FactSettings, athlete: Athlete, day: dt.date) -> dict[str, Any]:
    """The day of the triathlon week: its sport and kind (engine/triathlon.py `week_plan` when
    the season has a triathlon section, else the static `triathlon_week` by weekday, preferred
    rest days rest). The slot follows the kind's intensity (hard: hard, rest: rest, else light)."""
    weekday = Weekday.of(day)
    if s.season is not None and getattr(s.season, "triathlon", None) is not None:
        from coach.engine.triathlon import week_plan

        sport, kind = week_plan(s.season, athlete, day, s.triathlon_week)[day]
    else:
        sport, kind = s.triathlon_week.get(weekday.value, ("rest", "rest"))
        if weekday in athlete.rest_days:
            sport = "rest"
    if sport == "rest" or kind == "rest":
        return {"plan.slot": "rest", "plan.kind": "rest", "plan.intensity": "rest", "plan.sport": "rest"}
    intensity = s.intensity_of_kind.get(kind, "easy")
    slot = "hard" if intensity == "hard" else "light"
    return {"plan.slot": slot, "plan.kind": kind, "plan.intensity": intensity, "plan.sport": sport}


def _multisport_neighbours(s: FactSettings, athlete: Athlete, day: dt.date, by_day: Mapping[dt.date, list[Workout]],
                           today: Sequence[Workout], intensity: Any) -> dict[str, Any]:
    """P13 on the plan: a brick or a hard ride on the day itself (logged or planned), and the
    days since the last brick and hard ride (a brick counts as a hard ride), from the log, with
    yesterday's planned session standing in while nothing is logged for yesterday."""

    def logged(ws: Sequence[Workout]) -> tuple[bool, bool]:
        brick = any(w.sport == _BRICK for w in ws)
        return brick, brick or any(w.sport == _BIKE and intensity(w) == "hard" for w in ws)

    def planned(d: dt.date) -> tuple[bool, bool]:
        p = _triathlon_plan(s, athlete, d)
        brick = p["plan.sport"] == "brick"
        return brick, brick or (p["plan.sport"] == "bike" and p["plan.intensity"] == "hard")

    yesterday = day - dt.timedelta(days=1)
    after_brick = after_bike = NOT_IN_WINDOW
    for n in range(WINDOW_DAYS, 0, -1):  # oldest first: the nearest day wins
        d = day - dt.timedelta(days=n)
        ws = by_day.get(d)
        brick, bike = logged(ws or ()) if ws or d != yesterday else planned(d)
        after_brick = n if brick else after_brick
        after_bike = n if bike else after_bike
    today_logged = logged(today)[1]
    return {"today.planned_bike_hard": today_logged or planned(day)[1],
            "plan.days_after_brick": after_brick, "plan.days_after_hard_bike": after_bike}


def _multisport_week(s: FactSettings, athlete: Athlete, day: dt.date, past: Sequence[Workout],
                     intensity: Any) -> dict[str, Any]:
    """Hard sessions this week per sport (a brick counts as a hard bike and a hard run), and
    whether the week's key run (a hard run the triathlon week planned before today) is still
    to be done: none was logged since Monday."""
    monday = day - dt.timedelta(days=day.weekday())
    hard = [w for w in past if w.date >= monday and intensity(w) == "hard"]
    runs = sum(1 for w in hard if w.sport in (_RUN, _BRICK))
    bikes = sum(1 for w in hard if w.sport in (_BIKE, _BRICK))
    swims = sum(1 for w in hard if w.sport == Sport.swim)
    planned_before = [monday + dt.timedelta(days=n) for n in range((day - monday).days)]
    key_planned = any((p["plan.sport"], p["plan.intensity"]) == ("run", "hard")
                      for p in (_triathlon_plan(s, athlete, d) for d in planned_before))
    hard_runs = sum(1 for w in hard if w.sport == _RUN)
    return {"week.hard_runs": runs, "week.hard_bikes": bikes, "week.hard_swims": swims,
            "week.key_run_pending": key_planned and hard_runs == 0}


#: sources that name one imported file (`coach.service.importing`: "<format>:<hash>")
_FILE_SOURCES = ("fit:", "gpx:", "tcx:")


def _maximal(w: Workout, maximal_rpe: float) -> bool:
    """A race or time trial, or a session rated at or above `maximal_rpe`."""
    return w.kind in _MAXIMAL_KINDS or (w.rpe is not None and w.rpe >= maximal_rpe)


def _hard_sessions(workouts: Sequence[Workout], intensity: Any, maximal_rpe: float) -> int:
    """Hard sessions among `workouts`, a race counted once however it was logged.

    A race day (a day with a maximal session) is one hard session whatever it holds: a
    triathlon logged or imported as legs (swim, bike, run) is one race, not three hard
    sessions. The legs of one multisport file (one `source`) are one session on any day.
    """
    race_days = {w.date for w in workouts if _maximal(w, maximal_rpe)}
    sessions: set[Any] = set()
    for w in workouts:
        if intensity(w) != "hard":
            continue
        if w.date in race_days:
            sessions.add((w.date, "race"))
        elif w.source.startswith(_FILE_SOURCES):  # "fit:<hash of the file>"; not "csv", "manual"
            sessions.add((w.date, w.source))
        else:
            sessions.add(id(w))
    return len(sessions)


def _put(facts: dict[str, Any], name: str, value: float | None, digits: int) -> None:
    if value is not None:
        facts[name] = round(value, digits)


def _sport_loads(past: Sequence[Workout], day: dt.date, load_of, week_load: float,
                 load: LoadSettings | None) -> dict[str, Any]:
    """Load per sport (run, bike, swim) with the formulas of the total (`training_load`): acute,
    chronic and their ratio, this week's load (Monday to yesterday) and its share of `week_load`
    (unknown while the week has no load). A brick is shared between bike and run by
    `load.brick_run_share_pct`."""
    share = load.brick_run_share_pct if load is not None else LoadSettings.brick_run_share_pct
    days_this_week = day.weekday()  # Monday to yesterday
    out: dict[str, Any] = {}
    by_sport = L.sport_load_series(past, day - dt.timedelta(days=1), WINDOW_DAYS, load_of, share)
    for sport, series in by_sport.items():
        out[f"load.{sport}_acute"] = round(L.acute_load(series), 1)
        out[f"load.{sport}_chronic"] = round(L.chronic_load(series), 1)
        _put(out, f"load.{sport}_acwr", L.rolling_acwr(series), 3)
        week = sum(series[len(series) - days_this_week:]) if days_this_week else 0.0
        out[f"week.{sport}_load"] = round(week, 1)
        if week_load > 0:
            out[f"week.{sport}_share_pct"] = round(week / week_load * 100.0, 1)
    return out


def _load_sources(past: Sequence[Workout], day: dt.date, loads: Mapping[int, WorkoutLoad]) -> dict[str, Any]:
    """Where the last 28 days' load came from: the method that gave most of it, its share, and
    the sessions that have no load at all (no RPE, heart rate or threshold to compute it from)."""
    since = day - dt.timedelta(days=BASE_DAYS)
    by_method = dict.fromkeys(METHODS, 0.0)
    unknown = 0
    for w in past:
        if w.date < since or w.sport == _REST or w.kind == Kind.rest:
            continue
        got = loads[id(w)]
        if got.load is None:
            unknown += 1
        else:
            by_method[got.method] += got.load
    out: dict[str, Any] = {"load.unknown_28d": unknown}
    total = sum(by_method.values())
    if total > 0:
        method = max(by_method, key=by_method.__getitem__)
        out["load.method"] = method
        out["load.method_share_pct"] = round(by_method[method] / total * 100.0, 1)
    return out


def _days_since(past: Sequence[Workout], day: dt.date, s: FactSettings, levels: Mapping[int, str | None],
                load_of) -> dict[str, int]:
    """Days since the latest workout of each kind that counts (hard, maximal, long run, heavy,
    brick, hard bike), in one pass from the most recent workout back."""
    hard = maximal = long_run = heavy = brick = hard_bike = None
    maximal_rpe, long_run_minutes, heavy_load = s.maximal_rpe, s.long_run_minutes, s.heavy_load
    for w in reversed(past):
        if levels[id(w)] == "hard":
            if hard is None:
                hard = w
            if hard_bike is None and w.sport in (_BIKE, _BRICK):
                hard_bike = w
        if maximal is None and _maximal(w, maximal_rpe):
            maximal = w
        if long_run is None and w.sport == _RUN:
            minutes = L.duration_minutes(w)
            if w.kind == _LONG or (minutes is not None and minutes >= long_run_minutes):
                long_run = w
        if heavy is None:
            load = load_of(w)
            if load is not None and load >= heavy_load:
                heavy = w
        if brick is None and w.sport == _BRICK:
            brick = w
        if (hard is not None and maximal is not None and long_run is not None and heavy is not None
                and brick is not None and hard_bike is not None):
            break
    found = {"days_since.hard": hard, "days_since.maximal": maximal, "days_since.long_run": long_run,
             "days_since.heavy": heavy, "days_since.brick": brick, "days_since.hard_bike": hard_bike}
    return {name: NOT_IN_WINDOW if w is None else (day - w.date).days for name, w in found.items()}


def _plan(s: FactSettings, athlete: Athlete, day: dt.date, rest_ago: int) -> dict[str, Any]:
    """The day's place in the weekly pattern (settings `pattern`), deterministically.

    - The athlete's preferred rest day is always the rest slot.
    - Otherwise the day after the last rest day (a day with no workout, or a logged rest) is
      pattern[0], and each later day advances by one entry, cycling; an entry whose slot is
      rest gives a rest day.
    - With no rest day in the window (training every day for weeks), the cycle still moves
      one entry a day: it is counted from the date's ordinal (days since 0001-01-01).
    """
    if _triathlete(s, athlete):
        return _triathlon_plan(s, athlete, day)
    if Weekday.of(day) in athlete.rest_days or not s.pattern:
        return {"plan.slot": "rest", "plan.kind": "rest", "plan.intensity": "rest"}
    steps = rest_ago - 1 if rest_ago != NOT_IN_WINDOW else day.toordinal()
    slot, kind = s.pattern[steps % len(s.pattern)]
    if slot == "rest":
        kind = "rest"
    return {"plan.slot": slot, "plan.kind": kind,
            "plan.intensity": "rest" if slot == "rest" else s.intensity_of_kind.get(kind, "easy")}


def _lap_pct(w: Workout, s: FactSettings) -> float | None:
    """The work-lap threshold for this workout: classify.yml's for laps a watch recorded (which
    include warm-up, recovery jogs and cool-down, as on import), None for reps as logged."""
    return s.work_pace_pct if recorded(w) else None


def _form(past: Sequence[Workout], day: dt.date, s: FactSettings, intensity, work_set_of=None) -> dict[str, Any]:
    """Form-break facts from the last hard session that has reps or the athlete's flag.

    `form.pace_drift_pct` is the drift of the rep where form broke when it broke (so a
    reason quotes the number that crossed the threshold), else the late third of the set
    against the early third (engine/form.py). The laps of a recorded workout are read as the
    importer reads them: only its work laps are reps (`work_pace_pct`). The set is picked once
    (`work_set_of`: the proposal's table, when its reps are in index order as stored).
    """
    last = next((w for w in reversed(past)
                 if intensity(w) == "hard" and (w.reps or w.form_broke_at is not None)), None)
    if last is None:
        return {}
    pct = _lap_pct(last, s)
    if work_set_of is not None and _in_index_order(last.reps):
        chosen = work_set_of(last)
    else:  # reps read in the order given, as the importer reads laps
        chosen = work_set_paces(last.reps, pct)
    count = len(last.reps) if pct is None else len(chosen)
    out: dict[str, Any] = {"form.days_ago": (day - last.date).days, "form.reps": count}
    brk = set_form_break(chosen, s.form_drift_pct) if last.reps else None
    drift = brk.pace_drift_pct if brk is not None else set_pace_drift_pct(chosen)
    if drift is not None:
        out["form.pace_drift_pct"] = round(drift, 1)
    if last.form_broke_at is not None:
        out["form.broke"] = True
        out["form.broke_at_rep"] = last.form_broke_at
    elif brk is not None:
        out["form.broke"] = True
        out["form.broke_at_rep"] = brk.rep
    else:
        out["form.broke"] = False
    return out


def _rep_index(r: Rep) -> int:
    return r.index


def _in_index_order(reps: Sequence[Rep]) -> bool:
    return all(a.index < b.index for a, b in zip(reps, reps[1:]))


def _wellness(past: Sequence[Workout], day: dt.date, s: FactSettings, intensity) -> dict[str, Any]:
    out: dict[str, Any] = {}
    soreness = sleep = last_rpe = None
    short: list[int] = []  # easy runs' heart rates over easy_hr_window_days
    long_: list[int] = []  # ... and over BASE_DAYS
    # "within n days" = (day - date).days <= n, as dates from day - n on
    wellness_from = day - dt.timedelta(days=WELLNESS_DAYS)
    short_from = day - dt.timedelta(days=int(s.easy_hr_window_days))
    long_from = day - dt.timedelta(days=BASE_DAYS)
    for w in past:
        if w.date >= wellness_from:
            if w.soreness is not None:
                soreness = w.soreness
            if w.sleep_h is not None:
                sleep = w.sleep_h
        if w.rpe is not None:
            last_rpe = w.rpe
        if w.avg_hr is not None and w.sport == _RUN and intensity(w) == "easy":
            if w.date >= short_from:
                short.append(w.avg_hr)
            if w.date >= long_from:
                long_.append(w.avg_hr)
    if soreness is not None:
        out["wellness.soreness"] = soreness
    if sleep is not None:
        out["wellness.sleep_h"] = sleep
    if last_rpe is not None:
        out["wellness.last_rpe"] = last_rpe
    if short and long_:
        out["wellness.hr_drift_pct"] = round((statistics.fmean(short) / statistics.fmean(long_) - 1.0) * 100.0, 1)
    return out


def _calibration(recent: Sequence[Workout], s: FactSettings, intensity, work_set_of=None) -> dict[str, Any]:
    """P14: the last hard runs with paced reps and an RPE, at a pace comparable to the latest.

    Comparable: the session's main pace within `calibration_pace_pct` % of the latest one's.
    Facts need at least two such sessions. Recorded laps count by their work laps only.
    """
    # (workout, its work-set paces, its main pace), each measured once
    sessions = []
    for w in recent:
        if w.sport == _RUN and w.rpe is not None and w.reps and intensity(w) == "hard":
            paces, main = L.work_paces(w, _lap_pct(w, s), chosen=work_set_of(w) if work_set_of else None)
            if len(paces) >= 2:
                sessions.append((w, paces, main))
    if not sessions:
        return {}
    ref = sessions[-1][2]
    chosen = [c for c in sessions if c[2] is not None and ref is not None
              and abs(c[2] - ref) <= ref * s.calibration_pace_pct / 100.0][-CALIBRATION_SESSIONS:]
    if len(chosen) < 2:
        return {}
    cvs = [c for c in (L.coefficient_of_variation_pct(paces) for _, paces, _ in chosen) if c is not None]
    (first_w, _, first), (last_w, _, last) = chosen[0], chosen[-1]
    out: dict[str, Any] = {
        "calib.sessions": len(chosen),
        "calib.rpe_change": last_w.rpe - first_w.rpe,
        "calib.pace_change_pct": round((first / last - 1.0) * 100.0, 1),
    }
    if cvs:
        out["calib.pace_cv_pct"] = round(statistics.fmean(cvs), 1)
    return out


# --- coming back, the beginner's base, calibration dates (issue 12: P14, P15, absences) -------


def _absence(athlete: Athlete, past: Sequence[Workout], day: dt.date,
             by_day: Mapping[dt.date, list[Workout]]) -> tuple[int, list[dt.date]] | None:
    """The absence (see `_comeback_base_calibration`): days since it ended and its idle days
    that are not the athlete's planned rest days; None without an idle stretch."""
    if not past:
        return None
    # idle stretches after the first workout in the window, newest first; the longest one
    # that ended within BASE_DAYS is the absence (a later single rest day does not hide it)
    first, since = past[0].date, day - dt.timedelta(days=BASE_DAYS)
    best: tuple[int, list[dt.date]] | None = None  # (days back, idle days)
    d = day - dt.timedelta(days=1)
    while d > first and d >= since:
        if d in by_day:
            d -= dt.timedelta(days=1)
            continue
        end, idle = d, []
        while d > first and d not in by_day:
            if Weekday.of(d) not in athlete.rest_days:
                idle.append(d)
            d -= dt.timedelta(days=1)
        if best is None or len(idle) > len(best[1]):
            best = ((day - end).days, idle)
    return best


def _comeback_base_calibration(athlete: Athlete, past: Sequence[Workout], day: dt.date,
                               by_day: Mapping[dt.date, list[Workout]],
                               absence: tuple[int, list[dt.date]] | None = None) -> dict[str, Any]:
    """Absence, base-volume and calibration-date facts (see engine/vocabulary.py).

    - An idle day has nothing logged; a logged rest is rest, not idleness. Of the stretches of
      idle days after the first workout in the window that ended in the last BASE_DAYS, the
      longest (the latest of equals) is the absence: `absence.days` counts its days that are
      not the athlete's planned rest days, `absence.back_days` the days since it ended (1:
      today is the first day back). Whether it is long enough to count is the rule files' call.
    - Base volume: running minutes over BASE_DAYS, per week and per run, and over the 6 days
      before `day` (with today's session, a rolling week).
    - `days_since.training` and `days_since.calibration` (the last race or time trial, logged
      or dated in the athlete's profile).

    `absence` is `_absence` of the same arguments when the caller has it already (it is found once
    per proposal: the load ratio without the absence reads it too).
    """
    out: dict[str, Any] = {}
    trained = [d for d, ws in by_day.items() if any(w.sport != _REST for w in ws)]
    out["days_since.training"] = (day - max(trained)).days if trained else NOT_IN_WINDOW

    if past:
        best = absence if absence is not None else _absence(athlete, past, day, by_day)
        out["absence.days"] = len(best[1]) if best else 0
        if best:
            out["absence.back_days"] = best[0]

    base_start = day - dt.timedelta(days=BASE_DAYS)
    ramp_start = day - dt.timedelta(days=6)
    minutes = [(w.date, m) for w in past if w.sport == _RUN and w.date >= base_start
               and (m := L.duration_minutes(w)) is not None and m > 0]
    out["base.week_minutes_28d"] = round(sum(m for _, m in minutes) / (BASE_DAYS / 7), 1)
    if minutes:
        out["base.session_minutes_28d"] = round(statistics.median(m for _, m in minutes), 1)
    out["ramp.minutes_6d"] = round(sum(m for d, m in minutes if d >= ramp_start), 1)

    dates = [w.date for w in past if w.kind in _MAXIMAL_KINDS]
    dates += [r.date for r in athlete.recent_races if r.date is not None and r.date < day]
    out["days_since.calibration"] = min(NOT_IN_WINDOW, (day - max(dates)).days) if dates else NOT_IN_WINDOW
    return out


def _lasting_calibration(past: Sequence[Workout], since_test: int, day: dt.date, s: FactSettings,
                         intensity, work_set_of=None) -> dict[str, Any]:
    """P14 that lasts: how far ahead of (or behind) their targets the hard runs since the last
    race or time trial were, summed over those sessions (`calib.gain_pct`).

    A session counts when it was hard but not maximal (the same effort as planned, not an
    all-out one) and its work reps carry target paces; its gain is the mean of target / actual
    pace - 1 over those reps, in %. Sessions run to targets already moved up add nothing, so
    a gain stays until the next race or time trial re-bases the paces (the rule files say how
    far targets may move).
    """
    after = day - dt.timedelta(days=since_test)
    gains = []
    for w in past:
        if (w.date <= after or w.sport != _RUN or not w.reps or intensity(w) != "hard"
                or w.kind in _MAXIMAL_KINDS or (w.rpe is not None and w.rpe >= s.maximal_rpe)):
            continue
        chosen = (work_set_of(w) if work_set_of is not None
                  else work_set_paces(sorted(w.reps, key=_rep_index), _lap_pct(w, s)))
        ratios = [r.target_pace_s_per_km / pace - 1.0 for r, pace in chosen if r.target_pace_s_per_km and pace]
        if ratios:
            gains.append(statistics.fmean(ratios) * 100.0)
    if not gains:
        return {}
    return {"calib.gain_sessions": len(gains), "calib.gain_pct": round(sum(gains), 1)}
