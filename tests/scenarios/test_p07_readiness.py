"""P7 from the morning check-in (issue 13): sick means rest, injured cross-training, and a
poor-readiness morning turns a hard day easy. Only this morning's answers count; sick and
injured expire after `readiness.state_days`."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from scenario_kit import DAY, principles_of, reason_of, rules_of

from coach.engine.model import Checkin


def check_in(scenario, *checkins: Checkin) -> None:
    athlete = scenario.athlete()
    with scenario.store() as store, store.unit_of_work() as uow:
        for c in checkins:
            uow.checkins.put(athlete.id, c)
        uow.commit()


def hrv_history(last_week_ms: float, days: int = 60) -> list[Checkin]:
    """Mornings with rMSSD alternating 58-66 ms (ln spread ~0.07), the last 7 at `last_week_ms`."""
    out = []
    for n in range(days - 1, -1, -1):
        ms = last_week_ms if n < 7 else (58, 62, 66)[n % 3]
        out.append(Checkin(date=DAY - dt.timedelta(days=n), hrv_ms=ms, resting_hr=48))
    return out


def test_low_hrv_turns_the_hard_day_easy(scenario):
    scenario.baseline()
    check_in(scenario, *hrv_history(50))
    p = scenario.propose()
    assert p.facts["readiness.hrv_status"] == "low" and p.facts["readiness.hrv_sd"] < -0.5
    assert p.session.kind.value == "easy" and p.session.intensity != "hard"
    assert "readiness-low-hrv" in rules_of(p) and "P7" in principles_of(p)
    assert f"{p.facts['readiness.hrv_sd']:.1f} SD" in reason_of(p, "readiness-low-hrv")


def test_normal_hrv_keeps_the_hard_day(scenario):
    scenario.baseline()
    check_in(scenario, *hrv_history(62))
    p = scenario.propose()
    assert p.facts["readiness.hrv_status"] == "normal"
    assert p.session.intensity == "hard" and "P7" not in principles_of(p)


def test_hrv_without_a_recent_reading_is_stale(scenario):
    scenario.baseline()
    check_in(scenario, *[c for c in hrv_history(50) if c.date < DAY - dt.timedelta(days=1)])
    p = scenario.propose()
    assert "readiness.hrv_status" not in p.facts and p.session.intensity == "hard"


def test_sick_morning_means_rest_even_on_a_hard_day(scenario):
    scenario.baseline()
    check_in(scenario, Checkin(date=DAY, sick=True))
    p = scenario.propose()
    assert p.facts["plan.intensity"] == "hard"
    assert p.session.kind.value == "rest" and "readiness-sick" in rules_of(p)


def test_injured_morning_means_cross_training(scenario):
    scenario.baseline()
    check_in(scenario, Checkin(date=DAY, injured=True, soreness=4))
    p = scenario.propose()
    assert p.session.kind.value == "cross" and "readiness-injured" in rules_of(p)


def test_sick_expires_and_a_newer_check_in_clears_it(scenario, other):
    scenario.baseline()
    check_in(scenario, Checkin(date=DAY - dt.timedelta(days=3), sick=True))  # older than state_days (2)
    p = scenario.propose()
    assert p.facts["readiness.sick"] is False and p.session.intensity == "hard"
    other.baseline()
    check_in(other, Checkin(date=DAY - dt.timedelta(days=1), sick=True), Checkin(date=DAY, feel=4))
    q = other.propose()
    assert q.facts["readiness.sick"] is False and "readiness-sick" not in rules_of(q)


@pytest.mark.parametrize("checkin, rule, kind", [
    (Checkin(date=DAY, sleep_h=5.0), "readiness-short-night", "easy"),
    (Checkin(date=DAY, soreness=7), "readiness-sore-morning", "cross"),
    (Checkin(date=DAY, feel=2), "readiness-feeling-bad", "easy"),
])
def test_a_poor_morning_changes_todays_hard_session(scenario, checkin, rule, kind):
    scenario.baseline()
    check_in(scenario, checkin)
    p = scenario.propose()
    assert p.session.kind.value == kind and rule in rules_of(p)


def test_yesterdays_short_night_does_not_change_today(scenario):
    scenario.baseline()
    check_in(scenario, Checkin(date=DAY - dt.timedelta(days=1), sleep_h=4.5, soreness=8))
    p = scenario.propose()
    assert "readiness.sleep_h" not in p.facts and p.facts["today.checked_in"] is False
    assert p.session.intensity == "hard"


def test_a_good_morning_keeps_the_hard_session(scenario):
    scenario.baseline()
    check_in(scenario, Checkin(date=DAY, sleep_h=7.5, soreness=3, feel=4))
    p = scenario.propose()
    assert p.session.intensity == "hard" and "P7" not in principles_of(p)


def test_resting_hr_well_above_usual_turns_the_hard_day_easy(scenario):
    scenario.baseline()
    mornings = [Checkin(date=DAY - dt.timedelta(days=n), resting_hr=48) for n in range(30, 0, -1)]
    check_in(scenario, *mornings, Checkin(date=DAY, resting_hr=57))
    p = scenario.propose()
    assert p.facts["readiness.resting_hr_up"] == 9.0
    assert p.session.kind.value == "easy" and "readiness-resting-hr-up" in rules_of(p)


def test_hrv_band_is_half_an_sd_of_ln_rmssd():
    from coach.engine.readiness import ReadinessSettings, readiness_facts

    s = ReadinessSettings(state_days=2, hrv_band_sd=0.5, hrv_min_readings=14)
    base = [Checkin(date=DAY - dt.timedelta(days=n), hrv_ms=math.exp(4.0 + (0.1 if n % 2 else -0.1)))
            for n in range(59, 6, -1)]
    # 60-day ln values: 53 at 4.0 +- 0.1 and 7 at x; the status flips where the 7-day mean crosses mean - 0.5 SD
    for x, status in ((3.99, "normal"), (3.90, "low"), (4.10, "high")):
        week = [Checkin(date=DAY - dt.timedelta(days=n), hrv_ms=math.exp(x)) for n in range(6, -1, -1)]
        assert readiness_facts(base + week, DAY, s)["readiness.hrv_status"] == status, x
