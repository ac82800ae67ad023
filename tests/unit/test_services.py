"""Fast tests of every use case in `coach.service`, over the in-memory store (`coach.service.memory`)."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.engine.errors import InvalidInput
from coach.engine.facts import fact_window
from coach.engine.readiness import checkin_window
from coach.engine.model import Athlete, Kind, Sport, Workout
from coach.service.delivery import DeliveryFailed
from coach.service.memory import MemoryData, MemoryUnitOfWork

DAY = dt.date(2026, 11, 19)


def _run(days_before: int, kind: Kind = Kind.easy, minutes: float = 40, km: float | None = 8, rpe: int = 3) -> Workout:
    return Workout(date=DAY - dt.timedelta(days=days_before), sport=Sport.run, kind=kind, duration_s=minutes * 60,
                   distance_m=None if km is None else km * 1000, rpe=rpe)


@pytest.fixture
def data() -> MemoryData:
    d = MemoryData()
    uow = MemoryUnitOfWork(d)
    with uow:
        ana = uow.athletes.add(Athlete(name="Ana", email="ana@example.org"))
        uow.athletes.add(Athlete(name="Bo"))
        for n in range(1, 30, 2):
            uow.workouts.add(ana.id, _run(n))
        uow.workouts.add(ana.id, _run(100, Kind.race, 20, 5, 9))  # older than the fact window
        uow.workouts.add(ana.id, _run(400, Kind.race, 18, 5, 9))  # older than the race window
        uow.commit()
    d.calls.clear()
    return d


def test_propose_saves_and_reads_a_bounded_history(data, default_rules):
    from coach.service.propose import propose

    ruleset, evaluator = default_rules
    uow = MemoryUnitOfWork(data)
    with uow:
        ana = uow.athletes.get("Ana")
        proposal = propose(uow, ana, DAY, ruleset, evaluator)
        uow.commit()
    assert data.proposals[(ana.id, DAY)] == proposal and proposal.athlete == "Ana"
    start, end = fact_window(DAY)
    race_from = DAY - dt.timedelta(days=ruleset.settings.paces.race_window_days)
    assert data.calls == [("workouts.between_many", (start, end)),
                          ("workouts.races_between_many", (race_from, start)),
                          ("checkins.between_many", checkin_window(DAY))]
    assert any(b.pace_s_per_km for b in proposal.session.blocks), "the race 100 days ago sets the paces"


def test_propose_without_commit_saves_nothing(data, default_rules):
    from coach.service.propose import propose

    with MemoryUnitOfWork(data) as uow:
        propose(uow, uow.athletes.get("Ana"), DAY, *default_rules)
    assert data.proposals == {}


def test_read_history_adds_only_races_of_the_race_window(data, default_rules):
    from coach.service.propose import read_history

    ruleset, _ = default_rules
    with MemoryUnitOfWork(data) as uow:
        log = read_history(uow, [1, 2], DAY, ruleset)[1]
    assert [w.date for w in log] == sorted(w.date for w in log)
    assert DAY - dt.timedelta(days=100) in {w.date for w in log}
    assert DAY - dt.timedelta(days=400) not in {w.date for w in log}


def test_paces_of_applies_the_settings_windows(data, default_rules):
    from coach.service.propose import paces_of

    ruleset, _ = default_rules
    with MemoryUnitOfWork(data) as uow:
        ana = uow.athletes.get("Ana")
        whole = uow.workouts.list(ana.id)
    narrow = ruleset.model_copy(update={"settings": ruleset.settings.model_copy(update={
        "paces": ruleset.settings.paces.model_copy(update={"race_window_days": 50})})})
    assert paces_of(ana, whole, DAY, ruleset).vdot == pytest.approx(49.8, abs=0.1)  # Daniels: 5K 20:00
    assert paces_of(ana, whole, DAY, narrow).vdot != paces_of(ana, whole, DAY, ruleset).vdot


def test_propose_many_equals_propose_one_by_one(data, default_rules):
    from coach.service.propose import propose, propose_many

    with MemoryUnitOfWork(data) as uow:
        athletes = uow.athletes.list()
        together = propose_many(uow, athletes, DAY, *default_rules, save=False)
        assert uow.data.proposals == {}
        alone = [propose(uow, a, DAY, *default_rules) for a in athletes]
    assert [p.session for p in together] == [p.session for p in alone]


def test_plan_simulates_days_and_saves_nothing(data, default_rules):
    from coach.service.plan import plan

    uow = MemoryUnitOfWork(data)
    with uow:
        days = plan(uow, uow.athletes.get("Ana"), DAY, 5, *default_rules)
        uow.commit()
    assert [p.date for p in days] == [DAY + dt.timedelta(days=i) for i in range(5)]
    assert data.proposals == {} and len(data.workouts[1]) == 17
    # a season plan goes up to 112 days (issue 12)
    with pytest.raises(InvalidInput, match="days must be from 1 to 112"), MemoryUnitOfWork(data) as uow:
        plan(uow, uow.athletes.get("Ana"), DAY, 113, *default_rules)


def test_planned_days_resolves_the_athlete(data, default_rules):
    from coach.service.export import planned_days

    with MemoryUnitOfWork(data) as uow:
        athlete, days = planned_days(uow, "Bo", DAY, 2, *default_rules)
    assert athlete.name == "Bo" and len(days) == 2


class FakeSender:
    def __init__(self, fail: str | None = None):
        self.sent: list[tuple[str, str]] = []
        self.fail = fail

    def compose(self, proposal, athlete, address):
        return (address, proposal.date), f"<{athlete.name}.{proposal.date}@test>"

    def send(self, message, deadline=None):
        if self.fail:
            raise DeliveryFailed(self.fail)
        self.sent.append(message)


def test_email_day_sends_once_and_records_it(data, default_rules):
    from coach.service.email import email_day

    ruleset, evaluator = default_rules
    sender = FakeSender()
    run = lambda: email_day(lambda: MemoryUnitOfWork(data), sender, day=DAY, ruleset=ruleset,  # noqa: E731
                            evaluator=evaluator, all_athletes=True)
    first = run()
    assert [(o.athlete, o.status) for o in first] == [("Ana", "sent"), ("Bo", "skipped")]
    assert sender.sent == [("ana@example.org", DAY)]
    assert data.deliveries[(1, DAY)].message_id == "<Ana.2026-11-19@test>" and (1, DAY) in data.delivered
    assert [o.status for o in run()] == ["skipped", "skipped"] and len(sender.sent) == 1


def test_email_day_records_a_failed_send_and_checks_the_address(data, default_rules):
    from coach.service.email import email_day

    ruleset, evaluator = default_rules
    outcomes = email_day(lambda: MemoryUnitOfWork(data), FakeSender(fail="server down"), day=DAY,
                         ruleset=ruleset, evaluator=evaluator, athlete_name="Ana")
    assert [(o.status, o.detail) for o in outcomes] == [("failed", "server down")]
    assert data.deliveries[(1, DAY)].status.value == "failed"
    with pytest.raises(InvalidInput, match="not an email address"):
        email_day(lambda: MemoryUnitOfWork(data), FakeSender(), day=DAY, ruleset=ruleset, evaluator=evaluator,
                  athlete_name="Ana", to="nobody")


def test_create_athlete_commits(data):
    from coach.service.logbook import create_athlete

    with MemoryUnitOfWork(data) as uow:
        cy = create_athlete(uow, Athlete(name="Cy"))
    assert data.athletes[cy.id].name == "Cy"
    with pytest.raises(InvalidInput, match="already exists"), MemoryUnitOfWork(data) as uow:
        create_athlete(uow, Athlete(name="Cy"))


def test_update_athlete_parses_the_fields_and_commits(data):
    from coach.service.logbook import update_athlete

    with MemoryUnitOfWork(data) as uow:
        changed = update_athlete(uow, "Bo", {"goal": "10k"})
    assert data.athletes[changed.id].goal.value == "10k"
    with pytest.raises(InvalidInput), MemoryUnitOfWork(data) as uow:
        update_athlete(uow, "Bo", {"goal": "ultra-ultra"})
    assert data.athletes[changed.id].goal.value == "10k"


def test_log_workout_and_history(data):
    from coach.service.logbook import history, log_workout

    with MemoryUnitOfWork(data) as uow:
        athlete, saved = log_workout(uow, "Bo", _run(0))
    assert athlete.name == "Bo" and data.workouts[athlete.id] == [saved]
    with MemoryUnitOfWork(data) as uow:
        who, log = history(uow, "Ana", since=DAY - dt.timedelta(days=5))
    assert who.name == "Ana" and [w.date for w in log] == [DAY - dt.timedelta(days=n) for n in (5, 3, 1)]


def test_trends_for_reads_the_window_and_its_proposals(data, default_rules):
    from coach.service.propose import propose
    from coach.service.trends import trends_for

    ruleset, evaluator = default_rules
    with MemoryUnitOfWork(data) as uow:
        propose(uow, uow.athletes.get("Ana"), DAY - dt.timedelta(days=1), ruleset, evaluator)
        uow.commit()
    with MemoryUnitOfWork(data) as uow:
        result = trends_for(uow, uow.athletes.get("Ana"), DAY, 4, ruleset.settings, ruleset.trends)
    from coach.engine.trends import window

    start, end = window(DAY, 4)
    assert not result.empty and end == DAY
    assert data.calls[-1] == ("workouts.between_many", (start - dt.timedelta(days=56), DAY + dt.timedelta(days=1)))


def test_checkin_is_saved_and_replaced(data):
    from coach.engine.model import Checkin
    from coach.service.checkin import save_checkin

    with MemoryUnitOfWork(data) as uow:
        athlete, replaced = save_checkin(uow, "Ana", Checkin(date=DAY, sleep_h=7.0))
    assert replaced is False and data.checkins[(athlete.id, DAY)].sleep_h == 7.0
    with MemoryUnitOfWork(data) as uow:
        _, replaced = save_checkin(uow, "Ana", Checkin(date=DAY, sick=True))
    assert replaced is True and data.checkins[(athlete.id, DAY)].sick


def test_a_checkin_reaches_that_days_proposal(data, default_rules):
    from coach.engine.model import Checkin
    from coach.service.checkin import save_checkin
    from coach.service.propose import propose

    with MemoryUnitOfWork(data) as uow:
        save_checkin(uow, "Ana", Checkin(date=DAY, sick=True))
    with MemoryUnitOfWork(data) as uow:
        proposal = propose(uow, uow.athletes.get("Ana"), DAY, *default_rules)
    assert proposal.facts["readiness.sick"] is True and proposal.session.kind.value == "rest"


def test_edit_and_delete_a_workout(data):
    from coach.service.workout import delete_workout, edit_workout

    with MemoryUnitOfWork(data) as uow:
        ana = uow.athletes.get("Ana")
        first = uow.workouts.list(ana.id)[0]
    with MemoryUnitOfWork(data) as uow:
        _, changed = edit_workout(uow, "Ana", first.id, {"rpe": "4", "notes": "edited"}, str)
    assert (changed.rpe, changed.notes) == (4, "edited")
    assert [w for w in data.workouts[ana.id] if w.id == first.id][0].rpe == 4
    with MemoryUnitOfWork(data) as uow:
        assert delete_workout(uow, "Ana", first.id, lambda a, w: False) is None
    assert any(w.id == first.id for w in data.workouts[ana.id])
    with MemoryUnitOfWork(data) as uow:
        delete_workout(uow, "Ana", first.id, lambda a, w: True)
    assert all(w.id != first.id for w in data.workouts[ana.id])


def test_the_plan_sees_this_mornings_checkin_on_its_first_day_only(data, default_rules):
    from coach.engine.model import Checkin
    from coach.service.checkin import save_checkin
    from coach.service.plan import plan

    with MemoryUnitOfWork(data) as uow:
        save_checkin(uow, "Ana", Checkin(date=DAY, sick=True))
    with MemoryUnitOfWork(data) as uow:
        days = plan(uow, uow.athletes.get("Ana"), DAY, 4, *default_rules)
    assert days[0].facts["readiness.sick"] is True and days[0].session.kind.value == "rest"
    # sick holds for state_days (2) unless a newer check-in clears it, then expires
    assert [d.facts["readiness.sick"] for d in days] == [True, True, False, False]
