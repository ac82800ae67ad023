"""Repositories: the store's small API in domain terms (pydantic values in, pydantic values out).

Each repository wraps one SQLAlchemy session owned by the unit of work; nothing here
commits. Workouts are read with plain Core selects (one for the workouts, one for
their reps), so reading the log of one athlete or of a thousand costs two queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session as OrmSession, selectinload

from coach.engine.errors import InvalidInput, NotFound
from coach.engine.collector import collector_paused
from coach.engine.model import (
    Adaptation,
    Athlete,
    Checkin,
    Delivery,
    Kind,
    Physiology,
    Proposal,
    RaceResult,
    Rep,
    Session,
    Sport,
    Workout,
)
from coach.storage.models import AthleteRow, CheckinRow, DeliveryRow, ProposalRow, RaceResultRow, RepRow, WorkoutRow, utcnow
from coach.storage.plausible import REP_LIMITS, WORKOUT_LIMITS, check_athlete, check_workout, check_workout_row


def _to_utc_naive(value: dt.datetime | None) -> dt.datetime | None:
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(dt.timezone.utc).replace(tzinfo=None)


def _from_utc_naive(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=dt.timezone.utc)


# -- athletes -----------------------------------------------------------------------


def _athlete_from_row(row: AthleteRow) -> Athlete:
    return Athlete(
        id=row.id,
        name=row.name,
        sport=row.sport,
        goal=row.goal,
        race_date=row.race_date,
        recent_races=[
            RaceResult(label=r.label, distance_m=r.distance_m, time_s=r.time_s, date=r.date)
            for r in row.race_results
        ],
        rest_days=[d for d in row.rest_days.split(",") if d],
        units=row.units,
        email=row.email,
        physiology=Physiology(**{f: getattr(row, f) for f in _PHYSIOLOGY_FIELDS}),
        long_run_day=row.long_run_day,
        days_per_week=row.days_per_week,
        season_start=row.season_start,
        swim_days=_days_of(row.swim_days),
        bike_days=_days_of(row.bike_days),
        long_ride_day=row.long_ride_day,
    )


def _days_of(text: str | None) -> list[str] | None:
    return None if text is None else [d for d in text.split(",") if d]


def _days_text(days: list | None) -> str | None:
    return None if days is None else ",".join(d.value for d in days)


_PHYSIOLOGY_FIELDS = tuple(Physiology.model_fields)


def _fill_athlete_row(row: AthleteRow, athlete: Athlete) -> None:
    check_athlete(athlete)  # every number finite and possible (storage/plausible.py)
    athlete = Athlete.model_validate(athlete.model_dump())  # model_copy(update=...) does not validate
    row.name = athlete.name
    row.sport = athlete.sport.value
    row.goal = athlete.goal.value
    row.race_date = athlete.race_date
    row.units = athlete.units.value
    row.email = athlete.email
    row.rest_days = ",".join(d.value for d in athlete.rest_days)
    for f in _PHYSIOLOGY_FIELDS:
        value = getattr(athlete.physiology, f)
        setattr(row, f, getattr(value, "value", value))
    row.long_run_day = athlete.long_run_day.value if athlete.long_run_day else None
    row.days_per_week = athlete.days_per_week
    row.season_start = athlete.season_start
    row.swim_days = _days_text(athlete.swim_days)
    row.bike_days = _days_text(athlete.bike_days)
    row.long_ride_day = athlete.long_ride_day.value if athlete.long_ride_day else None
    row.race_results = [
        RaceResultRow(label=r.label, distance_m=r.distance_m, time_s=r.time_s, date=r.date)
        for r in athlete.recent_races
    ]


class AthleteRepository:
    """Athletes by name. Names are unique; lookups ignore letter case."""

    def __init__(self, session: OrmSession):
        self._s = session

    def _row_by_name(self, name: str) -> AthleteRow | None:
        stmt = select(AthleteRow).where(func.lower(AthleteRow.name) == name.strip().lower())
        return self._s.scalars(stmt).first()

    def _names(self) -> list[str]:
        return list(self._s.scalars(select(AthleteRow.name).order_by(AthleteRow.name)))

    def add(self, athlete: Athlete) -> Athlete:
        """Add a new athlete; returns it with its id. Raises InvalidInput if the name is taken."""
        if self._row_by_name(athlete.name) is not None:
            raise InvalidInput(f"an athlete named {athlete.name!r} already exists")
        row = AthleteRow()
        _fill_athlete_row(row, athlete)
        self._s.add(row)
        self._s.flush()
        return athlete.model_copy(update={"id": row.id})

    def get(self, name: str) -> Athlete:
        """The athlete called `name`. Raises NotFound naming the athletes that do exist."""
        row = self._row_by_name(name)
        if row is None:
            known = self._names()
            hint = f" (known: {', '.join(known)})" if known else " (none yet: create one with `coach init --name NAME`)"
            raise NotFound(f"no athlete named {name!r}{hint}")
        return _athlete_from_row(row)

    def get_by_id(self, athlete_id: int) -> Athlete:
        row = self._s.get(AthleteRow, athlete_id)
        if row is None:
            raise NotFound(f"no athlete with id {athlete_id}")
        return _athlete_from_row(row)

    def resolve(self, name: str | None) -> Athlete:
        """The named athlete, or with no name the only athlete in the store."""
        if name:
            return self.get(name)
        rows = list(self._s.scalars(select(AthleteRow).order_by(AthleteRow.name).limit(2)))
        if not rows:
            raise NotFound("no athlete yet: create one with `coach init --name NAME`")
        if len(rows) > 1:
            raise InvalidInput(
                f"several athletes in this store ({', '.join(self._names())}): "
                "choose one with --athlete NAME or COACH_ATHLETE"
            )
        return _athlete_from_row(rows[0])

    def list(self, id_range: tuple[int, int] | None = None) -> list[Athlete]:
        """Every athlete, by name; with `id_range` (lo, hi), only those whose id is lo..hi-1."""
        stmt = select(AthleteRow).order_by(AthleteRow.name)
        if id_range is not None:
            stmt = stmt.where(AthleteRow.id >= id_range[0], AthleteRow.id < id_range[1])
        return [_athlete_from_row(r) for r in self._s.scalars(stmt)]

    def page(self, after_id: int | None, limit: int, shard: tuple[int, int] | None = None) -> list[Athlete]:
        """Up to `limit` athletes by id, those after `after_id` (None: from the first): a club is
        walked page by page, so that no more than a page is held at once; with `shard` (k, n),
        only the athletes whose id is k modulo n. Two queries a page (athletes, race results)."""
        stmt = select(AthleteRow).options(selectinload(AthleteRow.race_results)).order_by(AthleteRow.id).limit(limit)
        if after_id is not None:
            stmt = stmt.where(AthleteRow.id > after_id)
        if shard is not None:
            stmt = stmt.where(AthleteRow.id % shard[1] == shard[0])
        return [_athlete_from_row(r) for r in self._s.scalars(stmt)]

    def update(self, athlete: Athlete) -> Athlete:
        """Replace the stored profile of `athlete.id` (race results included) with `athlete`."""
        if athlete.id is None:
            raise InvalidInput("cannot update an athlete without an id")
        row = self._s.get(AthleteRow, athlete.id)
        if row is None:
            raise NotFound(f"no athlete with id {athlete.id}")
        other = self._row_by_name(athlete.name)
        if other is not None and other.id != row.id:
            raise InvalidInput(f"an athlete named {athlete.name!r} already exists")
        _fill_athlete_row(row, athlete)
        self._s.flush()
        return athlete


# -- workouts -----------------------------------------------------------------------

_WORKOUT_FIELDS = (
    "id", "date", "start_time", "sport", "kind", "kind_inferred", "distance_m", "duration_s",
    "elapsed_s", "rpe", "avg_hr", "max_hr", "cadence", "elevation_gain_m", "avg_power_w", "soreness", "sleep_h",
    "notes", "form_broke_at", "source", "dedupe_key",
)
_REP_FIELDS = (
    "distance_m", "duration_s", "target_pace_s_per_km", "actual_pace_s_per_km", "avg_hr", "cadence",
)
_REP_KEYS = ("index", *_REP_FIELDS)
_WORKOUT_COLUMNS = [getattr(WorkoutRow, f) for f in _WORKOUT_FIELDS]
_REP_COLUMNS = [RepRow.workout_id, RepRow.position, *(getattr(RepRow, f) for f in _REP_FIELDS)]
_SPORTS = {s.value: s for s in Sport}
_KINDS: dict[str | None, Kind | None] = {k.value: k for k in Kind}
_KINDS[None] = None
_object_setattr = object.__setattr__


def _trusted(cls: Any, values: dict[str, Any]) -> Any:
    """An instance of the pydantic model `cls` from `values`, without validating them again.

    For rows read back from the store only: every value was validated on its way in
    (`add` validates, and the database's column types and CHECK constraints hold it),
    and the caller passes every field of `cls` with its domain type (enums, not strings;
    aware start times). This does what `BaseModel.model_construct` does with all fields
    given, minus its per-field default lookup, which makes it slower than validating.

    Every instance so built shares one "fields set" (`model_fields_set`) holding all the
    field names: pydantic only ever adds a field's name to that set (on assignment) and
    copies it for `model_copy`, and every name is in it already, so sharing it changes
    nothing but the cost of making (and freeing) a set per workout and per rep.
    """
    obj = cls.__new__(cls)
    _object_setattr(obj, "__dict__", values)
    _object_setattr(obj, "__pydantic_fields_set__", _ALL_FIELDS[cls])
    _object_setattr(obj, "__pydantic_extra__", None)
    _object_setattr(obj, "__pydantic_private__", None)
    return obj




def _check_trusted(cls: Any, fields: Sequence[str]) -> None:
    """`_trusted` is only right for plain models whose every field the rows supply."""
    if (set(fields) != set(cls.model_fields) or cls.__pydantic_post_init__ or cls.__private_attributes__
            or cls.__pydantic_root_model__ or cls.model_config.get("extra") == "allow"):
        raise TypeError(f"{cls.__name__} cannot be built from trusted rows")  # pragma: no cover


_check_trusted(Workout, (*_WORKOUT_FIELDS, "reps"))
_check_trusted(Rep, _REP_KEYS)
_ALL_FIELDS: dict[type, set[str]] = {Workout: set(Workout.model_fields), Rep: set(Rep.model_fields)}


def _in_range(table: Any, limits: dict[str, tuple[float, float, str]]) -> ColumnElement[bool]:
    """True when every number a stored row must hold in range is NULL or in range (older
    coaches let INF and 1e20 in; PostgreSQL's NaN is out of every range too, and SQLite
    keeps no NaN). The database works it out with the row, so that reading the log (the hot
    path) does not test each value again in Python; a row that fails is then checked field by
    field (`check_workout_row`), which names the value."""
    return and_(*(or_(getattr(table, f).is_(None), getattr(table, f).between(lo, hi))
                  for f, (lo, hi, _) in limits.items()))


_WORKOUT_IN_RANGE = _in_range(WorkoutRow, WORKOUT_LIMITS).label("in_range")
_REP_IN_RANGE = _in_range(RepRow, REP_LIMITS).label("in_range")


class WorkoutRepository:
    """The workout log. Lists are ordered by date, then start time, then insertion."""

    def __init__(self, session: OrmSession):
        self._s = session

    def add(self, athlete_id: int, workout: Workout) -> Workout:
        """Store `workout` for the athlete; returns it with its id.

        Raises InvalidInput when the athlete already has a workout with the same dedupe key.
        """
        if workout.dedupe_key is not None and self.find_by_dedupe_key(athlete_id, workout.dedupe_key):
            raise InvalidInput(f"a workout with dedupe key {workout.dedupe_key!r} is already logged")
        workout = Workout.model_validate(workout.model_dump())  # model_copy(update=...) does not validate
        check_workout(workout)  # every number finite and possible (storage/plausible.py)
        row = self._row(athlete_id, workout)
        self._s.add(row)
        self._s.flush()
        return workout.model_copy(update={"id": row.id})

    def add_many(self, athlete_id: int, workouts: Iterable[Workout]) -> int:
        """Store many workouts of one athlete at once (a backfill, a club's history); returns how many.

        Each workout is checked as `add` checks it; then all are written with two bulk INSERTs
        (the workouts, then their reps) instead of one round of statements per workout.

        Raises InvalidInput, naming the workout, when one is implausible or repeats a dedupe
        key (of the log or of the batch); then nothing of the batch is written.
        """
        taken = self.dedupe_keys(athlete_id)
        rows, reps = [], []
        for n, workout in enumerate(workouts, 1):
            key = workout.dedupe_key
            if key is not None:
                if key in taken:
                    raise InvalidInput(f"workout {n}: a workout with dedupe key {key!r} is already logged")
                taken.add(key)
            workout = Workout.model_validate(workout.model_dump())
            try:
                check_workout(workout)
            except InvalidInput as exc:
                raise InvalidInput(f"workout {n} ({workout.date.isoformat()}): {exc}") from None
            rows.append(self._values(athlete_id, workout))
            reps.append([dict(position=rep.index, **rep.model_dump(include=set(_REP_FIELDS)))
                         for rep in workout.reps])
        if not rows:
            return 0
        ids = self._s.scalars(insert(WorkoutRow).returning(WorkoutRow.id, sort_by_parameter_order=True),
                              rows).all()
        rep_rows = [dict(rep, workout_id=workout_id) for workout_id, its in zip(ids, reps) for rep in its]
        if rep_rows:
            self._s.execute(insert(RepRow), rep_rows)
        return len(rows)

    @staticmethod
    def _values(athlete_id: int, workout: Workout) -> dict[str, Any]:
        data = workout.model_dump(exclude={"id", "reps"})
        data["sport"] = workout.sport.value
        data["kind"] = workout.kind.value if workout.kind else None
        data["start_time"] = _to_utc_naive(workout.start_time)
        data["athlete_id"] = athlete_id
        return data

    @classmethod
    def _row(cls, athlete_id: int, workout: Workout) -> WorkoutRow:
        row = WorkoutRow(**cls._values(athlete_id, workout))
        row.reps = [
            RepRow(position=rep.index, **rep.model_dump(include=set(_REP_FIELDS))) for rep in workout.reps
        ]
        return row

    def delete(self, athlete_id: int, workout_id: int) -> None:
        deleted = self._s.execute(
            delete(WorkoutRow).where(WorkoutRow.athlete_id == athlete_id, WorkoutRow.id == workout_id)
        ).rowcount
        if not deleted:
            raise NotFound(f"no workout #{workout_id} for this athlete")

    def get(self, athlete_id: int, workout_id: int) -> Workout:
        """The athlete's workout with this id.

        :raises NotFound: when the athlete has no workout with that id
        """
        found = self._load(WorkoutRow.athlete_id == athlete_id, WorkoutRow.id == workout_id)
        if not found:
            raise NotFound(f"no workout #{workout_id} for this athlete (see `coach history` for ids)")
        return found[athlete_id][0]

    def update(self, athlete_id: int, workout: Workout) -> Workout:
        """Write the changed fields of a stored workout (its reps are kept as they are)."""
        workout = Workout.model_validate(workout.model_dump())
        row = self._s.get(WorkoutRow, workout.id)
        if row is None or row.athlete_id != athlete_id:
            raise NotFound(f"no workout #{workout.id} for this athlete")
        data = workout.model_dump(exclude={"id", "reps"})
        data["sport"] = workout.sport.value
        data["kind"] = workout.kind.value if workout.kind else None
        data["start_time"] = _to_utc_naive(workout.start_time)
        for key, value in data.items():
            setattr(row, key, value)
        self._s.flush()
        return workout

    def find_by_dedupe_key(self, athlete_id: int, key: str) -> Workout | None:
        found = self._load(WorkoutRow.athlete_id == athlete_id, WorkoutRow.dedupe_key == key)
        return found[athlete_id][0] if found else None

    def dedupe_keys(self, athlete_id: int) -> set[str]:
        """Every dedupe key the athlete's log holds (for bulk imports)."""
        stmt = select(WorkoutRow.dedupe_key).where(
            WorkoutRow.athlete_id == athlete_id, WorkoutRow.dedupe_key.is_not(None)
        )
        return set(self._s.scalars(stmt))

    def list(self, athlete_id: int, since: dt.date | None = None, until: dt.date | None = None) -> list[Workout]:
        """The athlete's workouts from `since` to `until`, both inclusive (None: unbounded)."""
        where = [WorkoutRow.athlete_id == athlete_id]
        if since is not None:
            where.append(WorkoutRow.date >= since)
        if until is not None:
            where.append(WorkoutRow.date <= until)
        return self._load(*where).get(athlete_id, [])

    def between(self, athlete_id: int, start: dt.date, end: dt.date) -> list[Workout]:
        """The athlete's workouts with start <= date < end."""
        return self.between_many([athlete_id], start, end)[athlete_id]

    def between_many(self, athlete_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, list[Workout]]:
        """Workouts with start <= date < end for many athletes at once, in two queries.

        Every requested athlete id is a key of the result, with an empty list when it has none.
        """
        ids = sorted(set(athlete_ids))
        result: dict[int, list[Workout]] = {i: [] for i in ids}
        if not ids:
            return result
        loaded = self._load(WorkoutRow.athlete_id.in_(ids), WorkoutRow.date >= start, WorkoutRow.date < end)
        result.update(loaded)
        return result

    def races_between_many(self, athlete_ids: Iterable[int], start: dt.date,
                           end: dt.date) -> dict[int, list[Workout]]:
        """Races and time trials with start <= date < end for many athletes, in two small queries.

        The cheap extra read that lets paces see a race older than a proposal's fact window.
        """
        ids = sorted(set(athlete_ids))
        result: dict[int, list[Workout]] = {i: [] for i in ids}
        if not ids:
            return result
        kinds = (Kind.race.value, Kind.time_trial.value)
        result.update(self._load(WorkoutRow.athlete_id.in_(ids), WorkoutRow.kind.in_(kinds),
                                 WorkoutRow.date >= start, WorkoutRow.date < end))
        return result

    def _load(self, *where: ColumnElement[bool]) -> dict[int, list[Workout]]:
        """Workouts matching `where`, grouped by athlete id: one query for workouts, one for reps."""
        order = (WorkoutRow.athlete_id, WorkoutRow.date, WorkoutRow.start_time.is_(None),
                 WorkoutRow.start_time, WorkoutRow.id)
        conn = self._s.connection()  # plain Core rows: no ORM identity map for read-only lists
        with collector_paused():
            rows = conn.execute(
                select(WorkoutRow.athlete_id, *_WORKOUT_COLUMNS, _WORKOUT_IN_RANGE).where(*where).order_by(*order)
            ).all()
            if not rows:
                return {}
            rep_rows = conn.execute(
                select(*_REP_COLUMNS, _REP_IN_RANGE)
                .join(WorkoutRow, WorkoutRow.id == RepRow.workout_id)
                .where(*where)
                .order_by(RepRow.workout_id, RepRow.position)
            ).all()
            # Rows come back as the domain's own values, so they are not validated a second
            # time (`_trusted`): on a club's fact windows that was most of a proposal's cost.
            # The last column of each row says whether its numbers are all in range.
            reps: dict[int, list[Rep]] = defaultdict(list)
            bad_reps: dict[int, list[dict[str, Any]]] = defaultdict(list)
            for r in rep_rows:
                rep = dict(zip(_REP_KEYS, r[1:-1]))
                if not r[-1]:
                    bad_reps[r[0]].append(rep)
                reps[r[0]].append(_trusted(Rep, rep))
            grouped: dict[int, list[Workout]] = defaultdict(list)
            utc = dt.timezone.utc
            for r in rows:
                data: dict[str, Any] = dict(zip(_WORKOUT_FIELDS, r[1:-1]))
                data["sport"] = _SPORTS[data["sport"]]
                data["kind"] = _KINDS[data["kind"]]
                if data["start_time"] is not None:
                    data["start_time"] = data["start_time"].replace(tzinfo=utc)
                if not r[-1] or data["id"] in bad_reps:
                    check_workout_row(data, bad_reps.get(data["id"], ()))  # raises, naming the workout
                data["reps"] = reps.get(data["id"]) or []
                grouped[r[0]].append(_trusted(Workout, data))
        return dict(grouped)


# -- proposals ----------------------------------------------------------------------


def _proposal_from_row(row: ProposalRow, athlete_name: str) -> Proposal:
    return Proposal(
        athlete=athlete_name,
        date=row.date,
        session=Session.model_validate(row.session),
        adaptations=[Adaptation.model_validate(a) for a in row.fired],
        facts=dict(row.facts or {}),
        rules_version=row.rules_version,
    )


class ProposalRepository:
    """Proposed sessions: one per athlete and date; proposing again for a date replaces it."""

    def __init__(self, session: OrmSession):
        self._s = session

    def _name(self, athlete_id: int) -> str:
        name = self._s.scalar(select(AthleteRow.name).where(AthleteRow.id == athlete_id))
        if name is None:
            raise NotFound(f"no athlete with id {athlete_id}")
        return name

    def _row(self, athlete_id: int, date: dt.date) -> ProposalRow | None:
        stmt = select(ProposalRow).where(ProposalRow.athlete_id == athlete_id, ProposalRow.date == date)
        return self._s.scalars(stmt).first()

    def add(self, athlete_id: int, proposal: Proposal) -> int:
        """Save `proposal` (replacing the one for the same date, if any); returns its id."""
        data = proposal.to_json_dict()
        row = self._row(athlete_id, proposal.date)
        if row is None:
            row = ProposalRow(athlete_id=athlete_id, date=proposal.date)
            self._s.add(row)
        row.session = data["session"]
        row.fired = data["adaptations"]
        row.facts = data["facts"]
        row.rules_version = proposal.rules_version
        row.created_at = utcnow()
        row.delivered_at = None
        self._s.flush()
        return row.id

    def add_many(self, items: Iterable[tuple[int, Proposal]]) -> int:
        """Save many proposals at once, each replacing the one of its athlete and date: one
        DELETE and one INSERT of all the rows, not a read and a flush per proposal (the
        nightly email saves a batch of athletes this way); returns how many were saved.

        Rows of these dates already loaded in this unit of work are not refreshed.

        :param items: (athlete id, proposal) pairs, at most one per athlete and date
        :raises InvalidInput: two proposals for the same athlete and date
        """
        now = utcnow()
        rows = []
        for athlete_id, proposal in items:
            data = proposal.to_json_dict()
            rows.append(dict(athlete_id=athlete_id, date=proposal.date, session=data["session"],
                             fired=data["adaptations"], facts=data["facts"], rules_version=proposal.rules_version,
                             created_at=now, delivered_at=None))
        if not rows:
            return 0
        by_date: dict[dt.date, set[int]] = defaultdict(set)
        for r in rows:
            if r["athlete_id"] in by_date[r["date"]]:
                raise InvalidInput(f"two proposals for athlete {r['athlete_id']} on {r['date'].isoformat()}")
            by_date[r["date"]].add(r["athlete_id"])
        table = ProposalRow.__table__
        for date, ids in by_date.items():
            self._s.execute(delete(table).where(table.c.date == date, table.c.athlete_id.in_(sorted(ids))))
        self._s.execute(insert(table), rows)
        return len(rows)

    def get(self, athlete_id: int, date: dt.date) -> Proposal | None:
        row = self._row(athlete_id, date)
        return None if row is None else _proposal_from_row(row, self._name(athlete_id))

    def list(self, athlete_id: int, since: dt.date | None = None) -> list[Proposal]:
        stmt = select(ProposalRow).where(ProposalRow.athlete_id == athlete_id)
        if since is not None:
            stmt = stmt.where(ProposalRow.date >= since)
        rows: Sequence[ProposalRow] = self._s.scalars(stmt.order_by(ProposalRow.date)).all()
        if not rows:
            return []
        name = self._name(athlete_id)
        return [_proposal_from_row(r, name) for r in rows]

    def delivered_at(self, athlete_id: int, date: dt.date) -> dt.datetime | None:
        """When the proposal for `date` was delivered (UTC), or None."""
        row = self._row(athlete_id, date)
        return _from_utc_naive(row.delivered_at) if row else None

    def mark_delivered(self, athlete_id: int, date: dt.date, when: dt.datetime | None = None) -> None:
        """Record that the proposal for `date` was delivered (default: now).

        :raises NotFound: there is no proposal for that date
        """
        if self.mark_delivered_many([athlete_id], date, when) != 1:
            raise NotFound(f"no proposal for {date.isoformat()}")

    def mark_delivered_many(self, athlete_ids: Iterable[int], date: dt.date, when: dt.datetime | None = None) -> int:
        """Record that these athletes' proposals for `date` were delivered (default: now), in one
        UPDATE and no read (the nightly email marks a batch of athletes); a row already loaded in
        this session is updated too (synchronize_session). Returns how many proposals were
        marked (one not in the store is left out)."""
        ids = sorted(set(athlete_ids))
        if not ids:
            return 0
        return self._s.execute(
            update(ProposalRow).where(ProposalRow.date == date, ProposalRow.athlete_id.in_(ids))
            .values(delivered_at=_to_utc_naive(when) if when else utcnow())
        ).rowcount


# -- deliveries ---------------------------------------------------------------------


def _delivery_from_row(row: DeliveryRow) -> Delivery:
    return Delivery(
        athlete_id=row.athlete_id,
        date=row.date,
        status=row.status,
        recipient=row.recipient,
        message_id=row.message_id,
        error=row.error,
        attempts=row.attempts,
        first_attempt_at=_from_utc_naive(row.first_attempt_at),
        last_attempt_at=_from_utc_naive(row.last_attempt_at),
        sent_at=_from_utc_naive(row.sent_at),
        claimed_until=_from_utc_naive(row.claimed_until),
    )


def _insert_or_nothing(dialect: str, table: Any) -> Any:
    """The INSERT of SQLite or PostgreSQL, which can do nothing on a conflict."""
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    return dialect_insert(table)


class DeliveryRepository:
    """Emailed proposals: one record per athlete and date, updated by every attempt."""

    def __init__(self, session: OrmSession):
        self._s = session

    def _row(self, athlete_id: int, date: dt.date) -> DeliveryRow | None:
        stmt = select(DeliveryRow).where(DeliveryRow.athlete_id == athlete_id, DeliveryRow.date == date)
        return self._s.scalars(stmt).first()

    def get(self, athlete_id: int, date: dt.date) -> Delivery | None:
        """The delivery of the athlete's proposal for `date`, or None if none was attempted."""
        row = self._row(athlete_id, date)
        return None if row is None else _delivery_from_row(row)

    def record(self, athlete_id: int, date: dt.date, *, status: str, recipient: str | None = None,
               message_id: str | None = None, error: str | None = None,
               when: dt.datetime | None = None) -> Delivery:
        """Record one attempt (status 'sent' or 'failed'), counting attempts; returns the record."""
        at = _to_utc_naive(when) if when else utcnow()
        row = self._row(athlete_id, date)
        if row is None:
            row = DeliveryRow(athlete_id=athlete_id, date=date, attempts=0, first_attempt_at=at)
            self._s.add(row)
        row.status = str(status)
        row.recipient = recipient
        row.message_id = message_id
        row.error = error
        row.attempts = (row.attempts or 0) + 1
        row.last_attempt_at = at
        row.sent_at = at if str(status) == "sent" else None
        self._s.flush()
        return _delivery_from_row(row)

    def claim_many(self, claims: Sequence[tuple[int, str | None]], date: dt.date, *, token: str,
                   until: dt.datetime, force: bool = False,
                   when: dt.datetime | None = None) -> dict[int, Delivery | None]:
        """Claim the deliveries of many athletes for one date for the run holding `token`,
        before it sends.

        The new dates are claimed with one INSERT of all their rows that does nothing on a
        conflict (no error, no read-then-write race); a date already recorded whose last attempt
        failed (or any, with `force`) is taken over with an UPDATE that matches the attempt count
        it read, so of two runs only one wins. The claims are permanent once the caller commits.

        :param claims: (athlete id, recipient) pairs, at most one per athlete, in the order the
            dates already recorded are taken over (athlete id order keeps runs from deadlocking)
        :param token: this run's claim token (at most 32 characters)
        :param until: the time by which the claiming run will have stopped (its deadline)
        :param force: take them over whatever their state (`coach email --force`)
        :returns: athlete id -> None when claimed, else the record that another run holds or finished
        """
        if not claims:
            return {}
        at = _to_utc_naive(when) if when else utcnow()
        table = DeliveryRow.__table__
        rows = [dict(athlete_id=athlete_id, date=date, status="sending", recipient=recipient, attempts=1,
                     first_attempt_at=at, last_attempt_at=at, claim=token, claimed_until=_to_utc_naive(until))
                for athlete_id, recipient in claims]
        dialect = self._s.get_bind().dialect.name
        if dialect in ("sqlite", "postgresql"):
            stmt = _insert_or_nothing(dialect, table).values(rows).on_conflict_do_nothing(
                index_elements=["athlete_id", "date"]).returning(table.c.athlete_id)
            out: dict[int, Delivery | None] = dict.fromkeys(self._s.execute(stmt).scalars())
        else:
            out = {}
            for row in rows:
                if self._row(row["athlete_id"], date) is None:
                    self._s.execute(table.insert().values(**row))
                    out[row["athlete_id"]] = None
        for athlete_id, recipient in claims:
            if athlete_id not in out:
                out[athlete_id] = self._take_over(athlete_id, date, token=token, recipient=recipient, until=until,
                                                  force=force, at=at)
        return out

    def claim(self, athlete_id: int, date: dt.date, *, token: str, recipient: str | None,
              until: dt.datetime, force: bool = False, when: dt.datetime | None = None) -> Delivery | None:
        """`claim_many` for one athlete: None when claimed, else the record that another run
        holds or finished."""
        return self.claim_many([(athlete_id, recipient)], date, token=token, until=until, force=force,
                               when=when)[athlete_id]

    def _take_over(self, athlete_id: int, date: dt.date, *, token: str, recipient: str | None,
                   until: dt.datetime, force: bool, at: dt.datetime) -> Delivery | None:
        """Claim a date already recorded, if its last attempt failed (or with `force`)."""
        table = DeliveryRow.__table__
        row = self._s.execute(select(table).where(table.c.athlete_id == athlete_id,
                                                  table.c.date == date)).one()
        if row.status != "failed" and not force:
            return _delivery_from_row(row)
        taken = self._s.execute(
            table.update()
            .where(table.c.id == row.id, table.c.attempts == row.attempts)
            .values(status="sending", recipient=recipient, attempts=row.attempts + 1, last_attempt_at=at,
                    claim=token, claimed_until=_to_utc_naive(until), error=None, sent_at=None)
        ).rowcount
        if taken == 1:
            return None
        return self.get(athlete_id, date)

    def settle(self, athlete_id: int, date: dt.date, *, token: str, status: str,
               message_id: str | None = None, error: str | None = None,
               when: dt.datetime | None = None) -> bool:
        """Record the outcome ('sent', 'failed' or 'unknown') of the claim held with `token`.

        The record keeps the token of the run that made this attempt; the claim ends with the
        status ('sending' no more) and `claimed_until` cleared.

        :returns: False when the claim is no longer this run's (another run took it with --force)
        """
        return athlete_id in self.settle_many(date, [(athlete_id, status, message_id, error)], token=token, when=when)

    def settle_many(self, date: dt.date, outcomes: Sequence[tuple[int, str, str | None, str | None]], *,
                    token: str, when: dt.datetime | None = None) -> set[int]:
        """`settle` for many athletes of one date: one UPDATE statement run for all the rows,
        between a read of the claims this run still holds (locked on PostgreSQL) and a read of
        those it settled.

        :param outcomes: (athlete id, status, message id, error) for each athlete claimed with `token`
        :returns: the athletes whose claim was still this run's (the others were taken over with
            --force, or settled already)
        """
        if not outcomes:
            return set()
        at = _to_utc_naive(when) if when else utcnow()
        table = DeliveryRow.__table__
        ids = sorted({o[0] for o in outcomes})
        pending = set(self._s.scalars(
            select(table.c.athlete_id).where(table.c.date == date, table.c.claim == token,
                                             table.c.status == "sending", table.c.athlete_id.in_(ids))
            .with_for_update()))
        if not pending:
            return set()
        stmt = (table.update()
                .where(table.c.athlete_id == bindparam("a_id"), table.c.date == date, table.c.claim == token,
                       table.c.status == "sending")
                .values(status=bindparam("a_status"), message_id=bindparam("a_message_id"),
                        error=bindparam("a_error"), sent_at=bindparam("a_sent_at"), last_attempt_at=at,
                        claimed_until=None))
        self._s.execute(stmt, [dict(a_id=athlete_id, a_status=str(status), a_message_id=message_id, a_error=error,
                                    a_sent_at=at if str(status) == "sent" else None)
                               for athlete_id, status, message_id, error in outcomes if athlete_id in pending])
        # of those, a claim taken over meanwhile holds the other run's token (on SQLite the
        # UPDATE above holds the write lock from here to the commit); one settled keeps ours
        return set(self._s.scalars(
            select(table.c.athlete_id).where(table.c.date == date, table.c.claim == token,
                                             table.c.status != "sending", table.c.athlete_id.in_(sorted(pending)))))

    def list(self, athlete_id: int | None = None, since: dt.date | None = None) -> list[Delivery]:
        """Deliveries, newest date first; of one athlete and/or from `since` on when given."""
        stmt = select(DeliveryRow)
        if athlete_id is not None:
            stmt = stmt.where(DeliveryRow.athlete_id == athlete_id)
        if since is not None:
            stmt = stmt.where(DeliveryRow.date >= since)
        rows = self._s.scalars(stmt.order_by(DeliveryRow.date.desc(), DeliveryRow.athlete_id))
        return [_delivery_from_row(r) for r in rows]


# -- check-ins ----------------------------------------------------------------------

_CHECKIN_FIELDS = tuple(f for f in Checkin.model_fields if f != "date")


class CheckinRepository:
    """Morning check-ins: at most one per athlete and date (a second one for the date replaces it)."""

    def __init__(self, session: OrmSession):
        self._s = session

    def _row(self, athlete_id: int, date: dt.date) -> CheckinRow | None:
        return self._s.scalars(select(CheckinRow).where(CheckinRow.athlete_id == athlete_id,
                                                        CheckinRow.date == date)).first()

    def put(self, athlete_id: int, checkin: Checkin) -> tuple[Checkin, bool]:
        """Store the check-in of its date; returns it and whether it replaced an earlier one."""
        checkin = Checkin.model_validate(checkin.model_dump())
        row = self._row(athlete_id, checkin.date)
        replaced = row is not None
        if row is None:
            row = CheckinRow(athlete_id=athlete_id, date=checkin.date)
            self._s.add(row)
        for f in _CHECKIN_FIELDS:
            setattr(row, f, getattr(checkin, f))
        self._s.flush()
        return checkin, replaced

    def get(self, athlete_id: int, date: dt.date) -> Checkin | None:
        row = self._row(athlete_id, date)
        return None if row is None else _checkin_from_row(row)

    def between(self, athlete_id: int, start: dt.date, end: dt.date) -> list[Checkin]:
        """Check-ins with start <= date < end, oldest first."""
        return self.between_many([athlete_id], start, end).get(athlete_id, [])

    def between_many(self, athlete_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, list[Checkin]]:
        """Check-ins with start <= date < end of many athletes in one query, by athlete id (oldest first)."""
        ids = sorted(set(athlete_ids))
        out: dict[int, list[Checkin]] = {i: [] for i in ids}
        if not ids:
            return out
        rows = self._s.scalars(select(CheckinRow).where(
            CheckinRow.athlete_id.in_(ids), CheckinRow.date >= start, CheckinRow.date < end,
        ).order_by(CheckinRow.athlete_id, CheckinRow.date))
        for r in rows:
            out[r.athlete_id].append(_checkin_from_row(r))
        return out


def _checkin_from_row(row: CheckinRow) -> Checkin:
    return Checkin(date=row.date, **{f: getattr(row, f) for f in _CHECKIN_FIELDS})
