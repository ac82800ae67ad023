"""`coach checkin`: stored in its own table, read by the same day's proposal, bad input refused."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from coach.storage import open_store
from cli_kit import run



@pytest.fixture
def db(runner, sqlite_url):
    run(runner, "init", "--db", sqlite_url, "--name", "Ana", "--recent-race", "5k=20:30", "--rest-day", "none")
    return sqlite_url


def stored(db):
    with open_store(db) as store, store.unit_of_work() as uow:
        athlete = uow.athletes.resolve(None)
        return uow.checkins.between(athlete.id, dt.date(2000, 1, 1), dt.date(2100, 1, 1))


def test_checkin_is_stored_and_replaced_for_the_same_date(runner, db):
    out = run(runner, "checkin", "--db", db, "--date", "2026-11-30", "--sleep", "7:30", "--soreness", "3",
              "--hrv", "62", "--resting-hr", "48", "--feel", "4", "--note", "good night").output
    assert out == ("Checked in for Ana, 2026-11-30: slept 7.5 h, soreness 3/10, feel 4/5, HRV 62 ms, "
                   "resting HR 48 bpm.\n")
    [c] = stored(db)
    assert (c.sleep_h, c.soreness, c.hrv_ms, c.resting_hr, c.feel, c.note) == (7.5, 3, 62.0, 48, 4, "good night")
    out = run(runner, "checkin", "--db", db, "--date", "2026-11-30", "--sick").output
    assert out.startswith("Replaced the check-in of Ana, 2026-11-30: sick")
    [c] = stored(db)
    assert c.sick and c.sleep_h is None


def test_the_same_days_proposal_sees_the_checkin(runner, db):
    day = dt.date.today().isoformat()
    run(runner, "checkin", "--db", db, "--date", day, "--injured")
    facts = json.loads(run(runner, "why", "--db", db, "--date", day, "--json").output)["facts"]
    assert facts["readiness.injured"] is True and facts["today.checked_in"] is True
    proposal = json.loads(run(runner, "next", "--db", db, "--date", day, "--json").output)
    assert proposal["session"]["kind"] == "cross"
    assert any(a["rule"] == "readiness-injured" for a in proposal["adaptations"])


def test_next_says_the_last_known_check_in_when_the_day_has_none(runner, db):
    """Sick three days ago: `coach next` says so with the date, but the state has expired for
    the rules (readiness.state_days), so the day is not turned into rest."""
    day = dt.date.today()
    run(runner, "checkin", "--db", db, "--date", (day - dt.timedelta(days=3)).isoformat(), "--sick")
    out = " ".join(run(runner, "next", "--db", db, "--date", day.isoformat()).output.split())
    then = day - dt.timedelta(days=3)
    assert f"Check-in: none yet for {day:%a} {day.isoformat()}; last known {then:%a} {then.isoformat()} " \
           "(3 days before): sick." in out
    proposal = json.loads(run(runner, "next", "--db", db, "--date", day.isoformat(), "--json").output)
    assert proposal["morning"]["date"] == then.isoformat() and proposal["morning"]["sick"] is True
    assert proposal["facts"]["readiness.sick"] is False
    assert not any(a["rule"] == "readiness-sick" for a in proposal["adaptations"])
    later = (day + dt.timedelta(days=1)).isoformat()  # four days on: nothing that recent, nothing said
    assert "Check-in" not in run(runner, "next", "--db", db, "--date", later, "--again").output
    assert "morning" not in json.loads(run(runner, "next", "--db", db, "--date", later, "--json").output)


@pytest.mark.parametrize("args, message", [
    (("--feel", "9"), "Error: --feel: input should be less than or equal to 5 (got 9)"),
    (("--sleep", "lots"), "Error: --sleep: cannot read 'lots' as hours"),
    (("--sleep", "30"), "Error: --sleep: input should be less than or equal to 24"),
    (("--soreness", "3.5"), "Error: --soreness: '3.5' is not a whole number"),
    (("--resting-hr", "300"), "Error: --resting-hr: input should be less than or equal to 120"),
    (("--hrv", "abc"), "Error: --hrv: 'abc' is not a number"),
    (("--sick", "--injured"), "Error: --sick and --injured: give one of them"),
    (("--date", "2030-01-01", "--feel", "3"), "Error: --date: 2030-01-01 is more than a day ahead"),
])
def test_bad_checkin_is_refused_and_nothing_written(runner, db, args, message):
    result = run(runner, "checkin", "--db", db, *args, ok=False)
    assert result.exit_code == 1 and result.output.startswith(message), result.output
    assert "Traceback" not in result.output
    assert stored(db) == []
