"""`proposals.mark_delivered` is one UPDATE: the row loaded in the same unit of work sees it,
and another athlete's or another date's proposal is left alone."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.engine.errors import NotFound
from coach.engine.model import Athlete, Proposal
from tests.integration.test_store import proposal

DAY = dt.date(2026, 11, 20)
AT = dt.datetime(2026, 11, 19, 20, 0, tzinfo=dt.timezone.utc)


def _proposal(name: str, day: dt.date) -> Proposal:
    return proposal(day).model_copy(update={"athlete": name})


def test_mark_delivered_updates_one_row_and_the_loaded_one(store):
    with store.unit_of_work() as uow:
        ana, bo = (uow.athletes.add(Athlete(name=n)) for n in ("Ana", "Bo"))
        for a in (ana, bo):
            uow.proposals.add(a.id, _proposal(a.name, DAY))
        uow.proposals.add(ana.id, _proposal("Ana", DAY + dt.timedelta(days=1)))
        assert uow.proposals.delivered_at(ana.id, DAY) is None  # the row is loaded in this session
        uow.proposals.mark_delivered(ana.id, DAY, AT)
        assert uow.proposals.delivered_at(ana.id, DAY) == AT
        with pytest.raises(NotFound, match="no proposal for 2026-11-22"):
            uow.proposals.mark_delivered(ana.id, DAY + dt.timedelta(days=2), AT)
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.proposals.delivered_at(ana.id, DAY) == AT
        assert uow.proposals.delivered_at(bo.id, DAY) is None
        assert uow.proposals.delivered_at(ana.id, DAY + dt.timedelta(days=1)) is None
