"""Sending over a real SMTP server on 127.0.0.1: plain, refused, down, STARTTLS + AUTH."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from icalendar import Calendar

from coach.cli.mailer import SendFailed, build_message, send_message, smtp_settings
from coach.engine.model import Block, Proposal, Session

DAY = dt.date(2026, 11, 24)


def _message(to: str = "ana@example.org"):
    proposal = Proposal(
        athlete="Ana", date=DAY,
        session=Session(sport="run", kind="tempo", intensity="hard", purpose="fatigue tolerance",
                        blocks=[Block(phase="main", description="20 min tempo", duration_s=1200)],
                        total_duration_s=2400),
    )
    return build_message(proposal, to=to, sender="coach@example.org")


def test_message_arrives_and_parses(smtp_server):
    settings = smtp_settings({"host": smtp_server.host, "port": smtp_server.port, "security": "none"}, {})
    msg = _message()
    send_message(msg, settings, None)
    (got,) = smtp_server.messages
    assert got.rcpt_tos == ["ana@example.org"]
    assert got.message["Message-ID"] == msg["Message-ID"]
    assert "fatigue tolerance" in got.message.get_body(("plain",)).get_content()
    assert got.message.get_body(("html",)) is not None
    (ics,) = list(got.message.iter_attachments())
    event = next(c for c in Calendar.from_ical(ics.get_content()).walk() if c.name == "VEVENT")
    assert event.decoded("dtstart") == DAY


def test_refused_recipient_raises_send_failed(smtp_server):
    smtp_server.handler.refuse_rcpt.add("ana@example.org")
    settings = smtp_settings({"host": smtp_server.host, "port": smtp_server.port, "security": "none"}, {})
    with pytest.raises(SendFailed, match=r"refused recipient ana@example.org: 550"):
        send_message(_message(), settings, None)
    assert smtp_server.messages == []


def test_refused_data_raises_send_failed(smtp_server):
    smtp_server.handler.refuse_data = "554 5.7.1 Rejected as spam"
    settings = smtp_settings({"host": smtp_server.host, "port": smtp_server.port, "security": "none"}, {})
    with pytest.raises(SendFailed, match="did not accept the message: 554"):
        send_message(_message(), settings, None)


def test_server_down_raises_send_failed(down_port):
    settings = smtp_settings({"host": "127.0.0.1", "port": down_port, "security": "none", "timeout": 5}, {})
    with pytest.raises(SendFailed, match=f"cannot send through SMTP server 127.0.0.1:{down_port}"):
        send_message(_message(), settings, None)


def test_starttls_server_without_tls_fails_cleanly(smtp_server):
    settings = smtp_settings({"host": smtp_server.host, "port": smtp_server.port, "security": "starttls"}, {})
    with pytest.raises(SendFailed, match="STARTTLS"):
        send_message(_message(), settings, None)


USER = "ana@example.org"  # the account the auth_smtp_server fixture accepts


def test_starttls_and_auth_with_the_test_ca(auth_smtp_server, caplog):
    password = auth_smtp_server.password
    caplog.set_level(logging.DEBUG)
    settings = smtp_settings({"host": auth_smtp_server.host, "port": auth_smtp_server.port,
                              "security": "starttls", "user": USER, "cafile": auth_smtp_server.cafile}, {})
    send_message(_message(), settings, password)
    assert len(auth_smtp_server.messages) == 1
    assert auth_smtp_server.handler.logins == [USER]
    assert password not in caplog.text


def test_untrusted_certificate_is_refused(auth_smtp_server):
    password = auth_smtp_server.password
    settings = smtp_settings({"host": auth_smtp_server.host, "port": auth_smtp_server.port,
                              "security": "starttls", "user": USER}, {})
    with pytest.raises(SendFailed, match="TLS failed") as exc:
        send_message(_message(), settings, password)
    assert password not in str(exc.value)
    assert auth_smtp_server.messages == []


def test_wrong_password_is_refused_without_showing_it(auth_smtp_server, caplog):
    caplog.set_level(logging.DEBUG)
    settings = smtp_settings({"host": auth_smtp_server.host, "port": auth_smtp_server.port,
                              "security": "starttls", "user": USER, "cafile": auth_smtp_server.cafile}, {})
    wrong = "wrong-" + auth_smtp_server.password
    with pytest.raises(SendFailed, match=f"refused the login of user {USER}: 535") as exc:
        send_message(_message(), settings, wrong)
    assert wrong not in str(exc.value) and wrong not in caplog.text
    assert auth_smtp_server.messages == []


def test_user_without_password_is_a_clear_failure(auth_smtp_server):
    settings = smtp_settings({"host": auth_smtp_server.host, "port": auth_smtp_server.port, "user": USER}, {})
    with pytest.raises(SendFailed, match="no password"):
        send_message(_message(), settings, None)
