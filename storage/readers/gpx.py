"""GPX tracks (Strava, Garmin Connect and watch exports), read with gpxpy.

GPX has no laps and no totals, so nothing is invented: no reps; distance is computed
from the points (2D, as the apps show it), moving time by gpxpy's moving-data rule,
elapsed time from the first to the last point, elevation gain from gpxpy's smoothed
uphill, heart rate and cadence from the Garmin TrackPointExtension (``gpxtpx:hr``,
``gpxtpx:cad``) where present. A GPX without times (a planned route) is refused.
All tracks of one file make one activity. The start is the first point's time, in UTC;
GPX has no local-time offset, so the date is the UTC date.
"""

from __future__ import annotations

import datetime as dt

from coach.engine.model import Sport
from coach.storage.readers.activity import FileContent, ReadActivity, UnreadableFile
from coach.storage.readers.safety import MAX_POINTS, check_count

#: the <type> of a track (Garmin words, Strava's numbers) -> our sport
TYPES: dict[str, Sport] = {
    "running": Sport.run, "run": Sport.run, "trail_running": Sport.run, "treadmill_running": Sport.run,
    "9": Sport.run,
    "cycling": Sport.bike, "biking": Sport.bike, "ride": Sport.bike, "road_biking": Sport.bike,
    "mountain_biking": Sport.bike, "1": Sport.bike,
    "swimming": Sport.swim, "swim": Sport.swim, "open_water_swimming": Sport.swim,
    "lap_swimming": Sport.swim, "16": Sport.swim,
    "walking": Sport.cross, "hiking": Sport.cross, "10": Sport.cross, "11": Sport.cross,
}
#: words in a track's <name> that name its sport when <type> is missing (TomTom, older apps)
_NAME_WORDS = (("run", Sport.run), ("ride", Sport.bike), ("cycl", Sport.bike), ("bik", Sport.bike),
               ("swim", Sport.swim))


def _sport(gpx) -> tuple[Sport, str | None]:
    for track in gpx.tracks:
        if track.type and track.type.strip().lower() in TYPES:
            return TYPES[track.type.strip().lower()], None
    for track in gpx.tracks:
        name = (track.name or "").lower()
        for word, sport in _NAME_WORDS:
            if word in name:
                return sport, None
    return Sport.run, "the GPX file does not say its sport; imported as a run"


def _extension_values(point) -> tuple[float | None, float | None]:
    hr = cad = None
    for ext in point.extensions:
        for el in ext.iter():
            tag = el.tag.rsplit("}", 1)[-1].lower() if isinstance(el.tag, str) else ""
            if tag == "hr" and el.text:
                hr = _reading(el.text, 260, "hr")
            elif tag == "cad" and el.text:
                cad = _reading(el.text, 400, "cad")
    return hr, cad


def _reading(text: str, limit: float, name: str) -> float | None:
    """A sensor reading; None for a dropout (0, empty, not a number); a value no sensor
    gives (1e400, NaN, a heart rate of 900) refuses the file."""
    try:
        value = float(text)
    except ValueError:
        return None
    if value == 0:
        return None
    if not 0 < value < limit:
        raise UnreadableFile(f"a track point's {name} is not a number between 0 and {limit:.0f}")
    return value


def read_gpx(data: bytes) -> FileContent:
    """Read one GPX file's bytes.

    :raises UnreadableFile: not valid GPX, no track points, or points without times
    """
    import gpxpy
    import gpxpy.gpx

    # counted before parsing (gpxpy holds every point as objects): millions are refused cheaply
    check_count("track points", data.count(b"trkpt") // 2, MAX_POINTS)
    try:
        gpx = gpxpy.parse(data.decode("utf-8-sig", errors="replace"))
    except gpxpy.gpx.GPXException as exc:
        raise UnreadableFile(f"invalid GPX: {str(exc).splitlines()[0]}") from None
    except ValueError:  # gpxpy scans the raw text for xmlns="..." and chokes on what only looks like one
        raise UnreadableFile("invalid GPX: text that looks like an XML namespace declaration "
                             "(xmlns:...) where gpxpy cannot take one") from None
    points = [p for track in gpx.tracks for seg in track.segments for p in seg.points]
    if not points:
        raise UnreadableFile("no track points in the GPX file (a route or waypoints, not a recorded activity)")
    times = [p.time for p in points if p.time is not None]
    if len(times) < 2:
        raise UnreadableFile("the GPX track has no times: a planned route, not a recorded activity")
    if len(times) < len(points):
        raise UnreadableFile("some GPX track points have no time: not a recorded activity")
    sport, warning = _sport(gpx)
    content = FileContent(format="gpx")
    if warning:
        content.warnings.append(warning)

    start = min(times)
    if start.tzinfo is None:
        start = start.replace(tzinfo=dt.timezone.utc)
    start = start.astimezone(dt.timezone.utc)
    end = max(times)
    if end.tzinfo is None:
        end = end.replace(tzinfo=dt.timezone.utc)
    moving = gpx.get_moving_data()
    uphill = gpx.get_uphill_downhill().uphill
    hrs: list[float] = []
    cads: list[float] = []
    for p in points:
        hr, cad = _extension_values(p)
        if hr:
            hrs.append(hr)
        if cad:
            cads.append(cad)
    cadence = sum(cads) / len(cads) if cads else None
    if cadence is not None and sport == Sport.run:
        cadence *= 2  # gpxtpx:cad on runs counts strides (one foot): steps are twice that
    content.activities.append(
        ReadActivity(
            sport=sport,
            start_utc=start,
            local_date=start.date(),
            timer_s=moving.moving_time if moving and moving.moving_time else None,
            elapsed_s=(end - start).total_seconds() or None,
            distance_m=gpx.length_2d(),
            ascent_m=uphill if gpx.has_elevations() else None,
            avg_hr=round(sum(hrs) / len(hrs)) if hrs else None,
            max_hr=round(max(hrs)) if hrs else None,
            cadence=cadence,
        )
    )
    return content
