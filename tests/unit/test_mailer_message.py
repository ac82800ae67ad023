"""Building the email (text, HTML, .ics) and reading SMTP settings and the password."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import os

import pytest
from icalendar import Calendar

from coach.cli.mailer import build_message, html_body, read_password, smtp_settings
from coach.engine.errors import InvalidInput
from coach.engine.model import Adaptation, Block, Proposal, Session, Units

DAY = dt.date(2026, 11, 24)


def _proposal() -> Proposal:
    return Proposal(
        athlete="Ana",
        date=DAY,
        session=Session(
            sport="run", kind="intervals", intensity="hard", purpose="race-pace specificity",
            blocks=[Block(phase="warmup", description="easy jog & drills", duration_s=900),
                    Block(phase="main", description="400 m <fast>", repeat=8, distance_m=400,
                          pace_s_per_km=235, recovery_s=90),
                    Block(phase="cooldown", description="easy jog", duration_s=600)],
            total_duration_s=2700, total_distance_m=8000,
        ),
        adaptations=[Adaptation(rule="form-shorten", principle="P8",
                                reason="Form broke at rep 6 last time, so the set is 8 reps instead of 10.")],
    )


def _roundtrip(msg) -> email.message.EmailMessage:
    return email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)


def test_message_has_text_html_and_ics_for_the_day():
    msg = _roundtrip(build_message(_proposal(), to="ana@example.org", sender="Coach <coach@example.org>"))
    assert msg["To"] == "ana@example.org"
    assert "2026-11-24" in msg["Subject"] and "intervals" in msg["Subject"]
    assert msg["Message-ID"].endswith("@example.org>")
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    for body in (text, html):
        assert "race-pace specificity" in body
        assert "Form broke at rep 6" in body
    assert "400 m &lt;fast&gt;" in html and "<fast>" not in html  # escaped
    # the same wording as the terminal's: one presentation module (issue 11)
    assert "<td>3:55/km</td>" in html and "3:55/km" in text
    attachments = list(msg.iter_attachments())
    assert [a.get_content_type() for a in attachments] == ["text/calendar"]
    assert attachments[0].get_filename() == "coach-2026-11-24.ics"
    cal = Calendar.from_ical(attachments[0].get_content())
    (event,) = [c for c in cal.walk() if c.name == "VEVENT"]
    assert event.decoded("dtstart") == DAY
    assert "race-pace specificity" in str(event["description"])


def test_html_uses_the_athletes_units():
    html = html_body(_proposal(), Units.mi)
    assert "6:18/mi" in html and "5.0 mi" in html


def test_each_message_gets_its_own_message_id():
    a = build_message(_proposal(), to="a@example.org", sender="coach@example.org")
    b = build_message(_proposal(), to="a@example.org", sender="coach@example.org")
    assert a["Message-ID"] != b["Message-ID"]


def test_settings_env_overrides_config_and_defaults_port_by_security():
    s = smtp_settings({"host": "mail.example.org", "security": "tls", "user": "me"}, {})
    assert (s.host, s.effective_port, s.security) == ("mail.example.org", 465, "tls")
    s = smtp_settings({"host": "mail.example.org", "port": 2525},
                      {"COACH_SMTP_HOST": "relay.example.org", "COACH_SMTP_SECURITY": "none"})
    assert (s.host, s.effective_port, s.security) == ("relay.example.org", 2525, "none")
    assert smtp_settings({}, {}).effective_port == 587
    assert smtp_settings({"from": "Coach <c@example.org>"}, {}).from_address == "Coach <c@example.org>"


@pytest.mark.parametrize(
    "section, environ, expected",
    [
        ({"port": "x"}, {}, "config.toml [smtp] port:"),
        ({}, {"COACH_SMTP_PORT": "seventy"}, "COACH_SMTP_PORT:"),
        ({"security": "ssl"}, {}, "config.toml [smtp] security:"),
        ({"hots": "a"}, {}, "config.toml [smtp] hots: unknown setting"),
        ({"from": "nobody"}, {}, "config.toml [smtp] from: must be an email address"),
        ({"password": "hunter2"}, {}, "config.toml [smtp] password: passwords are not read"),
    ],
)
def test_bad_settings_give_one_line_naming_the_key(section, environ, expected):
    with pytest.raises(InvalidInput) as exc:
        smtp_settings(section, environ)
    assert str(exc.value).startswith(expected)
    assert "\n" not in str(exc.value)
    assert "hunter2" not in str(exc.value)


def test_password_from_env_wins_over_file(tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("from-file\n")
    secret.chmod(0o600)
    settings = smtp_settings({"password_file": str(secret)}, {})
    assert read_password(settings, {}) == "from-file"
    assert read_password(settings, {"COACH_SMTP_PASSWORD": "from-env"}) == "from-env"
    assert read_password(smtp_settings({}, {}), {}) is None


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644, 0o620])
def test_password_file_open_to_others_is_refused_without_showing_it(tmp_path, mode):
    secret = tmp_path / "pw"
    secret.write_text("topsecret-123")
    secret.chmod(mode)
    with pytest.raises(InvalidInput) as exc:
        read_password(smtp_settings({"password_file": str(secret)}, {}), {})
    assert "chmod 600" in str(exc.value) and f"{mode:04o}" in str(exc.value)
    assert "topsecret-123" not in str(exc.value)


def test_missing_or_empty_password_file(tmp_path):
    with pytest.raises(InvalidInput, match="SMTP password file .*nope"):
        read_password(smtp_settings({"password_file": str(tmp_path / "nope")}, {}), {})
    empty = tmp_path / "empty"
    empty.write_text("\n")
    empty.chmod(0o600)
    with pytest.raises(InvalidInput, match="is empty"):
        read_password(smtp_settings({"password_file": str(empty)}, {}), {})


def test_the_fit_workout_is_attached_beside_the_ics():
    from fitcheck import decode

    from coach.cli.watch import watch_file
    from coach.engine.compliance import WatchSettings

    watch = WatchSettings(pace_range_s_per_km=5, hr_zone_of_intensity={"easy": 2, "moderate": 3, "hard": 4})
    msg = _roundtrip(build_message(_proposal(), to="a@example.org", sender="coach@example.org",
                                   fit=watch_file(_proposal(), watch)))
    ics, fit = list(msg.iter_attachments())
    assert ics.get_content_type() == "text/calendar"
    assert fit.get_content_type() == "application/vnd.ant.fit"
    assert fit.get_filename() == "2026-11-24-run-intervals.fit"
    steps = decode(fit.get_content())["workout_step"]
    assert [s["duration_type"] for s in steps] == ["time", "distance", "time", "repeat_until_steps_cmplt", "time"]
    # without a workout (a rest day), only the .ics
    plain = _roundtrip(build_message(_proposal(), to="a@example.org", sender="coach@example.org"))
    assert [a.get_content_type() for a in plain.iter_attachments()] == ["text/calendar"]


def test_names_outside_ascii_are_encoded_headers_that_read_back():
    proposal = _proposal().model_copy(update={"athlete": "Zoë Øster"})
    msg = _roundtrip(build_message(proposal, to="zoe@example.org", sender="Coach Åse <coach@example.org>"))
    assert msg["From"].addresses[0].display_name == "Coach Åse"
    assert msg["From"].addresses[0].addr_spec == "coach@example.org"
    assert msg["X-Coach-Athlete"] == "Zoë Øster"
    assert "Zoë Øster" in msg.get_body(("plain",)).get_content()
    raw = build_message(proposal, to="zoe@example.org", sender="Coach Åse <coach@example.org>").as_bytes()
    assert raw.isascii()  # 7-bit on the wire


def test_the_last_known_check_in_is_in_the_text_and_the_html():
    from coach.engine.model import Checkin

    proposal = _proposal().model_copy(update={"morning": Checkin(date=DAY - dt.timedelta(days=2), sleep_h=6.5,
                                                                 feel=3)})
    msg = _roundtrip(build_message(proposal, to="ana@example.org", sender="coach@example.org"))
    text = " ".join(msg.get_body(("plain",)).get_content().split())
    html = " ".join(msg.get_body(("html",)).get_content().split())
    said = "Check-in: none yet for Tue 2026-11-24; last known Sun 2026-11-22 (2 days before): slept 6.5 h, feel 3/5."
    assert said in text and said in html
    plain = _roundtrip(build_message(_proposal(), to="ana@example.org", sender="coach@example.org"))
    assert "Check-in" not in plain.get_body(("plain",)).get_content()


@pytest.mark.parametrize("athlete", ["Ana", "Zoë Brontë", "Ana  de la  Cruz", "A" * 90, "Ana\tTab"])
def test_the_wire_writes_what_classic_folding_writes(athlete):
    """The short cut of the wire policy gives the classic policy's bytes, headers long, short,
    non-ASCII or odd, and the body: only the time it takes differs."""
    from email.policy import compat32

    from coach.cli.mailer import WIRE_POLICY, _wire

    proposal = _proposal().model_copy(update={"athlete": athlete})
    msg = build_message(proposal, to="ana@example.org", sender="Coach Long Name <coach@example.org>",
                        fit=b".FIT" * 40)
    msg["X-Long"] = "word " * 30 + "end"  # folded by the classic path
    classic = msg.as_bytes(policy=compat32.clone(linesep="\r\n"))
    assert msg.as_bytes(policy=WIRE_POLICY) == classic
    assert _wire(msg).rstrip(b"\r\n") == classic.rstrip(b"\r\n")


def test_each_multipart_has_its_own_random_boundary():
    a, b = (build_message(_proposal(), to="ana@example.org", sender="coach@example.org") for _ in range(2))
    boundaries = {m.get_boundary() for msg in (a, b) for m in msg.walk() if m.is_multipart()}
    assert len(boundaries) == 4
    for msg in (a, b):
        assert len(_roundtrip(msg).get_body(("plain",)).get_content()) > 100


@pytest.mark.parametrize("body", [
    "plain ascii\n",
    "trailing spaces   \nand a tab\t\nand = signs == here\n",
    "a long line " * 30 + "\n" + "x" * 200 + "\n",
    "Zoë runs 8 × 400 m at 3:55/km — “fast” 日本語\n" * 5,
    ".a line starting with a dot\n.\nFrom the start\n",
    "no final line break",
])
def test_bodies_in_quoted_printable_read_back_exactly(body):
    from email.mime.text import MIMEText

    from coach.cli.mailer import _UTF8_QP, _wire

    part = MIMEText(body, "plain", _UTF8_QP)
    assert part["Content-Transfer-Encoding"] == "quoted-printable"
    wire = _wire(part)
    assert all(len(line) <= 76 for line in wire.split(b"\r\n")) and wire.isascii()
    back = email.message_from_bytes(part.as_bytes(), policy=email.policy.default)
    assert back.get_content() == body
