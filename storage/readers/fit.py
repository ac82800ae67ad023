"""FIT activity files (Garmin and others), read with fitdecode.

Totals come from the file's own ``session`` and ``lap`` messages, so they match what
the watch showed. A multisport file (a triathlon) has one session per leg: each swim,
bike and run session becomes its own activity; transitions are not workouts.

Decisions:

* Truncated files, undefined messages and other decoding errors refuse the whole file.
* A wrong file CRC (the footer checksum) is accepted with a warning only when every
  message decoded cleanly up to the footer AND the content passes sanity checks
  (`_insane`): every date within the device era (1989-12-31 to tomorrow), record
  timestamps never going back, totals a body can do (elapsed time under a week, timer
  time within elapsed time, speed and heart rate within human limits). A bit flipped in
  a date or a total fails these and the file is refused with the reason; otherwise only
  the checksum disagrees. A file cut off before its CRC is truncated and refused.
* Size caps (`safety`): data messages, laps and sessions beyond the caps are refused.
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
from coach.storage.readers.safety import MAX_ELAPSED_S, MAX_FIT_MESSAGES, MAX_LAPS, MAX_SESSIONS, check_count

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
    messages = 0
    clock = _Clock()
    try:
        with fitdecode.FitReader(
            io.BytesIO(data),
            check_crc=fitdecode.CrcCheck.READONLY,
            error_handling=fitdecode.ErrorHandling.RAISE,
        ) as reader:
            for frame in reader:
                ftype = frame.frame_type
                if ftype == fitdecode.FIT_FRAME_DATA:
                    messages += 1
                    if messages > MAX_FIT_MESSAGES:
                        check_count("messages", messages, MAX_FIT_MESSAGES)
                    if frame.name == "record":
                        clock.tick(frame)
                    elif frame.name in _WANTED:
                        values = _values(frame)
                        if frame.name == "session":
                            sessions.append(values)
                            check_count("sessions", len(sessions), MAX_SESSIONS)
                        elif frame.name == "lap":
                            laps.append(values)
                            check_count("laps", len(laps), MAX_LAPS)
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
        problem = _insane(sessions, laps, clock)
        if problem:
            raise UnreadableFile(f"corrupt FIT file: its checksum does not match and {problem}")
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


# --- sanity of a file whose checksum fails ------------------------------------------------

#: the fastest a body moves, metres per second, by sport (with a margin: a downhill ride, a sprint)
_MAX_SPEED = {Sport.run: 12.5, Sport.swim: 3.0, Sport.bike: 35.0}
_MAX_SPEED_OTHER = 35.0
_MAX_HR = 250


class _Clock:
    """The record timestamps of a file: their range and whether they ever go back."""

    def __init__(self) -> None:
        self.first: dt.datetime | None = None
        self.last: dt.datetime | None = None
        self.backwards = 0
        self.bad: dt.datetime | None = None
        self.distance: float | None = None
        self.hr_max: float | None = None

    def tick(self, frame: Any) -> None:
        if not frame.has_field("timestamp"):
            return
        t = frame.get_value("timestamp")
        if not isinstance(t, dt.datetime):
            return
        if self.last is not None and t < self.last:
            self.backwards += 1
        if self.bad is None and not _in_era(t):
            self.bad = t
        self.first = t if self.first is None or t < self.first else self.first
        self.last = t
        distance, hr = frame.get_value("distance", fallback=None), frame.get_value("heart_rate", fallback=None)
        if isinstance(distance, (int, float)):
            self.distance = max(self.distance or 0.0, float(distance))
        if isinstance(hr, (int, float)) and hr > 0:
            self.hr_max = max(self.hr_max or 0, hr)


def _in_era(t: dt.datetime) -> bool:
    """A date a FIT device can have recorded: after the FIT epoch and not after tomorrow."""
    t = t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)
    return _FIT_EPOCH <= t <= dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)


def _insane(sessions: list[dict[str, Any]], laps: list[dict[str, Any]], clock: _Clock) -> str | None:
    """Why the decoded content cannot be what was recorded, or None when it looks whole."""
    if clock.bad is not None:
        return f"a record is dated {clock.bad:%Y-%m-%d}, outside the device era (1989 to tomorrow)"
    if clock.backwards:
        return f"its record times go back {clock.backwards} time{'s' if clock.backwards != 1 else ''}"
    for what, values in [("session", v) for v in sessions] + [("lap", v) for v in laps]:
        for name in ("start_time", "timestamp"):
            t = values.get(name)
            if isinstance(t, dt.datetime) and not _in_era(t):
                return f"a {what} is dated {t:%Y-%m-%d}, outside the device era (1989 to tomorrow)"
        timer, elapsed = values.get("total_timer_time"), values.get("total_elapsed_time")
        distance = values.get("total_distance")
        for name, v in (("timer time", timer), ("elapsed time", elapsed)):
            if isinstance(v, (int, float)) and not 0 <= v <= MAX_ELAPSED_S:
                return f"a {what}'s {name} of {v:.0f} s is not between 0 and 7 days"
        if isinstance(timer, (int, float)) and isinstance(elapsed, (int, float)) and timer > elapsed + 60:
            return f"a {what}'s timer time ({timer:.0f} s) exceeds its elapsed time ({elapsed:.0f} s)"
        if what == "session":
            limit = _MAX_SPEED.get(_sport(values) or Sport.cross, _MAX_SPEED_OTHER)
            if isinstance(distance, (int, float)) and isinstance(timer, (int, float)) and timer > 0 \
                    and distance / timer > limit:
                return f"a session covers {distance / 1000:.1f} km in {timer:.0f} s, faster than any athlete"
        for name in ("avg_heart_rate", "max_heart_rate"):
            hr = values.get(name)
            if isinstance(hr, (int, float)) and hr > _MAX_HR:
                return f"a {what}'s heart rate of {hr} bpm is beyond any athlete's"
    for i, session in enumerate(sessions):
        own = _laps_of(session, i, sessions, laps)
        problem = _disagree(session, own)
        if problem:
            return problem
    if len(sessions) == 1:
        s = sessions[0]
        distance, hr_max = s.get("total_distance"), s.get("max_heart_rate")
        if isinstance(distance, (int, float)) and clock.distance is not None \
                and abs(distance - clock.distance) > max(50.0, 0.02 * distance):
            return (f"the session's distance ({distance:.0f} m) disagrees with its records' "
                    f"({clock.distance:.0f} m)")
        if isinstance(hr_max, (int, float)) and clock.hr_max is not None and abs(hr_max - clock.hr_max) > 3:
            return f"the session's maximum heart rate ({hr_max}) disagrees with its records' ({clock.hr_max})"
    if clock.first is not None and clock.last is not None:
        for values in sessions:
            start = values.get("start_time")
            if isinstance(start, dt.datetime) and not (
                    clock.first - dt.timedelta(hours=1) <= start <= clock.last):
                return "a session starts outside the time span of its own records"
    return None


def _disagree(session: dict[str, Any], laps: list[dict[str, Any]]) -> str | None:
    """A session's totals against the sum of its laps (a flipped total shows here)."""
    if not laps:
        return None
    for name, what, slack in (("total_distance", "distance", 20.0), ("total_timer_time", "timer time", 5.0),
                              ("total_elapsed_time", "elapsed time", 5.0)):
        total = session.get(name)
        parts = [lap.get(name) for lap in laps]
        if not isinstance(total, (int, float)) or not all(isinstance(v, (int, float)) for v in parts):
            continue
        if abs(total - sum(parts)) > max(slack, 0.01 * total):
            return f"the session's {what} ({total:.0f}) is not the sum of its laps' ({sum(parts):.0f})"
    return None

