"""Readiness facts: the morning check-ins (`coach checkin`) as the day's proposal sees them.

Pure: the caller passes the athlete's check-ins of the last `CHECKIN_DAYS` days up to and
including the proposal date. A check-in dated on the proposal day is this morning's.

- **Today's answers** (`readiness.sleep_h`, `readiness.soreness`, `readiness.feel`) come from
  the check-in of the proposal date only: last night's sleep is today's, and a two-day-old
  night says nothing about this morning.
- **Sick, injured** (`readiness.sick`, `readiness.injured`): the latest check-in of the last
  `readiness.state_days` days (settings.yml) decides; older ones have expired (check in
  again to keep the state, or to clear it).
- **HRV** (`readiness.hrv_status`, `readiness.hrv_sd`): the mean of ln rMSSD over the last 7
  days against the baseline of all readings in the window (60 days): "low" below the
  baseline mean minus `hrv_band_sd` standard deviations, "high" above the mean plus it,
  else "normal" (the smallest worthwhile change of HRV-guided training: Plews et al. 2012,
  Kiviniemi et al. 2007, Vesterinen et al. 2016 use the 7-day rolling ln rMSSD against
  a 60-day mean +- 0.5 SD). Known only with a reading today or yesterday (else stale), at
  least 3 readings in the 7 days, and `hrv_min_readings` in the baseline.
- **Last known** (`last_known_checkin`, shown beside a proposal, never a fact): the day's
  own check-in, else the latest of the `LAST_KNOWN_DAYS` days before, with its date, so that
  the evening email and `coach next` say what was last reported instead of nothing.
- **Resting HR** (`readiness.resting_hr_up`): this morning's resting heart rate minus the
  mean of the earlier readings in the window (bpm), with at least `hrv_min_readings` of them.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from coach.engine.model import Checkin

#: Days of check-ins before the proposal date that the readiness facts read (the HRV baseline).
CHECKIN_DAYS = 60
#: Days of the short HRV mean.
HRV_SHORT_DAYS = 7
#: Days before the proposal date whose latest check-in is shown as "last known" (display
#: only: the rules read the day's own answers and the unexpired sick/injured state)
LAST_KNOWN_DAYS = 3


@dataclass(frozen=True)
class ReadinessSettings:
    """settings.yml `readiness:` (optional: without it, no readiness facts)."""

    state_days: int
    hrv_band_sd: float
    hrv_min_readings: int

    @classmethod
    def of(cls, node: Any) -> "ReadinessSettings | None":
        if node is None or isinstance(node, ReadinessSettings):
            return node
        data = dict(node) if isinstance(node, Mapping) else {k: getattr(node, k) for k in type(node).model_fields}
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})


def checkin_window(day: dt.date) -> tuple[dt.date, dt.date]:
    """The check-ins to load for a proposal on `day`: start inclusive, end exclusive (the day itself included)."""
    return day - dt.timedelta(days=CHECKIN_DAYS), day + dt.timedelta(days=1)


def readiness_facts(checkins: Iterable[Checkin], day: dt.date, settings: ReadinessSettings | None) -> dict[str, Any]:
    """The readiness facts on `day` from the check-ins (any range; only the window is read)."""
    if settings is None:
        return {}
    start = day - dt.timedelta(days=CHECKIN_DAYS)
    seen = sorted((c for c in checkins if start <= c.date <= day), key=lambda c: c.date)
    out: dict[str, Any] = {}
    today = next((c for c in seen if c.date == day), None)
    out["today.checked_in"] = today is not None
    if today is not None:
        for name, value in (("readiness.sleep_h", today.sleep_h), ("readiness.soreness", today.soreness),
                            ("readiness.feel", today.feel)):
            if value is not None:
                out[name] = value
    recent = [c for c in seen if (day - c.date).days < settings.state_days]
    latest = recent[-1] if recent else None
    out["readiness.sick"] = bool(latest and latest.sick)
    out["readiness.injured"] = bool(latest and latest.injured)
    out.update(_hrv(seen, day, settings))
    out.update(_resting_hr(seen, today, settings))
    return out


def _hrv(seen: list[Checkin], day: dt.date, s: ReadinessSettings) -> dict[str, Any]:
    readings = [(c.date, math.log(c.hrv_ms)) for c in seen if c.hrv_ms]
    if not readings or (day - readings[-1][0]).days > 1:
        return {}
    short = [v for d, v in readings if (day - d).days < HRV_SHORT_DAYS]
    base = [v for _, v in readings]
    if len(short) < 3 or len(base) < s.hrv_min_readings:
        return {}
    mean, sd = statistics.fmean(base), statistics.pstdev(base)
    now = statistics.fmean(short)
    if sd == 0:
        return {"readiness.hrv_status": "normal", "readiness.hrv_sd": 0.0}
    z = (now - mean) / sd
    status = "low" if z < -s.hrv_band_sd else "high" if z > s.hrv_band_sd else "normal"
    return {"readiness.hrv_status": status, "readiness.hrv_sd": round(z, 2)}


def _resting_hr(seen: list[Checkin], today: Checkin | None, s: ReadinessSettings) -> dict[str, Any]:
    if today is None or today.resting_hr is None:
        return {}
    earlier = [c.resting_hr for c in seen if c.resting_hr and c.date < today.date]
    if len(earlier) < s.hrv_min_readings:
        return {}
    return {"readiness.resting_hr_up": round(today.resting_hr - statistics.fmean(earlier), 1)}


def last_known_checkin(checkins: Iterable[Checkin], day: dt.date) -> Checkin | None:
    """The check-in to show beside the proposal of `day`: its own, else the latest of the
    `LAST_KNOWN_DAYS` days before (None: nothing that recent)."""
    start = day - dt.timedelta(days=LAST_KNOWN_DAYS)
    recent = [c for c in checkins if start <= c.date <= day]
    return max(recent, key=lambda c: c.date, default=None)


def checkin_words(checkin: Checkin) -> str:
    """What a check-in says, in one phrase: 'sick, slept 7.5 h, soreness 3/10, feel 4/5, HRV 62
    ms, resting HR 48 bpm' ('nothing to report' when it says nothing)."""
    said = []
    if checkin.sick:
        said.append("sick")
    if checkin.injured:
        said.append("injured")
    if checkin.sleep_h is not None:
        said.append(f"slept {checkin.sleep_h:g} h")
    if checkin.soreness is not None:
        said.append(f"soreness {checkin.soreness}/10")
    if checkin.feel is not None:
        said.append(f"feel {checkin.feel}/5")
    if checkin.hrv_ms is not None:
        said.append(f"HRV {checkin.hrv_ms:g} ms")
    if checkin.resting_hr is not None:
        said.append(f"resting HR {checkin.resting_hr} bpm")
    return ", ".join(said) or "nothing to report"


def describe_checkin(checkin: Checkin, day: dt.date) -> str:
    """One line on the check-in shown beside the proposal of `day`, saying its date when it is
    not the day's own: 'Check-in: none yet for Tue 2026-12-01; last known Mon 2026-11-30
    (1 day before): slept 7.5 h, soreness 3/10, feel 4/5.'"""
    what = checkin_words(checkin)
    if checkin.date == day:
        return f"Check-in of {day:%a} {day.isoformat()}: {what}."
    ago = (day - checkin.date).days
    return (f"Check-in: none yet for {day:%a} {day.isoformat()}; last known {checkin.date:%a} "
            f"{checkin.date.isoformat()} ({ago} day{'s' if ago != 1 else ''} before): {what}.")
