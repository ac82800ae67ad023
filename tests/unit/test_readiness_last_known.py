"""The check-in shown beside a proposal: the day's own, else the last known of the few days
before, with its date; the rules still read only what is valid (sick expires as before)."""

from __future__ import annotations

import datetime as dt

from coach.engine.model import Checkin
from coach.engine.readiness import (LAST_KNOWN_DAYS, ReadinessSettings, describe_checkin, last_known_checkin,
                                    readiness_facts)

DAY = dt.date(2026, 12, 1)  # a Tuesday
SETTINGS = ReadinessSettings(state_days=2, hrv_band_sd=0.5, hrv_min_readings=14)


def _ago(days: int, **fields) -> Checkin:
    return Checkin(date=DAY - dt.timedelta(days=days), **fields)


def test_the_days_own_check_in_wins():
    own = _ago(0, sleep_h=8)
    assert last_known_checkin([_ago(1, sleep_h=6), own], DAY) is own
    assert describe_checkin(own, DAY) == "Check-in of Tue 2026-12-01: slept 8 h."


def test_without_one_the_latest_of_the_days_before_is_shown_with_its_date():
    older, latest = _ago(3, feel=2), _ago(1, sleep_h=6.5, soreness=4, feel=3)
    assert last_known_checkin([latest, older], DAY) is latest
    assert describe_checkin(latest, DAY) == ("Check-in: none yet for Tue 2026-12-01; last known Mon 2026-11-30 "
                                             "(1 day before): slept 6.5 h, soreness 4/10, feel 3/5.")
    assert "(3 days before): feel 2/5" in describe_checkin(older, DAY)


def test_nothing_older_than_the_last_known_days_and_nothing_after_the_day():
    assert last_known_checkin([_ago(LAST_KNOWN_DAYS + 1, feel=4), _ago(-1, feel=5)], DAY) is None
    assert last_known_checkin([_ago(LAST_KNOWN_DAYS, feel=4)], DAY).feel == 4


def test_a_sick_check_in_is_shown_but_the_rules_see_it_expire():
    sick = _ago(3, sick=True)
    assert describe_checkin(last_known_checkin([sick], DAY), DAY).endswith("(3 days before): sick.")
    facts = readiness_facts([sick], DAY, SETTINGS)
    assert facts["readiness.sick"] is False and facts["today.checked_in"] is False
    assert "readiness.sleep_h" not in facts
