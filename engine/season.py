"""The season: where a date falls on the way to the goal race, and the week on the calendar.

Pure functions of the rule set's `season.yml` (`SeasonSettings`), the athlete and a date:
no clock, no I/O. The date is always a parameter.

- `position(settings, athlete, day)`: the phase (base, build, peak, taper, race, recovery;
  `rolling` without a race date), the week of the phase, weeks and days to the race, whether
  the week is a down week, and the targets of the week (volume, long run, key-session factor).
- `week_layout(settings, athlete, day)`: the session kind of each day of the calendar week
  that holds `day`, placed on the athlete's days: rest days, the long run on its day, the hard
  sessions of the phase's week template on the best remaining days (after a rest day first,
  never two hard days in a row, never the day after the long run), easy running elsewhere.
- `season_facts(...)`: the `season.*` facts and, when the athlete has a calendar week (a
  long-run day), the day's `plan.*` facts from the layout.
- `back_off_facts(...)`: `yesterday.long_run`, `yesterday.load_ratio` and
  `load.typical_session`, relative to the athlete's own recent sessions (P11).
- `pacing_plan(...)`: target splits for race day from the race pace.

Weeks run Monday to Sunday. Phases are counted back from the race week in whole calendar
weeks, so every day of a week shares its phase (race week aside: race day is `race`, the
days after it `recovery`).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from coach.engine.model import Athlete, Kind, Sport, Weekday, Workout
from coach.engine.triathlon import TriathlonSeason

SEASON_FILE = "season.yml"
PHASES = ("base", "build", "peak", "taper", "race", "recovery", "rolling")
_GOALS = ("5k", "10k", "half", "marathon")
#: a triathlon goal uses the running season of the closest running distance
_GOAL_OF = {"sprint": "5k", "olympic": "10k", "70.3": "half", "ironman": "marathon"}
#: days of history the athlete's "own recent sessions" are read from (P11)
RECENT_DAYS = 28
#: sessions whose length says nothing about the athlete's long run
_KEY_KINDS = frozenset({Kind.tempo, Kind.intervals, Kind.repetitions, Kind.three_zone, Kind.race, Kind.time_trial})


# --- settings (season.yml) -------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PhaseLengths(_Model):
    taper_weeks: int = Field(ge=1, le=4)
    peak_weeks: int = Field(ge=0, le=6)
    build_weeks: int = Field(ge=0, le=16)
    recovery_days: int = Field(ge=0, le=28)
    rest_after_race: int = Field(ge=0, le=7)


class Progression(_Model):
    down_every: int = Field(ge=2, le=8)
    volume_step_pct: float = Field(ge=0, le=15)
    down_week_volume: float = Field(gt=0, le=1)
    long_run_step_pct: float = Field(ge=0, le=15)
    down_week_long_run: float = Field(gt=0, le=1)
    easy_run_min: float = Field(gt=0, le=240)
    easy_run_max: float = Field(gt=0, le=240)
    first_down_after: int = Field(default=0, ge=0, le=8)
    base_long_run_step_pct: float = Field(default=0, ge=0, le=15)
    rolling_block_step_pct: float = Field(default=0, ge=0, le=15)

    @model_validator(mode="after")
    def _easy_range(self) -> "Progression":
        if self.easy_run_min > self.easy_run_max:
            raise ValueError("easy_run_min must not be above easy_run_max")
        return self


class GoalTargets(_Model):
    long_run_start: float = Field(gt=0, le=300)
    long_run_peak: float = Field(gt=0, le=300)
    volume_start: float = Field(gt=0, le=2000)
    volume_peak: float = Field(gt=0, le=2000)
    hard_session: float = Field(gt=0, le=240)
    hard_session_max: float | None = Field(default=None, gt=0, le=240)

    @model_validator(mode="after")
    def _grows(self) -> "GoalTargets":
        if self.long_run_start > self.long_run_peak or self.volume_start > self.volume_peak:
            raise ValueError("a start value must not be above its peak")
        return self


class KeySessions(_Model):
    base: float = Field(gt=0, le=2)
    build_start: float = Field(gt=0, le=2)
    build_step: float = Field(ge=0, le=0.5)
    peak: float = Field(gt=0, le=2)
    max: float = Field(gt=0, le=2)
    down_week: float = Field(gt=0, le=2)
    rolling: float = Field(gt=0, le=2)


class TaperWeek(_Model):
    volume: float = Field(gt=0, le=1)
    long_run: float = Field(ge=0, le=1)
    key: float = Field(gt=0, le=1.5)


class RaceSettings(_Model):
    no_hard_days: int = Field(ge=0, le=7)
    first_split_slower_pct: float = Field(ge=0, le=10)
    recovery_volume: float = Field(gt=0, le=1)


class WeekTemplate(_Model):
    hard: tuple[Literal["tempo", "intervals", "repetitions", "three_zone", "steady"], ...]
    long_run: bool
    down_week_hard: int = Field(ge=0, le=4)


class BackOff(_Model):
    long_run_vs_typical: float = Field(gt=1, le=5)


class SeasonSettings(_Model):
    """The validated season.yml of a rule set."""

    phases: dict[Literal["5k", "10k", "half", "marathon"], PhaseLengths]
    progression: Progression
    goals: dict[Literal["5k", "10k", "half", "marathon"], GoalTargets]
    key_sessions: KeySessions
    taper: dict[Literal["5k", "10k", "half", "marathon"], dict[int, TaperWeek]]
    race: RaceSettings
    weeks: dict[Literal["base", "build", "peak", "taper", "race", "recovery", "rolling"], WeekTemplate]
    back_off: BackOff
    #: the triathlete's week and season (engine/triathlon.py); None: triathletes keep the
    #: session templates' static `triathlon_week`
    triathlon: TriathlonSeason | None = None

    @model_validator(mode="after")
    def _complete(self) -> "SeasonSettings":
        for name in ("phases", "goals", "taper"):
            missing = [g for g in _GOALS if g not in getattr(self, name)]
            if missing:
                raise ValueError(f"{name}: missing goals: {', '.join(missing)}")
        missing = [p for p in PHASES if p not in self.weeks]
        if missing:
            raise ValueError(f"weeks: missing phases: {', '.join(missing)}")
        for goal, weeks in self.taper.items():
            wrong = [w for w in weeks if not 0 <= w < self.phases[goal].taper_weeks]
            if wrong:
                raise ValueError(f"taper.{goal}: week {wrong[0]} is outside the "
                                 f"{self.phases[goal].taper_weeks} taper week(s) of phases.{goal}")
        return self


def validate_season(file: str, doc: Any) -> tuple[SeasonSettings | None, list[Any]]:
    """season.yml -> SeasonSettings, or every problem as (file, line, message).

    :param file: the file's name for messages
    :param doc: the parsed file (from `source.load_yaml`, so mappings know their lines)
    """
    from coach.engine.rules.model import Problem

    try:
        return SeasonSettings.model_validate(doc), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith(("function-after", "literal")))]
            line, node = getattr(doc, "line", 1) or 1, doc
            for key in loc:
                if hasattr(node, "line_of") and isinstance(node, dict) and key in node:
                    line, node = node.line_of(key), node[key]
                elif hasattr(node, "line_of") and isinstance(node, list) and isinstance(key, int):
                    line, node = node.line_of(key), node[key] if key < len(node) else None
                else:
                    break
            where = ".".join(str(p) for p in loc)
            msg = err["msg"]
            problems.append(Problem(file, line, f"{where + ': ' if where else ''}{msg[0].lower() + msg[1:]}"))
        return None, problems


def parse_season(source: Any) -> tuple[SeasonSettings | None, list[Any]]:
    """Validate the text of a rule set's season.yml (None and no problem when the set has none).

    :param source: the file's name (for file:line messages) and text, or None
    """
    from coach.engine.rules.model import Problem
    from coach.engine.rules.source import YamlSyntaxError, parse_yaml

    if source is None:
        return None, []
    try:
        doc = parse_yaml(source)
    except YamlSyntaxError as exc:
        return None, [Problem(exc.path, exc.line, exc.message)]
    return validate_season(source.name, doc)


# --- where a day falls ----------------------------------------------------------------------


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def season_goal(goal: Any) -> str:
    """The running goal whose season applies (triathlon goals map to a running distance)."""
    g = str(getattr(goal, "value", goal))
    return _GOAL_OF.get(g, g if g in _GOALS else "5k")


@dataclass(frozen=True)
class Position:
    """Where a day falls in the season, and the targets of its week."""

    phase: str
    week_of_phase: int | None      # None: base, which has no fixed start
    phase_weeks: int | None        # None: open-ended (base, rolling)
    weeks_to_race: int | None      # calendar weeks to the race week (0: race week)
    days_to_race: int | None
    down_week: bool
    volume_min: float              # target minutes of running this week
    long_run_min: float            # target long run this week (0: none)
    key_factor: float              # main-set factor of hard sessions


def phase_lengths(s: SeasonSettings, athlete: Athlete) -> PhaseLengths:
    """The goal's phase lengths, compressed when the runway from `athlete.season_start` (the
    day the race date was set) to the race is shorter than taper + peak + build: the taper
    keeps about a week per four available (at least one), peak and build share the rest in
    proportion (at least one peak week), and there is no base."""
    lengths = s.phases[season_goal(athlete.goal)]
    start, race = athlete.season_start, athlete.race_date
    if start is None or race is None or start >= race:
        return lengths
    weeks = (_monday(race) - _monday(start)).days // 7
    if weeks >= lengths.taper_weeks + lengths.peak_weeks + lengths.build_weeks:
        return lengths
    taper = min(lengths.taper_weeks, max(1, weeks // 4 + 1))
    before = max(weeks - taper + 1, 0)            # weeks before the taper, this one included
    wanted = lengths.peak_weeks + lengths.build_weeks
    peak = min(lengths.peak_weeks, max(1, round(lengths.peak_weeks * before / wanted))) if before and wanted else 0
    return lengths.model_copy(update={"taper_weeks": taper, "peak_weeks": peak, "build_weeks": max(before - peak, 0)})


def position(s: SeasonSettings, athlete: Athlete, day: dt.date) -> Position:
    """The phase, week and targets of `day` for `athlete` (see the module docstring).

    :param s: the rule set's season settings
    :param athlete: the athlete (goal and race date)
    :param day: the date
    """
    goal = season_goal(athlete.goal)
    lengths, targets, prog, keys = phase_lengths(s, athlete), s.goals[goal], s.progression, s.key_sessions
    race = athlete.race_date
    days_to_race = (race - day).days if race is not None else None
    if race is not None and -lengths.recovery_days <= days_to_race < 0:
        return Position("recovery", 1, None, None, days_to_race, False,
                        round(targets.volume_peak * s.race.recovery_volume), 0.0, keys.down_week)
    if race is None or days_to_race < 0:
        return _rolling(s, goal, day)
    weeks_to_race = (_monday(race) - _monday(day)).days // 7
    if days_to_race == 0:
        t = s.taper[goal].get(0)
        return Position("race", 1, 1, 0, 0, False, round(targets.volume_peak * (t.volume if t else 0.5)),
                        0.0, 1.0)
    if weeks_to_race < lengths.taper_weeks:
        t = s.taper[goal].get(weeks_to_race) or TaperWeek(volume=0.6, long_run=0.0, key=0.7)
        week = lengths.taper_weeks - weeks_to_race
        return Position("taper", week, lengths.taper_weeks, weeks_to_race, days_to_race, False,
                        round(targets.volume_peak * t.volume),
                        round(targets.long_run_peak * t.long_run) if t.long_run else 0.0, t.key)
    k = weeks_to_race - lengths.taper_weeks + 1          # 1 = the last week before the taper
    down = _down_week(s, athlete, k)
    # up-weeks between this week and the last one before the taper (k = 1, the season's
    # biggest week): the long run and the volume grow by a step each up-week
    ups = sum(1 for j in range(1, k) if not _down_week(s, athlete, j))
    long_run = max(targets.long_run_start, targets.long_run_peak / (1 + prog.long_run_step_pct / 100.0) ** ups)
    # ... and grows gently from the start of the season, where that curve is still flat (base)
    long_run = max(long_run, min(targets.long_run_peak, targets.long_run_start * (
        1 + prog.base_long_run_step_pct / 100.0) ** _ups_since_start(s, athlete, k)))
    volume = max(targets.volume_start, targets.volume_peak / (1 + prog.volume_step_pct / 100.0) ** ups)
    if k <= lengths.peak_weeks:
        phase, week, weeks, key = "peak", lengths.peak_weeks - k + 1, lengths.peak_weeks, keys.peak
    elif k <= lengths.peak_weeks + lengths.build_weeks:
        phase, weeks = "build", lengths.build_weeks
        week = lengths.peak_weeks + lengths.build_weeks - k + 1
        key = keys.build_start + keys.build_step * (week - 1)
    else:
        phase, weeks, key = "base", None, keys.base
        week = None
    if down:
        long_run *= prog.down_week_long_run
        volume *= prog.down_week_volume
        key = min(key, keys.down_week)
    # base is open-ended (it starts whenever the athlete started): it has no week number
    return Position(phase, week, weeks, weeks_to_race, days_to_race, down, round(volume),
                    round(long_run), round(min(key, keys.max), 2))


def _down_week(s: SeasonSettings, athlete: Athlete, k: int) -> bool:
    """Whether week k before the taper (1 = the last one) is a down week: every
    `down_every`-th, counted back from the taper, but not before the season has run
    `first_down_after` weeks from `athlete.season_start` (a plan does not open on a down week)."""
    prog = s.progression
    if k % prog.down_every:
        return False
    start, race = athlete.season_start, athlete.race_date
    if start is None or race is None or start >= race:
        return True
    lengths = phase_lengths(s, athlete)
    k_start = (_monday(race) - _monday(start)).days // 7 - lengths.taper_weeks + 1
    return k_start - k >= prog.first_down_after


def _ups_since_start(s: SeasonSettings, athlete: Athlete, k: int) -> int:
    """Up-weeks of the season before week k (weeks before the taper, 1 = the last one),
    counted from the week of `athlete.season_start` (0 without one)."""
    start, race = athlete.season_start, athlete.race_date
    if start is None or race is None or start >= race:
        return 0
    k_start = (_monday(race) - _monday(start)).days // 7 - phase_lengths(s, athlete).taper_weeks + 1
    return sum(1 for j in range(k + 1, k_start + 1) if not _down_week(s, athlete, j))


def _rolling(s: SeasonSettings, goal: str, day: dt.date) -> Position:
    """No race ahead: blocks of (down_every - 1) weeks up and one down, by the calendar week."""
    prog, targets = s.progression, s.goals[goal]
    n = _monday(day).toordinal() // 7 % prog.down_every  # 0 .. down_every-1, following the calendar
    down = n == prog.down_every - 1
    volume = (targets.volume_start + targets.volume_peak) / 2 * (1 + prog.volume_step_pct / 100.0) ** min(n, prog.down_every - 2)
    long_run = targets.long_run_start * (1 + prog.long_run_step_pct / 100.0) ** min(n, prog.down_every - 2)
    key = s.key_sessions.rolling
    if down:
        volume *= prog.down_week_volume
        long_run *= prog.down_week_long_run
        key = min(key, s.key_sessions.down_week)
    return Position("rolling", n + 1, prog.down_every, None, None, down, round(volume), round(long_run), key)


# --- the week on the calendar -----------------------------------------------------------------


def _days(athlete: Athlete) -> tuple[list[int], int | None]:
    """Training weekday numbers (0 = Monday) and the long-run weekday, from the athlete's week."""
    rest = {list(Weekday).index(Weekday(d)) for d in athlete.rest_days}
    training = [d for d in range(7) if d not in rest]
    long_day = list(Weekday).index(Weekday(athlete.long_run_day)) if athlete.long_run_day else None
    want = athlete.days_per_week
    while want is not None and len(training) > max(want, 1):
        # drop the day farthest from the other rest days, so rest spreads over the week
        # (ties: not next to the long run, then the earlier day)
        rests = [d for d in range(7) if d not in training]

        def spread(d: int) -> tuple:
            gap = min((min((d - r) % 7, (r - d) % 7) for r in rests), default=7)
            near_long = long_day is not None and min((d - long_day) % 7, (long_day - d) % 7) == 1
            return (gap, not near_long, -d)

        training.remove(max((d for d in training if d != long_day), key=spread))
    return training, long_day


