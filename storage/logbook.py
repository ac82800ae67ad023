"""Reading the athlete profile and the workout log from what a person typed.

The use cases (create, change, log, read) are in `coach.service.logbook`; the import of
files and CSV lines is `coach.service.importing`.

Turning what a person typed into domain values also lives here (`parse_workout`,
`parse_athlete`): every field is read with `coach.engine.units`, then validated by the
pydantic model, and any problem becomes one `InvalidInput` line naming the field as the
caller calls it (`--rpe` on the command line, `rpe` in a CSV file).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from coach.engine import units
from coach.engine.errors import InvalidInput
from coach.engine.model import Athlete, Workout

Label = Callable[[str], str]

#: the text fields a workout can be given as (CLI options, CSV columns)
WORKOUT_FIELDS = (
    "date", "start_time", "sport", "kind", "distance", "duration", "elapsed", "rpe", "avg_hr",
    "max_hr", "cadence", "elevation_gain", "soreness", "sleep", "splits", "rep_distance",
    "target_pace", "rep_hr", "form_broke_at", "notes", "dedupe_key", "power",
)

#: model field -> input field, for naming the input in validation messages
_MODEL_TO_INPUT = {
    "distance_m": "distance", "duration_s": "duration", "elapsed_s": "elapsed",
    "elevation_gain_m": "elevation_gain", "sleep_h": "sleep", "avg_power_w": "power",
}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def plain_label(name: str) -> str:
    return name


def describe_validation_error(exc: ValidationError, label: Label = plain_label) -> str:
    """The first problem of a pydantic error as one line: '<field>: <what is wrong> (got <value>)'."""
    err = exc.errors()[0]
    loc = [str(p) for p in err.get("loc", ())]
    if loc and loc[0] == "reps" and len(loc) >= 3 and loc[1].isdigit():
        where = f"rep {int(loc[1]) + 1} {loc[2]}"
    elif loc and loc[0] == "physiology":
        where = label(loc[1]) if len(loc) > 1 else "physiology"
    elif loc:
        where = label(_MODEL_TO_INPUT.get(loc[0], loc[0]))
    else:
        where = "value"
    msg = err.get("msg", "is not valid")
    msg = msg[0].lower() + msg[1:] if msg else msg
    msg = msg.removeprefix("value error, ")
    got = err.get("input")
    if err.get("type") in {"missing", "extra_forbidden"} or isinstance(got, (dict, list)):
        return f"{where}: {msg}"
    return f"{where}: {msg} (got {got!r})"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parse(fields: Mapping[str, Any], name: str, label: Label, parser: Callable[[str], Any]) -> Any:
    value = fields.get(name)
    if _blank(value):
        return None
    try:
        return parser(str(value))
    except InvalidInput as exc:
        raise InvalidInput(f"{label(name)}: {exc}") from None


def _list(fields: Mapping[str, Any], name: str) -> list[str]:
    value = fields.get(name)
    return [] if _blank(value) else [v.strip() for v in str(value).split(",")]


def _start_time(text: str, day: dt.date) -> dt.datetime:
    """A start time: 'HH:MM' on `day` in this computer's time zone, or an ISO date-time."""
    if "T" in text or " " in text.strip():
        try:
            value = dt.datetime.fromisoformat(text.strip())
        except ValueError:
            raise InvalidInput(f"cannot read start time {text!r}: use HH:MM or an ISO date-time") from None
    else:
        value = dt.datetime.combine(day, units.parse_time_of_day(text))
    if value.tzinfo is None:
        value = value.astimezone()  # the computer's local time zone
    return value.astimezone(dt.timezone.utc)


#: the longest text a field may hold (notes included); a longer one is a mistake or an attack
MAX_FIELD_CHARS = 4000


def check_text_fields(fields: Mapping[str, Any], label: Label = plain_label) -> None:
    """Refuse a field holding a NUL character or more than MAX_FIELD_CHARS, naming it."""
    for name, value in fields.items():
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            raise InvalidInput(f"{label(name)}: contains a NUL character (a binary file, or a bad export)")
        if len(value) > MAX_FIELD_CHARS:
            raise InvalidInput(f"{label(name)}: {len(value):,} characters, more than the {MAX_FIELD_CHARS:,} allowed")


