"""Domain model: the plain values that flow store -> facts -> rules -> session -> renderers.

Nothing here knows about SQLAlchemy or durable_rules. Units are SI throughout:
distances in metres, durations in seconds, paces in seconds per kilometre. The
athlete's display units (km or mi) only matter to renderers.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_serializer, model_validator

from coach.engine.limits import LIMITS


class Sport(StrEnum):
    run = "run"
    bike = "bike"
    swim = "swim"
    brick = "brick"
    strength = "strength"
    cross = "cross"
    rest = "rest"


class Kind(StrEnum):
    easy = "easy"
    recovery = "recovery"
    steady = "steady"
    long = "long"
    tempo = "tempo"
    intervals = "intervals"
    repetitions = "repetitions"
    three_zone = "three_zone"
    race = "race"
    time_trial = "time_trial"
    cross = "cross"
    rest = "rest"


class Intensity(StrEnum):
    hard = "hard"
    moderate = "moderate"
    easy = "easy"
    rest = "rest"


class AthleteSport(StrEnum):
    run = "run"
    triathlon = "triathlon"


class Goal(StrEnum):
    five_k = "5k"
    ten_k = "10k"
    half = "half"
    marathon = "marathon"
    sprint = "sprint"
    olympic = "olympic"
    half_ironman = "70.3"
    ironman = "ironman"


class Units(StrEnum):
    km = "km"
    mi = "mi"


class Weekday(StrEnum):
    mon = "mon"
    tue = "tue"
    wed = "wed"
    thu = "thu"
    fri = "fri"
    sat = "sat"
    sun = "sun"

    @classmethod
    def of(cls, day: dt.date) -> "Weekday":
        return _WEEKDAYS[day.weekday()]


#: the weekdays Monday first, as `date.weekday()` numbers them (`Weekday.of` runs per day in the facts)
_WEEKDAYS: tuple[Weekday, ...] = tuple(Weekday)


class Phase(StrEnum):
    warmup = "warmup"
    main = "main"
    recovery = "recovery"
    taper = "taper"
    cooldown = "cooldown"


#: the store's ceilings (`coach.engine.limits`): a model holds what the store may hold
_HR, _CADENCE, _POWER = LIMITS["heart_rate"].high, LIMITS["cadence"].high, LIMITS["power_w"].high


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class RaceResult(_Model):
    """A recent race or time trial: the source of the athlete's current fitness (P5)."""

    label: str = Field(description="what was raced, e.g. '5k', '10k', 'half'")
    distance_m: float = Field(gt=0)
    time_s: float = Field(gt=0)
    date: dt.date | None = None


class Sex(StrEnum):
    female = "female"
    male = "male"


class Physiology(_Model):
    """The athlete's own values, each optional: what they measured or know (coach athlete set).

    Missing values are estimated from the log where possible (`coach.engine.physiology`).
    """

    sex: Sex | None = None
    hr_max: int | None = Field(default=None, ge=100, le=250, description="maximal heart rate, bpm")
    hr_rest: int | None = Field(default=None, ge=25, le=120, description="resting heart rate, bpm")
    threshold_hr: int | None = Field(default=None, ge=80, le=250, description="lactate-threshold heart rate, bpm")
    ftp_w: float | None = Field(default=None, ge=50, le=700, description="functional threshold power, W")
    css_s_per_100m: float | None = Field(default=None, ge=50, le=300, description="critical swim speed, s per 100 m")
    threshold_pace_s_per_km: float | None = Field(default=None, ge=150, le=900,
                                                  description="threshold (about one-hour race) pace, s/km")

    @model_validator(mode="after")
    def _ordered(self) -> "Physiology":
        rest, threshold, top = self.hr_rest, self.threshold_hr, self.hr_max
        if rest is not None and top is not None and rest >= top:
            raise ValueError("hr_rest must be below hr_max")
        if threshold is not None and top is not None and threshold > top:
            raise ValueError("threshold_hr must not be above hr_max")
        if threshold is not None and rest is not None and threshold <= rest:
            raise ValueError("threshold_hr must be above hr_rest")
        return self


