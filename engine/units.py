"""Reading the quantities people type: distances, durations, paces, dates, race results.

Pure functions, no I/O. Parsers raise `InvalidInput` with a short message that says what
was expected; callers prefix it with the field (`--distance: ...`, `runs.csv:7: distance: ...`).
Values are SI as in the domain model: metres, seconds, seconds per kilometre.

    >>> parse_distance("6.2mi")
    9977.9328
    >>> parse_duration("1:02:03")
    3723.0

Writing them for people is `coach.engine.presentation` (one wording everywhere).
"""

from __future__ import annotations

import datetime as dt
import math
import re

from coach.engine.errors import InvalidInput

METRES_PER_MILE = 1609.344
METRES_PER_YARD = 0.9144

_DISTANCE_UNITS = {
    "m": 1.0,
    "km": 1000.0,
    "k": 1000.0,
    "mi": METRES_PER_MILE,
    "mile": METRES_PER_MILE,
    "miles": METRES_PER_MILE,
    "yd": METRES_PER_YARD,
}

#: Race and time-trial labels a person may use in `--recent-race LABEL=TIME`.
RACE_DISTANCES_M: dict[str, float] = {
    "400m": 400.0,
    "800m": 800.0,
    "1500m": 1500.0,
    "mile": METRES_PER_MILE,
    "3k": 3000.0,
    "5k": 5000.0,
    "8k": 8000.0,
    "10k": 10000.0,
    "15k": 15000.0,
    "10mi": 10 * METRES_PER_MILE,
    "20k": 20000.0,
    "half": 21097.5,
    "hm": 21097.5,
    "30k": 30000.0,
    "marathon": 42195.0,
}

_NUMBER = r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+"
_DISTANCE_RE = re.compile(rf"^\s*(?P<sign>[-+]?)\s*(?P<num>{_NUMBER})\s*(?P<unit>[a-z]+)\s*$", re.I)
_CLOCK_RE = re.compile(rf"^(?:(?P<h>[0-9]+):)?(?P<m>[0-9]+):(?P<s>[0-9]{{1,2}}(?:\.[0-9]*)?)$")
_HMS_RE = re.compile(
    rf"^(?:(?P<h>{_NUMBER})\s*h(?:ours?|rs?)?)?\s*(?:(?P<m>{_NUMBER})\s*m(?:in(?:utes?|s)?)?)?\s*"
    rf"(?:(?P<s>{_NUMBER})\s*s(?:ec(?:onds?|s)?)?)?$",
    re.I,
)


def _finite(value: float, text: str, what: str) -> float:
    if not math.isfinite(value):
        raise InvalidInput(f"{what} {text!r} is not a finite number")
    return value


def parse_distance(text: str) -> float:
    """Metres from '10km', '6.2mi', '800m', '5k', '1500 yd'. A unit is required.

    :param text: a number followed by m, km (or k), mi, or yd.
    """
    raw = str(text).strip()
    match = _DISTANCE_RE.match(raw)
    if not match:
        if re.fullmatch(rf"[-+]?(?:{_NUMBER})", raw):
            raise InvalidInput(f"distance {raw!r} needs a unit, e.g. {raw}km, {raw}mi or {raw}m")
        raise InvalidInput(f"cannot read distance {raw!r}: use e.g. 10km, 6.2mi or 800m")
    unit = match["unit"].lower()
    if unit not in _DISTANCE_UNITS:
        raise InvalidInput(f"unknown distance unit {match['unit']!r} in {raw!r}: use m, km, mi or yd")
    if match["sign"] == "-" and float(match["num"]) != 0:
        raise InvalidInput(f"distance must not be negative (got {raw!r})")
    return _finite(float(match["num"]) * _DISTANCE_UNITS[unit], raw, "distance")


