"""In-memory fakes of the store for fast unit tests of the use cases in `coach.service`.

`FakeUnitOfWork` subclasses `AbstractUnitOfWork`, as the SQLAlchemy unit of work does: the
repositories keep plain lists and dicts, `commit()` makes the changes visible to the next
unit of work, and leaving without commit drops them (like a rollback).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable

from coach.engine.errors import InvalidInput, NotFound
from coach.engine.model import Athlete, Checkin, Delivery, DeliveryStatus, Kind, Proposal, Workout
from coach.storage.unit_of_work import AbstractUnitOfWork


class FakeData:
    """The committed contents of a fake store."""

    def __init__(self) -> None:
        self.athletes: dict[int, Athlete] = {}
        self.workouts: dict[int, list[Workout]] = {}
        self.proposals: dict[tuple[int, dt.date], Proposal] = {}
        self.delivered: dict[tuple[int, dt.date], dt.datetime] = {}
        self.deliveries: dict[tuple[int, dt.date], Delivery] = {}
        self.checkins: dict[tuple[int, dt.date], Checkin] = {}
        self.claims: dict[tuple[int, dt.date], str] = {}
        #: every (repository, method) call, for asserting how much a use case reads
        self.calls: list[tuple[str, tuple]] = []


class FakeAthletes:
    def __init__(self, data: FakeData):
        self.d = data

    def add(self, athlete: Athlete) -> Athlete:
        if any(a.name == athlete.name for a in self.d.athletes.values()):
            raise InvalidInput(f"athlete {athlete.name!r} already exists")
        new = athlete.model_copy(update={"id": len(self.d.athletes) + 1})
        self.d.athletes[new.id] = new
        self.d.workouts.setdefault(new.id, [])
        return new

    def get(self, name: str) -> Athlete:
        for a in self.d.athletes.values():
            if a.name == name:
                return a
        raise NotFound(f"no athlete named {name!r}")

    def get_by_id(self, athlete_id: int) -> Athlete:
        return self.d.athletes[athlete_id]

    def resolve(self, name: str | None) -> Athlete:
        if name:
            return self.get(name)
        if len(self.d.athletes) != 1:
            raise (NotFound if not self.d.athletes else InvalidInput)("no single athlete")
        return next(iter(self.d.athletes.values()))

    def list(self, id_range: tuple[int, int] | None = None) -> list[Athlete]:
        athletes = sorted(self.d.athletes.values(), key=lambda a: a.name)
        if id_range is not None:
            athletes = [a for a in athletes if id_range[0] <= (a.id or 0) < id_range[1]]
        return athletes

    def update(self, athlete: Athlete) -> Athlete:
        self.d.athletes[athlete.id] = athlete
        return athlete


class FakeWorkouts:
    def __init__(self, data: FakeData):
        self.d = data

    def add(self, athlete_id: int, workout: Workout) -> Workout:
        log = self.d.workouts.setdefault(athlete_id, [])
        new = workout.model_copy(update={"id": sum(map(len, self.d.workouts.values())) + 1})
        log.append(new)
        log.sort(key=lambda w: w.date)
        return new

    def list(self, athlete_id: int, since: dt.date | None = None, until: dt.date | None = None) -> list[Workout]:
        self.d.calls.append(("workouts.list", (athlete_id, since, until)))
        return [w for w in self.d.workouts.get(athlete_id, [])
                if (since is None or w.date >= since) and (until is None or w.date <= until)]

    def between(self, athlete_id: int, start: dt.date, end: dt.date) -> list[Workout]:
        return self.between_many([athlete_id], start, end)[athlete_id]

    def between_many(self, athlete_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, list[Workout]]:
        self.d.calls.append(("workouts.between_many", (start, end)))
        return {i: [w for w in self.d.workouts.get(i, []) if start <= w.date < end] for i in athlete_ids}

    def get(self, athlete_id: int, workout_id: int) -> Workout:
        for w in self.d.workouts.get(athlete_id, []):
            if w.id == workout_id:
                return w
        raise NotFound(f"no workout #{workout_id} for this athlete")

    def update(self, athlete_id: int, workout: Workout) -> Workout:
        log = self.d.workouts[athlete_id]
        log[[w.id for w in log].index(workout.id)] = workout
        return workout

    def delete(self, athlete_id: int, workout_id: int) -> None:
        self.get(athlete_id, workout_id)
        self.d.workouts[athlete_id] = [w for w in self.d.workouts[athlete_id] if w.id != workout_id]

    def races_between_many(self, athlete_ids: Iterable[int], start: dt.date,
                           end: dt.date) -> dict[int, list[Workout]]:
        self.d.calls.append(("workouts.races_between_many", (start, end)))
        return {i: [w for w in self.d.workouts.get(i, []) if start <= w.date < end
                    and w.kind in (Kind.race, Kind.time_trial)] for i in athlete_ids}


class FakeProposals:
    def __init__(self, data: FakeData):
        self.d = data

    def add(self, athlete_id: int, proposal: Proposal) -> int:
        self.d.proposals[(athlete_id, proposal.date)] = proposal
        return len(self.d.proposals)

    def get(self, athlete_id: int, date: dt.date) -> Proposal | None:
        return self.d.proposals.get((athlete_id, date))

    def list(self, athlete_id: int, since: dt.date | None = None) -> list[Proposal]:
        return sorted((p for (a, d), p in self.d.proposals.items() if a == athlete_id and (since is None or d >= since)),
                      key=lambda p: p.date)

    def mark_delivered(self, athlete_id: int, date: dt.date, when: dt.datetime | None = None) -> None:
        if (athlete_id, date) not in self.d.proposals:
            raise NotFound(f"no proposal for {date}")
        self.d.delivered[(athlete_id, date)] = when or dt.datetime.now(dt.timezone.utc)


class FakeDeliveries:
    def __init__(self, data: FakeData):
        self.d = data

    def get(self, athlete_id: int, date: dt.date) -> Delivery | None:
        return self.d.deliveries.get((athlete_id, date))

    def record(self, athlete_id: int, date: dt.date, *, status: str, recipient: str | None = None,
               message_id: str | None = None, error: str | None = None,
               when: dt.datetime | None = None) -> Delivery:
        previous = self.d.deliveries.get((athlete_id, date))
        record = Delivery(athlete_id=athlete_id, date=date, status=DeliveryStatus(status), recipient=recipient,
                          message_id=message_id, error=error, attempts=previous.attempts + 1 if previous else 1,
                          last_attempt_at=when, sent_at=when if status == "sent" else None)
        self.d.deliveries[(athlete_id, date)] = record
        return record


    # -- claims (exactly once): the same rules as the SQL repository
    def claim(self, athlete_id, date, *, token, recipient, until, force=False, when=None):
        old = self.d.deliveries.get((athlete_id, date))
        if old is not None and old.status != "failed" and not force:
            return old
        self.d.deliveries[(athlete_id, date)] = Delivery(
            athlete_id=athlete_id, date=date, status="sending", recipient=recipient,
            attempts=(old.attempts + 1 if old else 1), last_attempt_at=when, claimed_until=until)
        self.d.claims[(athlete_id, date)] = token
        return None

    def settle(self, athlete_id, date, *, token, status, message_id=None, error=None, when=None):
        if self.d.claims.get((athlete_id, date)) != token:
            return False
        del self.d.claims[(athlete_id, date)]
        old = self.d.deliveries[(athlete_id, date)]
        self.d.deliveries[(athlete_id, date)] = old.model_copy(update=dict(
            status=DeliveryStatus(status), message_id=message_id, error=error, last_attempt_at=when,
            sent_at=when if status == "sent" else None, claimed_until=None))
        return True

    def list(self, athlete_id: int | None = None, since: dt.date | None = None) -> list[Delivery]:
        return [d for (a, day), d in sorted(self.d.deliveries.items())
                if (athlete_id is None or a == athlete_id) and (since is None or day >= since)]


class FakeCheckins:
    def __init__(self, data: FakeData):
        self.d = data

    def put(self, athlete_id: int, checkin: Checkin) -> tuple[Checkin, bool]:
        replaced = (athlete_id, checkin.date) in self.d.checkins
        self.d.checkins[(athlete_id, checkin.date)] = checkin
        return checkin, replaced

    def get(self, athlete_id: int, date: dt.date) -> Checkin | None:
        return self.d.checkins.get((athlete_id, date))

    def between(self, athlete_id: int, start: dt.date, end: dt.date) -> list[Checkin]:
        return self.between_many([athlete_id], start, end)[athlete_id]

    def between_many(self, athlete_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, list[Checkin]]:
        self.d.calls.append(("checkins.between_many", (start, end)))
        return {i: [c for (a, day), c in sorted(self.d.checkins.items()) if a == i and start <= day < end]
                for i in athlete_ids}


class FakeUnitOfWork(AbstractUnitOfWork):
    """A unit of work over a `FakeData`; changes are kept only on `commit()`."""

    def __init__(self, data: FakeData | None = None):
        self.committed = data if data is not None else FakeData()
        self.commits = 0
        self._begin()

    def _begin(self) -> None:
        self.data = copy.deepcopy(self.committed)
        self.data.calls = self.committed.calls
        self.athletes = FakeAthletes(self.data)
        self.workouts = FakeWorkouts(self.data)
        self.proposals = FakeProposals(self.data)
        self.deliveries = FakeDeliveries(self.data)
        self.checkins = FakeCheckins(self.data)

    def __enter__(self) -> "FakeUnitOfWork":
        self._begin()
        return self

    def commit(self) -> None:
        calls = self.committed.calls
        self.committed.__dict__.update(copy.deepcopy(self.data).__dict__)
        self.committed.calls = calls
        self.data.calls = calls
        self.commits += 1

    def rollback(self) -> None:
        self._begin()
