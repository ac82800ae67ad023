"""Use case: `coach trends`, reading what the trends need from the store and computing them.

The computation is pure (`coach.engine.trends.compute_trends`); this module only reads.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from coach.engine.facts import WINDOW_DAYS
from coach.engine.model import Athlete
from coach.engine.trends import Trends, TrendsConfig, compute_trends, window

if TYPE_CHECKING:
    from coach.engine.rules.model import Settings
    from coach.storage.unit_of_work import AbstractUnitOfWork


def trends_for(uow: AbstractUnitOfWork, athlete: Athlete, day: dt.date, weeks: int, settings: Settings,
               config: TrendsConfig) -> Trends:
    """The trends of `athlete` over `weeks` weeks to `day`: the workouts of the window (and of
    the fact window before it, for the load), and the proposals made in it.

    :param uow: an open unit of work (read only)
    """
    start, end = window(day, weeks)
    workouts = uow.workouts.between(athlete.id, start - dt.timedelta(days=WINDOW_DAYS), end + dt.timedelta(days=1))
    proposals = [p for p in uow.proposals.list(athlete.id, since=start) if p.date <= end]
    return compute_trends(athlete, workouts, proposals, day, weeks, settings, config)