def _place_hard(training: list[int], long_day: int | None, count: int) -> list[int]:
    """Weekdays of the hard sessions: after a rest day first (P10), never next to another hard
    day or the day after the long run (P11), the day before the long run only if need be."""
    on = set(training)

    def near(a: int, b: int) -> bool:
        return min((a - b) % 7, (b - a) % 7) == 1

    def candidates(strict: bool) -> list[int]:
        out = []
        for d in training:
            if d == long_day:
                continue
            if long_day is not None and (d - long_day) % 7 == 1:
                continue  # the day after the long run is easy
            if strict and long_day is not None and (long_day - d) % 7 == 1:
                continue
            out.append(d)
        # the best day first: after a rest day, then after an easy training day
        return sorted(out, key=lambda d: (((d - 1) % 7) in on, d))

    chosen: list[int] = []
    for strict in (True, False):
        for d in candidates(strict):
            if len(chosen) >= count:
                break
            if d not in chosen and not any(near(d, c) for c in chosen):
                chosen.append(d)
    return chosen[:count]


def week_layout(s: SeasonSettings, athlete: Athlete, day: dt.date) -> dict[dt.date, str]:
    """The session kind of each day (Monday to Sunday) of the week holding `day`.

    The week follows the phase of its Monday (race week: the `race` template); days inside
    the recovery after a race are recovery runs or rest.

    :param s: the season settings
    :param athlete: the athlete (rest days, long-run day, days per week, goal, race date)
    :param day: any day of the week
    :return: date -> kind (rest, easy, long, recovery, race or a hard kind)
    """
    monday = _monday(day)
    where = position(s, athlete, monday)
    dates = [monday + dt.timedelta(days=i) for i in range(7)]
    race = athlete.race_date
    race_week = race is not None and monday <= race <= dates[-1]
    template = s.weeks["race" if race_week else where.phase]
    hard_kinds = list(template.hard)
    if where.down_week:
        hard_kinds = hard_kinds[:template.down_week_hard]
    training, long_day = _days(athlete)
    layout = {d: "rest" for d in dates}
    for i in training:
        layout[dates[i]] = "easy"
    if template.long_run and where.long_run_min > 0 and long_day is not None and long_day in training:
        layout[dates[long_day]] = "long"
    for kind, i in zip(hard_kinds, _place_hard(training, long_day, len(hard_kinds))):
        layout[dates[i]] = kind
    lengths = s.phases[season_goal(athlete.goal)]
    for d in dates:  # the days of the recovery after the race (as `position` says)
        after = (d - race).days if race is not None else 0
        if layout[d] != "rest" and 0 < after <= lengths.recovery_days:
            layout[d] = "rest" if after <= lengths.rest_after_race else "recovery"
    if race_week:
        for d in dates:
            left = (race - d).days
            if left == 0:
                layout[d] = "race"
            elif -s.phases[season_goal(athlete.goal)].rest_after_race <= left < 0:
                layout[d] = "rest"
            elif 0 < left <= s.race.no_hard_days and layout[d] != "rest":
                layout[d] = "easy"
    return layout


