"""Durations, distances and paces in words: one wording for every place a person reads them.

The terminal, the email, the calendar, the plan and the session descriptions the composer
writes all call these functions, so "4 min", "400 m" and "4:30/km" read the same
everywhere. Pure functions, no I/O; values are SI as in the domain model (metres,
seconds, seconds per kilometre). Reading what people type is `coach.engine.units`.

    >>> format_duration(240), format_distance(400), format_pace(270.0, "km")
    ('4 min', '400 m', '4:30/km')
    >>> format_clock(3723)
    '1:02:03'
"""

from __future__ import annotations

from coach.engine.units import METRES_PER_MILE


def format_clock(seconds: float | None, *, tenths: bool = False) -> str:
    """A time as a stopwatch shows it: '1:28', '47:23', '1:02:03'; '' for None.

    :param tenths: show tenths of a second below 10 minutes when the time has them
        ('1:28.5': recorded laps, race results); otherwise whole seconds, rounded
    """
    if seconds is None:
        return ""
    total = float(seconds)
    if not tenths:
        whole, frac = int(round(total)), 0.0
    else:
        whole = int(total)
        frac = round(total - whole, 1)
        if frac >= 1.0:
            whole, frac = whole + 1, 0.0
    h, rem = divmod(whole, 3600)
    m, s = divmod(rem, 60)
    sec = f"{s:02d}" if not frac or total >= 600 else f"{s + frac:04.1f}"
    return f"{h}:{m:02d}:{sec}" if h else f"{m}:{sec}"


def format_duration(seconds: float | None) -> str:
    """How long something lasts: '45 s', '4 min', '1:30 min', '1 h 10 min'; '' for None."""
    if seconds is None:
        return ""
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        m, s = divmod(seconds, 60)
        return f"{m} min" if s == 0 else f"{m}:{s:02d} min"
    h, rest = divmod(seconds, 3600)
    m = rest // 60
    return f"{h} h" if m == 0 else f"{h} h {m:02d} min"


def format_distance(metres: float | None, units: str = "km") -> str:
    """A distance: whole metres below 3 km ('400 m', '1200 m'), otherwise kilometres
    ('10 km', '8.5 km') or miles ('6.2 mi'); '' for None."""
    if metres is None:
        return ""
    units = str(getattr(units, "value", units))
    if metres < 3000 and abs(metres - round(metres)) < 1e-6:
        return f"{metres:.0f} m"
    if units == "mi":
        return f"{metres / METRES_PER_MILE:.1f} mi"
    km = metres / 1000.0
    return f"{km:.1f} km" if abs(km - round(km)) > 0.05 else f"{round(km):.0f} km"


def format_pace(s_per_km: float | None, units: str = "km") -> str:
    """'4:30/km' or '7:15/mi' from seconds per kilometre; '' for None."""
    if s_per_km is None or s_per_km <= 0:
        return ""
    units = str(getattr(units, "value", units))
    seconds = s_per_km * (METRES_PER_MILE / 1000.0 if units == "mi" else 1.0)
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}/{units}"
