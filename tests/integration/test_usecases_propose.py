"""The propose use cases against a real SQLite store: one athlete, many at once, and the pure core."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.engine.model import Athlete, Kind, Sport, Workout

DAY = dt.date(2026, 11, 19)


def _log(i: int) -> list[Workout]:
    """A different history per athlete: some train more, some had a race, some are sore."""
    out = []
    for n in range(40, 0, -1):
        if (n + i) % 4 == 1:
            continue
        kind = (Kind.intervals, Kind.easy, Kind.tempo)[(n + i) % 3]
        out.append(Workout(date=DAY - dt.timedelta(days=n), sport=Sport.run, kind=kind,
                           duration_s=(40 + (i * 7) % 30) * 60, distance_m=8000, rpe=3 + (n + i) % 5,
                           soreness=(i * 3) % 9 if n <= 2 else None))
    if i % 5 == 0:
        out.append(Workout(date=DAY - dt.timedelta(days=1), sport=Sport.run, kind=Kind.race,
                           duration_s=1250, distance_m=5000, rpe=10))
    # logged after the proposal date: never read
    out.append(Workout(date=DAY + dt.timedelta(days=3), sport=Sport.run, kind=Kind.race, duration_s=900,
                       distance_m=5000, rpe=10))
    return out


@pytest.fixture
def club(tmp_path):
    from coach.storage import open_store

    url = str(tmp_path / "club.db")
    with open_store(url) as store, store.unit_of_work() as uow:
        for i in range(12):
            a = uow.athletes.add(Athlete(name=f"runner-{i}", rest_days=[],
                                         recent_races=[{"label": "5k", "distance_m": 5000, "time_s": 1150 + 10 * i}]))
            for w in _log(i):
                uow.workouts.add(a.id, w)
        uow.commit()
    return url


def test_propose_many_equals_propose_one_by_one_and_saves_each(club, default_rules):
    from coach.service.propose import propose, propose_many
    from coach.storage import open_store

    ruleset, evaluator = default_rules
    with open_store(club) as store, store.unit_of_work() as uow:
        athletes = uow.athletes.list()
        alone = [propose(uow, a, DAY, ruleset, evaluator) for a in athletes]
    with open_store(club) as store, store.unit_of_work() as uow:
        together = propose_many(uow, athletes, DAY, ruleset, evaluator)
        uow.commit()
    assert [p.to_json_dict() for p in together] == [p.to_json_dict() for p in alone]
    assert len({p.session.kind for p in together}) > 1, "the histories differ, so should the sessions"
    with open_store(club) as store, store.unit_of_work() as uow:
        for a, p in zip(athletes, together):
            assert uow.proposals.get(a.id, DAY).session == p.session


def test_propose_many_reads_the_log_with_a_fixed_number_of_queries(club, default_rules):
    from sqlalchemy import event

    from coach.service.propose import propose_many
    from coach.storage import open_store

    ruleset, evaluator = default_rules
    counts = []
    with open_store(club) as store:
        statements: list[str] = []
        event.listen(store.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        for n in (2, 12):
            with store.unit_of_work() as uow:
                athletes = uow.athletes.list()[:n]
                statements.clear()
                propose_many(uow, athletes, DAY, ruleset, evaluator, save=False)
                counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_proposals_ignore_workouts_on_or_after_the_day(club, default_rules):
    from coach.engine.facts import fact_window
    from coach.service.propose import propose_from_history
    from coach.storage import open_store

    ruleset, evaluator = default_rules
    with open_store(club) as store, store.unit_of_work() as uow:
        a = uow.athletes.get("runner-1")
        everything = uow.workouts.list(a.id)
        window = uow.workouts.between(a.id, *fact_window(DAY))
    assert len(everything) > len(window)
    p_all = propose_from_history(a, everything, DAY, ruleset, evaluator)
    p_window = propose_from_history(a, window, DAY, ruleset, evaluator)
    assert p_all == p_window


def test_proposal_records_the_rule_set_version(club, default_rules):
    from coach.service.propose import propose
    from coach.storage import open_store

    ruleset, evaluator = default_rules
    with open_store(club) as store, store.unit_of_work() as uow:
        p = propose(uow, uow.athletes.get("runner-3"), DAY, ruleset, evaluator)
        uow.commit()
    assert p.rules_version == ruleset.version
    with open_store(club) as store, store.unit_of_work() as uow:
        assert uow.proposals.get(uow.athletes.get("runner-3").id, DAY).rules_version == ruleset.version
