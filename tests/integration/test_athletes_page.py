"""`athletes.page`: a club walked by id, a page at a time, with each athlete whole (race
results included) and, for a worker, only its shard (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from coach.engine.model import Athlete, RaceResult


def test_pages_walk_every_athlete_once_in_id_order(store):
    with store.unit_of_work() as uow:
        ids = [uow.athletes.add(Athlete(name=f"Z{i}" if i % 2 else f"A{i}", email=f"{i}@example.org",
                                        recent_races=[RaceResult(label="5k", distance_m=5000, time_s=1200 + i)]
                                        )).id for i in range(7)]
        uow.commit()
    seen, after = [], None
    with store.unit_of_work() as uow:
        while page := uow.athletes.page(after, 3):
            assert len(page) <= 3
            seen += page
            after = page[-1].id
        listed = {a.id: a for a in uow.athletes.list()}
    assert [a.id for a in seen] == sorted(ids)
    assert seen == [listed[i] for i in sorted(ids)]  # the same athletes, races and all, as list() reads
    assert [a.recent_races[0].time_s for a in seen] == [1200 + i for i in range(7)]


def test_a_shard_pages_only_its_ids(store):
    with store.unit_of_work() as uow:
        ids = [uow.athletes.add(Athlete(name=f"A{i}")).id for i in range(10)]
        uow.commit()
    with store.unit_of_work() as uow:
        shards = [[a.id for a in uow.athletes.page(None, 100, shard=(k, 3))] for k in range(3)]
        second = uow.athletes.page(ids[0], 2, shard=(ids[0] % 3, 3))
    assert [sorted(s) for s in shards] == [sorted(i for i in ids if i % 3 == k) for k in range(3)]
    assert [a.id for a in second] == [i for i in ids if i % 3 == ids[0] % 3 and i > ids[0]][:2]