# --- facts --------------------------------------------------------------------------------------

_SLOT = {"rest": "rest", "easy": "light", "recovery": "light", "long": "light", "steady": "light"}


def season_facts(s: SeasonSettings, athlete: Athlete, day: dt.date, intensity_of_kind: Mapping[str, str],
                 workouts: Iterable[Workout] = ()) -> dict[str, Any]:
    """The `season.*` facts of `day`, and the day's `plan.*` when the athlete has a calendar week.

    The long run grows from what the athlete actually ran: never more than one step
    (`long_run_step_pct`) above their longest run of the last RECENT_DAYS days.

    :param s: the season settings
    :param athlete: the athlete
    :param day: the proposal date
    :param intensity_of_kind: settings.yml's table (for `plan.intensity`)
    :param workouts: the logged workouts (only runs of the last RECENT_DAYS days are read)
    """
    from coach.engine import training_load as L

    where = position(s, athlete, day)
    if athlete.long_run_day is not None:  # the targets size the days only on a calendar week
        where = _capped(s, athlete, day, where, workouts)
    facts: dict[str, Any] = {
        "season.phase": where.phase,
        "season.down_week": where.down_week,
        "season.volume_min": where.volume_min,
        "season.long_run_min": where.long_run_min,
        "season.key_factor": where.key_factor,
        "season.calendar": athlete.long_run_day is not None,
    }
    if where.week_of_phase is not None:
        facts["season.week_of_phase"] = where.week_of_phase
    if where.weeks_to_race is not None:
        facts["season.weeks_to_race"] = where.weeks_to_race
    if where.days_to_race is not None and where.days_to_race == 0:
        facts.update({"plan.slot": "hard", "plan.kind": "race", "plan.intensity": "hard"})
        return facts
    if athlete.long_run_day is None:
        return facts
    facts["season.planned_ramp"] = planned_ramp(s, athlete, day)
    layout = week_layout(s, athlete, day)
    kind = layout[day]
    easy_days = sum(1 for k in layout.values() if k in ("easy", "recovery"))
    hard_days = sum(1 for k in layout.values() if k not in ("easy", "recovery", "rest", "long", "race"))
    long_min = where.long_run_min if "long" in layout.values() else 0.0
    goal = s.goals[season_goal(athlete.goal)]
    rest_of_volume = where.volume_min - long_min - hard_days * goal.hard_session
    easy = rest_of_volume / easy_days if easy_days else s.progression.easy_run_min
    facts["season.easy_run_min"] = round(min(max(easy, s.progression.easy_run_min), s.progression.easy_run_max))
    if goal.hard_session_max is not None:
        facts["season.hard_session_max"] = goal.hard_session_max
    if where.days_to_race is not None and 0 < where.days_to_race <= s.race.no_hard_days:
        facts["season.easy_run_min"] = s.progression.easy_run_min  # short and fresh before the race
    facts["plan.kind"] = kind
    facts["plan.slot"] = _SLOT.get(kind, "hard")
    facts["plan.intensity"] = "rest" if kind == "rest" else str(intensity_of_kind.get(kind, "easy"))
    if where.days_to_race is not None and 0 < where.days_to_race <= s.race.no_hard_days:
        facts["season.race_eve"] = True
    return facts


