"""An in-memory store: a unit of work over plain lists, for use cases that must write nothing.

`coach rules test` logs each scenario's history here and proposes through the same
`propose` use case as `coach next`; `coach rules replay` reads the real store once and
proposes from memory. Nothing here touches a database, and everything is gone with the object.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from coach.engine.errors import InvalidInput, NotFound
from coach.engine.model import Athlete, Checkin, Delivery, Kind, Proposal, Workout
from coach.storage.unit_of_work import AbstractUnitOfWork

_RACES = (Kind.race, Kind.time_trial)


class MemoryData:
    """The contents of an in-memory store."""

    def __init__(self) -> None:
        self.athletes: dict[int, Athlete] = {}
        self.workouts: dict[int, list[Workout]] = {}
        self.proposals: dict[tuple[int, dt.date], Proposal] = {}
        self.checkins: dict[tuple[int, dt.date], Checkin] = {}


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
        if len(self._d.athletes) != 1:
            raise NotFound("name the athlete: the store does not hold exactly one")
        return next(iter(self._d.athletes.values()))

    def list(self) -> list[Athlete]:
        return sorted(self._d.athletes.values(), key=lambda a: a.name)

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

    def list(self, athlete_id: int, since: dt.date | None = None, until: dt.date | None = None) -> list[Workout]:
        return [w for w in self._d.workouts.get(athlete_id, [])
                if (since is None or w.date >= since) and (until is None or w.date <= until)]

    def between(self, athlete_id: int, start: dt.date, end: dt.date) -> list[Workout]:
        return self.between_many([athlete_id], start, end)[athlete_id]

    def between_many(self, athlete_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, list[Workout]]:
        return {i: [w for w in self._d.workouts.get(i, []) if start <= w.date < end] for i in athlete_ids}

    def races_between_many(self, athlete_ids: Iterable[int], start: dt.date,
                           end: dt.date) -> dict[int, list[Workout]]:
        return {i: [w for w in self._d.workouts.get(i, []) if start <= w.date < end and w.kind in _RACES]
                for i in athlete_ids}


class _Proposals:
    def __init__(self, data: MemoryData):
        self._d = data

    def add(self, athlete_id: int, proposal: Proposal) -> int:
        self._d.proposals[(athlete_id, proposal.date)] = proposal
        return len(self._d.proposals)

    def get(self, athlete_id: int, date: dt.date) -> Proposal | None:
        return self._d.proposals.get((athlete_id, date))

    def list(self, athlete_id: int, since: dt.date | None = None) -> list[Proposal]:
        return sorted((p for (a, d), p in self._d.proposals.items()
                       if a == athlete_id and (since is None or d >= since)), key=lambda p: p.date)

    def mark_delivered(self, athlete_id: int, date: dt.date, when: dt.datetime | None = None) -> None:
        if (athlete_id, date) not in self._d.proposals:
            raise NotFound(f"no proposal for {date}")


class _Deliveries:
    """Nothing is ever delivered from memory."""

    def get(self, athlete_id: int, date: dt.date) -> Delivery | None:
        return None

    def record(self, athlete_id: int, date: dt.date, **kwargs: object) -> Delivery:
        raise InvalidInput("an in-memory store does not deliver proposals")

    def list(self, athlete_id: int | None = None, since: dt.date | None = None) -> list[Delivery]:
        return []


class _Checkins:
    def __init__(self, data: MemoryData):
        self.data = data

    def put(self, athlete_id: int, checkin: Checkin) -> tuple[Checkin, bool]:
        replaced = (athlete_id, checkin.date) in self.data.checkins
        self.data.checkins[(athlete_id, checkin.date)] = checkin
        return checkin, replaced

    def get(self, athlete_id: int, date: dt.date) -> Checkin | None:
        return self.data.checkins.get((athlete_id, date))

    def between(self, athlete_id: int, start: dt.date, end: dt.date) -> list[Checkin]:
        return self.between_many([athlete_id], start, end)[athlete_id]

    def between_many(self, athlete_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, list[Checkin]]:
        return {i: [c for (a, day), c in sorted(self.data.checkins.items()) if a == i and start <= day < end]
                for i in athlete_ids}


class MemoryUnitOfWork(AbstractUnitOfWork):
    """A unit of work over one `MemoryData`. Writes are visible at once; `commit()` and
    `rollback()` do nothing, since the whole store is thrown away with the object."""

    def __init__(self, data: MemoryData | None = None):
        self.data = data if data is not None else MemoryData()
        self.athletes = _Athletes(self.data)
        self.workouts = _Workouts(self.data)
        self.proposals = _Proposals(self.data)
        self.deliveries = _Deliveries()
        self.checkins = _Checkins(self.data)

    def __exit__(self, *exc_info: object) -> None:
        pass

    def commit(self) -> None:
        """Nothing to do: the store lives in memory only."""

    def rollback(self) -> None:
        """Nothing to undo: the store lives in memory only."""
