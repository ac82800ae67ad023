"""Trends: the patterns in a log that tell whether the training works (P14, P16).

`compute_trends` turns an athlete's workouts and saved proposals into weekly series and
per-session points; `trends_for` is the use case that loads them through a unit of work.
The numbers come from the same functions the facts use (engine/training_load.py, through the rule
set's settings for what counts as hard), so a chart and a rule never disagree.

Weeks are the 7-day windows ending on the given day, then 7 days earlier, and so on: the
last point is the same "last 7 days" the facts call `load.acute`. Each point's ratios are
computed exactly as the facts would be for the day after the week's end (the same
56-day window, `coach.engine.facts.WINDOW_DAYS`).

What the charts mark and which efforts they follow (the ACWR safe band, the RPE bands
for pace-at-effort, the lap filter for interval sessions) is data, in the rule set's
`trends/trends.yml`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from coach.engine import training_load as L
from coach.engine.errors import InvalidInput
from coach.engine.facts import BASE_DAYS, WINDOW_DAYS, FactSettings
from coach.engine.load_methods import LoadSettings, form_of
from coach.engine.model import Athlete, Kind, Proposal, Sport, Workout
from coach.engine.physiology import workout_loads
from coach.engine.rules.model import Problem
from coach.engine.rules.schema import invalid, parse_model_file
from coach.engine.rules.source import SourceFile, is_number

#: Where the trends settings live inside a rule set directory.
CONFIG_PATH = Path("trends") / "trends.yml"


# --- settings (rules/trends/trends.yml) ----------------------------------------------------

class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SafeBand(_Frozen):
    low: float
    high: float

    @model_validator(mode="before")
    @classmethod
    def _keys(cls, value: Any) -> Any:
        if not isinstance(value, dict) or set(value) != {"low", "high"}:
            raise invalid("acwr_safe_band needs exactly low and high")
        return value

    @field_validator("low", "high", mode="before")
    @classmethod
    def _number(cls, value: Any, info: ValidationInfo) -> Any:
        if not is_number(value) or value < 0:
            raise invalid(f"acwr_safe_band.{info.field_name} must be a number at or above 0, not {value!r}")
        return value

    @model_validator(mode="after")
    def _order(self) -> "SafeBand":
        if self.low >= self.high:
            raise invalid(f"acwr_safe_band.high ({self.high:g}) must be above low ({self.low:g})", key="high")
        return self


class EffortBand(_Frozen):
    label: str
    rpe_min: int = Field(ge=1, le=10)
    rpe_max: int = Field(ge=1, le=10)

    @model_validator(mode="before")
    @classmethod
    def _keys(cls, value: Any) -> Any:
        if not isinstance(value, dict) or set(value) != {"label", "rpe_min", "rpe_max"}:
            raise invalid("needs exactly label, rpe_min and rpe_max")
        return value

    @field_validator("label", mode="before")
    @classmethod
    def _label(cls, value: Any) -> Any:
        if not isinstance(value, str) or not value.strip():
            raise invalid("label must be a word")
        return value

    @field_validator("rpe_min", "rpe_max", mode="before")
    @classmethod
    def _rpe(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 10:
            raise invalid(f"{info.field_name} must be a whole RPE from 1 to 10, not {value!r}")
        return value

    @model_validator(mode="after")
    def _order(self) -> "EffortBand":
        if self.rpe_min > self.rpe_max:
            raise invalid("rpe_max must not be below rpe_min", key="rpe_max")
        return self


class TrendsConfig(_Frozen):
    """The validated content of `trends/trends.yml` (its validators word every problem)."""

    acwr_safe_band: SafeBand
    pace_at_effort: tuple[EffortBand, ...] = ()
    work_pace_pct: float | None = None

    @field_validator("pace_at_effort", mode="before")
    @classmethod
    def _efforts(cls, value: Any) -> Any:
        if not isinstance(value, (list, tuple)):
            raise invalid("pace_at_effort must be a list of {label, rpe_min, rpe_max}")
        return value

    @field_validator("work_pace_pct", mode="before")
    @classmethod
    def _pct(cls, value: Any) -> Any:
        if value is not None and (not is_number(value) or not 0 < value <= 100):
            raise invalid(f"work_pace_pct must be a number above 0 and at most 100, not {value!r}")
        return value


def parse_trends(source: SourceFile) -> tuple[TrendsConfig | None, list[Problem]]:
    """Validate the text of a rule set's `trends/trends.yml`.

    :param source: the file's name (for file:line messages) and text
    :return: the settings (None if there are problems) and every problem, in line order
    """
    return parse_model_file(source, TrendsConfig,
                            "expected a mapping with acwr_safe_band, pace_at_effort and work_pace_pct",
                            _UNKNOWN_KEYS, _MISSING_KEYS, where=_where)


_UNKNOWN_KEYS = {(): "unknown key {key} (known: acwr_safe_band, pace_at_effort, work_pace_pct)"}
_MISSING_KEYS = {(): "{key} is missing"}


def _where(loc: tuple[Any, ...]) -> str:
    return f"pace_at_effort item {loc[1] + 1}" if loc[:1] == ("pace_at_effort",) and len(loc) > 1 else ""


# --- the result ------------------------------------------------------------------------------

class WeekPoint(_Frozen):
    """One 7-day window. Loads in AU (RPE x minutes)."""

    start: dt.date
    end: dt.date = Field(description="last day of the window, inclusive")
    load: float = Field(description="load of the 7 days (the acute load; engine/load_methods.py)")
    chronic: float = Field(description="average weekly load of the 28 days ending on `end`")
    acwr: float | None = None
    acwr_ewma: float | None = None
    monotony: float | None = None
    strain: float | None = None
    sessions: int = 0
    hard_sessions: int = 0
    unrated: int = Field(0, description="sessions without a load (no RPE, and nothing else to compute one from)")
    ctl: float | None = Field(None, description="fitness (CTL, AU/day) after `end`, as the facts compute it")
    atl: float | None = Field(None, description="fatigue (ATL, AU/day) after `end`")
    tsb: float | None = Field(None, description="form (TSB = CTL - ATL) after `end`")
    ramp: float | None = Field(None, description="CTL gained over the 7 days to `end`")
    load_by_sport: dict[str, float] = Field(
        default_factory=dict, description="the 7 days' load of each sport (run, bike, swim; a brick shared between "
                                          "bike and run by load.brick_run_share_pct), as the load.*_acute facts")
    run_km: float = 0.0
    pace_at_effort: dict[str, float | None] = Field(
        default_factory=dict, description="effort band label -> mean pace (s/km) of the week's runs at that effort")
    split_cv_pct: float | None = Field(None, description="mean split spread of the week's interval sessions (%)")


class EffortPoint(_Frozen):
    date: dt.date
    rpe: int
    pace_s_per_km: float


class EffortSeries(_Frozen):
    label: str
    rpe_min: int
    rpe_max: int
    points: list[EffortPoint] = Field(default_factory=list)


class SplitPoint(_Frozen):
    """Split consistency of one interval session: the spread of its rep paces."""

    date: dt.date
    kind: str | None
    reps: int
    cv_pct: float
    pace_s_per_km: float | None


class RuleCount(_Frozen):
    rule: str
    principle: str
    count: int
    last: dt.date


class Trends(_Frozen):
    athlete: str
    start: dt.date
    end: dt.date
    acwr_safe_band: SafeBand
    weeks: list[WeekPoint]
    pace_at_effort: list[EffortSeries]
    splits: list[SplitPoint]
    adaptations: list[RuleCount]
    workouts: int = Field(description="workouts logged from start to end")
    proposals: int = Field(description="proposals saved from start to end")
    first_logged: dt.date | None = Field(None, description="earliest workout read (up to 56 days before start)")
    notes: list[str] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.workouts == 0

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


# --- computing ---------------------------------------------------------------------------------

def window(day: dt.date, weeks: int) -> tuple[dt.date, dt.date]:
    """First and last day (both inclusive) of `weeks` 7-day windows ending on `day`."""
    if weeks < 1:
        raise InvalidInput(f"weeks must be at least 1, not {weeks}")
    return day - dt.timedelta(days=7 * weeks - 1), day


def compute_trends(
    athlete: Athlete,
    workouts: Iterable[Workout],
    proposals: Iterable[Proposal],
    day: dt.date,
    weeks: int,
    settings: Any,
    config: TrendsConfig,
) -> Trends:
    """Weekly load series, pace at effort, split consistency and fired rules up to `day`.

    :param workouts: the athlete's workouts; those from 56 days before the first week up to
        `day` are read (the ratios of the first week need them), others are ignored.
    :param proposals: the athlete's saved proposals; those dated in the weeks are counted.
    :param day: the last day of the last week (inclusive).
    :param weeks: how many 7-day windows.
    :param settings: the rule set's settings (hard_rpe and intensity_of_kind decide what is hard).
    :param config: the trends settings.
    """
    start, end = window(day, weeks)
    s = FactSettings.of(settings)
    read_from = start - dt.timedelta(days=WINDOW_DAYS)
    history = sorted((w for w in workouts if read_from <= w.date <= end), key=lambda w: w.date)
    shown = [w for w in history if w.date >= start]

    efforts = [
        EffortSeries(label=b.label, rpe_min=b.rpe_min, rpe_max=b.rpe_max, points=_effort_points(shown, b, config.work_pace_pct))
        for b in config.pace_at_effort
    ]
    splits = _splits(shown, s, config.work_pace_pct)
    loads = workout_loads(athlete, history, end + dt.timedelta(days=1), s.load, pace_policy=s.pace_policy)

    def load_of(w: Workout) -> float | None:
        return loads[id(w)].load

    brick_share = s.load.brick_run_share_pct if s.load is not None else LoadSettings.brick_run_share_pct
    points = []
    for i in range(weeks):
        w_end = start + dt.timedelta(days=7 * i + 6)
        w_start = w_end - dt.timedelta(days=6)
        series = L.load_series(history, w_end, WINDOW_DAYS, load_of)
        form = None if s.load is None else form_of(series, s.load, seed_days=BASE_DAYS)
        in_week = [w for w in shown if w_start <= w.date <= w_end and w.sport != Sport.rest]
        by_sport = L.sport_load_series(history, w_end, L.ACUTE_DAYS, load_of, brick_share)
        points.append(WeekPoint(
            start=w_start, end=w_end,
            load=round(L.acute_load(series), 1),
            chronic=round(L.chronic_load(series), 1),
            acwr=_round(L.rolling_acwr(series), 3),
            acwr_ewma=_round(L.ewma_acwr(series), 3),
            monotony=_round(L.monotony(series), 3),
            strain=_round(L.strain(series), 1),
            sessions=len(in_week),
            hard_sessions=sum(1 for w in in_week if L.is_hard(w, s.intensity_of_kind, s.hard_rpe)),
            unrated=sum(1 for w in in_week if w.kind != Kind.rest and load_of(w) is None),
            ctl=None if form is None else round(form.ctl, 1),
            atl=None if form is None else round(form.atl, 1),
            tsb=None if form is None else round(form.tsb, 1),
            ramp=None if form is None else round(form.ramp, 1),
            load_by_sport={sport: round(L.acute_load(series), 1) for sport, series in by_sport.items()},
            run_km=round(sum(w.distance_m or 0.0 for w in in_week if w.sport == Sport.run) / 1000.0, 2),
            pace_at_effort={e.label: _mean_in([(p.date, p.pace_s_per_km) for p in e.points], w_start, w_end)
                            for e in efforts},
            split_cv_pct=_mean_in([(sp.date, sp.cv_pct) for sp in splits], w_start, w_end, 2),
        ))
    shown_proposals = [p for p in proposals if start <= p.date <= end]
    first = history[0].date if history else None

    return Trends(
        athlete=athlete.name, start=start, end=end, acwr_safe_band=config.acwr_safe_band,
        weeks=points, pace_at_effort=efforts, splits=splits,
        adaptations=_rule_counts(shown_proposals),
        workouts=len(shown), proposals=len(shown_proposals), first_logged=first,
        notes=_notes(shown, first, end, weeks, start),
    )


def _round(x: float | None, digits: int) -> float | None:
    return None if x is None else round(x, digits)


def _mean_in(points: Sequence[tuple[dt.date, float]], first: dt.date, last: dt.date, digits: int = 1) -> float | None:
    values = [v for day, v in points if first <= day <= last]
    return round(sum(values) / len(values), digits) if values else None


def _effort_points(workouts: Sequence[Workout], band: EffortBand, work_pace_pct: float | None) -> list[EffortPoint]:
    points = []
    for w in workouts:
        if w.sport != Sport.run or w.rpe is None or not band.rpe_min <= w.rpe <= band.rpe_max:
            continue
        pace = L.main_pace(w, work_pace_pct)
        if pace is not None:
            points.append(EffortPoint(date=w.date, rpe=w.rpe, pace_s_per_km=round(pace, 1)))
    return points


def _splits(workouts: Sequence[Workout], s: FactSettings, work_pace_pct: float | None) -> list[SplitPoint]:
    points = []
    for w in workouts:
        if w.sport != Sport.run or len(w.reps) < 2 or not L.is_hard(w, s.intensity_of_kind, s.hard_rpe):
            continue
        paces = L.rep_paces(w, work_pace_pct)
        cv = L.coefficient_of_variation_pct(paces)
        if cv is None:
            continue
        points.append(SplitPoint(
            date=w.date, kind=w.kind.value if w.kind else None, reps=len(paces), cv_pct=round(cv, 2),
            pace_s_per_km=_round(L.main_pace(w, work_pace_pct), 1),
        ))
    return points


def _rule_counts(proposals: Sequence[Proposal]) -> list[RuleCount]:
    counts: Counter[str] = Counter()
    principle: dict[str, str] = {}
    last: dict[str, dt.date] = {}
    for p in sorted(proposals, key=lambda p: p.date):
        for a in p.adaptations:
            counts[a.rule] += 1
            principle[a.rule] = a.principle
            last[a.rule] = p.date
    return [RuleCount(rule=r, principle=principle[r], count=n, last=last[r])
            for r, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _notes(shown: Sequence[Workout], first: dt.date | None, end: dt.date, weeks: int, start: dt.date) -> list[str]:
    if not shown:
        return [f"No workouts logged in the {weeks} week{'s' if weeks != 1 else ''} from {start} to {end}: "
                "log some with `coach log` or `coach import`, then look again."]
    notes = []
    logged_days = (end - first).days + 1 if first else 0
    if logged_days < L.CHRONIC_DAYS:
        notes.append(f"Only {logged_days} day{'s' if logged_days != 1 else ''} of log so far: the chronic load and "
                     f"the ACWR need {L.CHRONIC_DAYS} days of history before they mean much, and read high until then.")
    elif first is not None and (start + dt.timedelta(days=6) - first).days + 1 < L.CHRONIC_DAYS:
        full = first + dt.timedelta(days=L.CHRONIC_DAYS - 1)
        notes.append(f"Your log starts on {first}: weeks ending before {full} have less than {L.CHRONIC_DAYS} days "
                     "of history behind them, so their chronic load is low and their ACWR reads high.")
    unrated = L.unrated(shown)
    if unrated:
        n = len(unrated)
        verb = "carry no load and are" if n != 1 else "carries no load and is"
        notes.append(f"{n} session{'s' if n != 1 else ''} without an RPE (or a duration) {verb} "
                     "left out of the load, ACWR, monotony and strain.")
    return notes
