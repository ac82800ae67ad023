"""Email delivery of a proposal: the message (text + HTML + .ics) and sending it over SMTP.

Settings come from the `[smtp]` section of config.toml, overridden by COACH_SMTP_*
environment variables. The password is never a setting: it is read at send time from
COACH_SMTP_PASSWORD or from a file readable only by its owner (`password_file`,
COACH_SMTP_PASSWORD_FILE). It is never printed, logged or put in an error message.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import html
import logging
import os
import smtplib
import socket
import re
import ssl
import stat
import threading
import time
from collections.abc import Mapping
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.policy import Compat32
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, getaddresses, make_msgid, parseaddr
from pathlib import Path
from secrets import token_hex
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from coach.cli.ics import calendar_bytes, event_summary
from coach.service.delivery import DeliveryFailed, DeliveryUncertain
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
    "COACH_SMTP_MAX_PER_CONNECTION": "max_per_connection",
}
PASSWORD_ENV = "COACH_SMTP_PASSWORD"
_DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}


class SendFailed(DeliveryFailed):
    """The SMTP server could not be reached or did not accept the message; the message is safe to show."""


class SendUncertain(DeliveryUncertain, SendFailed):
    """The whole message was sent but the server's answer was not heard: it may have been delivered."""


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
    #: messages sent on one connection before a new one is opened (servers limit it)
    max_per_connection: int = Field(default=100, ge=1, le=100000)

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
    from coach.cli.render import checkin_line, render_text

    text = render_text(proposal, units.value)
    line = checkin_line(proposal)
    return text if line is None else f"{text}\n{line}\n"


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
    if proposal.morning is not None:
        from coach.engine.readiness import describe_checkin

        parts.append(f"<p>{e(describe_checkin(proposal.morning, proposal.date))}</p>")
    parts.append(f"<p><small>Proposed by coach for {e(proposal.athlete)}.</small></p></body></html>")
    return "\n".join(parts) + "\n"


def subject_of(proposal: Proposal) -> str:
    return f"{event_summary(proposal)} on {proposal.date:%a} {proposal.date.isoformat()}"


#: UTF-8 bodies in quoted-printable (readable in --dry-run, 7-bit safe on the wire), and
#: RFC 2047 headers where a name is not ASCII
class _Utf8QP(Charset):
    """UTF-8 in quoted-printable, the body encoded by binascii's C encoder (the email
    package's own is pure Python: about a fifth of building a message); both are
    RFC 2045 quoted-printable and decode to the same text (tests/unit/test_mailer_message.py)."""

    def __init__(self) -> None:
        super().__init__("utf-8")
        self.body_encoding = self.header_encoding = QP

    def body_encode(self, string: str | bytes) -> str:
        if not string:
            return ""
        data = string if isinstance(string, bytes) else string.encode(self.output_charset)
        return binascii.b2a_qp(data, istext=True).decode("ascii")


_UTF8_QP = _Utf8QP()


def _header(value: str) -> str | Header:
    return value if value.isascii() else Header(value, _UTF8_QP)


class _WirePolicy(Compat32):
    """The classic policy, CRLF line ends, and a short cut for the common header: a plain
    ASCII value on one line that fits the line length is written as it is, which is what
    the classic folding gives for it (tests/unit/test_mailer_message.py compares the two on
    real messages) without building a `Header` for each of some twenty headers a message."""

    def _fold(self, name: str, value: Any, sanitize: bool) -> str:
        if (isinstance(value, str) and value.isascii() and value.isprintable() and "  " not in value
                and value == value.strip() and len(name) + 2 + len(value) <= (self.max_line_length or 0)):
            return f"{name}: {value}{self.linesep}"
        return super()._fold(name, value, sanitize)


#: how `_wire` writes a message for SMTP's DATA
WIRE_POLICY = _WirePolicy(linesep="\r\n")


def _boundary() -> str:
    # a random boundary chosen here: left to the generator, it compiles a regular expression
    # for each multipart to check the boundary against the text (96 random bits never collide)
    return f"=_coach_{token_hex(12)}"


