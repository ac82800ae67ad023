"""`coach checkin`: the morning check-in that day's proposal sees (readiness, P7)."""

from __future__ import annotations

import click

from coach.cli.options import athlete_option, date_option, db_option, handle_errors, resolve_day

_OPTION_OF = {"sleep_h": "--sleep", "hrv_ms": "--hrv", "resting_hr": "--resting-hr", "date": "--date"}


def _label(field: str) -> str:
    return _OPTION_OF.get(field, "--" + field.replace("_", "-"))


def describe_checkin(c) -> str:
    """One line: '2026-11-30: slept 7.5 h, soreness 3/10, feel 4/5, HRV 62 ms, resting HR 48 bpm'."""
    from coach.engine.readiness import checkin_words

    return f"{c.date.isoformat()}: {checkin_words(c)}"


@click.command("checkin")
@date_option
@click.option("--sleep", "sleep_h", metavar="HOURS", help="Last night's sleep in hours, e.g. 7.5 or 7:30.")
@click.option("--soreness", metavar="0-10", help="Muscle soreness this morning (0 none, 10 worst).")
@click.option("--hrv", "hrv_ms", metavar="MS", help="Morning HRV as rMSSD in ms (what most apps show).")
@click.option("--resting-hr", metavar="BPM", help="Morning resting heart rate.")
@click.option("--feel", metavar="1-5", help="How you feel (1 awful, 5 great).")
@click.option("--sick", is_flag=True, help="You are ill: the day becomes rest.")
@click.option("--injured", is_flag=True, help="You are injured: the day becomes cross-training.")
@click.option("--note", metavar="TEXT", help="Anything else worth keeping.")
@athlete_option
@db_option
@handle_errors
def checkin_command(on_date, athlete_name, db_url, **fields):
    """Record this morning's check-in; today's proposal (coach next) reads it.

    A second check-in for the same date replaces the first. Sick and injured hold for two
    days (settings.yml `readiness.state_days`) unless a newer check-in clears them.

    \b
    Example:
      coach checkin --sleep 7.5 --soreness 3 --hrv 62 --resting-hr 48 --feel 4
      coach checkin --date yesterday --sick --note "sore throat"
    """
    from coach.cli.checkins import parse_checkin
    from coach.service.checkin import save_checkin
    from coach.storage import open_store

    checkin = parse_checkin(resolve_day(on_date), fields, _label)
    with open_store(db_url) as store, store.unit_of_work() as uow:
        athlete, replaced = save_checkin(uow, athlete_name, checkin)
    verb = "Replaced the check-in of" if replaced else "Checked in for"
    click.echo(f"{verb} {athlete.name}, {describe_checkin(checkin)}.")
