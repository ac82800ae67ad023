"""Building blocks of the principle scenarios: histories, the Scenario driver, proposal readers.

Each scenario test builds its history with `scenario.log(...)` (real SQLite file in a temp
dir, through the unit of work), calls the same use case as `coach next`
(`service.propose.propose`) and asserts what the proposal must and must not be.

`scenario.baseline(day)` is a calm, well-based history that gives a hard session on `day`:
five weeks of a 4-day cycle (intervals, easy 10 km, tempo, rest) ending with a rest day
yesterday. Its 7-day load is about 0.9 times the 28-day average, there are about 70 km of easy
running in 4 weeks, no soreness, no long or heavy session: no adaptation rule fires on it.
Scenarios add the one signal they are about.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from coach.engine.model import Athlete, Kind, Proposal, Rep, Sport, Workout

#: A Thursday: the week so far (Mon-Wed) holds one hard session in the baseline.
DAY = dt.date(2026, 11, 19)


def days_before(day: dt.date, n: int) -> dt.date:
    return day - dt.timedelta(days=n)


def run(date: dt.date, kind: Kind, minutes: float, rpe: int | None, km: float | None = None, **kw) -> Workout:
    return Workout(date=date, sport=Sport.run, kind=kind, duration_s=minutes * 60, rpe=rpe,
                   distance_m=None if km is None else km * 1000, **kw)


def reps_400(paces_s_per_km: list[float], target: float | None = None) -> list[Rep]:
    """400 m reps run at the given paces (s/km)."""
    return [Rep(index=i + 1, distance_m=400, duration_s=p * 0.4, target_pace_s_per_km=target)
            for i, p in enumerate(paces_s_per_km)]


def baseline_history(day: dt.date, weeks: int = 5) -> list[Workout]:
    out = []
    for n in range(weeks * 7, 0, -1):
        d = days_before(day, n)
        phase = n % 4
        if phase == 1:
            continue  # rest
        if phase == 0:
            out.append(run(d, Kind.intervals, 45, 7, 9))
        elif phase == 3:
            out.append(run(d, Kind.easy, 50, 3, 10))
        else:
            out.append(run(d, Kind.tempo, 45, 7, 10))
    return out


@dataclass
class Scenario:
    db_url: str
    ruleset: object
    evaluator: object
    athlete_name: str = "Ana"
    _athlete: Athlete | None = field(default=None, repr=False)

    DAY = DAY

    def store(self):
        from coach.storage import open_store

        return open_store(self.db_url)

    def athlete(self, **kw) -> Athlete:
        """Create the scenario's athlete (once); keyword arguments go to Athlete."""
        if self._athlete is None:
            kw.setdefault("recent_races", [{"label": "5k", "distance_m": 5000, "time_s": 20 * 60 + 30}])
            kw.setdefault("rest_days", [])
            with self.store() as store, store.unit_of_work() as uow:
                self._athlete = uow.athletes.add(Athlete(name=self.athlete_name, **kw))
                uow.commit()
        return self._athlete

    def log(self, *workouts: Workout) -> None:
        athlete = self.athlete()
        with self.store() as store, store.unit_of_work() as uow:
            for w in workouts:
                uow.workouts.add(athlete.id, w)
            uow.commit()

    def baseline(self, day: dt.date = DAY, drop: tuple[int, ...] = ()) -> None:
        """Log the calm baseline history before `day`, without the workouts `drop` days before it."""
        self.log(*[w for w in baseline_history(day) if (day - w.date).days not in drop])

    def propose(self, day: dt.date = DAY) -> Proposal:
        from coach.service.propose import propose

        athlete = self.athlete()
        with self.store() as store, store.unit_of_work() as uow:
            proposal = propose(uow, athlete, day, self.ruleset, self.evaluator)
            uow.commit()
        with self.store() as store, store.unit_of_work() as uow:
            assert uow.proposals.get(athlete.id, day) is not None, "the proposal was saved"
        return proposal


def rules_of(proposal: Proposal) -> set[str]:
    return {a.rule for a in proposal.adaptations}


def principles_of(proposal: Proposal) -> set[str]:
    return {a.principle for a in proposal.adaptations}


def reason_of(proposal: Proposal, rule: str) -> str:
    found = [a.reason for a in proposal.adaptations if a.rule == rule]
    assert found, f"rule {rule} did not adapt the proposal: {[a.rule for a in proposal.adaptations]}"
    return found[0]


def main_blocks(proposal: Proposal):
    return [b for b in proposal.session.blocks if b.phase.value == "main"]


def main_distance(proposal: Proposal) -> float:
    return sum((b.distance_m or 0) * b.repeat for b in main_blocks(proposal))


def main_paces(proposal: Proposal) -> list[float]:
    return [b.pace_s_per_km for b in main_blocks(proposal) if b.pace_s_per_km is not None]