def build_message(proposal: Proposal, *, to: str, sender: str, units: Units = Units.km,
                  now: dt.datetime | None = None, fit: bytes | None = None) -> Message:
    """The full message: text and HTML alternatives, the day's .ics event and its FIT workout attached.

    Built with the email package's classic MIME classes, several times faster than
    `Message` with the modern policy for the same bytes on the wire (a club's nightly
    run builds thousands).

    :param proposal: the proposal to send
    :param to: the recipient's address
    :param sender: the From address
    :param units: the athlete's display units
    :param now: the Date header's time (default: now)
    :param fit: the session as a FIT workout file (`coach.cli.watch.workout_bytes`), or None (a rest day)
    """
    text = text_body(proposal, units)
    msg = MIMEMultipart("mixed", boundary=_boundary())
    name, address = parseaddr(sender)
    msg["From"] = formataddr((name, address), charset="utf-8")
    msg["To"] = to
    msg["Subject"] = _header(subject_of(proposal))
    msg["Date"] = formatdate((now or dt.datetime.now(dt.timezone.utc)).timestamp(), localtime=True)
    msg["Message-ID"] = make_msgid("coach", domain=address.rpartition("@")[2] or None)
    msg["X-Coach-Athlete"] = _header(" ".join(proposal.athlete.split()))  # no line breaks in a header
    msg["X-Coach-Date"] = proposal.date.isoformat()
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: tells vacation responders not to reply
    bodies = MIMEMultipart("alternative", boundary=_boundary())
    bodies.attach(MIMEText(text, "plain", _UTF8_QP))
    bodies.attach(MIMEText(html_body(proposal, units), "html", _UTF8_QP))
    msg.attach(bodies)
    ics = MIMEText(calendar_bytes([(proposal, text)], method="PUBLISH").decode("utf-8"), "calendar", _UTF8_QP)
    ics.set_param("method", "PUBLISH")
    ics.add_header("Content-Disposition", "attachment", filename=f"coach-{proposal.date.isoformat()}.ics")
    msg.attach(ics)
    if fit:
        from email.mime.application import MIMEApplication

        from coach.cli.watch import fit_file_name

        workout = MIMEApplication(fit, "vnd.ant.fit")
        workout.add_header("Content-Disposition", "attachment", filename=fit_file_name(proposal))
        msg.attach(workout)
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


class _Watchdog:
    """Shuts a connection's socket at a deadline, so that the whole exchange, not each read,
    is bounded: a server trickling a line every few seconds is cut off all the same. One
    thread per sender, armed for each message."""

    def __init__(self) -> None:
        self.fired = False
        self._deadline: float | None = None
        self._sock: socket.socket | None = None
        self._stopped = False
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    def arm(self, deadline: float, sock: socket.socket | None = None) -> None:
        with self._cond:
            self.fired, self._deadline, self._sock = False, deadline, sock
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="coach-smtp-deadline", daemon=True)
                self._thread.start()
            self._cond.notify()

    def attach(self, sock: socket.socket | None) -> None:
        with self._cond:
            self._sock = sock
            if self.fired:
                self._shut()

    def disarm(self) -> None:
        with self._cond:
            self._deadline, self._sock = None, None
            self._cond.notify()

    def stop(self) -> None:
        with self._cond:
            self._stopped, self._deadline = True, None
            self._cond.notify()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _shut(self) -> None:
        if self._sock is not None:
            try:  # the plain socket's shutdown, under any TLS layer: it works from another thread
                socket.socket.shutdown(self._sock, socket.SHUT_RDWR)
            except OSError:
                pass

    def _watch(self) -> None:
        with self._cond:
            while not self._stopped:
                if self._deadline is None:
                    self._cond.wait()
                    continue
                remaining = self._deadline - time.monotonic()
                if remaining > 0:
                    self._cond.wait(remaining)
                    continue
                self.fired, self._deadline = True, None
                self._shut()


def _no_delay(sock: socket.socket) -> None:
    # each command is a small write followed by a wait for the answer: without this, Nagle's
    # algorithm and delayed ACKs add tens of milliseconds to every message
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:
        pass


class _Client(smtplib.SMTP):
    watchdog: _Watchdog | None = None
    raw: socket.socket | None = None

    def _get_socket(self, host, port, timeout):
        self.raw = super()._get_socket(host, port, timeout)
        _no_delay(self.raw)
        if self.watchdog is not None:
            self.watchdog.attach(self.raw)
        return self.raw


class _TlsClient(smtplib.SMTP_SSL):
    watchdog: _Watchdog | None = None
    raw: socket.socket | None = None

    def _get_socket(self, host, port, timeout):
        # the plain socket is watched before the TLS handshake, which the deadline bounds too
        self.raw = socket.create_connection((host, port), timeout, self.source_address)
        _no_delay(self.raw)
        if self.watchdog is not None:
            self.watchdog.attach(self.raw)
        return self.context.wrap_socket(self.raw, server_hostname=self._host)


