"""The one table of limits: what a number may be in the store, and what a person may enter.

Two checks read it. `coach.storage.plausible` keeps every stored number finite and within
`low`..`high` (on the way in, and on the way out for values an older coach let in);
`coach.engine.plausibility` refuses what a person types or imports when it passes `entry`,
the stricter ceiling some quantities have. These are limits of the physically possible with
a wide margin, not coaching judgements (those live in the rule files). Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

DAY_S = 24 * 3600.0


@dataclass(frozen=True)
class Limit:
    """What one quantity may be: `low` to `high` (inclusive) in `unit` in the store; a new
    entry at most `entry` when that is stricter (None: the store's limits), for the reason `why`."""

    low: float
    high: float
    unit: str
    entry: float | None = None
    why: str = ""

    @property
    def range(self) -> tuple[float, float, str]:
        """(low, high, unit): the store's limits."""
        return self.low, self.high, self.unit


LIMITS: dict[str, Limit] = {
    "distance_m": Limit(0.0, 2_000_000.0, "m"),                # a week-long ultra, with margin
    "rep_distance_m": Limit(0.0, 500_000.0, "m"),
    "duration_s": Limit(0.0, 7 * DAY_S, "s"),                  # a week-long activity
    "elapsed_s": Limit(0.0, 14 * DAY_S, "s"),
    "elevation_gain_m": Limit(0.0, 50_000.0, "m"),
    "cadence": Limit(0.0, 400.0, "per minute"),
    "sleep_h": Limit(0.0, 24.0, "h"),
    "pace_s_per_km": Limit(0.0, 36_000.0, "s/km"),             # 10 hours per km
    "race_distance_m": Limit(0.0, 2_000_000.0, "m"),
    "race_time_s": Limit(0.0, 30 * DAY_S, "s"),
    "heart_rate": Limit(
        0.0, 260.0, "bpm", entry=250.0,
        why="no human heart beats faster than 250 bpm, so a new entry stops there; the store "
            "and the model keep 260 because coach stored up to 259 bpm before the entry check "
            "existed, and a workout already stored (a chest strap's spike) must stay readable"),
    "power_w": Limit(0.0, 2500.0, "W"),                        # above any sprint peak; the
    # duration-dependent ceilings a person may enter are POWER_CEILINGS in engine/plausibility.py
}