def parse_duration(text: str) -> float:
    """Seconds from '45:00' (mm:ss), '1:02:03' (h:mm:ss), '1:28.4', '45min', '1h30m', '90s'.

    A bare number is refused as ambiguous (minutes or seconds?).
    """
    raw = str(text).strip()
    if raw.startswith("-"):
        raise InvalidInput(f"duration must not be negative (got {raw!r})")
    clock = _CLOCK_RE.match(raw)
    if clock:
        h = int(clock["h"] or 0)
        m = int(clock["m"])
        s = float(clock["s"])
        if s >= 60 or (clock["h"] is not None and m >= 60):
            raise InvalidInput(f"cannot read duration {raw!r}: minutes and seconds must be below 60")
        seconds = h * 3600 + m * 60 + s
    elif re.fullmatch(_NUMBER, raw):
        raise InvalidInput(f"duration {raw!r} is ambiguous: write {raw}:00 or {raw}min for minutes, {raw}s for seconds")
    else:
        hms = _HMS_RE.match(raw) if raw else None
        if not hms or not any(hms.group(g) for g in ("h", "m", "s")):
            raise InvalidInput(f"cannot read duration {raw!r}: use e.g. 45:00, 1:02:03, 45min or 1h30m")
        seconds = (
            float(hms["h"] or 0) * 3600 + float(hms["m"] or 0) * 60 + float(hms["s"] or 0)
        )
    seconds = _finite(seconds, raw, "duration")
    if seconds <= 0:
        raise InvalidInput(f"duration must be more than zero (got {raw!r})")
    return seconds


def parse_pace(text: str, units: str = "km") -> float:
    """Seconds per kilometre from '4:30/km', '7:15/mi', or a bare '4:30' in `units`."""
    raw = str(text).strip()
    body, _, unit = raw.partition("/")
    unit = (unit or units).strip().lower()
    per = {"km": 1000.0, "mi": METRES_PER_MILE, "mile": METRES_PER_MILE}.get(unit)
    if per is None:
        raise InvalidInput(f"unknown pace unit {unit!r} in {raw!r}: use /km or /mi")
    try:
        seconds = parse_duration(body)
    except InvalidInput:
        raise InvalidInput(f"cannot read pace {raw!r}: use e.g. 4:30/km or 7:15/mi") from None
    return seconds * 1000.0 / per


def parse_splits(text: str) -> list[float]:
    """Rep times in seconds from a comma-separated list: '1:28,1:29,1:31'."""
    items = [item.strip() for item in str(text).split(",")]
    if not any(items):
        raise InvalidInput("no splits given: use e.g. 1:28,1:29,1:31")
    out = []
    for n, item in enumerate(items, start=1):
        if not item:
            raise InvalidInput(f"split {n} is empty in {text!r}")
        try:
            out.append(parse_duration(item))
        except InvalidInput as exc:
            raise InvalidInput(f"split {n}: {exc}") from None
    return out


#: the dates a person can mean: day arithmetic (a 56-day window, a plan) stays in range around them
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2199, 12, 31)


