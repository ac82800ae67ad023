"""Email delivery of a proposal: the message (text + HTML + .ics) and sending it over SMTP.

Settings come from the `[smtp]` section of config.toml, overridden by COACH_SMTP_*
environment variables. The password is never a setting: it is read at send time from
COACH_SMTP_PASSWORD or from a file readable only by its owner (`password_file`,
COACH_SMTP_PASSWORD_FILE). It is never printed, logged or put in an error message.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import logging
import os
import smtplib
import socket
import ssl
import stat
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from coach.cli.ics import calendar_bytes, event_summary
from coach.service.delivery import DeliveryFailed
from coach.engine.errors import InvalidInput
from coach.engine.model import Athlete, Proposal, Units
from coach.engine.presentation import format_distance, format_duration, format_pace

log = logging.getLogger("coach.email")

#: environment variable -> settings key
ENV_KEYS: dict[str, str] = {
    "COACH_SMTP_HOST": "host",
    "COACH_SMTP_PORT": "port",
    "COACH_SMTP_SECURITY": "security",
    "COACH_SMTP_USER": "user",
    "COACH_SMTP_PASSWORD_FILE": "password_file",
    "COACH_SMTP_FROM": "from",
    "COACH_SMTP_CAFILE": "cafile",
    "COACH_SMTP_TIMEOUT": "timeout",
}
PASSWORD_ENV = "COACH_SMTP_PASSWORD"
_DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}


class SendFailed(DeliveryFailed):
    """The SMTP server could not be reached or did not accept the message; the message is safe to show."""


class SmtpSettings(BaseModel):
    """The `[smtp]` section of config.toml (no password here, by design)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    host: str = Field(default="localhost", min_length=1)
    port: int | None = Field(default=None, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = "starttls"
    user: str | None = None
    password_file: Path | None = None
    sender: str | None = Field(default=None, alias="from")
    cafile: Path | None = None
    timeout: float = Field(default=30.0, gt=0)

    @field_validator("sender")
    @classmethod
    def _address(cls, v: str | None) -> str | None:
        if v is not None and "@" not in parseaddr(v)[1]:
            raise ValueError("must be an email address like 'Coach <coach@example.org>'")
        return v

    @property
    def effective_port(self) -> int:
        return self.port or _DEFAULT_PORTS[self.security]

    @property
    def from_address(self) -> str:
        """The From address: `from`, else the user when it is an address, else coach@<this host>."""
        if self.sender:
            return self.sender
        if self.user and "@" in self.user:
            return f"coach <{self.user}>"
        return f"coach <coach@{socket.getfqdn() or 'localhost'}>"


def smtp_settings(section: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None,
                  *, source: str = "config.toml") -> SmtpSettings:
    """Validated SMTP settings: the config file's `[smtp]` section, overridden by COACH_SMTP_* variables.

    :param section: the `[smtp]` table of the config file (or None)
    :param environ: the environment (default: os.environ)
    :param source: how to name the config file in error messages
    :raises InvalidInput: one line naming the key (or variable) and what is wrong
    """
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = dict(section or {})
    origin = {key: f"{source} [smtp] {key}" for key in values}
    if "password" in values:
        raise InvalidInput(f"{source} [smtp] password: passwords are not read from the config file; "
                           f"set {PASSWORD_ENV} or put it in a file readable only by you and name it in password_file")
    for var, key in ENV_KEYS.items():
        if environ.get(var, "").strip():
            values[key] = environ[var].strip()
            origin[key] = var
    try:
        return SmtpSettings.model_validate(values)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = str(err["loc"][0]) if err["loc"] else "smtp"
        where = origin.get(key, f"{source} [smtp] {key}")
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = f"unknown setting (known: {', '.join(sorted(['from', *(f for f in SmtpSettings.model_fields if f != 'sender')]))})"
        raise InvalidInput(f"{where}: {message}") from None


def read_password(settings: SmtpSettings, environ: Mapping[str, str] | None = None) -> str | None:
    """The SMTP password from COACH_SMTP_PASSWORD, else from the password file, else None.

    The file must be a regular file that neither the group nor others may read or write.

    :raises InvalidInput: the file is missing, unreadable or too open (the message never holds the password)
    """
    environ = os.environ if environ is None else environ
    if environ.get(PASSWORD_ENV):
        return environ[PASSWORD_ENV]
    path = settings.password_file
    if path is None:
        return None
    path = path.expanduser()
    try:
        info = path.stat()
    except OSError as exc:
        raise InvalidInput(f"SMTP password file {path}: {exc.strerror or 'cannot be read'}") from None
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(f"SMTP password file {path}: not a regular file")
    if info.st_mode & 0o077:
        raise InvalidInput(f"SMTP password file {path} can be read by others (mode {stat.S_IMODE(info.st_mode):04o}); "
                           f"make it readable only by you: chmod 600 {path}")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise InvalidInput(f"SMTP password file {path} is not owned by you; it must be yours and readable only by you")
    try:
        secret = path.read_text(encoding="utf-8").rstrip("\r\n")
    except (OSError, UnicodeDecodeError):
        raise InvalidInput(f"SMTP password file {path} cannot be read as UTF-8 text") from None
    if not secret:
        raise InvalidInput(f"SMTP password file {path} is empty")
    return secret


# --- the message --------------------------------------------------------------------------


_PHASE_LABELS = {"warmup": "Warm-up", "main": "Main set", "recovery": "Recovery", "taper": "Taper",
                 "cooldown": "Cool-down"}


def _day(day: dt.date) -> str:
    return f"{day:%A} {day.isoformat()}"


def text_body(proposal: Proposal, units: Units = Units.km) -> str:
    """The plain-text body: the same text as the terminal renderer's plain form."""
    from coach.cli.render import render_text

    return render_text(proposal, units.value)


def html_body(proposal: Proposal, units: Units = Units.km) -> str:
    """The HTML body: the session as a table, its purpose, and the reasons for any adaptation."""
    e = html.escape
    session = proposal.session
    rows = []
    for block in session.blocks:
        reps = f"{block.repeat} &times; " if block.repeat > 1 else ""
        rows.append(
            "<tr>"
            f"<td>{e(_PHASE_LABELS.get(block.phase.value, block.phase.value))}</td>"
            f"<td>{reps}{e(block.description)}</td>"
            f"<td>{e(format_distance(block.distance_m or None, units))}</td>"
            f"<td>{e(format_duration(block.duration_s or None))}</td>"
            f"<td>{e(format_pace(block.pace_s_per_km, units))}</td>"
            f"<td>{e(format_duration(block.recovery_s or None))}</td>"
            "</tr>"
        )
    whole_minutes = round(session.total_duration_s / 60) if session.total_duration_s else 0
    minutes = f"about {format_duration(whole_minutes * 60)}" if whole_minutes else ""
    total = ", ".join(t for t in (format_distance(session.total_distance_m or None, units), minutes) if t)
    parts = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8"><title>' + e(event_summary(proposal)) + "</title></head><body>",
        f"<h2>{e(event_summary(proposal))} &mdash; {e(_day(proposal.date))}</h2>",
        f"<p><strong>Purpose:</strong> {e(session.purpose)}</p>",
    ]
    if rows:
        parts.append('<table border="1" cellpadding="4" cellspacing="0">'
                     "<tr><th>Part</th><th>What</th><th>Distance</th><th>Time</th><th>Pace</th><th>Recovery</th></tr>"
                     + "".join(rows) + "</table>")
    if total:
        parts.append(f"<p><strong>Total:</strong> {e(total)}</p>")
    if proposal.adaptations:
        parts.append("<h3>Why it was adapted</h3><ul>")
        parts += [f"<li>{e(a.reason)} <small>[{e(a.principle)}, rule {e(a.rule)}]</small></li>"
                  for a in proposal.adaptations]
        parts.append("</ul>")
    parts.append(f"<p><small>Proposed by coach for {e(proposal.athlete)}.</small></p></body></html>")
    return "\n".join(parts) + "\n"


