"""Parsing and formatting of distances, durations, paces, dates and race results."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.engine.errors import InvalidInput
from coach.engine import units

TODAY = dt.date(2026, 11, 20)


@pytest.mark.parametrize(
    "text, metres",
    [("10km", 10000), ("10 km", 10000), ("6.2mi", 6.2 * 1609.344), ("800m", 800), ("5k", 5000),
     ("1500yd", 1500 * 0.9144), ("0.4KM", 400), ("0m", 0)],
)
def test_parse_distance(text, metres):
    assert units.parse_distance(text) == pytest.approx(metres)


@pytest.mark.parametrize(
    "text, message",
    [("-5km", "must not be negative"), ("10", "needs a unit"), ("ten km", "cannot read distance"),
     ("5 furlongs", "unknown distance unit 'furlongs'"), ("", "cannot read distance")],
)
def test_parse_distance_rejects(text, message):
    with pytest.raises(InvalidInput, match=message):
        units.parse_distance(text)


@pytest.mark.parametrize(
    "text, seconds",
    [("45:00", 2700), ("1:02:03", 3723), ("1:28", 88), ("1:28.5", 88.5), ("45min", 2700),
     ("1h30m", 5400), ("90s", 90), ("2h", 7200), ("0:00:01", 1)],
)
def test_parse_duration(text, seconds):
    assert units.parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize(
    "text, message",
    [("45", "ambiguous"), ("-1:00", "must not be negative"), ("0:00", "more than zero"),
     ("1:75", "below 60"), ("1:75:00", "below 60"), ("fast", "cannot read duration"), ("", "cannot read duration")],
)
def test_parse_duration_rejects(text, message):
    with pytest.raises(InvalidInput, match=message):
        units.parse_duration(text)


def test_paces_in_both_units():
    assert units.parse_pace("4:30/km") == 270
    assert units.parse_pace("7:15/mi") == pytest.approx(435 / 1.609344)
    assert units.parse_pace("4:30", units="mi") == pytest.approx(270 / 1.609344)
    with pytest.raises(InvalidInput, match="/km or /mi"):
        units.parse_pace("4:30/furlong")


def test_dates_and_relative_words():
    assert units.parse_date("2026-10-01") == dt.date(2026, 10, 1)
    assert units.parse_date("today", TODAY) == TODAY
    assert units.parse_date("Yesterday", TODAY) == dt.date(2026, 11, 19)
    assert units.parse_date("tomorrow", TODAY) == dt.date(2026, 11, 21)
    with pytest.raises(InvalidInput, match="not a real date"):
        units.parse_date("2026-02-30")
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        units.parse_date("20/11/2026")


def test_since_counts_today_in():
    assert units.parse_since("14", TODAY) == dt.date(2026, 11, 7)
    assert units.parse_since("1", TODAY) == TODAY
    assert units.parse_since("all", TODAY) is None
    assert units.parse_since("2026-10-01", TODAY) == dt.date(2026, 10, 1)
    with pytest.raises(InvalidInput):
        units.parse_since("0", TODAY)
    with pytest.raises(InvalidInput, match="number of days"):
        units.parse_since("lately", TODAY)


def test_race_results():
    assert units.parse_race_result("5k=20:30@2026-10-01") == {
        "label": "5k", "distance_m": 5000.0, "time_s": 1230.0, "date": dt.date(2026, 10, 1)}
    half = units.parse_race_result("Half=1:35:00")
    assert (half["label"], half["distance_m"], half["time_s"], half["date"]) == ("half", 21097.5, 5700, None)
    assert units.parse_race_result("8km=30:00")["distance_m"] == 8000
    assert units.format_race_result("5k", 1230, dt.date(2026, 10, 1)) == "5k=20:30@2026-10-01"
    for bad, message in [("5k", "LABEL=TIME"), ("5k=fast", "cannot read duration"), ("parkrun=20:00", "unknown race"),
                         ("5k=20:30@someday", "cannot read date")]:
        with pytest.raises(InvalidInput, match=message):
            units.parse_race_result(bad)


def test_weekdays_and_times():
    assert units.parse_weekday("Sunday") == "sun"
    assert units.parse_weekday("MON") == "mon"
    with pytest.raises(InvalidInput, match="not a weekday"):
        units.parse_weekday("funday")
    assert units.parse_time_of_day("7:30") == dt.time(7, 30)
    with pytest.raises(InvalidInput, match="HH:MM"):
        units.parse_time_of_day("25:00")


def test_splits():
    assert units.parse_splits("1:28, 1:29,1:31") == [88, 89, 91]
    with pytest.raises(InvalidInput, match="split 2"):
        units.parse_splits("1:28,,1:31")
    with pytest.raises(InvalidInput, match="split 3"):
        units.parse_splits("1:28,1:29,x")
