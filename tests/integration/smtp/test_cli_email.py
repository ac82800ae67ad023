"""`coach email` end to end: a real store, the real rules, a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from coach.cli.main import cli
from coach.engine.model import Athlete, RaceResult, Workout
from coach.storage import open_store

DAY = dt.date(2026, 11, 24)
SMTP_VARS = ("HOST", "PORT", "SECURITY", "USER", "PASSWORD", "PASSWORD_FILE", "FROM", "CAFILE", "TIMEOUT")


@pytest.fixture(autouse=True)
def _clean_smtp_env(monkeypatch):
    for name in SMTP_VARS:
        monkeypatch.delenv(f"COACH_SMTP_{name}", raising=False)


@pytest.fixture
def db(tmp_path) -> str:
    """A store with Ana and Ben (with addresses) and Cy (without), and two weeks of Ana's log."""
    path = str(tmp_path / "coach.db")
    with open_store(path) as store, store.unit_of_work() as uow:
        race = [RaceResult(label="5k", distance_m=5000, time_s=20 * 60 + 30, date=DAY - dt.timedelta(days=30))]
        ana = uow.athletes.add(Athlete(name="Ana", email="ana@example.org", recent_races=race))
        uow.athletes.add(Athlete(name="Ben", email="ben@example.org", goal="10k", recent_races=race))
        uow.athletes.add(Athlete(name="Cy"))
        for back in range(1, 15):
            day = DAY - dt.timedelta(days=back)
            if day.weekday() == 6:
                continue
            hard = back % 3 == 0
            uow.workouts.add(ana.id, Workout(date=day, sport="run", kind="intervals" if hard else "easy",
                                             distance_m=8000, duration_s=2400 if hard else 2700, rpe=8 if hard else 3))
        uow.commit()
    return path


def _use(monkeypatch, server, **extra):
    monkeypatch.setenv("COACH_SMTP_HOST", server.host)
    monkeypatch.setenv("COACH_SMTP_PORT", str(server.port))
    monkeypatch.setenv("COACH_SMTP_SECURITY", extra.pop("security", "none"))
    monkeypatch.setenv("COACH_SMTP_FROM", "Coach <coach@example.org>")
    monkeypatch.setenv("COACH_SMTP_TIMEOUT", "5")
    for key, value in extra.items():
        monkeypatch.setenv(f"COACH_SMTP_{key.upper()}", value)


def _email(db, *args):
    return CliRunner().invoke(cli, ["email", "--db", db, *args])


def _delivery(db, name, day=DAY):
    with open_store(db) as store, store.unit_of_work() as uow:
        athlete = uow.athletes.get(name)
        return uow.deliveries.get(athlete.id, day), uow.proposals.get(athlete.id, day)


def test_the_email_arrives_with_both_bodies_and_the_days_ics(db, smtp_server, monkeypatch):
    _use(monkeypatch, smtp_server)
    result = _email(db, "--athlete", "Ana", "--date", DAY.isoformat())
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # progress goes to stderr
    (got,) = smtp_server.messages
    msg = got.message
    assert got.rcpt_tos == ["ana@example.org"]
    delivery, proposal = _delivery(db, "Ana")
    assert proposal is not None  # saved, as `coach next` does
    assert delivery.status == "sent" and delivery.message_id == msg["Message-ID"] and delivery.attempts == 1
    kind = proposal.session.kind.value.replace("_", " ")
    assert DAY.isoformat() in msg["Subject"] and kind in msg["Subject"]
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    for body in (text, html):
        assert proposal.session.purpose.split()[0] in body
        for adaptation in proposal.adaptations:
            assert adaptation.rule in body
    ics, fit = list(msg.iter_attachments())
    assert ics.get_content_type() == "text/calendar"
    event = next(c for c in Calendar.from_ical(ics.get_content()).walk() if c.name == "VEVENT")
    assert event.decoded("dtstart") == DAY
    # the session as a FIT workout beside it, one step per block (plus recoveries and repeats)
    from fitcheck import decode

    assert fit.get_content_type() == "application/vnd.ant.fit"
    assert fit.get_filename().startswith(DAY.isoformat()) and fit.get_filename().endswith(".fit")
    steps = decode(fit.get_content())["workout_step"]
    assert sum(1 for s in steps if s.get("intensity") in ("warmup", "active", "cooldown")
               and s["duration_type"] != "repeat_until_steps_cmplt") == len(proposal.session.blocks)
    assert f"sent Ana {DAY.isoformat()} to ana@example.org {msg['Message-ID']}" in result.stderr


