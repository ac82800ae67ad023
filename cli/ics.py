"""Calendar files (iCalendar, RFC 5545) for proposed sessions.

One all-day event per proposal, so it lands on the right day in any calendar app
whatever the time zone. The event's UID is derived from the athlete and the date: a
re-sent or re-exported day replaces the earlier event instead of adding a second one.

An outward adapter used by the email attachment (`coach email`, cli/mailer.py) and by
`coach export --ics FILE` (cli/cmd_export.py); it imports neither of them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from icalendar import Calendar, Event

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


def proposal_event(proposal: Proposal, description: str, *, stamp: dt.datetime | None = None) -> Event:
    """An all-day event for one proposal.

    :param proposal: the proposed session
    :param description: the plain-text body (the session, its purpose and the reasons)
    :param stamp: the event's DTSTAMP (default: now, UTC)
    """
    event = Event()
    event.add("uid", event_uid(proposal.athlete, proposal.date))
    event.add("dtstamp", stamp or dt.datetime.now(dt.timezone.utc))
    event.add("dtstart", proposal.date)
    event.add("dtend", proposal.date + dt.timedelta(days=1))
    event.add("summary", event_summary(proposal))
    event.add("description", description)
    event.add("categories", [proposal.session.kind.value])
    event.add("transp", "TRANSPARENT")  # an all-day training note must not block the day as busy
    return event


def calendar_bytes(items: Iterable[tuple[Proposal, str]], *, method: str | None = None) -> bytes:
    """A whole calendar file for (proposal, description) pairs.

    :param items: the proposals, each with its plain-text description
    :param method: an iTIP METHOD (e.g. 'PUBLISH' for an email attachment), or None for a file
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    for proposal, description in items:
        calendar.add_component(proposal_event(proposal, description))
    return calendar.to_ical()


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
