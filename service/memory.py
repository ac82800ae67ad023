"""An in-memory store: a unit of work over plain lists and dicts, for use cases that must
write nothing, and for the fast unit tests of the use cases.

`coach rules test` logs each scenario's history here and proposes through the same
`propose` use case as `coach next`; the unit tests run every use case over it. Nothing here
touches a database, and everything is gone with the `MemoryData`.

`MemoryUnitOfWork` behaves as the SQLAlchemy unit of work does: the repositories answer
as the SQL ones (the same errors, the same delivery claims), `commit()` makes the changes
visible to the next unit of work over the same `MemoryData`, and leaving without commit
drops them (like a rollback). `MemoryData.calls` records each read of the log and the
check-ins, so that a test can assert how much a use case reads.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Sequence

from coach.engine.errors import InvalidInput, NotFound
from coach.engine.model import Athlete, Checkin, Delivery, DeliveryStatus, Kind, Proposal, Workout
from coach.storage.unit_of_work import AbstractUnitOfWork

_RACES = (Kind.race, Kind.time_trial)


class MemoryData:
    """The committed contents of an in-memory store."""

    def __init__(self) -> None:
        self.athletes: dict[int, Athlete] = {}
        self.workouts: dict[int, list[Workout]] = {}
        self.proposals: dict[tuple[int, dt.date], Proposal] = {}
        self.delivered: dict[tuple[int, dt.date], dt.datetime] = {}
        self.deliveries: dict[tuple[int, dt.date], Delivery] = {}
        self.checkins: dict[tuple[int, dt.date], Checkin] = {}
        self.claims: dict[tuple[int, dt.date], str] = {}
        #: every read of the log and the check-ins as (repository.method, arguments)
        self.calls: list[tuple[str, tuple]] = []


class _Athletes:
    def __init__(self, data: MemoryData):
        self._d = data

    def add(self, athlete: Athlete) -> Athlete:
        if any(a.name == athlete.name for a in self._d.athletes.values()):
            raise InvalidInput(f"athlete {athlete.name!r} already exists")
        new = athlete.model_copy(update={"id": len(self._d.athletes) + 1})
        self._d.athletes[new.id] = new
        self._d.workouts.setdefault(new.id, [])
        return new

    def get(self, name: str) -> Athlete:
        for athlete in self._d.athletes.values():
            if athlete.name == name:
                return athlete
        raise NotFound(f"no athlete named {name!r}")

    def get_by_id(self, athlete_id: int) -> Athlete:
        try:
            return self._d.athletes[athlete_id]
        except KeyError:
            raise NotFound(f"no athlete with id {athlete_id}") from None

    def resolve(self, name: str | None) -> Athlete:
        if name:
            return self.get(name)
        if not self._d.athletes:
            raise NotFound("no athlete yet")
        if len(self._d.athletes) > 1:
            raise InvalidInput("several athletes in this store: name one")
        return next(iter(self._d.athletes.values()))

    def list(self, id_range: tuple[int, int] | None = None) -> list[Athlete]:
        self._d.calls.append(("athletes.list", ()))
        athletes = sorted(self._d.athletes.values(), key=lambda a: a.name)
        if id_range is not None:
            athletes = [a for a in athletes if id_range[0] <= (a.id or 0) < id_range[1]]
        return athletes

    def page(self, after_id: int | None, limit: int, shard: tuple[int, int] | None = None) -> list[Athlete]:
        self._d.calls.append(("athletes.page", (after_id, limit)))
        ids = sorted(i for i in self._d.athletes if (after_id is None or i > after_id)
                     and (shard is None or i % shard[1] == shard[0]))
        return [self._d.athletes[i] for i in ids[:limit]]

    def update(self, athlete: Athlete) -> Athlete:
        self._d.athletes[athlete.id] = athlete
        return athlete


class _Workouts:
    def __init__(self, data: MemoryData):
        self._d = data

    def add(self, athlete_id: int, workout: Workout) -> Workout:
        log = self._d.workouts.setdefault(athlete_id, [])
        new = workout.model_copy(update={"id": sum(map(len, self._d.workouts.values())) + 1})
        log.append(new)
        log.sort(key=lambda w: w.date)  # stable: same-day workouts keep their order
        return new

    def add_many(self, athlete_id: int, workouts: Iterable[Workout]) -> int:
        return sum(1 for w in workouts if self.add(athlete_id, w))

    def list(self, athlete_id: int, since: dt.date | None = None, until: dt.date | None = None) -> list[Workout]:
        self._d.calls.append(("workouts.list", (athlete_id, since, until)))
        return [w for w in self._d.workouts.get(athlete_id, [])
                if (since is None or w.date >= since) and (until is None or w.date <= until)]

    def between(self, athlete_id: int, start: dt.date, end: dt.date) -> list[Workout]:
        return self.between_many([athlete_id], start, end)[athlete_id]

    def between_many(self, athlete_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, list[Workout]]:
        self._d.calls.append(("workouts.between_many", (start, end)))
        return {i: [w for w in self._d.workouts.get(i, []) if start <= w.date < end] for i in athlete_ids}

    def races_between_many(self, athlete_ids: Iterable[int], start: dt.date,
                           end: dt.date) -> dict[int, list[Workout]]:
        self._d.calls.append(("workouts.races_between_many", (start, end)))
        return {i: [w for w in self._d.workouts.get(i, []) if start <= w.date < end and w.kind in _RACES]
                for i in athlete_ids}

    def get(self, athlete_id: int, workout_id: int) -> Workout:
        for w in self._d.workouts.get(athlete_id, []):
            if w.id == workout_id:
                return w
        raise NotFound(f"no workout #{workout_id} for this athlete")

    def update(self, athlete_id: int, workout: Workout) -> Workout:
        log = self._d.workouts[athlete_id]
        log[[w.id for w in log].index(workout.id)] = workout
        return workout

    def delete(self, athlete_id: int, workout_id: int) -> None:
        self.get(athlete_id, workout_id)
        self._d.workouts[athlete_id] = [w for w in self._d.workouts[athlete_id] if w.id != workout_id]


class _Proposals:
    def __init__(self, data: MemoryData):
        self._d = data

    def add(self, athlete_id: int, proposal: Proposal) -> int:
        self._d.proposals[(athlete_id, proposal.date)] = proposal
        self._d.delivered.pop((athlete_id, proposal.date), None)  # a new proposal is not delivered yet
        return len(self._d.proposals)

    def delivered_at(self, athlete_id: int, date: dt.date) -> dt.datetime | None:
        return self._d.delivered.get((athlete_id, date))

    def get(self, athlete_id: int, date: dt.date) -> Proposal | None:
        return self._d.proposals.get((athlete_id, date))

    def list(self, athlete_id: int, since: dt.date | None = None) -> list[Proposal]:
        return sorted((p for (a, d), p in self._d.proposals.items()
                       if a == athlete_id and (since is None or d >= since)), key=lambda p: p.date)

    def mark_delivered(self, athlete_id: int, date: dt.date, when: dt.datetime | None = None) -> None:
        if (athlete_id, date) not in self._d.proposals:
            raise NotFound(f"no proposal for {date}")
        self._d.delivered[(athlete_id, date)] = when or dt.datetime.now(dt.timezone.utc)

    def add_many(self, items: Iterable[tuple[int, Proposal]]) -> int:
        return len([self.add(athlete_id, proposal) for athlete_id, proposal in items])

    def mark_delivered_many(self, athlete_ids: Iterable[int], date: dt.date, when: dt.datetime | None = None) -> int:
        ids = [a for a in set(athlete_ids) if (a, date) in self._d.proposals]
        for athlete_id in ids:
            self.mark_delivered(athlete_id, date, when)
        return len(ids)


class _Deliveries:
    """The deliveries and their claims, by the same rules as the SQL repository."""

    def __init__(self, data: MemoryData):
        self._d = data

    def get(self, athlete_id: int, date: dt.date) -> Delivery | None:
        return self._d.deliveries.get((athlete_id, date))

    def record(self, athlete_id: int, date: dt.date, *, status: str, recipient: str | None = None,
               message_id: str | None = None, error: str | None = None,
               when: dt.datetime | None = None) -> Delivery:
        previous = self._d.deliveries.get((athlete_id, date))
        record = Delivery(athlete_id=athlete_id, date=date, status=DeliveryStatus(status), recipient=recipient,
                          message_id=message_id, error=error, attempts=previous.attempts + 1 if previous else 1,
                          last_attempt_at=when, sent_at=when if status == "sent" else None)
        self._d.deliveries[(athlete_id, date)] = record
        return record

    def claim(self, athlete_id: int, date: dt.date, *, token: str, recipient: str | None,
              until: dt.datetime, force: bool = False, when: dt.datetime | None = None) -> Delivery | None:
        """Claim the day's delivery for `token` (None), or the delivery that holds it."""
        old = self._d.deliveries.get((athlete_id, date))
        if old is not None and old.status != "failed" and not force:
            return old
        self._d.deliveries[(athlete_id, date)] = Delivery(
            athlete_id=athlete_id, date=date, status="sending", recipient=recipient,
            attempts=(old.attempts + 1 if old else 1), last_attempt_at=when, claimed_until=until)
        self._d.claims[(athlete_id, date)] = token
        return None

    def settle(self, athlete_id: int, date: dt.date, *, token: str, status: str, message_id: str | None = None,
               error: str | None = None, when: dt.datetime | None = None) -> bool:
        """Record the outcome of a claimed delivery; False when `token` no longer holds the claim."""
        if self._d.claims.get((athlete_id, date)) != token:
            return False
        del self._d.claims[(athlete_id, date)]
        old = self._d.deliveries[(athlete_id, date)]
        self._d.deliveries[(athlete_id, date)] = old.model_copy(update=dict(
            status=DeliveryStatus(status), message_id=message_id, error=error, last_attempt_at=when,
            sent_at=when if status == "sent" else None, claimed_until=None))
        return True

    def claim_many(self, claims: Sequence[tuple[int, str | None]], date: dt.date, *, token: str,
                   until: dt.datetime, force: bool = False,
                   when: dt.datetime | None = None) -> dict[int, Delivery | None]:
        return {athlete_id: self.claim(athlete_id, date, token=token, recipient=recipient, until=until,
                                       force=force, when=when) for athlete_id, recipient in claims}

    def settle_many(self, date: dt.date, outcomes: Sequence[tuple[int, str, str | None, str | None]], *,
                    token: str, when: dt.datetime | None = None) -> set[int]:
        return {athlete_id for athlete_id, status, message_id, error in outcomes
                if self.settle(athlete_id, date, token=token, status=status, message_id=message_id, error=error,
                               when=when)}

    def list(self, athlete_id: int | None = None, since: dt.date | None = None) -> list[Delivery]:
        return [d for (a, day), d in sorted(self._d.deliveries.items())
                if (athlete_id is None or a == athlete_id) and (since is None or day >= since)]


