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


def _reference(proposal: Proposal, description: str, stamp: dt.datetime, method: str | None) -> bytes:
    """The same calendar built through icalendar's own API."""
    from icalendar import Event

    cal = Calendar()
    cal.add("prodid", "-//coach//adaptive training sessions//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    event = Event()
    event.add("uid", event_uid(proposal.athlete, proposal.date))
    event.add("dtstamp", stamp)
    event.add("dtstart", proposal.date)
    event.add("dtend", proposal.date + dt.timedelta(days=1))
    event.add("summary", event_summary(proposal))
    event.add("description", description)
    event.add("categories", [proposal.session.kind.value])
    event.add("transp", "TRANSPARENT")
    cal.add_component(event)
    return cal.to_ical()


def _properties(raw: bytes) -> list[tuple[str, str, object]]:
    out = []
    for component in Calendar.from_ical(raw).walk():
        for name, value in component.property_items(recursive=False):
            decoded = component.decoded(name) if name in component else value
            if name == "CATEGORIES":
                decoded = [str(c) for c in value.cats]
            out.append((component.name, name, decoded if not isinstance(decoded, bytes) else decoded.decode()))
    return sorted(out, key=repr)


DESCRIPTIONS = [
    "plain",
    "commas, semicolons; a back\\slash \\n and \\N, \"quotes\" and 'apostrophes'",
    "lines\nand\r\nbreaks\rof every kind\n\n",
    "é" * 40 + " mixed with ascii " + "日本語のテキスト" * 12 + "\\" * 80,
    "x" * 74 + "\\," + "y" * 73 + "\\;" + "z" * 200,
    "",
]


def test_the_written_calendar_reads_back_as_icalendars_own():
    """Every property, escaped and folded by hand, reads back as the same calendar built
    through icalendar's API; no line is longer than 75 octets, lines end in CRLF."""
    stamp = dt.datetime(2026, 11, 23, 20, 5, 7, tzinfo=dt.timezone.utc)
    for n, description in enumerate(DESCRIPTIONS):
        for athlete in ("Ana María", "Zoë, the; fastest \\ one"):
            proposal = _proposal(dt.date(2026, 11, 24) + dt.timedelta(days=n), athlete=athlete)
            for method in (None, "PUBLISH"):
                ours = calendar_bytes([(proposal, description)], method=method, stamp=stamp)
                # icalendar's API turns a literal \N of the text into a line break; the text
                # itself is what a reader must get back
                reference = _reference(proposal, description.replace("\\N", "~"), stamp, method)
                mine = _properties(ours)
                assert [p for p in mine if p[1] != "DESCRIPTION"] == [
                    p for p in _properties(reference) if p[1] != "DESCRIPTION"]
                (read,) = [p[2] for p in mine if p[1] == "DESCRIPTION"]
                assert read == description.replace("\r\n", "\n").replace("\r", "\n")
                if "\\N" not in description:
                    assert mine == _properties(reference)
                lines = ours.split(b"\r\n")
                assert lines[-1] == b"" and all(len(line) <= 75 for line in lines)
                assert b"\n" not in ours.replace(b"\r\n", b"")
                for line in lines:
                    line.decode("utf-8")  # never split inside a character


def test_a_long_description_is_folded_not_cut():
    description = "word " * 100
    raw = calendar_bytes([(_proposal(dt.date(2026, 11, 24)), description)])
    assert raw.count(b"\r\n ") >= 6
    (event,) = [c for c in Calendar.from_ical(raw).walk() if c.name == "VEVENT"]
    assert str(event["description"]) == description


def test_text_is_escaped_on_the_wire():
    raw = calendar_bytes([(_proposal(dt.date(2026, 11, 24)), 'a, b; c\\d\ne')])
    assert b"DESCRIPTION:a\\, b\\; c\\\\d\\ne\r\n" in raw.replace(b"\r\n ", b"")