def subject_of(proposal: Proposal) -> str:
    return f"{event_summary(proposal)} on {proposal.date:%a} {proposal.date.isoformat()}"


def build_message(proposal: Proposal, *, to: str, sender: str, units: Units = Units.km,
                  now: dt.datetime | None = None, fit: bytes | None = None) -> EmailMessage:
    """The full message: text and HTML alternatives, the day's .ics event and its FIT workout attached.

    :param proposal: the proposal to send
    :param to: the recipient's address
    :param sender: the From address
    :param units: the athlete's display units
    :param now: the Date header's time (default: now)
    :param fit: the session as a FIT workout file (`coach.cli.watch.workout_bytes`), or None (a rest day)
    """
    text = text_body(proposal, units)
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject_of(proposal)
    msg["Date"] = formatdate((now or dt.datetime.now(dt.timezone.utc)).timestamp(), localtime=True)
    domain = parseaddr(sender)[1].rpartition("@")[2] or None
    msg["Message-ID"] = make_msgid("coach", domain=domain)
    msg["X-Coach-Athlete"] = " ".join(proposal.athlete.split())  # no line breaks in a header
    msg["X-Coach-Date"] = proposal.date.isoformat()
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: tells vacation responders not to reply
    # quoted-printable keeps the bodies readable in --dry-run and 7-bit safe on the wire
    msg.set_content(text, cte="quoted-printable")
    msg.add_alternative(html_body(proposal, units), subtype="html", cte="quoted-printable")
    ics = calendar_bytes([(proposal, text)], method="PUBLISH").decode("utf-8")
    msg.add_attachment(ics, subtype="calendar", filename=f"coach-{proposal.date.isoformat()}.ics",
                       params={"method": "PUBLISH"}, cte="quoted-printable")
    if fit:
        from coach.cli.watch import fit_file_name

        msg.add_attachment(fit, maintype="application", subtype="vnd.ant.fit", filename=fit_file_name(proposal))
    return msg


# --- sending ------------------------------------------------------------------------------