def parse_workout(
    fields: Mapping[str, Any],
    *,
    label: Label = plain_label,
    today: dt.date | None = None,
    source: str = "manual",
) -> Workout:
    """A validated Workout from text fields named as in WORKOUT_FIELDS (missing/blank: not given).

    :param label: how to name a field in messages (e.g. `lambda f: "--" + f.replace("_", "-")`).
    :param today: reference day for 'today'/'yesterday' and the default date.
    :raises InvalidInput: naming the first field that is wrong.
    """
    check_text_fields(fields, label)
    unknown = sorted(set(fields) - set(WORKOUT_FIELDS))
    if unknown:
        raise InvalidInput(f"unknown field {unknown[0]!r}")
    today = today or dt.date.today()
    day = _parse(fields, "date", label, lambda t: units.parse_date(t, today)) or today
    splits = _parse(fields, "splits", label, units.parse_splits) or []
    rep_distance = _parse(fields, "rep_distance", label, units.parse_distance)
    target = _parse(fields, "target_pace", label, units.parse_pace)
    rep_hr = _list(fields, "rep_hr")
    if (rep_distance or target or rep_hr) and not splits:
        what = "rep_distance" if rep_distance else "target_pace" if target else "rep_hr"
        raise InvalidInput(f"{label(what)}: given without {label('splits')}")
    if rep_hr and len(rep_hr) != len(splits):
        raise InvalidInput(f"{label('rep_hr')}: {len(rep_hr)} values for {len(splits)} splits")
    for i, value in enumerate(rep_hr, start=1):
        if value and not value.isdigit():
            raise InvalidInput(f"{label('rep_hr')}: value {i} is not a heart rate in beats per minute "
                               f"(got {value[:20]!r})")
    reps = []
    for i, seconds in enumerate(splits):
        reps.append(
            {
                "index": i + 1,
                "duration_s": seconds,
                "distance_m": rep_distance,
                "target_pace_s_per_km": target,
                "actual_pace_s_per_km": units.pace_of(rep_distance, seconds),
                "avg_hr": rep_hr[i] if rep_hr and rep_hr[i] else None,
            }
        )
    data: dict[str, Any] = {
        "date": day,
        "start_time": _parse(fields, "start_time", label, lambda t: _start_time(t, day)),
        "sport": "run" if _blank(fields.get("sport")) else str(fields["sport"]).strip().lower(),
        "kind": None if _blank(fields.get("kind")) else str(fields["kind"]).strip().lower(),
        "distance_m": _parse(fields, "distance", label, units.parse_distance),
        "duration_s": _parse(fields, "duration", label, units.parse_duration),
        "elapsed_s": _parse(fields, "elapsed", label, units.parse_duration),
        "elevation_gain_m": _parse(fields, "elevation_gain", label, units.parse_distance),
        "avg_power_w": _parse(fields, "power", label, _watts),
        "notes": None if _blank(fields.get("notes")) else str(fields["notes"]).strip(),
        "dedupe_key": None if _blank(fields.get("dedupe_key")) else str(fields["dedupe_key"]).strip(),
        "source": source,
        "reps": reps,
    }
    for name, model_name in (("rpe", "rpe"), ("avg_hr", "avg_hr"), ("max_hr", "max_hr"), ("cadence", "cadence"),
                             ("soreness", "soreness"), ("sleep", "sleep_h"), ("form_broke_at", "form_broke_at")):
        value = fields.get(name)
        data[model_name] = None if _blank(value) else str(value).strip()
    try:
        workout = Workout.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(describe_validation_error(exc, label)) from None
    if workout.avg_power_w is not None and workout.sport.value != "bike":
        raise InvalidInput(f"{label('power')}: average power is for rides ({label('sport')} bike), "
                           f"not {workout.sport.value}")
    if workout.form_broke_at and workout.reps and workout.form_broke_at > len(workout.reps):
        raise InvalidInput(
            f"{label('form_broke_at')}: rep {workout.form_broke_at} but only {len(workout.reps)} splits were given"
        )
    return workout


#: the text fields an athlete profile can be given as
ATHLETE_FIELDS = ("name", "sport", "goal", "race_date", "recent_races", "rest_days", "units", "email",
                  "long_run_day", "days_per_week", "swim_days", "bike_days", "long_ride_day")


