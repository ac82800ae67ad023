"""Heart-rate zones in bpm (issue 14): a ride without FTP carries its zone's range in bpm in
`coach next --json`, the terminal, the email and the FIT workout, once the athlete's heart
rates are known; without them, the zone number only."""

from __future__ import annotations

import json

from cli_kit import run
from fitcheck import step_list

RIDE_DAY = "2026-12-05"  # the triathlon week's long ride (Saturday)


def init(runner, db, *extra):
    run(runner, "init", "--db", db, "--name", "Tri", "--sport", "triathlon", "--goal", "olympic",
        "--recent-race", "10k=45:00", "--email", "tri@example.com", *extra)


def ride_blocks(runner, db):
    out = json.loads(run(runner, "next", "--db", db, "--date", RIDE_DAY, "--json").output)
    assert out["session"]["sport"] == "bike"
    return [b for b in out["session"]["blocks"] if b.get("hr_zone")]


def test_without_heart_rates_the_ride_has_zones_only(runner, sqlite_url):
    init(runner, sqlite_url)
    blocks = ride_blocks(runner, sqlite_url)
    assert blocks and all("hr_bpm_low" not in b and "hr_bpm_high" not in b for b in blocks)


def test_a_threshold_heart_rate_gives_friels_ranges_everywhere(runner, sqlite_url, tmp_path):
    init(runner, sqlite_url, "--threshold-hr", "160")
    blocks = ride_blocks(runner, sqlite_url)
    zone2 = [b for b in blocks if b["hr_zone"] == 2]
    assert zone2 and all((b["hr_bpm_low"], b["hr_bpm_high"]) == (130, 142) for b in zone2)
    zone1 = [b for b in blocks if b["hr_zone"] == 1]
    assert all("hr_bpm_low" not in b and b["hr_bpm_high"] == 130 for b in zone1)

    text = run(runner, "next", "--db", sqlite_url, "--date", RIDE_DAY).output
    assert "HR 130-142" in text and "130-142 bpm" in text
    assert max(len(line) for line in text.splitlines()) <= 80
    mail = run(runner, "email", "--db", sqlite_url, "--date", RIDE_DAY, "--dry-run").output
    assert "130-142 bpm" in mail.replace("=\n", "")

    fit = tmp_path / "ride.fit"
    run(runner, "export", "--db", sqlite_url, "--date", RIDE_DAY, "--fit", fit)
    targets = [(s["custom_target_heart_rate_low"], s["custom_target_heart_rate_high"])
               for s in step_list(fit.read_bytes()) if "custom_target_heart_rate_high" in s]
    assert (230, 242) in targets  # FIT writes bpm + 100


def test_hrmax_and_resting_hr_give_karvonens_ranges(runner, sqlite_url):
    init(runner, sqlite_url, "--hr-max", "180", "--hr-rest", "60")
    zone2 = [b for b in ride_blocks(runner, sqlite_url) if b["hr_zone"] == 2]
    # 60-70 % of the reserve (120 bpm) above 60: 132-144 bpm
    assert zone2 and all((b["hr_bpm_low"], b["hr_bpm_high"]) == (132, 144) for b in zone2)