class Athlete(_Model):
    id: int | None = None
    name: str = Field(min_length=1, max_length=100)
    sport: AthleteSport = AthleteSport.run
    goal: Goal = Goal.five_k
    race_date: dt.date | None = None
    recent_races: list[RaceResult] = Field(default_factory=list)
    rest_days: list[Weekday] = Field(default_factory=lambda: [Weekday.sun])
    units: Units = Units.km
    email: str | None = None
    physiology: Physiology = Field(default_factory=Physiology)
    # The week on the calendar (issue 12): with a long-run day set, the season places the
    # week's sessions on the athlete's days; without one, the rotating weekly pattern is used.
    long_run_day: Weekday | None = None
    days_per_week: int | None = Field(default=None, ge=1, le=7, description="training days a week (None: every day but the rest days)")
    season_start: dt.date | None = Field(default=None, description="when the race date was set: the season's runway starts here")
    # The triathlete's days (issue 14); None: the days of the rule set's default triathlon week.
    swim_days: list[Weekday] | None = None
    bike_days: list[Weekday] | None = None
    long_ride_day: Weekday | None = None

    @field_validator("name")
    @classmethod
    def _strip_name(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("name must not be blank")
        return v


class Checkin(_Model):
    """A morning check-in (`coach checkin`): how the athlete slept and feels on `date`.

    It is seen by that same day's proposal (readiness facts, engine/readiness.py).
    """

    date: dt.date
    sleep_h: float | None = Field(default=None, ge=0, le=24)
    soreness: int | None = Field(default=None, ge=0, le=10)
    hrv_ms: float | None = Field(default=None, gt=0, le=300, description="morning rMSSD, ms")
    resting_hr: int | None = Field(default=None, ge=25, le=120)
    feel: int | None = Field(default=None, ge=1, le=5, description="1 awful .. 5 great")
    sick: bool = False
    injured: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _one_state(self) -> "Checkin":
        if self.sick and self.injured:
            raise ValueError("sick and injured are exclusive: give one")
        return self


class Rep(_Model):
    """One rep (or lap) of a workout, in order."""

    index: int = Field(ge=1, description="1-based position in the workout")
    distance_m: float | None = Field(default=None, ge=0)
    duration_s: float | None = Field(default=None, gt=0)
    target_pace_s_per_km: float | None = Field(default=None, gt=0)
    actual_pace_s_per_km: float | None = Field(default=None, gt=0)
    avg_hr: int | None = Field(default=None, gt=0, lt=_HR)
    cadence: float | None = Field(default=None, gt=0, lt=_CADENCE)

    def pace(self) -> float | None:
        """Actual pace in s/km, from the stored value or distance and duration."""
        if self.actual_pace_s_per_km is not None:
            return self.actual_pace_s_per_km
        if self.distance_m and self.duration_s:
            return self.duration_s / (self.distance_m / 1000.0)
        return None


class Workout(_Model):
    """One logged session. `date` is the athlete's local date; `start_time` is UTC."""

    id: int | None = None
    date: dt.date
    start_time: dt.datetime | None = None
    sport: Sport
    kind: Kind | None = None
    kind_inferred: bool = Field(default=False, description="kind was classified, not logged")
    distance_m: float | None = Field(default=None, ge=0)
    duration_s: float | None = Field(default=None, gt=0, description="moving/timer time")
    elapsed_s: float | None = Field(default=None, gt=0)
    rpe: int | None = Field(default=None, ge=1, le=10)
    avg_hr: int | None = Field(default=None, gt=0, lt=_HR)
    max_hr: int | None = Field(default=None, gt=0, lt=_HR)
    cadence: float | None = Field(default=None, gt=0, lt=_CADENCE)
    elevation_gain_m: float | None = Field(default=None, ge=0)
    avg_power_w: float | None = Field(default=None, gt=0, le=_POWER, description="average power (rides)")
    soreness: int | None = Field(default=None, ge=0, le=10)
    sleep_h: float | None = Field(default=None, ge=0, le=24)
    notes: str | None = None
    form_broke_at: int | None = Field(default=None, ge=1, description="rep where form broke")
    source: str = "manual"
    dedupe_key: str | None = None
    reps: list[Rep] = Field(default_factory=list)


class Block(_Model):
    """One part of a proposed session. Shape fixed by the `coach next --json` contract."""

    phase: Phase
    description: str
    repeat: int = Field(default=1, ge=1)
    distance_m: float | None = None
    duration_s: float | None = None
    pace_s_per_km: float | None = None
    recovery_s: float | None = None
    #: what the session asks for: a distance ("400 m repeats") or a time ("3 min"); the
    #: other of distance_m / duration_s follows from the pace. None: neither (or a block
    #: saved before blocks said so).
    measure: Literal["distance", "time"] | None = None
    # --- multisport targets (issue 14): None on run blocks ---
    #: the leg a block belongs to when it is not a run (swim, bike; a brick has both)
    sport: Literal["run", "swim", "bike"] | None = None
    pace_s_per_100m: float | None = None
    power_w: float | None = None
    power_pct_ftp: float | None = None
    #: heart-rate zone (1-5) when there is no power target, or beside it
    hr_zone: int | None = None
    #: the zone's range in bpm from the athlete's heart rates (engine/heart_rate.py); low None: "below high"
    hr_bpm_low: int | None = None
    hr_bpm_high: int | None = None
    cadence_rpm: int | None = None

    @model_serializer(mode="wrap")
    def _without_empty_targets(self, handler: Any) -> dict[str, Any]:
        # A run block's JSON keeps its shape: the multisport keys appear only when set.
        data = handler(self)
        for key in _MULTISPORT_KEYS:
            if data.get(key) is None:
                data.pop(key, None)
        return data


_MULTISPORT_KEYS = ("sport", "pace_s_per_100m", "power_w", "power_pct_ftp", "hr_zone", "hr_bpm_low", "hr_bpm_high",
                    "cadence_rpm")


class Session(_Model):
    sport: Sport
    kind: Kind
    intensity: Intensity
    purpose: str
    blocks: list[Block] = Field(default_factory=list)
    total_duration_s: float = 0
    total_distance_m: float = 0


class Adaptation(_Model):
    """A rule that changed the proposal, and why, in plain words with the numbers (P17)."""

    rule: str
    principle: str = Field(pattern=r"^P([1-9]|1[0-7])$")
    reason: str


class Proposal(_Model):
    athlete: str
    date: dt.date
    session: Session
    adaptations: list[Adaptation] = Field(default_factory=list)
    facts: dict[str, Any] = Field(default_factory=dict)
    rules_version: str | None = Field(default=None, description="content hash of the rule set")
    #: the check-in shown beside the session: the day's own, else the last known one of the
    #: few days before (`engine.readiness.last_known_checkin`); shown only, never a fact
    morning: Checkin | None = None

    def to_json_dict(self) -> dict[str, Any]:
        """The public JSON shape of `coach next --json` (`morning` only when a check-in is known)."""
        data = self.model_dump(mode="json")
        if data["morning"] is None:
            del data["morning"]
        return data


class Action(_Model):
    """One action from a rule's `then:` list, by its vocabulary name (engine/vocabulary.py)."""

    name: str
    params: dict[str, Any] = Field(default_factory=dict)


class Firing(_Model):
    """A rule that fired for an athlete on a day, with its reason filled in from the facts."""

    rule: str
    principle: str
    priority: int = 0
    reason: str
    actions: list[Action] = Field(default_factory=list)


class DeliveryStatus(StrEnum):
    #: claimed by a run that is sending it (or that stopped before recording the outcome)
    sending = "sending"
    sent = "sent"
    failed = "failed"
    #: the server may have taken it (no answer after the message was sent): not sent again without --force
    unknown = "unknown"


class Delivery(_Model):
    """The email of an athlete's proposal for one date: sent (with its Message-ID) or failed (with why)."""

    athlete_id: int
    date: dt.date
    status: DeliveryStatus
    recipient: str | None = None
    message_id: str | None = None
    error: str | None = None
    attempts: int = Field(default=1, ge=1)
    first_attempt_at: dt.datetime | None = None
    last_attempt_at: dt.datetime | None = None
    sent_at: dt.datetime | None = None
    #: while `sending`: the claiming run has stopped by then (its deadline), so a claim older is stale
    claimed_until: dt.datetime | None = None