def parse_athlete(
    fields: Mapping[str, Any],
    *,
    base: Athlete | None = None,
    label: Label = plain_label,
    today: dt.date | None = None,
) -> Athlete:
    """A validated Athlete from text fields (ATHLETE_FIELDS), on top of `base` when changing one.

    `recent_races` and `rest_days` are lists of text ('5k=20:30@2026-10-01', 'sun'); a race
    result replaces the base's result with the same label. `race_date` 'none' clears it.
    """
    data: dict[str, Any] = base.model_dump() if base else {}
    for key in ("name", "sport", "goal", "units"):
        if not _blank(fields.get(key)):
            data[key] = str(fields[key]).strip() if key == "name" else str(fields[key]).strip().lower()
    if not _blank(fields.get("race_date")):
        text = str(fields["race_date"]).strip().lower()
        race = None if text == "none" else _parse(fields, "race_date", label, lambda t: units.parse_date(t, today))
        if race != data.get("race_date") or base is None:  # a new race: its season starts today
            data["season_start"] = (today or dt.date.today()) if race is not None else None
        data["race_date"] = race
    if not _blank(fields.get("email")):
        email = str(fields["email"]).strip()
        if email.lower() == "none":
            data["email"] = None
        elif not _EMAIL.match(email):
            raise InvalidInput(f"{label('email')}: {email!r} is not an email address")
        else:
            data["email"] = email
    races = fields.get("recent_races") or ()
    if races:
        by_label = {r["label"]: r for r in data.get("recent_races", [])}
        for text in races:
            name, _, value = str(text).partition("=")
            if value.strip().lower() == "none":  # '5k=none' removes the 5k result
                if by_label.pop(name.strip().lower(), None) is None:
                    raise InvalidInput(f"{label('recent_races')}: no {name.strip().lower()} result to remove")
                continue
            try:
                result = units.parse_race_result(text, today)
            except InvalidInput as exc:
                raise InvalidInput(f"{label('recent_races')}: {exc}") from None
            by_label[result["label"]] = result
        data["recent_races"] = list(by_label.values())
    physiology = parse_physiology(fields, data.get("physiology") or {}, label, data.get("units") or "km")
    if physiology is not None:
        data["physiology"] = physiology
    rest = fields.get("rest_days") or ()
    if rest:
        days = []
        for text in rest:
            for part in str(text).split(","):
                if part.strip().lower() == "none":
                    continue
                try:
                    day = units.parse_weekday(part)
                except InvalidInput as exc:
                    raise InvalidInput(f"{label('rest_days')}: {exc}") from None
                if day not in days:
                    days.append(day)
        data["rest_days"] = days
    _parse_week(fields, data, label)
    _parse_multisport(fields, data, label)
    try:
        return Athlete.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(describe_validation_error(exc, label)) from None


#: the physiology fields `parse_athlete` reads, and how each is written
PHYSIOLOGY_PARSERS: dict[str, Callable[[str, str], Any]] = {
    "sex": lambda t, _u: t.strip().lower(),
    "hr_max": lambda t, _u: _whole(t, "bpm"),
    "hr_rest": lambda t, _u: _whole(t, "bpm"),
    "threshold_hr": lambda t, _u: _whole(t, "bpm"),
    "ftp_w": lambda t, _u: _number(t.strip().lower().removesuffix("w"), "watts"),
    "css_s_per_100m": lambda t, _u: units.parse_css(t),
    "threshold_pace_s_per_km": lambda t, u: units.parse_pace(t, u),
}


