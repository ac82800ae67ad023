"""`coach log --power WATTS`: a ride's average power, checked like the other limits, gives the
load by power against FTP when the athlete's FTP is known."""

from __future__ import annotations

import json

import pytest

from coach.engine.load_methods import power_points
from cli_kit import run

DAY = "2026-11-20"


@pytest.fixture
def db(runner, sqlite_url):
    run(runner, "init", "--db", sqlite_url, "--name", "Ana", "--recent-race", "5k=20:30")
    return sqlite_url


def logged(runner, db):
    return json.loads(run(runner, "history", "--db", db, "--since", "all", "--json").output)["workouts"]


def test_power_is_stored_and_the_load_comes_from_it_with_an_ftp(runner, db, default_rules):
    run(runner, "athlete", "set", "--db", db, "--ftp", "250W")
    out = run(runner, "log", "--db", db, "--date", DAY, "--sport", "bike", "--duration", "1:00:00",
              "--power", "200W").output
    assert "bike" in out and "200 W" in out
    [ride] = logged(runner, db)
    assert ride["avg_power_w"] == 200.0 and ride["load_method"] == "power"
    tss = power_points(3600, 200, 250)  # an hour at 80 % of FTP: 64 TSS
    assert tss == pytest.approx(64.0)
    assert ride["load"] == pytest.approx(tss * default_rules[0].settings.load.au_per_point, abs=0.1)


def test_without_an_ftp_power_is_kept_but_the_load_comes_from_elsewhere(runner, db):
    run(runner, "log", "--db", db, "--date", DAY, "--sport", "bike", "--duration", "1:00:00", "--power", "200",
        "--rpe", "5")
    [ride] = logged(runner, db)
    assert ride["avg_power_w"] == 200.0 and ride["load_method"] == "rpe"


@pytest.mark.parametrize("args, message", [
    (("--duration", "45:00", "--power", "210"), "Error: --power: average power is for rides (--sport bike), not run"),
    (("--sport", "bike", "--duration", "1:00:00", "--power", "lots"), "Error: --power: 'lots' is not a number of watts"),
    (("--sport", "bike", "--duration", "1:00:00", "--power", "-20"), "Error: --power:"),
    (("--sport", "bike", "--duration", "1:00:00", "--power", "900"),
     "Error: --power: an average of 900 W over 1:00:00 is more than any rider holds (at most 600 W)"),
])
def test_power_that_cannot_be_true_is_refused(runner, db, args, message):
    result = run(runner, "log", "--db", db, "--date", DAY, *args, ok=False)
    assert result.exit_code == 1 and result.output.startswith(message), result.output
    assert logged(runner, db) == []


def test_force_accepts_a_high_power_but_not_one_the_store_cannot_hold(runner, db):
    run(runner, "log", "--db", db, "--date", DAY, "--sport", "bike", "--duration", "1:00:00", "--power", "900",
        "--force")
    assert logged(runner, db)[0]["avg_power_w"] == 900.0
    result = run(runner, "log", "--db", db, "--date", DAY, "--sport", "bike", "--duration", "20:00", "--power", "3000",
                 "--force", ok=False)
    assert result.exit_code == 1 and "--power" in result.output
    assert len(logged(runner, db)) == 1


def test_a_csv_power_column_is_read_as_for_coach_log(runner, db, tmp_path):
    csv = tmp_path / "rides.csv"
    csv.write_text("date,sport,duration,power\n2026-11-18,bike,1:00:00,210W\n2026-11-19,run,45:00,\n")
    out = run(runner, "import", csv, "--db", db).output
    assert out.startswith("Imported 2 workouts"), out
    assert [w["avg_power_w"] for w in logged(runner, db)] == [210.0, None]
