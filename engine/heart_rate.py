"""Heart-rate zones in beats per minute: a block's zone (1-5) as the range a strap shows.

Pure: the zones' boundaries come from the rule set (settings.yml `heart_rate_zones:`), the
athlete's heart rates from their profile. Two models, each named in the settings:

- **% of threshold heart rate** (Friel's lactate-threshold zones, per sport): used when the
  profile has a threshold heart rate (`coach athlete set --threshold-hr`). A zone of
  [81, 89] % at a threshold of 160 bpm is 130-142 bpm.
- **% of the heart-rate reserve** (Karvonen: resting + % x (max - resting)): used when the
  profile has both HRmax and a resting heart rate and no threshold. Zone [60, 70] % at
  HRmax 190 and rest 50 is 134-148 bpm.

Only the athlete's own numbers count: a range from an estimated HRmax (a strap's highest
reading) or an assumed resting heart rate would look exact without being so, and a zone
number says as much as such a range. Bounds are rounded to whole beats; a zone whose low
bound is open ("below 81 %") has no low bpm.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coach.engine.model import Athlete, Block, Session

__all__ = ["HeartRates", "hr_range", "with_hr_ranges"]


@dataclass(frozen=True)
class HeartRates:
    """The athlete's heart-rate numbers in bpm (None: not in the profile)."""

    threshold_hr: float | None = None
    hr_max: float | None = None
    hr_rest: float | None = None

    @classmethod
    def of(cls, athlete: Athlete) -> "HeartRates":
        p = athlete.physiology
        return cls(threshold_hr=p.threshold_hr, hr_max=p.hr_max, hr_rest=p.hr_rest)


def hr_range(zone: int, sport: str, rates: HeartRates, zones: Any) -> tuple[int | None, int] | None:
    """(low, high) bpm of `zone` for `sport` ("bike" or "run"), or None when the athlete's heart
    rates do not give one (no threshold HR for a sport with threshold zones, no HRmax and
    resting HR) or the zone is not in the settings.

    :param zones: the rule set's `heart_rate_zones` (engine/rules/model.py HeartRateZoneParams)
    """
    if rates.threshold_hr and sport in zones.threshold_pct:
        band = zones.threshold_pct[sport].get(zone)
        if band is None:
            return None
        low, high = band
        return (None if low is None else round(rates.threshold_hr * low / 100.0),
                round(rates.threshold_hr * high / 100.0))
    if rates.hr_max and rates.hr_rest and rates.hr_max > rates.hr_rest:
        band = zones.reserve_pct.get(zone)
        if band is None:
            return None
        low, high = band
        reserve = rates.hr_max - rates.hr_rest
        return (None if low is None else round(rates.hr_rest + reserve * low / 100.0),
                round(rates.hr_rest + reserve * high / 100.0))
    return None


def bpm_words(low: int | None, high: int) -> str:
    """'130-142 bpm', or 'under 130 bpm' for a zone open below."""
    return f"under {high} bpm" if low is None else f"{low}-{high} bpm"


def with_hr_ranges(session: Session, athlete: Athlete, zones: Any) -> Session:
    """The session with `hr_bpm_low` / `hr_bpm_high` on every block that has a heart-rate zone,
    and the range in its description ("heart-rate zone 2, 130-142 bpm"); unchanged without
    zone settings or the athlete's heart rates."""
    if zones is None or not any(b.hr_zone for b in session.blocks):
        return session
    rates = HeartRates.of(athlete)
    blocks: list[Block] = []
    for b in session.blocks:
        sport = b.sport or (session.sport.value if session.sport.value in ("bike", "run") else "run")
        got = hr_range(b.hr_zone, sport, rates, zones) if b.hr_zone else None
        if got is None:
            blocks.append(b)
            continue
        low, high = got
        zone_words = f"heart-rate zone {b.hr_zone}"
        words = f"{zone_words}, {bpm_words(low, high)}"
        description = (b.description.replace(zone_words, words, 1) if zone_words in b.description
                       else f"{b.description} ({bpm_words(low, high)})")
        blocks.append(b.model_copy(update={"hr_bpm_low": low, "hr_bpm_high": high, "description": description}))
    return session.model_copy(update={"blocks": blocks})