_EOLS = re.compile(rb"\r\n|\n|\r")
_LEADING_DOT = re.compile(rb"^\.", re.MULTILINE)


def _wire(msg: Message) -> bytes:
    """The message as DATA sends it, without the final dot: CRLF lines, leading dots doubled."""
    data = _LEADING_DOT.sub(b"..", _EOLS.sub(b"\r\n", msg.as_bytes(policy=WIRE_POLICY)))
    return data if data.endswith(b"\r\n") else data + b"\r\n"


class _Exchange:
    """Where one message's exchange got to, to tell a failure from an uncertain outcome."""

    def __init__(self) -> None:
        self.dot_sent = False


class SmtpSender:
    """Composes the message (text, HTML, .ics, and the FIT workout with `watch` settings) and sends it over SMTP (`service.email.Sender`).

    One TLS context and one connection serve the whole run: the connection is opened on the
    first message, reused, and replaced after `max_per_connection` messages or any failure.
    Each message has a deadline for its whole exchange (connecting included). A failure
    after the message's final dot was sent (no answer, connection lost) may have delivered
    it: that raises `DeliveryUncertain`, never a retry.
    """

    def __init__(self, settings: SmtpSettings, password: str | None, watch: Any = None):
        self.settings = settings
        self._password = password
        self._watch = watch
        self._context: ssl.SSLContext | None = None
        self._client: smtplib.SMTP | None = None
        self._sent_on_connection = 0
        self._watchdog = _Watchdog()
        self.connections = 0

    def compose(self, proposal: Proposal, athlete: Athlete, address: str) -> tuple[Message, str]:
        fit = None
        if self._watch is not None:
            from coach.cli.watch import watch_file

            fit = watch_file(proposal, self._watch)
        msg = build_message(proposal, to=address, sender=self.settings.from_address, units=athlete.units, fit=fit)
        return msg, msg["Message-ID"]

    def __enter__(self) -> "SmtpSender":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
        self._watchdog.stop()

    @property
    def _where(self) -> str:
        return f"SMTP server {self.settings.host}:{self.settings.effective_port}"

    def _tls_context(self) -> ssl.SSLContext:
        if self._context is None:  # the system CA store is loaded once a run, not once a message
            cafile = self.settings.cafile
            try:
                self._context = ssl.create_default_context(cafile=str(cafile.expanduser()) if cafile else None)
            except (OSError, ssl.SSLError) as exc:
                raise SendFailed(f"SMTP CA file {cafile}: {getattr(exc, 'strerror', None) or exc}") from None
        return self._context

    def close(self) -> None:
        """Say QUIT (briefly) and close the connection, if one is open."""
        client, self._client = self._client, None
        if client is None:
            return
        self._watchdog.arm(time.monotonic() + min(2.0, self.settings.timeout), getattr(client, "raw", None))
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            pass
        finally:
            self._watchdog.disarm()
            client.close()

    def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()

    def _connect(self, watchdog: _Watchdog, deadline: float) -> smtplib.SMTP:
        s = self.settings
        timeout = max(0.001, min(s.timeout, deadline - time.monotonic()))
        if s.security == "tls":
            client: smtplib.SMTP = _TlsClient(timeout=timeout, context=self._tls_context())
        else:
            client = _Client(timeout=timeout)
        client.watchdog = watchdog
        client._host = s.host  # the TLS server name (smtplib sets it only when connecting in __init__)
        self.connections += 1
        try:
            client.connect(s.host, s.effective_port)
            client.ehlo()
            if s.security == "starttls":
                client.starttls(context=self._tls_context())
                client.ehlo()
            if s.user:
                client.login(s.user, self._password or "")
        except BaseException:
            client.close()
            raise
        return client

    def send(self, message: Message, deadline: float | None = None) -> None:
        """Send one message by the monotonic time `deadline` (default: 4 times the timeout).

        :raises SendFailed: not delivered (server down, refused, TLS failed, deadline passed before the end)
        :raises SendUncertain: the message was sent but its acceptance was not heard
        """
        s = self.settings
        if s.user and not self._password:
            raise SendFailed(f"{self._where}: user {s.user} is set but no password was given "
                             f"(set {PASSWORD_ENV} or password_file)")
        if deadline is None:
            deadline = time.monotonic() + 4 * s.timeout
        if self._client is not None and self._sent_on_connection >= s.max_per_connection:
            self.close()
        try:
            self._send_once(message, deadline)
        except _Reconnect:
            # the server closed an idle connection before taking anything: once more on a new one
            self._drop()
            self._send_once(message, deadline)

    def _send_once(self, message: Message, deadline: float) -> None:
        reused = self._client is not None
        watchdog = self._watchdog
        watchdog.arm(deadline, getattr(self._client, "raw", None))
        exchange = _Exchange()
        secrets = _secret_forms(self.settings.user, self._password)
        try:
            if self._client is None:
                self._client, self._sent_on_connection = self._connect(watchdog, deadline), 0
            else:
                client = self._client
                client.sock.settimeout(max(0.001, min(self.settings.timeout, deadline - time.monotonic())))
            self._transact(self._client, message, exchange)
            self._sent_on_connection += 1
        except (smtplib.SMTPException, OSError, ValueError) as exc:
            self._drop()
            if reused and not watchdog.fired and not exchange.dot_sent and isinstance(
                    exc, (smtplib.SMTPServerDisconnected, ConnectionError)):
                raise _Reconnect() from None
            raise self._failure(exc, watchdog, exchange, secrets) from None
        finally:
            watchdog.disarm()
        log.debug("sent %s to %s through %s", message["Message-ID"], message["To"], self._where)

    def _transact(self, client: smtplib.SMTP, msg: Message, exchange: _Exchange) -> None:
        sender = parseaddr(msg["From"])[1]
        recipients = [addr for _, addr in getaddresses(msg.get_all("To", []))]
        code, reply = client.mail(sender)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        refused = {}
        for rcpt in recipients:
            code, reply = client.rcpt(rcpt)
            if code not in (250, 251):
                refused[rcpt] = (code, reply)
        if refused:
            client.rset()
            raise smtplib.SMTPRecipientsRefused(refused)
        client.putcmd("data")
        code, reply = client.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        client.send(_wire(msg))
        # from here on the server may take the message even if we never hear its answer
        exchange.dot_sent = True
        client.send(b".\r\n")
        code, reply = client.getreply()
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)

    def _failure(self, exc: BaseException, watchdog: _Watchdog, exchange: _Exchange,
                 secrets: list[str]) -> DeliveryFailed:
        where, s = self._where, self.settings
        if isinstance(exc, smtplib.SMTPResponseException) and not isinstance(exc, smtplib.SMTPServerDisconnected):
            pass  # the server answered: a definite refusal, handled below
        elif exchange.dot_sent:
            why = "no answer before the message's deadline" if watchdog.fired else \
                (getattr(exc, "strerror", None) or str(exc) or type(exc).__name__)
            return SendUncertain(_scrub(f"{where} took the whole message but did not confirm it: {why}", secrets))
        elif watchdog.fired:
            return SendFailed(f"{where}: no complete answer before the message's deadline; nothing was sent")
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return SendFailed(_scrub(f"{where} refused the login of user {s.user}: {_reply(exc)}", secrets))
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            return SendFailed(_scrub(f"{where}: {exc}; use security = \"tls\" or a server that offers STARTTLS",
                                     secrets))
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            first, (code, reply) = next(iter(exc.recipients.items()))
            return SendFailed(_scrub(f"{where} refused recipient {first}: {code} "
                                     f"{reply.decode('utf-8', 'replace')}", secrets))
        if isinstance(exc, smtplib.SMTPSenderRefused):
            return SendFailed(_scrub(f"{where} refused sender {exc.sender}: {_reply(exc)}", secrets))
        if isinstance(exc, smtplib.SMTPResponseException):
            return SendFailed(_scrub(f"{where} did not accept the message: {_reply(exc)}", secrets))
        if isinstance(exc, ssl.SSLError):
            return SendFailed(_scrub(f"{where}: TLS failed ({exc.reason or exc}); if the server uses a private "
                                     "CA, set cafile (COACH_SMTP_CAFILE)", secrets))
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        return SendFailed(_scrub(f"cannot send through {where}: {reason}", secrets))


class _Reconnect(Exception):
    """A reused connection was closed by the server before the message was handed over."""


def send_message(msg: Message, settings: SmtpSettings, password: str | None,
                 deadline: float | None = None) -> None:
    """Send one message on a connection of its own; return only if the server accepted it.

    :param msg: the message (its To header names the recipients)
    :param settings: the SMTP settings
    :param password: the password for `settings.user` (see `read_password`)
    :param deadline: the monotonic time by which it is sent or abandoned (default: 4 times the timeout)
    :raises SendFailed: the server is down, the login or a recipient was refused, or TLS failed;
        the message names the server and never contains the password
    :raises SendUncertain: the message was sent but the server's acceptance was not heard
    """
    with SmtpSender(settings, password) as sender:
        sender.send(msg, deadline)


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
