"""What a watch-file reader hands to the importer: activities with laps, in SI units.

Every reader (FIT, GPX, TCX) turns one file into a `FileContent`: zero or more
`ReadActivity` (one per recorded session; a triathlon file holds several) plus
warnings about the file. `ReadActivity.to_workout()` maps one to the domain model.

Conventions, the same for every format:

* times: ``start_utc`` is an aware UTC datetime; ``local_date`` is the athlete's
  calendar date (the file's own local-time offset where it records one, as FIT's
  ``activity.local_timestamp`` does; otherwise the UTC date);
* durations: ``timer_s`` is moving (timer) time, ``elapsed_s`` wall-clock time;
* cadence: steps per minute for runs (FIT, TCX and GPX record running cadence in
  strides per minute, one foot; readers double it), revolutions per minute for
  rides, strokes per minute for swims;
* laps are the file's own laps, in order; where a file has none, there are none.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from coach.engine.errors import InvalidInput
from coach.engine.model import Kind, Rep, Sport, Workout


class UnreadableFile(InvalidInput):
    """A file is not a workout we can read (corrupt, truncated, empty, or another kind of file)."""


@dataclass
class ReadLap:
    distance_m: float | None = None
    timer_s: float | None = None
    elapsed_s: float | None = None
    avg_hr: int | None = None
    max_hr: int | None = None
    cadence: float | None = None
    #: the file's own label for the lap where it has one: active, rest, warmup, cooldown
    intensity: str | None = None


@dataclass
class ReadActivity:
    sport: Sport
    start_utc: dt.datetime | None
    local_date: dt.date
    #: wall-clock start in the athlete's time zone, where the file says (naive)
    local_start: dt.datetime | None = None
    sub_sport: str | None = None
    kind: Kind | None = None
    timer_s: float | None = None
    elapsed_s: float | None = None
    distance_m: float | None = None
    ascent_m: float | None = None
    avg_hr: int | None = None
    max_hr: int | None = None
    cadence: float | None = None
    avg_power_w: float | None = None
    laps: list[ReadLap] = field(default_factory=list)

    def to_workout(self, source: str) -> Workout:
        """The domain Workout (kind as the file states it, or None; no dedupe key yet)."""
        start = self.start_utc.astimezone(dt.timezone.utc).replace(tzinfo=None) if self.start_utc else None
        reps = [
            Rep(
                index=i,
                distance_m=_nonneg(lap.distance_m),
                duration_s=_positive(lap.timer_s),
                avg_hr=_hr(lap.avg_hr),
                cadence=_cadence(lap.cadence),
            )
            for i, lap in enumerate(self.laps, start=1)
        ]
        return Workout(
            date=self.local_date,
            start_time=start,
            sport=self.sport,
            kind=self.kind,
            distance_m=_nonneg(self.distance_m),
            duration_s=_positive(self.timer_s),
            elapsed_s=_positive(self.elapsed_s),
            avg_hr=_hr(self.avg_hr),
            max_hr=_hr(self.max_hr),
            cadence=_cadence(self.cadence),
            elevation_gain_m=_nonneg(self.ascent_m),
            avg_power_w=self.avg_power_w if self.avg_power_w and 0 < self.avg_power_w <= 2500 else None,
            source=source,
            reps=reps,
        )


@dataclass
class FileContent:
    format: str
    activities: list[ReadActivity] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# Values outside the model's ranges are sensor noise (a 0 bpm HR strap dropout, a
# 0-distance lap): they are left unknown rather than refusing the whole file. So is a
# value that is not a finite number (a corrupt file can decode a field as a list, or NaN).
def _number(v: object) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        return None
    return float(v)


def _positive(v: float | None) -> float | None:
    v = _number(v)
    return v if v is not None and v > 0 else None


def _nonneg(v: float | None) -> float | None:
    v = _number(v)
    return v if v is not None and v >= 0 else None


def _hr(v: float | None) -> int | None:
    v = _number(v)
    return int(round(v)) if v is not None and 0 < v < 260 else None


def _cadence(v: float | None) -> float | None:
    v = _number(v)
    return v if v is not None and 0 < v < 400 else None


def weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    """Mean of values weighted by durations: [(value, weight), ...]; None if no weight."""
    pairs = [(v, w) for v, w in pairs if _number(v) is not None and _number(w) is not None and w > 0]
    total = sum(w for _, w in pairs)
    if not total:
        return None
    mean = sum(v * w for v, w in pairs) / total
    return mean if math.isfinite(mean) else None