def _number(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(f"{text.strip()!r} is not a number of {what}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidInput(f"{text.strip()!r} is not a number of {what}")
    return value


def _watts(text: str) -> float:
    """Watts as typed: '240' or '240W'."""
    return _number(text.strip().lower().removesuffix("w"), "watts")


def _whole(text: str, what: str) -> int:
    raw = text.strip().lower().removesuffix("bpm").strip()
    if not raw.isdigit():
        raise InvalidInput(f"{text.strip()!r} is not a whole number of {what}")
    return int(raw)


def parse_physiology(fields: Mapping[str, Any], base: Any, label: Label = plain_label,
                     units_name: str = "km") -> dict[str, Any] | None:
    """The athlete's physiology with the text fields given ('none' clears one), or None when no
    physiology field is given. Values are checked by `engine.model.Physiology`."""
    given = {k: fields.get(k) for k in PHYSIOLOGY_PARSERS if not _blank(fields.get(k))}
    if not given:
        return None
    data = base.model_dump() if hasattr(base, "model_dump") else dict(base)
    for key, text in given.items():
        text = str(text)
        if text.strip().lower() == "none":
            data[key] = None
            continue
        try:
            data[key] = PHYSIOLOGY_PARSERS[key](text, str(getattr(units_name, "value", units_name)))
        except InvalidInput as exc:
            raise InvalidInput(f"{label(key)}: {exc}") from None
    return data
def _parse_week(fields: Mapping[str, Any], data: dict[str, Any], label: Label) -> None:
    """The athlete's week (issue 12): long-run day ('none' clears it) and training days a week."""
    if not _blank(fields.get("long_run_day")):
        text = str(fields["long_run_day"]).strip().lower()
        if text == "none":
            data["long_run_day"] = None
        else:
            try:
                data["long_run_day"] = units.parse_weekday(text)
            except InvalidInput as exc:
                raise InvalidInput(f"{label('long_run_day')}: {exc}") from None
    if not _blank(fields.get("days_per_week")):
        text = str(fields["days_per_week"]).strip().lower()
        if text == "none":
            data["days_per_week"] = None
        elif not text.isdigit() or not 1 <= int(text) <= 7:
            raise InvalidInput(f"{label('days_per_week')}: must be a whole number from 1 to 7, not {text!r}")
        else:
            data["days_per_week"] = int(text)
    day = data.get("long_run_day")
    if day is not None and str(getattr(day, "value", day)) in [str(getattr(d, "value", d)) for d in data.get("rest_days", [])]:
        raise InvalidInput(f"{label('long_run_day')}: {getattr(day, 'value', day)} is also a rest day")


def _day_list(text: Any, field: str, label: Label) -> list[str] | None:
    """'mon,wed,fri' (or a list of such texts) -> weekdays in week order; 'none' -> None."""
    parts = [p.strip().lower() for t in ([text] if isinstance(text, str) else text) for p in str(t).split(",")]
    parts = [p for p in parts if p]
    if parts == ["none"]:
        return None
    days = []
    for part in parts:
        try:
            day = str(units.parse_weekday(part))
        except InvalidInput as exc:
            raise InvalidInput(f"{label(field)}: {exc}") from None
        if day not in days:
            days.append(day)
    if not days:
        raise InvalidInput(f"{label(field)}: give weekdays like mon,wed,fri (or 'none' for the default week)")
    return sorted(days, key=_WEEK.index)


_WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _parse_multisport(fields: Mapping[str, Any], data: dict[str, Any], label: Label) -> None:
    """A triathlete's days (issue 14): swim days, bike days and the long-ride day ('none' clears
    each: the rule set's default week applies). The long-ride day joins the bike days; a day
    that is also a rest day, or both a swim and a bike day, is refused naming the option given;
    so is a week with no day left for running."""

    def name(day: Any) -> str:
        return str(getattr(day, "value", day))

    for field in ("swim_days", "bike_days"):
        if not _blank(fields.get(field)):
            data[field] = _day_list(fields[field], field, label)
    if not _blank(fields.get("long_ride_day")):
        text = str(fields["long_ride_day"]).strip().lower()
        try:
            data["long_ride_day"] = None if text == "none" else units.parse_weekday(text)
        except InvalidInput as exc:
            raise InvalidInput(f"{label('long_ride_day')}: {exc}") from None
    ride, bikes = data.get("long_ride_day"), data.get("bike_days")
    if ride is not None and bikes is not None and name(ride) not in [name(d) for d in bikes]:
        data["bike_days"] = sorted([*map(name, bikes), name(ride)], key=_WEEK.index)
    given = [f for f in ("swim_days", "bike_days", "long_ride_day") if not _blank(fields.get(f))]
    # a new athlete without --rest-day has the model's default rest day (Sunday)
    rest_days = data["rest_days"] if "rest_days" in data else Athlete.model_fields["rest_days"].get_default(
        call_default_factory=True)
    rest = {name(d) for d in rest_days or ()}
    swims = [name(d) for d in data.get("swim_days") or ()]
    rides = [name(d) for d in data.get("bike_days") or ()] + ([name(ride)] if ride is not None else [])
    for field, days, what in (("swim_days", swims, "swim"), ("bike_days", rides, "bike"),
                              ("long_ride_day", [name(ride)] if ride is not None else [], "long-ride")):
        clash = [d for d in days if d in rest]
        if clash and (field in given or _blank(fields.get("rest_days"))):
            raise InvalidInput(f"{label(field)}: {clash[0]} is also a rest day")
        if clash:
            raise InvalidInput(f"{label('rest_days')}: {clash[0]} is one of your {what} days ({label(field)})")
    both = [d for d in swims if d in rides]
    if both:
        field = next((f for f in ("bike_days", "swim_days", "long_ride_day") if f in given), "bike_days")
        raise InvalidInput(f"{label(field)}: {both[0]} is both a swim and a bike day (one session a day)")
    if data.get("swim_days") is not None and data.get("bike_days") is not None \
            and not set(_WEEK) - rest - set(swims) - set(rides):
        field = given[-1] if given else "rest_days"
        raise InvalidInput(f"{label(field)}: no day is left for running (swim, bike and rest days fill the week; "
                           "--rest-day none for no rest day)")
