"""FIT activity files (Garmin and others), read with fitdecode.

Totals come from the file's own ``session`` and ``lap`` messages, so they match what
the watch showed. A multisport file (a triathlon) has one session per leg: each swim,
bike and run session becomes its own activity; transitions are not workouts.

Decisions:

* Truncated files, undefined messages and other decoding errors refuse the whole file.
* A wrong file CRC (the footer checksum) is accepted with a warning when every message
  decoded cleanly up to the footer: the content is whole, only the checksum disagrees,
  and the values still pass the model's range checks. A file cut off before its CRC is
  truncated and refused.
* A FIT file with no session (device settings, a course, a workout plan) is refused as
  "not a recorded activity".
* Old devices (FR70) write times relative to power-up ("system time"). Such a file has
  no UTC start: its start is taken from the local clock (``activity.local_timestamp``).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from coach.engine.model import Sport
from coach.storage.readers.activity import FileContent, ReadActivity, ReadLap, UnreadableFile, weighted_mean

#: FIT date_time values below this are seconds since device power-up, not since 1989-12-31
_SYSTEM_TIME_LIMIT = 0x10000000
_FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.timezone.utc)

SPORTS: dict[str, Sport] = {
    "running": Sport.run,
    "cycling": Sport.bike,
    "e_biking": Sport.bike,
    "swimming": Sport.swim,
    "training": Sport.strength,
    "transition": None,  # type: ignore[dict-item]  # not a workout
}
#: sports with their own SPORTS entry; everything else (walking, rowing, skiing...) is cross-training
_SUB_SPORT_CROSS = {"strength_training": Sport.strength}

_WANTED = {"session", "lap", "activity", "file_id"}


def _values(frame: Any) -> dict[str, Any]:
    return {f.name: f.value for f in frame.fields if f.value is not None}


def read_fit(data: bytes) -> FileContent:
    """Read one FIT file's bytes.

    :raises UnreadableFile: truncated, corrupt, or not a recorded activity
    """
    import fitdecode

    sessions: list[dict[str, Any]] = []
    laps: list[dict[str, Any]] = []
    activity: dict[str, Any] = {}
    file_types: list[str] = []
    content = FileContent(format="fit")
    crc_ok = True
    try:
        with fitdecode.FitReader(
            io.BytesIO(data),
            check_crc=fitdecode.CrcCheck.READONLY,
            error_handling=fitdecode.ErrorHandling.RAISE,
        ) as reader:
            for frame in reader:
                ftype = frame.frame_type
                if ftype == fitdecode.FIT_FRAME_DATA:
                    if frame.name in _WANTED:
                        values = _values(frame)
                        if frame.name == "session":
                            sessions.append(values)
                        elif frame.name == "lap":
                            laps.append(values)
                        elif frame.name == "activity":
                            activity = values
                        else:
                            file_types.append(str(values.get("type")))
                elif ftype == fitdecode.FIT_FRAME_CRC and frame.matched is False:
                    crc_ok = False
    except fitdecode.FitEOFError:
        raise UnreadableFile("truncated FIT file: it ends before its last message and checksum") from None
    except fitdecode.FitHeaderError as exc:
        raise UnreadableFile(f"corrupt FIT header: {exc}") from None
    except fitdecode.FitError as exc:
        raise UnreadableFile(f"corrupt FIT file: {exc}") from None
    if not crc_ok:
        content.warnings.append("the FIT file's checksum does not match its content; imported as decoded")
    if not sessions:
        what = ", ".join(sorted(set(file_types))) or "no file type"
        raise UnreadableFile(f"not a recorded activity: the FIT file has no session ({what})")

    offset = _local_offset(activity)
    for i, session in enumerate(sessions):
        sport = _sport(session)
        if sport is None:
            continue
        own_laps = _laps_of(session, i, sessions, laps)
        content.activities.append(_activity(session, sport, own_laps, offset, activity))
    if not content.activities:
        raise UnreadableFile("not a workout: the FIT file holds only transitions")
    return content


def _sport(values: dict[str, Any]) -> Sport | None:
    sport = str(values.get("sport", "generic"))
    if sport in SPORTS:
        return SPORTS[sport]
    sub = str(values.get("sub_sport", ""))
    if sub in _SUB_SPORT_CROSS:
        return _SUB_SPORT_CROSS[sub]
    if sport == "generic" and sub in ("", "generic") and values.get("avg_running_cadence"):
        return Sport.run
    return Sport.cross


def _is_system_time(v: Any) -> bool:
    return isinstance(v, int) and v < _SYSTEM_TIME_LIMIT


def _local_offset(activity: dict[str, Any]) -> dt.timedelta | None:
    """The file's local-time offset: activity.local_timestamp minus activity.timestamp."""
    local, utc = activity.get("local_timestamp"), activity.get("timestamp")
    if isinstance(local, dt.datetime) and isinstance(utc, dt.datetime):
        return local.replace(tzinfo=None) - utc.replace(tzinfo=None)
    return None


