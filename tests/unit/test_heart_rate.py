"""Heart-rate zones in bpm: the settings hold the published zone models, the ranges follow them."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.engine.heart_rate import HeartRates, hr_range, with_hr_ranges
from coach.engine.model import Athlete, Block, Session
from coach.engine.rules.validate import validate_settings
from coach.engine.rules.source import SourceFile, parse_yaml
from coach.service.rulesets import read_rule_set

ZONES = read_rule_set(None).settings.heart_rate_zones


def test_the_shipped_zones_are_friels_and_karvonens_as_published():
    # Friel, "Quick Guide to Setting Zones" (2010): bike Z1 < 81 %, Z2 81-89, Z3 90-93, Z4 94-99,
    # Z5a 100-102, Z5b 103-106 % of LTHR; run Z1 < 85 %, Z2 85-89, Z3 90-94, Z4 95-99, Z5a/b the same
    assert ZONES.threshold_pct["bike"] == {1: (None, 81), 2: (81, 89), 3: (90, 93), 4: (94, 99), 5: (100, 106)}
    assert ZONES.threshold_pct["run"] == {1: (None, 85), 2: (85, 89), 3: (90, 94), 4: (95, 99), 5: (100, 106)}
    assert "Friel" in ZONES.threshold_source and "Karvonen" in ZONES.reserve_source


def test_threshold_zones_in_bpm():
    lthr = HeartRates(threshold_hr=160)
    # 81 % and 89 % of 160 bpm: 129.6 and 142.4
    assert hr_range(2, "bike", lthr, ZONES) == (130, 142)
    assert hr_range(2, "run", lthr, ZONES) == (136, 142)  # 85 %: 136.0
    assert hr_range(1, "bike", lthr, ZONES) == (None, 130)  # open below
    assert hr_range(5, "bike", lthr, ZONES) == (160, 170)  # 100-106 %: 169.6


def test_reserve_zones_in_bpm_follow_karvonen():
    # Karvonen's worked example: HRmax 180, rest 60, 70 % of the reserve = 60 + 0.7 x 120 = 144 bpm
    reserve = HeartRates(hr_max=180, hr_rest=60)
    assert hr_range(3, "bike", reserve, ZONES) == (144, 156)
    assert hr_range(2, "run", reserve, ZONES) == (132, 144)
    # the threshold model wins when the threshold is known
    assert hr_range(3, "bike", HeartRates(threshold_hr=160, hr_max=180, hr_rest=60), ZONES) == (144, 149)


def test_no_range_without_the_athletes_heart_rates():
    assert hr_range(2, "bike", HeartRates(), ZONES) is None
    assert hr_range(2, "bike", HeartRates(hr_max=190), ZONES) is None  # no resting HR


def _ride(zone):
    return Session(sport="bike", kind="easy", intensity="easy", purpose="p", blocks=[
        Block(phase="main", description="endurance ride (heart-rate zone 2)", duration_s=3000, sport="bike", hr_zone=zone),
        Block(phase="cooldown", description="easy spin", duration_s=300, sport="bike")])


def test_with_hr_ranges_puts_the_range_on_blocks_with_a_zone_only():
    athlete = Athlete(name="Tri", sport="triathlon", goal="olympic", physiology={"threshold_hr": 160})
    main, cool = with_hr_ranges(_ride(2), athlete, ZONES).blocks
    assert (main.hr_bpm_low, main.hr_bpm_high) == (130, 142)
    assert main.description == "endurance ride (heart-rate zone 2, 130-142 bpm)"
    assert main.model_dump(mode="json")["hr_bpm_high"] == 142
    assert "hr_bpm_high" not in cool.model_dump(mode="json")
    # no heart rates in the profile, or no zone settings: unchanged
    assert with_hr_ranges(_ride(2), Athlete(name="Tri", sport="triathlon", goal="olympic"), ZONES) == _ride(2)
    assert with_hr_ranges(_ride(2), athlete, None) == _ride(2)


SETTINGS_HEAD = """facts: {hard_rpe: 7, maximal_rpe: 9, heavy_load: 480, long_run_minutes: 80, form_drift_pct: 5,
  easy_hr_window_days: 7, calibration_pace_pct: 5}
intensity_of_kind: {easy: easy}
pattern: [{slot: hard, kind: intervals}]
"""


@pytest.mark.parametrize("section, line, words", [
    ("heart_rate_zones:\n  threshold_source: Friel\n  threshold_pct:\n    bike: {1: [null, 81], 2: [89, 81], 3: [90, 93], 4: [94, 99], 5: [100, 106]}\n"
     "  reserve_source: Karvonen\n  reserve_pct: {1: [50, 60], 2: [60, 70], 3: [70, 80], 4: [80, 90], 5: [90, 100]}\n",
     7, "threshold_pct.bike zone 2"),
    ("heart_rate_zones:\n  threshold_source: Friel\n  threshold_pct: {}\n"
     "  reserve_source: Karvonen\n  reserve_pct: {1: [50, 60], 2: [60, 70]}\n", 9, "reserve_pct: expected zones 1 to 5"),
    ("heart_rate_zones:\n  threshold_pct: {}\n  reserve_source: K\n  reserve_pct: {}\n", 6, 'missing parameter "threshold_source"'),
])
def test_bad_zone_settings_are_refused_on_their_line(section, line, words):
    doc = parse_yaml(SourceFile("settings.yml", SETTINGS_HEAD + section))
    settings, problems = validate_settings("settings.yml", doc)
    assert settings is None and problems
    assert any(p.line == line and words in p.message for p in problems), problems
