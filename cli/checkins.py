"""Reading a check-in from the command line (stored by `coach.service.checkin`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from coach.engine.errors import InvalidInput
from coach.engine.model import Checkin


def _hours(text: str) -> float:
    from coach.engine.units import parse_duration

    raw = text.strip().lower().removesuffix("h").strip()
    if ":" in raw:
        return parse_duration(raw + ":00") / 3600.0
    try:
        return float(raw)
    except ValueError:
        raise InvalidInput(f"cannot read {text.strip()!r} as hours: use e.g. 7.5 or 7:30") from None


def _whole(text: str) -> int:
    raw = text.strip()
    if not raw.lstrip("-").isdigit():
        raise InvalidInput(f"{raw!r} is not a whole number")
    return int(raw)


def _number(text: str) -> float:
    try:
        value = float(text.strip().lower().removesuffix("ms"))
    except ValueError:
        raise InvalidInput(f"{text.strip()!r} is not a number") from None
    if value != value or abs(value) == float("inf"):
        raise InvalidInput(f"{text.strip()!r} is not a number")
    return value


_PARSERS: dict[str, Callable[[str], Any]] = {
    "sleep_h": _hours, "soreness": _whole, "hrv_ms": _number, "resting_hr": _whole, "feel": _whole,
}


def parse_checkin(day: dt.date, fields: Mapping[str, Any], label: Callable[[str], str],
                  today: dt.date | None = None) -> Checkin:
    """A validated check-in for `day` from the command's text fields.

    :raises InvalidInput: naming the option, for unreadable or impossible values and for a
        date more than a day ahead
    """
    from pydantic import ValidationError

    from coach.storage.logbook import describe_validation_error

    today = today or dt.date.today()
    if day > today + dt.timedelta(days=1):
        raise InvalidInput(f"{label('date')}: {day.isoformat()} is more than a day ahead: check in on the morning itself")
    data: dict[str, Any] = {"date": day}
    for name, parse in _PARSERS.items():
        text = fields.get(name)
        if text is None or not str(text).strip():
            continue
        try:
            data[name] = parse(str(text))
        except InvalidInput as exc:
            raise InvalidInput(f"{label(name)}: {exc}") from None
    data["sick"] = bool(fields.get("sick"))
    data["injured"] = bool(fields.get("injured"))
    if fields.get("note"):
        data["note"] = str(fields["note"]).strip() or None
    if data["sick"] and data["injured"]:
        raise InvalidInput(f"{label('sick')} and {label('injured')}: give one of them")
    try:
        return Checkin.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(describe_validation_error(exc, label)) from None
