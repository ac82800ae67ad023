"""Calendar files (iCalendar, RFC 5545) for proposed sessions.

One all-day event per proposal, so it lands on the right day in any calendar app
whatever the time zone. The event's UID is derived from the athlete and the date: a
re-sent or re-exported day replaces the earlier event instead of adding a second one.

An outward adapter used by the email attachment (`coach email`, cli/mailer.py) and by
`coach export --ics FILE` (cli/cmd_export.py); it imports neither of them.

The file is written here, line by line: one kind of event with eight properties, TEXT
escaping and line folding (RFC 5545 3.3.11 and 3.1) take a few lines, and a club's nightly
email builds thousands of them, which the icalendar package's object model made more than ten times
slower. The tests read every file back with icalendar and compare it, property by
property, with the same event built through icalendar's own API.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from coach.engine.errors import InvalidInput
from coach.engine.model import Proposal
from coach.engine.presentation import format_duration

PRODID = "-//coach//adaptive training sessions//EN"
_UID_DOMAIN = "coach.invalid"


def event_uid(athlete: str, day: dt.date) -> str:
    """A stable UID for an athlete's session on a day (same input, same UID).

    :param athlete: the athlete's name
    :param day: the session's date
    """
    slug = re.sub(r"[^a-z0-9]+", "-", athlete.lower()).strip("-") or "athlete"
    return f"{day.isoformat()}-{slug}@{_UID_DOMAIN}"


def event_summary(proposal: Proposal) -> str:
    """The one-line title of a proposed session, e.g. 'Run: intervals (45 min)'."""
    session = proposal.session
    kind = session.kind.value.replace("_", " ")
    if session.kind.value == "rest":
        return "Rest day"
    minutes = round(session.total_duration_s / 60) if session.total_duration_s else 0
    length = f" ({format_duration(minutes * 60)})" if minutes else ""
    return f"{session.sport.value.capitalize()}: {kind}{length}"


def _text(value: str) -> str:
    """A TEXT value escaped (RFC 5545 3.3.11): backslash, semicolon, comma, and line breaks as \\n."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 3.1): a break and a space, never inside a
    UTF-8 character nor right after a backslash (some readers would split its escape)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while len(data) - start > limit:
        end = start + limit
        while (data[end] & 0xC0) == 0x80:  # a continuation byte: back to the character's start
            end -= 1
        if data[end - 1] == 0x5C and end - 1 > start:
            end -= 1
        parts.append(data[start:end])
        start, limit = end, 74  # a continuation line begins with the folding space
    parts.append(data[start:])
    return "\r\n ".join(part.decode("utf-8") for part in parts)


def event_lines(proposal: Proposal, description: str, *, stamp: dt.datetime | None = None) -> list[str]:
    """The content lines (unfolded) of the all-day event of one proposal.

    :param proposal: the proposed session
    :param description: the plain-text body (the session, its purpose and the reasons)
    :param stamp: the event's DTSTAMP (default: now, UTC)
    """
    stamp = (stamp or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    day = proposal.date
    return [
        "BEGIN:VEVENT",
        f"SUMMARY:{_text(event_summary(proposal))}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        f"UID:{_text(event_uid(proposal.athlete, day))}",
        f"CATEGORIES:{_text(proposal.session.kind.value)}",
        f"DESCRIPTION:{_text(description)}",
        "TRANSP:TRANSPARENT",  # an all-day training note must not block the day as busy
        "END:VEVENT",
    ]


def calendar_bytes(items: Iterable[tuple[Proposal, str]], *, method: str | None = None,
                   stamp: dt.datetime | None = None) -> bytes:
    """A whole calendar file for (proposal, description) pairs.

    :param items: the proposals, each with its plain-text description
    :param method: an iTIP METHOD (e.g. 'PUBLISH' for an email attachment), or None for a file
    :param stamp: the events' DTSTAMP (default: now, UTC)
    """
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{_text(PRODID)}", "CALSCALE:GREGORIAN"]
    if method:
        lines.append(f"METHOD:{_text(method)}")
    for proposal, description in items:
        lines += event_lines(proposal, description, stamp=stamp)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")


def write_atomically(path: str | os.PathLike[str], data: bytes) -> None:
    """Write `data` to `path` through a temporary file beside it, so a failure leaves no half file.

    :raises InvalidInput: the folder does not exist or cannot be written
    """
    target = Path(path).expanduser()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or Path("."))
    except OSError as exc:
        raise InvalidInput(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o600)  # the athlete's plan: owner-only, like the store
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InvalidInput(f"cannot write {target}: {exc.strerror or exc}") from None
