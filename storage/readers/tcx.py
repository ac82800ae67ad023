"""TCX (Garmin Training Center XML) activities, read with lxml.

Each ``<Activity>`` becomes one activity; its ``<Lap>`` elements are its laps, with
the lap's own totals (``TotalTimeSeconds`` is timer time, ``DistanceMeters``, average
and maximum heart rate, ``Cadence`` for rides). Running cadence has no lap total in
most files: it is the mean of the track points' ``RunCadence`` (strides per minute,
doubled to steps). The workout's totals are the sums of its laps; its average HR is
the laps' averages weighted by lap time. Elapsed time runs from the first lap's start
to the last track point (or the end of the last lap). Elevation gain is the sum of
rises in ``AltitudeMeters``. TCX has no local-time offset, so the date is the UTC date.
"""

from __future__ import annotations

import datetime as dt
import math

from coach.engine.model import Sport
from coach.storage.readers.activity import FileContent, ReadActivity, ReadLap, UnreadableFile, weighted_mean
from coach.storage.readers.safety import MAX_DISTANCE_M, MAX_ELAPSED_S, MAX_LAPS, MAX_POINTS, check_count

SPORTS = {"running": Sport.run, "biking": Sport.bike, "swimming": Sport.swim}


def _local(el) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def _child(el, name: str):
    for c in el:
        if _local(c) == name:
            return c
    return None


def _children(el, name: str):
    return [c for c in el if _local(c) == name]


def _number(el, *path: str) -> float | None:
    for name in path:
        if el is None:
            return None
        el = _child(el, name)
    if el is None or el.text is None:
        return None
    try:
        value = float(el.text.strip())
    except ValueError:
        return None
    if not math.isfinite(value):
        raise UnreadableFile(f"{path[-1]} is not a finite number")
    return value


def _time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        t = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    return t.astimezone(dt.timezone.utc)


def read_tcx(data: bytes) -> FileContent:
    """Read one TCX file's bytes.

    :raises UnreadableFile: not well-formed XML, or no activity with laps and times
    """
    from lxml import etree

    # counted before parsing, so that a file of millions of points is refused cheaply
    check_count("track points", data.count(b"Trackpoint>") // 2, MAX_POINTS)
    check_count("laps", data.count(b"Lap>") // 2, MAX_LAPS)
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise UnreadableFile(f"not well-formed XML: {exc.msg}") from None
    content = FileContent(format="tcx")
    activities = [a for block in _children(root, "Activities") for a in _children(block, "Activity")]
    if not activities:
        raise UnreadableFile("no <Activity> in the TCX file (a course or workout plan, not a recorded activity)")
    for activity in activities:
        content.activities.append(_activity(activity, content.warnings))
    return content


def _activity(activity, warnings: list[str]) -> ReadActivity:
    sport_name = (activity.get("Sport") or "").strip().lower()
    sport = SPORTS.get(sport_name, Sport.cross)
    laps_el = _children(activity, "Lap")
    if not laps_el:
        raise UnreadableFile("a TCX activity has no laps")
    laps: list[ReadLap] = []
    hr_pairs: list[tuple[float, float]] = []
    max_hrs: list[float] = []
    cadences: list[tuple[float, float]] = []
    start: dt.datetime | None = None
    last_time: dt.datetime | None = None
    lap_end: dt.datetime | None = None
    ascent = 0.0
    have_altitude = False
    prev_alt: float | None = None
    for lap_el in laps_el:
        lap_start = _time(lap_el.get("StartTime"))
        if lap_start is not None and (start is None or lap_start < start):
            start = lap_start
        timer = _number(lap_el, "TotalTimeSeconds")
        _check_lap(len(laps) + 1, timer, _number(lap_el, "DistanceMeters"))
        if lap_start is not None and timer:
            end = lap_start + dt.timedelta(seconds=timer)
            lap_end = end if lap_end is None or end > lap_end else lap_end
        run_cads: list[float] = []
        for track in _children(lap_el, "Track"):
            for tp in _children(track, "Trackpoint"):
                t = _time(getattr(_child(tp, "Time"), "text", None))
                if t is not None and (last_time is None or t > last_time):
                    last_time = t
                alt = _number(tp, "AltitudeMeters")
                if alt is not None:
                    have_altitude = True
                    if prev_alt is not None and alt > prev_alt:
                        ascent += alt - prev_alt
                    prev_alt = alt
                ext = _child(tp, "Extensions")
                if ext is not None:
                    for tpx in ext:
                        rc = _number(tpx, "RunCadence")
                        if rc:
                            run_cads.append(rc)
        avg_hr = _number(lap_el, "AverageHeartRateBpm", "Value")
        max_hr = _number(lap_el, "MaximumHeartRateBpm", "Value")
        cadence = _number(lap_el, "Cadence")
        lx = _lap_extension(lap_el)
        if sport == Sport.run:
            stride = _number(lx, "AvgRunCadence") if lx is not None else None
            if stride is None and run_cads:
                stride = sum(run_cads) / len(run_cads)
            cadence = 2 * stride if stride else None  # strides (one foot) per minute -> steps
        intensity = getattr(_child(lap_el, "Intensity"), "text", None)
        laps.append(
            ReadLap(
                distance_m=_number(lap_el, "DistanceMeters"),
                timer_s=timer,
                avg_hr=int(avg_hr) if avg_hr else None,
                max_hr=int(max_hr) if max_hr else None,
                cadence=cadence,
                intensity={"Active": "active", "Resting": "rest"}.get((intensity or "").strip()),
            )
        )
        if avg_hr and timer:
            hr_pairs.append((avg_hr, timer))
        if max_hr:
            max_hrs.append(max_hr)
        if cadence and timer:
            cadences.append((cadence, timer))
    if start is None:
        start = _time(getattr(_child(activity, "Id"), "text", None))
    if start is None:
        raise UnreadableFile("the TCX activity has no start time")
    end = max([t for t in (last_time, lap_end) if t is not None], default=None)
    timers = [lap.timer_s for lap in laps if lap.timer_s]
    distances = [lap.distance_m for lap in laps if lap.distance_m is not None]
    avg_hr = weighted_mean(hr_pairs)
    timer_total = sum(timers) if timers else None
    elapsed = (end - start).total_seconds() if end else None
    if elapsed is not None and timer_total is not None:
        elapsed = max(elapsed, timer_total)  # the last point can come before the lap's recorded end
    return ReadActivity(
        sport=sport,
        sub_sport=sport_name or None,
        start_utc=start,
        local_date=start.date(),
        timer_s=timer_total,
        elapsed_s=elapsed,
        distance_m=sum(distances) if distances else None,
        ascent_m=ascent if have_altitude else None,
        avg_hr=round(avg_hr) if avg_hr else None,
        max_hr=round(max(max_hrs)) if max_hrs else None,
        cadence=weighted_mean(cadences),
        laps=laps,
    )


def _lap_extension(lap_el):
    ext = _child(lap_el, "Extensions")
    if ext is None:
        return None
    for c in ext:
        if _local(c) == "LX":
            return c
    return None


def _check_lap(number: int, timer: float | None, distance: float | None) -> None:
    """Refuse a lap whose time or distance no activity can have (1e20 s, a negative distance)."""
    if timer is not None and not 0 <= timer <= MAX_ELAPSED_S:
        raise UnreadableFile(f"lap {number}: TotalTimeSeconds {timer:g} is not between 0 and 7 days")
    if distance is not None and not 0 <= distance <= MAX_DISTANCE_M:
        raise UnreadableFile(f"lap {number}: DistanceMeters {distance:g} is not between 0 and 2,000 km")
