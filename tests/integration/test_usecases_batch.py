"""propose_many, the batch for a club: same proposals as one at a time, the cycle collector
paused for the batch only (and swept at intervals), whatever happens."""

from __future__ import annotations

import datetime as dt
import gc

import pytest

from coach.engine.model import Athlete, Kind, Rep, Sport, Workout

DAY = dt.date(2026, 11, 19)


def _log(i: int) -> list[Workout]:
    out = []
    for n in range(50, 0, -1):
        if (n + i) % 5 == 0:
            continue
        kind = (Kind.intervals, Kind.easy, Kind.tempo, Kind.long)[(n + i) % 4]
        reps = []
        if kind == Kind.intervals:  # some recorded by a watch (laps with jogs), some typed
            reps = [Rep(index=k + 1, distance_m=800 if k % 2 == 0 else 200,
                        duration_s=(190 + k + i % 7) if k % 2 == 0 else 90) for k in range(9)]
        out.append(Workout(date=DAY - dt.timedelta(days=n), sport=Sport.run, kind=kind, reps=reps,
                           duration_s=(35 + (i * 7 + n) % 50) * 60, distance_m=9000, rpe=3 + (n + i) % 6,
                           source="fit:%04d" % n if (n + i) % 3 == 0 else "manual"))
    return out


@pytest.fixture
def club(tmp_path):
    from coach.storage import open_store

    url = str(tmp_path / "club.db")
    with open_store(url) as store, store.unit_of_work() as uow:
        for i in range(10):
            a = uow.athletes.add(Athlete(name=f"runner-{i}", rest_days=[],
                                         recent_races=[{"label": "5k", "distance_m": 5000, "time_s": 1150 + 9 * i}]))
            for w in _log(i):
                uow.workouts.add(a.id, w)
        uow.commit()
    return url


class _Watching:
    """The real evaluator, noting whether the collector was running at each athlete."""

    def __init__(self, evaluator, fail_at=None):
        self.evaluator, self.fail_at, self.seen = evaluator, fail_at, []

    def evaluate(self, key, facts):
        self.seen.append(gc.isenabled())
        if len(self.seen) == self.fail_at:
            raise RuntimeError("rule engine failed")
        return self.evaluator.evaluate(key, facts)


def test_batch_equals_one_at_a_time_with_the_collector_paused_and_swept(club, default_rules, monkeypatch):
    from coach.service import propose as usecases
    from coach.engine.facts import fact_window
    from coach.storage import open_store

    ruleset, evaluator = default_rules
    monkeypatch.setattr(usecases, "_SWEEP_EVERY", 3)
    sweeps = []

    def note(phase, info):
        if phase == "stop" and info["generation"] == 0:
            sweeps.append(gc.isenabled())

    with open_store(club) as store, store.unit_of_work() as uow:
        athletes = uow.athletes.list()
        alone = [usecases.propose_from_history(a, uow.workouts.between(a.id, *fact_window(DAY)), DAY, ruleset,
                                               evaluator) for a in athletes]
        watching = _Watching(evaluator)
        assert gc.isenabled()
        gc.callbacks.append(note)
        try:
            together = usecases.propose_many(uow, athletes, DAY, ruleset, watching, save=False)
        finally:
            gc.callbacks.remove(note)
    assert gc.isenabled()
    assert [p.to_json_dict() for p in together] == [p.to_json_dict() for p in alone]
    assert len({p.session.kind for p in together}) > 1
    assert watching.seen == [False] * len(athletes)
    assert sweeps.count(False) >= len(athletes) // 3  # the swept young generations, during the batch


def test_a_failing_batch_restores_the_collector(club, default_rules):
    from coach.service.propose import propose_many
    from coach.storage import open_store

    ruleset, evaluator = default_rules
    with open_store(club) as store, store.unit_of_work() as uow:
        athletes = uow.athletes.list()
        with pytest.raises(RuntimeError, match="rule engine failed"):
            propose_many(uow, athletes, DAY, ruleset, _Watching(evaluator, fail_at=4), save=False)
        assert gc.isenabled()
        gc.disable()
        try:
            propose_many(uow, athletes[:2], DAY, ruleset, evaluator, save=False)
            assert not gc.isenabled()  # a caller that had paused it keeps it paused
        finally:
            gc.enable()