def _scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def _secret_forms(user: str | None, password: str | None) -> list[str]:
    """The password and the encodings AUTH puts it in, so none can leak through a server's reply."""
    if not password:
        return []
    forms = [password, base64.b64encode(password.encode()).decode()]
    if user:
        forms.append(base64.b64encode(f"\0{user}\0{password}".encode()).decode())
    return forms


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {text}".strip()


def send_message(msg: EmailMessage, settings: SmtpSettings, password: str | None) -> None:
    """Send one message; return only if the server accepted it for every recipient.

    :param msg: the message (its To header names the recipients)
    :param settings: the SMTP settings
    :param password: the password for `settings.user` (see `read_password`)
    :raises SendFailed: the server is down, the login or a recipient was refused, or TLS failed;
        the message names the server and never contains the password
    """
    host, port = settings.host, settings.effective_port
    where = f"SMTP server {host}:{port}"
    secrets = _secret_forms(settings.user, password)
    if settings.user and not password:
        raise SendFailed(f"{where}: user {settings.user} is set but no password was given "
                         f"(set {PASSWORD_ENV} or password_file)")
    try:
        context = ssl.create_default_context(cafile=str(settings.cafile.expanduser()) if settings.cafile else None)
    except (OSError, ssl.SSLError) as exc:
        raise SendFailed(f"SMTP CA file {settings.cafile}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        if settings.security == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=settings.timeout, context=context)
        else:
            client = smtplib.SMTP(host, port, timeout=settings.timeout)
        with client:
            client.ehlo()
            if settings.security == "starttls":
                client.starttls(context=context)
                client.ehlo()
            if settings.user:
                client.login(settings.user, password or "")
            refused = client.send_message(msg)
        if refused:
            first, (code, reply) = next(iter(refused.items()))
            raise SendFailed(f"{where} refused recipient {first}: {code} {reply.decode('utf-8', 'replace')}")
    except SendFailed:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise SendFailed(_scrub(f"{where} refused the login of user {settings.user}: {_reply(exc)}", secrets)) from None
    except smtplib.SMTPNotSupportedError as exc:
        raise SendFailed(_scrub(f"{where}: {exc}; use security = \"tls\" or a server that offers STARTTLS", secrets)) from None
    except smtplib.SMTPRecipientsRefused as exc:
        first, (code, reply) = next(iter(exc.recipients.items()))
        raise SendFailed(_scrub(f"{where} refused recipient {first}: {code} {reply.decode('utf-8', 'replace')}",
                                secrets)) from None
    except smtplib.SMTPSenderRefused as exc:
        raise SendFailed(_scrub(f"{where} refused sender {exc.sender}: {_reply(exc)}", secrets)) from None
    except smtplib.SMTPResponseException as exc:
        raise SendFailed(_scrub(f"{where} did not accept the message: {_reply(exc)}", secrets)) from None
    except ssl.SSLError as exc:
        raise SendFailed(_scrub(f"{where}: TLS failed ({exc.reason or exc}); if the server uses a private CA, "
                                "set cafile (COACH_SMTP_CAFILE)", secrets)) from None
    except (smtplib.SMTPException, OSError, socket.timeout) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise SendFailed(_scrub(f"cannot send through {where}: {reason}", secrets)) from None
    log.debug("sent %s to %s through %s", msg["Message-ID"], msg["To"], where)


# --- the Sender port of `coach email` (service/email.py) over SMTP ---------------------------


class SmtpSender:
    """Composes the message (text, HTML, .ics, and the FIT workout with `watch` settings) and sends
    it over SMTP (`service.email.Sender`)."""

    def __init__(self, settings: SmtpSettings, password: str | None, watch: Any = None):
        self.settings = settings
        self._password = password
        self._watch = watch

    def compose(self, proposal: Proposal, athlete: Athlete, address: str) -> tuple[EmailMessage, str]:
        fit = None
        if self._watch is not None:
            from coach.cli.watch import watch_file

            fit = watch_file(proposal, self._watch)
        msg = build_message(proposal, to=address, sender=self.settings.from_address, units=athlete.units, fit=fit)
        return msg, msg["Message-ID"]

    def send(self, message: EmailMessage) -> None:
        send_message(message, self.settings, self._password)


def smtp_sender(config_smtp: Mapping[str, Any], config_file: str, dry_run: bool,
                environ: Mapping[str, str] | None = None, watch: Any = None) -> SmtpSender:
    """The SMTP sender from config.toml's [smtp] and COACH_SMTP_*, its password checked first.

    :param watch: the rule set's watch targets (`RuleSet.planned.watch`): attach each session as a FIT workout

    :raises InvalidInput: bad settings, or an SMTP user without a password (unless `dry_run`)
    """
    settings = smtp_settings(config_smtp, environ, source=config_file)
    password = None if dry_run else read_password(settings, environ)
    if settings.user and not password and not dry_run:
        raise InvalidInput(f"SMTP user {settings.user} is set but there is no password: "
                           f"set {PASSWORD_ENV} or password_file in [smtp] of {config_file}")
    return SmtpSender(settings, password, watch)
