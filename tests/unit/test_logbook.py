"""Turning typed text into workouts and athletes: values, and one-line messages naming the field."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.engine.errors import InvalidInput
from coach.engine.model import Athlete
from coach.storage.logbook import parse_athlete, parse_workout

TODAY = dt.date(2026, 11, 20)


def cli_label(field: str) -> str:
    return "--" + field.replace("_", "-")


def test_every_field_is_read():
    w = parse_workout(
        {"date": "2026-11-18", "start_time": "2026-11-18T07:30:00+01:00", "sport": "Run", "kind": "intervals",
         "distance": "8km", "duration": "40:00", "elapsed": "42:10", "rpe": "8", "avg_hr": "152", "max_hr": "178",
         "cadence": "172", "elevation_gain": "45m", "soreness": "3", "sleep": "7.5", "splits": "1:28,1:29,1:35",
         "rep_distance": "400m", "target_pace": "3:40/km", "rep_hr": "160,165,170", "form_broke_at": "3",
         "notes": " windy ", "dedupe_key": "k1"},
        today=TODAY,
    )
    assert w.date == dt.date(2026, 11, 18)
    assert w.start_time == dt.datetime(2026, 11, 18, 6, 30, tzinfo=dt.timezone.utc)
    assert (w.sport.value, w.kind.value, w.distance_m, w.duration_s, w.elapsed_s) == ("run", "intervals", 8000, 2400, 2530)
    assert (w.rpe, w.avg_hr, w.max_hr, w.cadence, w.elevation_gain_m) == (8, 152, 178, 172, 45)
    assert (w.soreness, w.sleep_h, w.form_broke_at, w.notes, w.dedupe_key) == (3, 7.5, 3, "windy", "k1")
    assert [r.duration_s for r in w.reps] == [88, 89, 95]
    assert [r.index for r in w.reps] == [1, 2, 3]
    assert [r.avg_hr for r in w.reps] == [160, 165, 170]
    assert w.reps[0].distance_m == 400 and w.reps[0].target_pace_s_per_km == 220
    assert w.reps[2].actual_pace_s_per_km == pytest.approx(95 / 0.4)


def test_defaults_are_today_and_run():
    w = parse_workout({}, today=TODAY)
    assert (w.date, w.sport.value, w.kind, w.reps, w.source) == (TODAY, "run", None, [], "manual")


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"rpe": "11"}, "--rpe: input should be less than or equal to 10 (got '11')"),
        ({"rpe": "0"}, "--rpe: input should be greater than or equal to 1"),
        ({"rpe": "hard"}, "--rpe: input should be a valid integer"),
        ({"sport": "jog"}, "--sport: input should be 'run', 'bike'"),
        ({"kind": "fartlek"}, "--kind: input should be 'easy'"),
        ({"distance": "-3km"}, "--distance: distance must not be negative"),
        ({"distance": "far"}, "--distance: cannot read distance 'far'"),
        ({"duration": "-45:00"}, "--duration: duration must not be negative"),
        ({"duration": "soon"}, "--duration: cannot read duration"),
        ({"soreness": "11"}, "--soreness: input should be less than or equal to 10"),
        ({"sleep": "25"}, "--sleep: input should be less than or equal to 24"),
        ({"avg_hr": "300"}, "--avg-hr: input should be less than 260"),
        ({"date": "2026-13-01"}, "--date: '2026-13-01' is not a real date"),
        ({"splits": "1:28,1:29", "form_broke_at": "3"}, "--form-broke-at: rep 3 but only 2 splits"),
        ({"rep_distance": "400m"}, "--rep-distance: given without --splits"),
        ({"splits": "1:28,1:29", "rep_hr": "150"}, "--rep-hr: 1 values for 2 splits"),
        ({"start_time": "7h"}, "--start-time: cannot read time"),
    ],
)
def test_bad_values_name_the_field(fields, message):
    with pytest.raises(InvalidInput) as info:
        parse_workout(fields, label=cli_label, today=TODAY)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_athlete_from_fields_and_changes():
    a = parse_athlete(
        {"name": " Ana ", "sport": "Triathlon", "goal": "70.3", "race_date": "2027-06-01",
         "recent_races": ["5k=20:30@2026-10-01", "10k=43:00"], "rest_days": ["sunday", "Wed"],
         "units": "mi", "email": "ana@example.org"},
        today=TODAY,
    )
    assert (a.name, a.sport.value, a.goal.value, a.race_date, a.units.value) == ("Ana", "triathlon", "70.3",
                                                                                  dt.date(2027, 6, 1), "mi")
    assert [d.value for d in a.rest_days] == ["sun", "wed"]
    assert [(r.label, r.time_s) for r in a.recent_races] == [("5k", 1230), ("10k", 2580)]
    b = parse_athlete({"recent_races": ["5k=20:00"], "race_date": "none", "rest_days": ["none"], "email": "none"},
                      base=a)
    assert [(r.label, r.time_s) for r in b.recent_races] == [("5k", 1200), ("10k", 2580)]
    assert (b.race_date, b.rest_days, b.email, b.name) == (None, [], None, "Ana")


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"name": "Ana", "goal": "ultra"}, "--goal: input should be '5k'"),
        ({"name": "Ana", "sport": "swim"}, "--sport: input should be 'run' or 'triathlon'"),
        ({"name": "Ana", "email": "ana-at-home"}, "--email: 'ana-at-home' is not an email address"),
        ({"name": "Ana", "rest_days": ["funday"]}, "--rest-days: 'funday' is not a weekday"),
        ({"name": "Ana", "recent_races": ["5k=fast"]}, "--recent-races: race result '5k=fast'"),
        ({"name": "   "}, "--name: "),
        ({"name": "Ana", "units": "furlongs"}, "--units: input should be 'km' or 'mi'"),
    ],
)
def test_bad_athlete_fields(fields, message):
    with pytest.raises(InvalidInput) as info:
        parse_athlete(fields, label=cli_label)
    assert str(info.value).startswith(message)


def test_base_is_not_changed():
    base = Athlete(name="Ana")
    parse_athlete({"goal": "marathon"}, base=base)
    assert base.goal.value == "5k"
