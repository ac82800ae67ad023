"""One wording for durations, distances and paces (engine/presentation.py), and that the
places a person reads them (terminal, email, session text) all use it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.engine import units
from coach.engine.presentation import format_clock, format_distance, format_duration, format_pace
from coach.engine.units import METRES_PER_MILE


def test_clock_shapes():
    assert format_clock(2700) == "45:00"
    assert format_clock(3723) == "1:02:03"
    assert format_clock(93.6) == "1:34"
    assert format_clock(88.5, tenths=True) == "1:28.5"
    assert format_clock(2843.7, tenths=True) == "47:23"
    assert format_clock(None) == ""


@given(st.floats(min_value=1, max_value=30 * 3600).map(lambda x: round(x)))
def test_clock_round_trips_through_the_parser(seconds):
    assert units.parse_duration(format_clock(seconds, tenths=True)) == seconds
    assert units.parse_duration(format_clock(seconds)) == seconds


def test_duration_shapes():
    assert format_duration(45) == "45 s"
    assert format_duration(240) == "4 min"
    assert format_duration(90) == "1:30 min"
    assert format_duration(3600) == "1 h"
    assert format_duration(4200) == "1 h 10 min"
    assert format_duration(None) == ""


def test_distance_shapes():
    assert format_distance(400, "km") == format_distance(400, "mi") == "400 m"
    assert format_distance(1200) == "1200 m"
    assert format_distance(10_000, "km") == "10 km"
    assert format_distance(8_500, "km") == "8.5 km"
    assert format_distance(5012.5, "km") == "5 km"
    assert format_distance(METRES_PER_MILE * 5, "mi") == "5.0 mi"
    assert format_distance(None) == ""


def test_pace_in_both_units():
    assert format_pace(270, "km") == "4:30/km"
    assert format_pace(270, "mi") == "7:15/mi"
    assert format_pace(240, "mi") == "6:26/mi"
    assert format_pace(None) == format_pace(0) == ""


def test_units_enum_reads_like_its_value():
    from coach.engine.model import Units

    assert format_pace(270, Units.mi) == "7:15/mi"
    assert format_distance(10_000, Units.mi) == "6.2 mi"


def test_race_results_keep_their_tenths():
    assert units.format_race_result("800m", 125.3, dt.date(2026, 10, 1)) == "800m=2:05.3@2026-10-01"


@pytest.mark.parametrize("name", ["format_duration", "format_distance", "format_pace"])
def test_no_second_family(name):
    """The old second families are gone: engine.units parses, engine.paces computes."""
    from coach.engine import paces

    assert not hasattr(units, name) and not hasattr(paces, name)