class _Checkins:
    def __init__(self, data: MemoryData):
        self._d = data

    def put(self, athlete_id: int, checkin: Checkin) -> tuple[Checkin, bool]:
        replaced = (athlete_id, checkin.date) in self._d.checkins
        self._d.checkins[(athlete_id, checkin.date)] = checkin
        return checkin, replaced

    def get(self, athlete_id: int, date: dt.date) -> Checkin | None:
        return self._d.checkins.get((athlete_id, date))

    def between(self, athlete_id: int, start: dt.date, end: dt.date) -> list[Checkin]:
        return self.between_many([athlete_id], start, end)[athlete_id]

    def between_many(self, athlete_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, list[Checkin]]:
        self._d.calls.append(("checkins.between_many", (start, end)))
        return {i: [c for (a, day), c in sorted(self._d.checkins.items()) if a == i and start <= day < end]
                for i in athlete_ids}


class MemoryUnitOfWork(AbstractUnitOfWork):
    """A unit of work over a `MemoryData`: its changes are kept only on `commit()`.

    Reads see this unit of work's own changes at once; the next unit of work over the same
    data sees them once committed. Leaving a `with` block without commit drops them.
    """

    def __init__(self, data: MemoryData | None = None):
        self.committed = data if data is not None else MemoryData()
        self.commits = 0
        self._begin()

    def _begin(self) -> None:
        calls = self.committed.calls
        self.committed.calls = []  # the call log is shared, not copied
        self.data = copy.deepcopy(self.committed)
        self.committed.calls = self.data.calls = calls
        self.athletes = _Athletes(self.data)
        self.workouts = _Workouts(self.data)
        self.proposals = _Proposals(self.data)
        self.deliveries = _Deliveries(self.data)
        self.checkins = _Checkins(self.data)

    def __enter__(self) -> "MemoryUnitOfWork":
        self._begin()
        return self

    def commit(self) -> None:
        """Make this unit of work's changes those of the `MemoryData`."""
        calls = self.committed.calls
        self.data.calls = []
        self.committed.__dict__.update(copy.deepcopy(self.data).__dict__)
        self.committed.calls = self.data.calls = calls
        self.commits += 1

    def rollback(self) -> None:
        """Drop the changes since the last commit."""
        self._begin()