def parse_date(text: str | dt.date, today: dt.date | None = None) -> dt.date:
    """A date from 'YYYY-MM-DD', 'today', 'tomorrow' or 'yesterday'.

    :param today: the reference day for the relative words (default: the system's today).
    """
    if isinstance(text, dt.date):
        return text
    raw = str(text).strip().lower()
    ref = today or dt.date.today()
    relative = {"today": 0, "tomorrow": 1, "yesterday": -1}
    if raw in relative:
        return ref + dt.timedelta(days=relative[raw])
    try:
        day = dt.date.fromisoformat(raw) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw) else _bad_date(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a real date") from None
    if not MIN_DATE <= day <= MAX_DATE:
        raise InvalidInput(f"{text!r} is out of range: use a date from {MIN_DATE} to {MAX_DATE}")
    return day


def _bad_date(text: str) -> dt.date:
    raise InvalidInput(f"cannot read date {text!r}: use YYYY-MM-DD, today, tomorrow or yesterday")


def parse_since(text: str, today: dt.date | None = None) -> dt.date | None:
    """The first day of a period: a number of days back ('14': the last 14 days, today
    included), a date as in `parse_date`, or 'all' (None: no limit)."""
    raw = str(text).strip().lower()
    ref = today or dt.date.today()
    if raw == "all":
        return None
    if re.fullmatch(r"\d+", raw):
        days = int(raw)
        if days < 1:
            raise InvalidInput(f"{text!r}: give at least 1 day")
        if days > (ref - MIN_DATE).days:
            raise InvalidInput(f"{text!r}: more days than go back to {MIN_DATE}; use 'all' for everything")
        return ref - dt.timedelta(days=days - 1)
    try:
        return parse_date(raw, ref)
    except InvalidInput:
        raise InvalidInput(f"cannot read {text!r}: use a number of days (14), a date (YYYY-MM-DD) or 'all'") from None


def parse_time_of_day(text: str) -> dt.time:
    """A clock time 'HH:MM' or 'HH:MM:SS' (24-hour)."""
    raw = str(text).strip()
    try:
        if not re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", raw):
            raise ValueError
        return dt.time.fromisoformat(raw if len(raw.split(":")[0]) == 2 else "0" + raw)
    except ValueError:
        raise InvalidInput(f"cannot read time {raw!r}: use HH:MM (24-hour), e.g. 07:30") from None


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def parse_weekday(text: str) -> str:
    """'mon'..'sun' from 'sun', 'Sunday', 'SUN'."""
    raw = str(text).strip().lower()
    if raw in _WEEKDAYS:
        return raw
    if raw in _WEEKDAY_NAMES:
        return _WEEKDAYS[_WEEKDAY_NAMES.index(raw)]
    raise InvalidInput(f"{text!r} is not a weekday: use {', '.join(_WEEKDAYS)}")


def race_distance(label: str) -> float:
    """Metres of a race label ('5k', 'half', 'marathon', 'mile') or of a distance ('8km')."""
    key = label.strip().lower()
    if key in RACE_DISTANCES_M:
        return RACE_DISTANCES_M[key]
    try:
        return parse_distance(key)
    except InvalidInput:
        raise InvalidInput(
            f"unknown race {label!r}: use a distance (e.g. 8km) or one of 5k, 10k, half, marathon, mile"
        ) from None


def parse_race_result(text: str, today: dt.date | None = None) -> dict:
    """'5k=20:30' or '5k=20:30@2026-10-01' as a dict for `RaceResult(**...)`:
    label, distance_m, time_s and date (None when not given)."""
    raw = str(text).strip()
    label, sep, rest = raw.partition("=")
    if not sep or not label.strip() or not rest.strip():
        raise InvalidInput(f"cannot read race result {raw!r}: use LABEL=TIME[@DATE], e.g. 5k=20:30@2026-10-01")
    time_text, _, date_text = rest.partition("@")
    try:
        time_s = parse_duration(time_text)
    except InvalidInput as exc:
        raise InvalidInput(f"race result {raw!r}: {exc}") from None
    date = parse_date(date_text, today) if date_text.strip() else None
    label = label.strip().lower()
    return {"label": label, "distance_m": race_distance(label), "time_s": time_s, "date": date}


def format_race_result(label: str, time_s: float, date: dt.date | None) -> str:
    """The inverse of `parse_race_result`: '5k=20:30@2026-10-01'."""
    from coach.engine.presentation import format_clock

    text = f"{label}={format_clock(time_s, tenths=True)}"
    return f"{text}@{date.isoformat()}" if date else text


# -- derived quantities -------------------------------------------------------------


def pace_of(distance_m: float | None, duration_s: float | None) -> float | None:
    """Seconds per kilometre of a distance covered in a duration (None if either is missing or zero)."""
    if not distance_m or not duration_s:
        return None
    return duration_s / (distance_m / 1000.0)


# --- multisport (issue 14) ---------------------------------------------------------------

_CSS_TEST_RE = re.compile(r"^\s*400\s*=\s*([0-9:.]+)\s*,\s*200\s*=\s*([0-9:.]+)\s*$")


def parse_css(text: str) -> float:
    """Seconds per 100 m from a pace '1:45' (per 100 m) or a test '400=6:30,200=3:05'."""
    from coach.engine.multisport import css_from_test

    raw = str(text).strip()
    test = _CSS_TEST_RE.match(raw)
    try:
        if test:
            return css_from_test(parse_duration(test[1]), parse_duration(test[2]))
        return round(parse_duration(raw.removesuffix("/100m").strip()), 1)
    except InvalidInput as exc:
        raise InvalidInput(f"{raw!r}: a pace per 100 m like 1:45, or a test like 400=6:30,200=3:05 ({exc})") from None
