"""The .ics calendar of proposals: parses with icalendar, right days, stable UIDs."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from coach.cli.ics import calendar_bytes, event_summary, event_uid
from coach.engine.model import Adaptation, Block, Proposal, Session


def _proposal(day: dt.date, kind: str = "intervals", athlete: str = "Ana María") -> Proposal:
    return Proposal(
        athlete=athlete,
        date=day,
        session=Session(
            sport="run", kind=kind, intensity="hard" if kind == "intervals" else "rest",
            purpose="race-pace specificity",
            blocks=[Block(phase="warmup", description="easy jog", duration_s=900),
                    Block(phase="main", description="400 m at 5K pace", repeat=8, distance_m=400,
                          pace_s_per_km=235, recovery_s=90)],
            total_duration_s=2700, total_distance_m=8000,
        ),
        adaptations=[Adaptation(rule="fatigue-swap", principle="P7", reason="load is high")],
    )


def test_calendar_has_one_all_day_event_per_proposal_on_its_date():
    days = [dt.date(2026, 11, 24), dt.date(2026, 11, 25)]
    raw = calendar_bytes([(_proposal(d), f"body for {d}") for d in days])
    cal = Calendar.from_ical(raw)
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    assert [e.decoded("dtstart") for e in events] == days
    assert [e.decoded("dtend") for e in events] == [d + dt.timedelta(days=1) for d in days]
    # all-day: a DATE, not a DATETIME, so the day is right in every time zone
    assert all(type(e.decoded("dtstart")) is dt.date for e in events)
    assert str(events[0]["description"]) == "body for 2026-11-24"
    assert str(events[0]["summary"]) == "Run: intervals (45 min)"
    assert str(cal["version"]) == "2.0" and "coach" in str(cal["prodid"])


def test_uid_is_stable_per_athlete_and_day_and_differs_otherwise():
    day = dt.date(2026, 11, 24)
    assert event_uid("Ana María", day) == event_uid("Ana María", day)
    assert event_uid("Ana María", day) != event_uid("Ben", day)
    assert event_uid("Ana María", day) != event_uid("Ana María", day + dt.timedelta(days=1))
    assert " " not in event_uid("Ana María", day)


def test_method_is_set_only_when_asked():
    day = dt.date(2026, 11, 24)
    assert "METHOD" not in Calendar.from_ical(calendar_bytes([(_proposal(day), "x")]))
    assert str(Calendar.from_ical(calendar_bytes([(_proposal(day), "x")], method="PUBLISH"))["method"]) == "PUBLISH"


def test_rest_day_summary():
    assert event_summary(_proposal(dt.date(2026, 11, 24), kind="rest")) == "Rest day"
