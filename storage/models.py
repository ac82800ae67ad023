"""SQLAlchemy 2 tables of the store (typed `Mapped[...]` models).

These classes are the storage side only: repositories map them to and from the
pydantic values of `coach.engine.model`, which never import SQLAlchemy. The schema
itself is created and changed only by the Alembic revisions in `coach.migrations`;
when you change a model here, add a revision (the test suite checks they agree).

Units are SI as in the domain model: metres, seconds, seconds per kilometre.
`workouts.start_time` is stored as a naive UTC timestamp; `workouts.date` is the
athlete's local calendar date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

#: Constraint names are explicit so migrations can address them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Now, as the naive UTC timestamp the store keeps."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class AthleteRow(Base):
    __tablename__ = "athletes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    sport: Mapped[str] = mapped_column(String(16))
    goal: Mapped[str] = mapped_column(String(16))
    race_date: Mapped[dt.date | None] = mapped_column(Date)
    units: Mapped[str] = mapped_column(String(2))
    email: Mapped[str | None] = mapped_column(String(254))
    #: comma-separated weekday abbreviations, e.g. "sat,sun"
    rest_days: Mapped[str] = mapped_column(String(32), default="")
    # physiology (engine.model.Physiology), each optional
    sex: Mapped[str | None] = mapped_column(String(6))
    hr_max: Mapped[int | None] = mapped_column(Integer)
    hr_rest: Mapped[int | None] = mapped_column(Integer)
    threshold_hr: Mapped[int | None] = mapped_column(Integer)
    ftp_w: Mapped[float | None] = mapped_column(Float)
    css_s_per_100m: Mapped[float | None] = mapped_column(Float)
    threshold_pace_s_per_km: Mapped[float | None] = mapped_column(Float)
    long_run_day: Mapped[str | None] = mapped_column(String(3))
    days_per_week: Mapped[int | None] = mapped_column(Integer)
    season_start: Mapped[dt.date | None] = mapped_column(Date)
    #: a triathlete's days, comma-separated weekdays like rest_days; NULL: the default week
    swim_days: Mapped[str | None] = mapped_column(String(32))
    bike_days: Mapped[str | None] = mapped_column(String(32))
    long_ride_day: Mapped[str | None] = mapped_column(String(3))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    race_results: Mapped[list[RaceResultRow]] = relationship(
        back_populates="athlete",
        cascade="all, delete-orphan",
        order_by="RaceResultRow.id",
    )

    __table_args__ = (
        CheckConstraint("units IN ('km', 'mi')", name="units"),
        # names are looked up ignoring letter case (`athletes.add` checks every new name): an
        # index on the lowered name, so that the check does not read the whole club
        Index("ix_athletes_lower_name", func.lower(name)),
    )


class RaceResultRow(Base):
    __tablename__ = "race_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(32))
    distance_m: Mapped[float] = mapped_column(Float)
    time_s: Mapped[float] = mapped_column(Float)
    date: Mapped[dt.date | None] = mapped_column(Date)

    athlete: Mapped[AthleteRow] = relationship(back_populates="race_results")

    __table_args__ = (
        CheckConstraint("distance_m > 0", name="distance_positive"),
        CheckConstraint("time_s > 0", name="time_positive"),
    )


class WorkoutRow(Base):
    __tablename__ = "workouts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    start_time: Mapped[dt.datetime | None] = mapped_column(DateTime)
    sport: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str | None] = mapped_column(String(16))
    kind_inferred: Mapped[bool] = mapped_column(default=False)
    distance_m: Mapped[float | None] = mapped_column(Float)
    duration_s: Mapped[float | None] = mapped_column(Float)
    elapsed_s: Mapped[float | None] = mapped_column(Float)
    rpe: Mapped[int | None] = mapped_column(Integer)
    avg_hr: Mapped[int | None] = mapped_column(Integer)
    max_hr: Mapped[int | None] = mapped_column(Integer)
    cadence: Mapped[float | None] = mapped_column(Float)
    elevation_gain_m: Mapped[float | None] = mapped_column(Float)
    avg_power_w: Mapped[float | None] = mapped_column(Float)
    soreness: Mapped[int | None] = mapped_column(Integer)
    sleep_h: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str | None] = mapped_column(Text)
    form_broke_at: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(64), default="manual")
    dedupe_key: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    reps: Mapped[list[RepRow]] = relationship(
        back_populates="workout",
        cascade="all, delete-orphan",
        order_by="RepRow.position",
    )

    __table_args__ = (
        Index("ix_workouts_athlete_id_date", "athlete_id", "date"),
        UniqueConstraint("athlete_id", "dedupe_key", name="uq_workouts_athlete_id_dedupe_key"),
        CheckConstraint("rpe IS NULL OR (rpe >= 1 AND rpe <= 10)", name="rpe_range"),
        CheckConstraint("soreness IS NULL OR (soreness >= 0 AND soreness <= 10)", name="soreness_range"),
        CheckConstraint("distance_m IS NULL OR distance_m >= 0", name="distance_not_negative"),
        CheckConstraint("duration_s IS NULL OR duration_s > 0", name="duration_positive"),
        CheckConstraint("sleep_h IS NULL OR (sleep_h >= 0 AND sleep_h <= 24)", name="sleep_range"),
    )


class RepRow(Base):
    __tablename__ = "reps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workout_id: Mapped[int] = mapped_column(ForeignKey("workouts.id", ondelete="CASCADE"))
    #: 1-based order within the workout (Rep.index in the domain model)
    position: Mapped[int] = mapped_column(Integer)
    distance_m: Mapped[float | None] = mapped_column(Float)
    duration_s: Mapped[float | None] = mapped_column(Float)
    target_pace_s_per_km: Mapped[float | None] = mapped_column(Float)
    actual_pace_s_per_km: Mapped[float | None] = mapped_column(Float)
    avg_hr: Mapped[int | None] = mapped_column(Integer)
    cadence: Mapped[float | None] = mapped_column(Float)

    workout: Mapped[WorkoutRow] = relationship(back_populates="reps")

    __table_args__ = (
        UniqueConstraint("workout_id", "position", name="uq_reps_workout_id_position"),
        CheckConstraint("position >= 1", name="position_positive"),
    )


class ProposalRow(Base):
    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    #: Session.model_dump(mode="json")
    session: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: the adaptations (rules that fired, with their reasons), as JSON
    fired: Mapped[list[Any]] = mapped_column(JSON)
    #: the facts the rules saw, as JSON
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    rules_version: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    __table_args__ = (
        UniqueConstraint("athlete_id", "date", name="uq_proposals_athlete_id_date"),
    )


class DeliveryRow(Base):
    """The email of one athlete's proposal for one date: one row per athlete and date."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    #: 'sending' (claimed by a run), 'sent', 'failed' or 'unknown' (the server may have taken it)
    status: Mapped[str] = mapped_column(String(8))
    recipient: Mapped[str | None] = mapped_column(String(254))
    message_id: Mapped[str | None] = mapped_column(String(255))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    first_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: the run that made the last attempt (a random token; it holds the claim while the status is
    #: 'sending'), and the time by which that run has stopped (cleared with the outcome)
    claim: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[dt.datetime | None] = mapped_column(DateTime)

    __table_args__ = (
        UniqueConstraint("athlete_id", "date", name="uq_deliveries_athlete_id_date"),
        CheckConstraint("status IN ('sending', 'sent', 'failed', 'unknown')", name="status"),
        CheckConstraint("attempts >= 1", name="attempts_positive"),
    )


class CheckinRow(Base):
    """A morning check-in: how the athlete slept and feels on a date (one per athlete and date)."""

    __tablename__ = "checkins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    sleep_h: Mapped[float | None] = mapped_column(Float)
    soreness: Mapped[int | None] = mapped_column(Integer)
    hrv_ms: Mapped[float | None] = mapped_column(Float)
    resting_hr: Mapped[int | None] = mapped_column(Integer)
    feel: Mapped[int | None] = mapped_column(Integer)
    sick: Mapped[bool] = mapped_column(default=False)
    injured: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("athlete_id", "date", name="uq_checkins_athlete_id_date"),
        CheckConstraint("soreness IS NULL OR (soreness >= 0 AND soreness <= 10)", name="soreness_range"),
        CheckConstraint("sleep_h IS NULL OR (sleep_h >= 0 AND sleep_h <= 24)", name="sleep_range"),
        CheckConstraint("feel IS NULL OR (feel >= 1 AND feel <= 5)", name="feel_range"),
    )