def calendar_missed(s: SeasonSettings, athlete: Athlete, day: dt.date,
                    workouts: Iterable[Workout]) -> dict[str, Any]:
    """The missed-session facts of a calendar week (`yesterday.missed`, `week.key_missed`, ...).

    The same meaning as engine/facts.py gives them for the rotating pattern, judged against
    the athlete's calendar week instead: a day is missed when the week planned training there
    and nothing was logged; only the first empty day of a break counts (an empty day after
    another empty training day is a break, not one more missed session).

    :param s: the season settings
    :param athlete: the athlete (with a long-run day: a calendar week)
    :param day: the proposal date
    :param workouts: the logged workouts (only the days of this week and the one before are read)
    """
    logged = {w.date for w in workouts if w.kind != Kind.rest}
    layouts: dict[dt.date, str] = {}

    def planned(d: dt.date) -> str:
        if d not in layouts:
            layouts.update(week_layout(s, athlete, d))
        return layouts[d]

    def missed(d: dt.date) -> str | None:
        before = d - dt.timedelta(days=1)
        if d in logged or planned(d) == "rest":
            return None
        if before not in logged and planned(before) != "rest":
            return None  # a break: counted once, on its first day
        return planned(d)

    out: dict[str, Any] = {}
    yesterday = missed(day - dt.timedelta(days=1))
    out["yesterday.missed"] = yesterday is not None
    if yesterday is not None:
        out["yesterday.missed_slot"] = _SLOT.get(yesterday, "hard")
        out["yesterday.missed_kind"] = yesterday
    monday = _monday(day)
    out["week.key_missed"] = sum(1 for n in range((day - monday).days)
                                 if (m := missed(monday + dt.timedelta(days=n))) and _SLOT.get(m, "hard") == "hard")
    out["week.training_days_left"] = sum(1 for n in range((monday + dt.timedelta(days=6) - day).days + 1)
                                         if planned(day + dt.timedelta(days=n)) != "rest")
    return out