def test_a_second_run_sends_nothing_unless_forced(db, smtp_server, monkeypatch):
    _use(monkeypatch, smtp_server)
    assert _email(db, "--athlete", "Ana", "--date", DAY.isoformat()).exit_code == 0
    again = _email(db, "--athlete", "Ana", "--date", DAY.isoformat())
    assert again.exit_code == 0, again.output
    assert "skipped Ana" in again.stderr and "already sent" in again.stderr
    assert len(smtp_server.messages) == 1
    forced = _email(db, "--athlete", "Ana", "--date", DAY.isoformat(), "--force")
    assert forced.exit_code == 0, forced.output
    assert len(smtp_server.messages) == 2
    assert smtp_server.messages[0].message["Message-ID"] != smtp_server.messages[1].message["Message-ID"]
    delivery, _ = _delivery(db, "Ana")
    assert delivery.attempts == 2 and delivery.message_id == smtp_server.messages[1].message["Message-ID"]


def test_default_date_is_tomorrow(db, smtp_server, monkeypatch):
    _use(monkeypatch, smtp_server)
    before = dt.date.today() + dt.timedelta(days=1)
    result = _email(db, "--athlete", "Ana")
    after = dt.date.today() + dt.timedelta(days=1)
    assert result.exit_code == 0, result.output
    (got,) = smtp_server.messages
    assert got.message["X-Coach-Date"] in {before.isoformat(), after.isoformat()}


def test_a_refusing_server_is_recorded_as_failed_and_the_next_run_sends(db, smtp_server, monkeypatch):
    _use(monkeypatch, smtp_server)
    smtp_server.handler.refuse_data = "550 5.7.1 Not now"
    failed = _email(db, "--athlete", "Ana", "--date", DAY.isoformat())
    assert failed.exit_code == 1
    assert "failed Ana" in failed.stderr and "550" in failed.stderr
    assert "Traceback" not in failed.output
    delivery, _ = _delivery(db, "Ana")
    assert delivery.status == "failed" and "550" in delivery.error
    smtp_server.handler.refuse_data = None
    retry = _email(db, "--athlete", "Ana", "--date", DAY.isoformat())
    assert retry.exit_code == 0, retry.output
    assert len(smtp_server.messages) == 1
    delivery, _ = _delivery(db, "Ana")
    assert (delivery.status, delivery.attempts, delivery.error) == ("sent", 2, None)


def test_a_server_that_is_down_fails_and_the_next_run_sends(db, smtp_server, down_port, monkeypatch):
    _use(monkeypatch, smtp_server, port=str(down_port))
    failed = _email(db, "--athlete", "Ana", "--date", DAY.isoformat())
    assert failed.exit_code == 1
    assert f"127.0.0.1:{down_port}" in failed.stderr
    assert _delivery(db, "Ana")[0].status == "failed"
    _use(monkeypatch, smtp_server)
    assert _email(db, "--athlete", "Ana", "--date", DAY.isoformat()).exit_code == 0
    assert len(smtp_server.messages) == 1 and _delivery(db, "Ana")[0].status == "sent"


def test_all_with_one_bad_address_still_delivers_to_the_others(db, smtp_server, monkeypatch):
    _use(monkeypatch, smtp_server)
    smtp_server.handler.refuse_rcpt.add("ana@example.org")
    result = _email(db, "--all", "--date", DAY.isoformat())
    assert result.exit_code == 1
    assert [m.rcpt_tos for m in smtp_server.messages] == [["ben@example.org"]]
    lines = result.stderr.splitlines()
    assert any(line.startswith("failed Ana") and "refused recipient ana@example.org" in line for line in lines)
    assert any(line.startswith("sent Ben") for line in lines)
    assert any(line.startswith("skipped Cy") and "no email address" in line for line in lines)
    assert _delivery(db, "Ana")[0].status == "failed" and _delivery(db, "Ben")[0].status == "sent"
    assert _delivery(db, "Cy")[0] is None
    # next evening's run (same date): only Ana is due, and now her server accepts
    smtp_server.handler.refuse_rcpt.clear()
    rerun = _email(db, "--all", "--date", DAY.isoformat())
    assert rerun.exit_code == 0, rerun.output
    assert [m.rcpt_tos for m in smtp_server.messages] == [["ben@example.org"], ["ana@example.org"]]


def test_all_wins_over_an_athlete_from_the_environment(db, smtp_server, monkeypatch):
    _use(monkeypatch, smtp_server)
    monkeypatch.setenv("COACH_ATHLETE", "Ana")
    assert _email(db, "--all", "--date", DAY.isoformat()).exit_code == 0
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == ["ana@example.org", "ben@example.org"]


def test_dry_run_prints_the_full_message_and_sends_and_records_nothing(db, smtp_server, monkeypatch):
    _use(monkeypatch, smtp_server)
    result = _email(db, "--athlete", "Ana", "--date", DAY.isoformat(), "--dry-run", "--to", "coach-test@example.org")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for header in ("From: Coach <coach@example.org>", "To: coach-test@example.org", "Subject: ", "Message-ID: ",
                   "Content-Type: text/plain", "Content-Type: text/html", "Content-Type: text/calendar", "BEGIN:VCALENDAR"):
        assert header in out
    assert "dry-run Ana" in result.stderr
    assert smtp_server.messages == []
    delivery, proposal = _delivery(db, "Ana")
    assert delivery is None and proposal is None