def _laps_of(session: dict[str, Any], i: int, sessions: list, laps: list) -> list[dict[str, Any]]:
    first, count = session.get("first_lap_index"), session.get("num_laps")
    if isinstance(first, int) and isinstance(count, int) and first + count <= len(laps):
        return laps[first : first + count]
    if len(sessions) == 1:
        return laps
    start, end = session.get("start_time"), session.get("timestamp")
    if start is None or end is None:
        return []
    return [lap for lap in laps if lap.get("start_time") is not None and start <= lap["start_time"] < end]


def _activity(
    s: dict[str, Any], sport: Sport, laps: list[dict[str, Any]], offset: dt.timedelta | None, activity: dict
) -> ReadActivity:
    start = s.get("start_time")
    start_utc: dt.datetime | None = None
    local_start: dt.datetime | None = None
    if isinstance(start, dt.datetime):
        start_utc = start.astimezone(dt.timezone.utc)
        if offset is not None:
            local_start = start_utc.replace(tzinfo=None) + offset
    elif _is_system_time(start):
        # relative clock: place the start on the local clock via the activity's end
        end, local_end = activity.get("timestamp"), activity.get("local_timestamp")
        if _is_system_time(end) and isinstance(local_end, dt.datetime):
            local_start = local_end.replace(tzinfo=None) - dt.timedelta(seconds=end - start)
    elif isinstance(start, int):
        start_utc = _FIT_EPOCH + dt.timedelta(seconds=start)
    if local_start is not None:
        local_date = local_start.date()
    elif start_utc is not None:
        local_date = start_utc.date()
    else:
        raise UnreadableFile("the FIT session has no start time")
    return ReadActivity(
        sport=sport,
        sub_sport=str(s["sub_sport"]) if "sub_sport" in s else None,
        start_utc=start_utc,
        local_start=local_start,
        local_date=local_date,
        timer_s=s.get("total_timer_time"),
        elapsed_s=s.get("total_elapsed_time"),
        distance_m=s.get("total_distance"),
        ascent_m=s.get("total_ascent"),
        avg_hr=s.get("avg_heart_rate") or _lap_hr(laps),
        max_hr=s.get("max_heart_rate") or _lap_max_hr(laps),
        cadence=_cadence(s, sport),
        avg_power_w=s.get("avg_power"),
        laps=[_lap(lap, sport) for lap in laps],
    )


def _cadence(v: dict[str, Any], sport: Sport) -> float | None:
    if sport == Sport.run:
        cad = v.get("avg_running_cadence", v.get("avg_cadence"))
        if cad is None:
            return None
        # running cadence is strides (one foot) per minute: steps are twice that
        return 2.0 * (cad + (v.get("avg_fractional_cadence") or 0.0))
    cad = v.get("avg_cadence")
    if cad is None:
        return None
    return cad + (v.get("avg_fractional_cadence") or 0.0)


def _lap(v: dict[str, Any], sport: Sport) -> ReadLap:
    return ReadLap(
        distance_m=v.get("total_distance"),
        timer_s=v.get("total_timer_time"),
        elapsed_s=v.get("total_elapsed_time"),
        avg_hr=v.get("avg_heart_rate"),
        max_hr=v.get("max_heart_rate"),
        cadence=_cadence(v, sport),
        intensity=str(v["intensity"]) if "intensity" in v else None,
    )


def _lap_hr(laps: list[dict[str, Any]]) -> float | None:
    return weighted_mean(
        [(lap["avg_heart_rate"], lap.get("total_timer_time") or 0) for lap in laps if lap.get("avg_heart_rate")]
    )


def _lap_max_hr(laps: list[dict[str, Any]]) -> int | None:
    values = [lap["max_heart_rate"] for lap in laps if lap.get("max_heart_rate")]
    return max(values) if values else None