def planned_ramp(s: SeasonSettings, athlete: Athlete, day: dt.date) -> float:
    """How much the season itself raises the load: last week's planned volume over the average
    of the four planned weeks ending with it (the plan's own acute:chronic ratio)."""
    monday = _monday(day)
    volumes = [position(s, athlete, monday - dt.timedelta(weeks=n)).volume_min for n in range(1, 5)]
    mean = sum(volumes) / len(volumes)
    return round(volumes[0] / mean, 3) if mean else 1.0


def relative_to_plan(facts: dict[str, Any]) -> dict[str, Any]:
    """`load.acwr_over_plan` (and `load.acwr_present_over_plan`, the same for
    `load.acwr_present`): the athlete's load ratio over the one their season planned (P7 and
    P9 read them, so that a planned progression is not taken for fatigue)."""
    ramp, acwr, present = facts.get("season.planned_ramp"), facts.get("load.acwr"), facts.get("load.acwr_present")
    out = {}
    if ramp and acwr is not None:
        out["load.acwr_over_plan"] = round(acwr / ramp, 3)
    if ramp and present is not None:
        out["load.acwr_present_over_plan"] = round(present / ramp, 3)
    return out


def _capped(s: SeasonSettings, athlete: Athlete, day: dt.date, where: Position,
            workouts: Iterable[Workout]) -> Position:
    """The week's long run and volume, never more than one step above what the athlete ran:
    their longest run and their biggest calendar week (Monday to Sunday) of the last 3 weeks.
    Without any run logged there, the season's targets stand."""
    from coach.engine import training_load as L

    monday = _monday(day)
    start = monday - dt.timedelta(weeks=3)
    longest, weeks = 0.0, [0.0, 0.0, 0.0]
    for w in workouts:
        if w.sport == Sport.run and start <= w.date < monday:
            m = L.duration_minutes(w) or 0.0
            if w.kind not in _KEY_KINDS:  # a long interval session is not a long run
                longest = max(longest, m)
            weeks[(monday - w.date).days // 7 - 1] += m
    if not longest:
        return where
    goal, prog = s.goals[season_goal(athlete.goal)], s.progression
    if where.phase == "rolling":
        where = _rolling_grown(s, athlete, day, where, workouts)
    long_cap = max(goal.long_run_start, longest * (1 + prog.long_run_step_pct / 100.0))
    volume_cap = max(goal.volume_start, max(weeks) * (1 + prog.volume_step_pct / 100.0))
    return replace(where, long_run_min=round(min(where.long_run_min, long_cap)),
                   volume_min=round(min(where.volume_min, volume_cap)))


def _rolling_grown(s: SeasonSettings, athlete: Athlete, day: dt.date, where: Position,
                   workouts: Iterable[Workout]) -> Position:
    """A rolling block sized from the one before it: its top week peaks `rolling_block_step_pct`
    above the previous block's longest run and biggest calendar week (never above the goal's
    peaks), its earlier up-weeks a step below each, its down week the usual share of the top.
    Without runs logged in the previous block, the rolling targets stand."""
    from coach.engine import training_load as L

    prog, goal = s.progression, s.goals[season_goal(athlete.goal)]
    n = (where.week_of_phase or 1) - 1                       # 0-based week of the block
    block = _monday(day) - dt.timedelta(weeks=n)
    before = block - dt.timedelta(weeks=prog.down_every)
    longest, weeks = 0.0, [0.0] * prog.down_every
    for w in workouts:
        if w.sport == Sport.run and before <= w.date < block:
            m = L.duration_minutes(w) or 0.0
            if w.kind not in _KEY_KINDS:
                longest = max(longest, m)
            weeks[(w.date - before).days // 7] += m
    if not longest:
        return where
    grow = 1 + prog.rolling_block_step_pct / 100.0
    top_long = min(goal.long_run_peak, longest * grow)
    top_volume = min(goal.volume_peak, max(weeks) * grow)
    if where.down_week:
        long_run, volume = top_long * prog.down_week_long_run, top_volume * prog.down_week_volume
    else:
        below = prog.down_every - 2 - min(n, prog.down_every - 2)  # up-weeks to the block's top
        long_run = top_long / (1 + prog.long_run_step_pct / 100.0) ** below
        volume = top_volume / (1 + prog.volume_step_pct / 100.0) ** below
    return replace(where, long_run_min=round(max(where.long_run_min, long_run)),
                   volume_min=round(max(where.volume_min, volume)))


def back_off_facts(workouts: Iterable[Workout], day: dt.date, s: SeasonSettings) -> dict[str, Any]:
    """P11 facts relative to the athlete's own sessions of the last RECENT_DAYS days.

    - `load.typical_session`: the median session-RPE load of those sessions (AU);
    - `yesterday.load_ratio`: yesterday's load over that median;
    - `yesterday.long_run`: yesterday held a run of kind long, or one at least
      `back_off.long_run_vs_typical` times the median run's duration.
    """
    from coach.engine import training_load as L

    start, yesterday = day - dt.timedelta(days=RECENT_DAYS), day - dt.timedelta(days=1)
    loads: list[float] = []          # every session's load, in one pass
    minutes: list[float] = []        # every run's duration
    y_load = 0.0
    y_runs: list[tuple[Any, float | None]] = []
    run, rest = Sport.run, Sport.rest
    for w in workouts:
        if not start <= w.date < day or w.sport == rest:
            continue
        load = L.session_load(w)
        if load:
            loads.append(load)
        m = L.duration_minutes(w) if w.sport == run else None
        if m:
            minutes.append(m)
        if w.date == yesterday:
            y_load += load or 0.0
            if w.sport == run:
                y_runs.append((w.kind, m))
    facts: dict[str, Any] = {}
    typical = statistics.median(loads) if loads else None
    if typical:
        facts["load.typical_session"] = round(typical, 1)
        facts["yesterday.load_ratio"] = round(y_load / typical, 2)
    typical_run = statistics.median(minutes) if minutes else None
    long_at = typical_run * s.back_off.long_run_vs_typical if typical_run else None
    facts["yesterday.long_run"] = any(kind == Kind.long or (long_at and m and m >= long_at) for kind, m in y_runs)
    return facts


# --- race day -------------------------------------------------------------------------------------


def pacing_plan(distance_m: float, race_pace_s_per_km: float, first_split_slower_pct: float, units: str = "km") -> str:
    """Target time and splits for the race: an even pace after a controlled first split.

    :param distance_m: the race distance
    :param race_pace_s_per_km: the target pace from current fitness
    :param first_split_slower_pct: how much slower the first split starts (%)
    :param units: km or mi
    """
    from coach.engine.presentation import format_clock, format_pace
    from coach.engine.units import METRES_PER_MILE as MILE_M

    total = distance_m / 1000.0 * race_pace_s_per_km
    split_m = 5000.0 if distance_m > 10000 else (MILE_M if units == "mi" else 1000.0)
    n = math.ceil(distance_m / split_m - 1e-9)
    first = split_m / 1000.0 * race_pace_s_per_km * (1 + first_split_slower_pct / 100.0)
    rest_pace = (total - first) / ((distance_m - split_m) / 1000.0) if distance_m > split_m else race_pace_s_per_km
    label = "5 km" if split_m == 5000.0 else ("mile" if units == "mi" else "km")
    marks = []
    elapsed = first
    for i in range(1, n + 1):
        if i > 1:
            elapsed += min(split_m, distance_m - (i - 1) * split_m) / 1000.0 * rest_pace
        if i in (1, 2) or i == n or (n > 6 and i == n // 2):
            marks.append(f"{'finish' if i == n else f'{label} {i}' if label != '5 km' else f'{i * 5} km'} {format_clock(elapsed)}")
    return (f"Pacing plan: target {format_clock(total)} ({format_pace(race_pace_s_per_km, units)}); "
            f"start the first {label} about {first_split_slower_pct:g} % slower, then hold "
            f"{format_pace(rest_pace, units)}: " + ", ".join(marks) + ".")


def season_adaptations(s: SeasonSettings, athlete: Athlete, facts: Mapping[str, Any], session: Any,
                       paces: Any) -> list[Any]:
    """What the season adds to a composed day, with its reason (P17): the race's pacing plan
    on race day, the short race-pace touches of the last easy days before it.

    :param s: the season settings
    :param athlete: the athlete (goal, units)
    :param facts: the day's facts
    :param session: the composed Session
    :param paces: the athlete's TrainingPaces, or None
    """
    from coach.engine.model import Adaptation
    from coach.engine.paces import GOAL_DISTANCE_M
    from coach.engine.presentation import format_pace

    out = []
    kind = str(getattr(session.kind, "value", session.kind))
    units = str(getattr(athlete.units, "value", athlete.units))
    goal = str(getattr(athlete.goal, "value", athlete.goal))
    if kind == "race":
        if paces is not None:
            plan = pacing_plan(GOAL_DISTANCE_M.get(goal, 5000.0), paces.race, s.race.first_split_slower_pct, units)
            if goal in _GOAL_OF:  # a triathlon: the pacing plan is the run leg's
                plan = f"Swim and bike as the session says; the run leg's {plan[0].lower()}{plan[1:]}"
            out.append(Adaptation(rule="race-day", principle="P5",
                                  reason=f"Race day: your goal race, from your current fitness. {plan}"))
        else:
            out.append(Adaptation(rule="race-day", principle="P5",
                                  reason="Race day: your goal race. Start controlled and run even effort; "
                                         "no race or time trial on file gives target splits."))
    elif facts.get("season.race_eve") and kind in ("easy", "recovery"):
        pace = f" at {format_pace(paces.race, units)}" if paces is not None else " at race pace"
        out.append(Adaptation(rule="race-eve", principle="P10", reason=(
            f"{facts.get('athlete.days_to_race')} day(s) to the race: no hard session now. "
            f"Finish with 4 x 20 s relaxed race-pace strides{pace}, full recovery between.")))
    return out