def test_an_athlete_without_an_address_is_a_one_line_error(db, smtp_server, monkeypatch):
    _use(monkeypatch, smtp_server)
    result = _email(db, "--athlete", "Cy", "--date", DAY.isoformat())
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: athlete 'Cy' has no email address: add one to the profile or pass --to ADDR"
    assert smtp_server.messages == []


def test_to_overrides_the_address(db, smtp_server, monkeypatch):
    _use(monkeypatch, smtp_server)
    result = _email(db, "--athlete", "Cy", "--date", DAY.isoformat(), "--to", "cy@example.org")
    assert result.exit_code == 0, result.output
    assert smtp_server.messages[0].rcpt_tos == ["cy@example.org"]
    assert _email(db, "--athlete", "Cy", "--to", "not-an-address").exit_code == 1


# --- STARTTLS + AUTH, and keeping the password secret ---------------------------------------


def _config(home: Path, smtp: str) -> None:
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "config.toml").write_text("[smtp]\n" + smtp)


def test_starttls_auth_with_password_from_env_never_shows_it(db, auth_smtp_server, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    _use(monkeypatch, auth_smtp_server, security="starttls", user=auth_smtp_server.user,
         cafile=auth_smtp_server.cafile, password=auth_smtp_server.password)
    result = _email(db, "--all", "--date", DAY.isoformat())
    assert result.exit_code == 0, result.output
    assert len(auth_smtp_server.messages) == 2 and auth_smtp_server.handler.logins == [auth_smtp_server.user] * 2
    assert auth_smtp_server.password not in result.output + result.stderr + caplog.text


def test_wrong_password_fails_for_everyone_without_showing_it(db, auth_smtp_server, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    wrong = "not-the-" + auth_smtp_server.password
    _use(monkeypatch, auth_smtp_server, security="starttls", user=auth_smtp_server.user,
         cafile=auth_smtp_server.cafile, password=wrong)
    result = _email(db, "--all", "--date", DAY.isoformat())
    assert result.exit_code == 1
    assert "refused the login" in result.stderr
    assert wrong not in result.output + result.stderr + caplog.text
    with open_store(db) as store, store.unit_of_work() as uow:
        errors = [d.error for d in uow.deliveries.list()]
    assert len(errors) == 2 and all(wrong not in e for e in errors)


def test_password_file_from_config_and_cafile_from_config(db, auth_smtp_server, coach_home, tmp_path, monkeypatch):
    secret = tmp_path / "smtp-password"
    secret.write_text(auth_smtp_server.password + "\n")
    secret.chmod(0o600)
    _config(coach_home, f'host = "{auth_smtp_server.host}"\nport = {auth_smtp_server.port}\nsecurity = "starttls"\n'
                        f'user = "{auth_smtp_server.user}"\npassword_file = "{secret}"\ncafile = "{auth_smtp_server.cafile}"\n'
                        'from = "Coach <coach@example.org>"\n')
    result = _email(db, "--athlete", "Ana", "--date", DAY.isoformat())
    assert result.exit_code == 0, result.output
    assert len(auth_smtp_server.messages) == 1
    assert auth_smtp_server.password not in result.output + result.stderr


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_a_password_file_readable_by_others_is_refused_before_sending(db, auth_smtp_server, coach_home, tmp_path):
    secret = tmp_path / "smtp-password"
    secret.write_text(auth_smtp_server.password)
    secret.chmod(0o644)
    _config(coach_home, f'host = "{auth_smtp_server.host}"\nport = {auth_smtp_server.port}\n'
                        f'user = "{auth_smtp_server.user}"\npassword_file = "{secret}"\n')
    result = _email(db, "--all", "--date", DAY.isoformat())
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "chmod 600" in result.stderr
    assert auth_smtp_server.password not in result.output + result.stderr
    assert auth_smtp_server.messages == []
    assert _delivery(db, "Ana")[0] is None  # a settings error is not a failed delivery: nothing recorded


def test_a_bad_setting_in_config_names_the_key(db, coach_home):
    _config(coach_home, 'host = "mail.example.org"\nport = "submission"\n')
    result = _email(db, "--all", "--date", DAY.isoformat())
    assert result.exit_code == 1
    assert "[smtp] port:" in result.stderr and "config.toml" in result.stderr
    assert result.stderr.count("\n") == 1


def test_runs_as_cron_would_in_a_real_process(db, smtp_server, coach_home):
    """No terminal, no input, a bare environment: what cron gives the job."""
    coach = Path(sys.executable).parent / "coach"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(coach_home), "COACH_HOME": str(coach_home),
           "COACH_SMTP_HOST": smtp_server.host, "COACH_SMTP_PORT": str(smtp_server.port),
           "COACH_SMTP_SECURITY": "none", "COACH_SMTP_FROM": "coach@example.org"}
    done = subprocess.run([str(coach), "email", "--all", "--db", db, "--date", DAY.isoformat()],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == ["ana@example.org", "ben@example.org"]
