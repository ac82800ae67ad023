"""Swim, bike and brick templates (issue 14): units are checked per sport, each problem at file:line;
the composer gives swims paces per 100 m from CSS and bikes power from FTP, else heart-rate zones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coach.engine.compose import compose
from coach.engine.model import Athlete, Physiology
from coach.engine.multisport import css_from_test, power_target
from coach.engine.templates import parse_templates
from coach.service import rulesets


@pytest.fixture
def sessions(tmp_path) -> Path:
    target = tmp_path / "sessions"
    shutil.copytree(rulesets.builtin_dir() / "sessions", target, ignore=shutil.ignore_patterns("__*"))
    return target


@pytest.fixture(scope="module")
def builtin():
    return rulesets.read_rule_set().templates


def _problems(folder: Path) -> list:
    return parse_templates(str(folder), rulesets.source_files(folder))[1]


def _edit_and_check(folder: Path, name: str, old: str, new: str, words: str) -> None:
    path = folder / name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    problems = _problems(folder)
    line = next(n for n, t in enumerate(path.read_text().splitlines(), 1) if new.strip() in t)
    assert [(p.file, p.line) for p in problems] == [(str(path), line)], problems
    assert words in problems[0].message, problems[0].message


# --- validation -------------------------------------------------------------------------------

@pytest.mark.parametrize("name, old, new, words", [
    ("swim.yml", "distance: 300m, pace: css+15s}", "distance: 0.3km, pace: css+15s}", "swim sets are in metres"),
    ("swim.yml", "distance: 300m, pace: css+15s}", "distance: 310m, pace: css+15s}", "multiple of a 25 m pool"),
    ("swim.yml", "distance: 300m, pace: css+15s}", "duration: 6min, pace: css+15s}", "not a duration"),
    ("swim.yml", "distance: 300m, pace: css+15s}", "distance: 300m, pace: easy}", "not a swim pace"),
    ("swim.yml", "distance: 300m, pace: css+15s}", "distance: 300m, pace: css+45s}", "at most 30 s per 100 m"),
    ("swim.yml", "reps: 3, distance: 300m, pace: css, recovery: 20s}", "reps: 3, distance: 300m, pace: css}",
     "rest at the wall"),
    ("swim.yml", "distance: 300m, pace: css+15s}", "distance: 300m, pace: css+15s, power: 90%}", "bike target"),
    ("bike.yml", "duration: 5min, power: 88%, hr: 3", "duration: 5min, power: 88 watts, hr: 3", "90% (of FTP) or 220W"),
    ("bike.yml", "duration: 5min, power: 88%, hr: 3", "duration: 5min, power: 250%, hr: 3", "30 to 200 %"),
    ("bike.yml", "duration: 5min, power: 88%, hr: 3", "duration: 5min, power: 88%, hr: 7", "zone from 1 to 5"),
    ("bike.yml", "duration: 5min, power: 88%, hr: 3", "duration: 5min, power: 88%", "also needs hr"),
    ("bike.yml", "duration: 5min, power: 88%, hr: 3", "distance: goal, power: 88%, hr: 3", "run leg's distance"),
    ("bike.yml", "duration: 5min, power: 88%, hr: 3", "duration: 5min, pace: threshold, hr: 3", "not a pace"),
    ("bike.yml", "duration: 5min, power: 88%, hr: 3", "duration: 5min, power: 88%, hr: 3, leg: run",
     "leg is for the steps of a brick"),
    ("brick.yml", "leg: run, duration: 10min, pace: race}", "leg: row, duration: 10min, pace: race}",
     "leg must be swim, bike or run"),
    ("brick.yml", "leg: run, duration: 10min, pace: race}", "leg: run, duration: 10min, pace: race, cadence: 90}",
     "cadence (rpm) is a bike cue"),
])
def test_units_are_checked_per_sport_at_file_and_line(sessions, name, old, new, words):
    _edit_and_check(sessions, name, old, new, words)


def test_a_run_part_in_a_swim_session_is_refused(sessions):
    path = sessions / "swim.yml"
    path.write_text(path.read_text().replace(
        "    cooldown:\n      - {what: \"easy backstroke or choice\", distance: 200m, pace: css+20s}",
        "    cooldown: cooldown_hard", 1))
    problems = _problems(sessions)
    assert len(problems) == 1 and problems[0].file == str(path)
    assert "a run step in a swim session" in problems[0].message


@pytest.mark.parametrize("old, new, words", [
    ("tue: {sport: bike, kind: easy}", "tue: {sport: rowing, kind: easy}", "unknown sport 'rowing'"),
    ("tue: {sport: bike, kind: easy}", "tue: {sport: bike, kind: sprint}", "unknown kind 'sprint'"),
    ("tue: {sport: bike, kind: easy}", "tuesday: {sport: bike, kind: easy}", "unknown weekday"),
])
def test_the_triathlon_week_is_checked_at_its_line(sessions, old, new, words):
    _edit_and_check(sessions, "defaults.yml", old, new, words)


def test_the_builtin_triathlon_week_has_every_session_type(builtin):
    week = builtin.triathlon_week
    assert set(week) == {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
    assert {sport for sport, _ in week.values()} >= {"swim", "bike", "run", "brick"}
    assert ("bike", "long") in week.values() and ("run", "long") in week.values()
    for sport, kind in week.values():  # every planned day can be composed for every triathlon goal
        for goal in ("sprint", "olympic", "70.3", "ironman"):
            assert builtin.find(goal, kind, sport if sport != "run" else None) is not None, (goal, sport, kind)


def test_a_run_kind_never_finds_a_swim_or_bike_template(builtin):
    for kind in ("easy", "intervals", "long", "tempo", "repetitions"):
        assert builtin.find("olympic", kind).sport == "run"
        assert builtin.find("olympic", kind, "swim") is None or builtin.find("olympic", kind, "swim").sport == "swim"


# --- formulas -----------------------------------------------------------------------------------

def test_css_from_a_400_and_200_m_test():
    # Wakayoshi et al. 1992 (Eur J Appl Physiol 64:153-7), CSS = (400 - 200) / (t400 - t200) m/s:
    # 400 m in 6:00 and 200 m in 2:50 give 200 / 190 = 1.0526 m/s, 95.0 s per 100 m
    assert css_from_test(360, 170) == pytest.approx(100 / (200 / 190), abs=0.05)
    assert css_from_test(390, 185) == 102.5


def test_power_from_a_share_of_ftp():
    # Allen and Coggan: 90 % of an FTP of 250 W is 225 W (rounded to 5 W)
    assert power_target(250, 90) == 225.0
    assert power_target(263, 88) == 230.0  # 231.4 W -> 230 W


# --- composition --------------------------------------------------------------------------------

def _compose(builtin, sport, kind, **athlete):
    a = Athlete(name="T", sport="triathlon", goal="olympic", physiology=Physiology(**athlete))
    return compose(a, {"plan.kind": kind, "plan.sport": sport}, [], builtin, None)


def test_a_swim_is_paced_per_100_m_from_css(builtin):
    session, notes = _compose(builtin, "swim", "intervals", css_s_per_100m=105)
    assert session.sport == "swim" and session.intensity == "hard"
    main = [b for b in session.blocks if b.phase == "main"]
    assert [b.pace_s_per_100m for b in main] == [108.0, 105.0]  # css+3s, then css (P3)
    assert all(b.sport == "swim" and b.pace_s_per_km is None for b in session.blocks)
    assert main[1].duration_s == 3 * 105 and main[1].recovery_s == 20
    assert {b.phase for b in session.blocks} >= {"warmup", "main", "taper", "cooldown"}  # P2
    assert "swim-by-feel" not in {n.rule for n in notes}


def test_a_swim_without_css_is_by_feel_and_says_so(builtin):
    session, notes = _compose(builtin, "swim", "intervals")
    assert all(b.pace_s_per_100m is None for b in session.blocks)
    assert "swim-by-feel" in {n.rule for n in notes}


def test_a_bike_has_power_from_ftp_else_heart_rate_zones(builtin):
    session, notes = _compose(builtin, "bike", "intervals", ftp_w=250)
    main = [b for b in session.blocks if b.phase == "main"]
    assert [(b.power_pct_ftp, b.power_w, b.cadence_rpm) for b in main] == [(88.0, 220.0, 90), (98.0, 245.0, 90)]
    assert main[1].repeat == 3 and main[1].duration_s == 480 and main[1].recovery_s
    assert "bike-by-heart-rate" not in {n.rule for n in notes}
    session, notes = _compose(builtin, "bike", "intervals")
    main = [b for b in session.blocks if b.phase == "main"]
    assert [(b.power_w, b.hr_zone) for b in main] == [(None, 3), (None, 4)]
    assert "bike-by-heart-rate" in {n.rule for n in notes}


def test_a_brick_is_a_bike_block_then_a_run_off_the_bike(builtin):
    session, _ = _compose(builtin, "brick", "tempo", ftp_w=250)
    legs = [b.sport for b in session.blocks if b.phase == "main"]
    assert session.sport == "brick" and legs[0] == "bike" and legs[-1] == "run"
    assert legs.index("run") > max(i for i, leg in enumerate(legs) if leg == "bike")


def test_a_swapped_swim_stays_a_swim(builtin):
    from coach.engine.model import Action, Firing

    easy = Firing(rule="x", principle="P7", reason="tired", actions=[Action(name="swap", params={"to": "easy"})])
    a = Athlete(name="T", sport="triathlon", goal="olympic", physiology=Physiology(css_s_per_100m=105))
    session, _ = compose(a, {"plan.kind": "intervals", "plan.sport": "swim"}, [easy], builtin, None)
    assert session.sport == "swim" and session.kind == "easy"


def test_run_blocks_keep_their_json_shape(builtin):
    a = Athlete(name="R", goal="5k")
    session, _ = compose(a, {"plan.kind": "intervals"}, [], builtin, None)
    for b in session.blocks:
        assert "sport" not in b.model_dump(mode="json") and "power_w" not in b.model_dump(mode="json")


def test_race_day_paces_every_leg(builtin):
    from coach.engine.paces import training_paces

    a = Athlete(name="T", sport="triathlon", goal="olympic", physiology=Physiology(css_s_per_100m=100, ftp_w=250))
    session, _ = compose(a, {"plan.kind": "race"}, [], builtin, training_paces(50, "olympic"))
    assert session.sport == "brick" and session.kind == "race"
    swim, bike, run = [b for b in session.blocks if b.phase == "main"]
    assert (swim.sport, swim.distance_m, swim.pace_s_per_100m) == ("swim", 1500, 103.0)  # CSS + 3 s
    assert (bike.sport, bike.distance_m, bike.power_pct_ftp, bike.power_w) == ("bike", 40000, 85.0, 210.0)
    assert run.sport == "run" and run.distance_m == 10000 and run.pace_s_per_km == round(training_paces(50, "olympic").zone("race"), 1)
    # a runner's race is still a run
    runner, _ = compose(Athlete(name="R", goal="10k"), {"plan.kind": "race"}, [], builtin, None)
    assert runner.sport == "run"


def test_a_triathlon_week_day_without_its_template_is_refused(sessions):
    path = sessions / "defaults.yml"
    path.write_text(path.read_text().replace("tue: {sport: bike, kind: easy}", "tue: {sport: swim, kind: tempo}", 1))
    problems = _problems(sessions)
    assert len(problems) == 1 and problems[0].file == str(path)
    assert "triathlon_week.tue: no swim template of kind 'tempo'" in problems[0].message


def test_a_shortened_ride_keeps_its_power(builtin):
    from coach.engine.model import Action, Firing

    cut = Firing(rule="cut", principle="P9", reason="tired legs",
                 actions=[Action(name="shorten", params={"reps": 1})])
    a = Athlete(name="T", sport="triathlon", goal="olympic", physiology=Physiology(ftp_w=250))
    session, notes = compose(a, {"plan.kind": "intervals", "plan.sport": "bike"}, [cut], builtin, None)
    main = [b for b in session.blocks if b.phase == "main"]
    assert [b.repeat for b in main] == [2, 2] and main[1].power_w == 245.0
    assert "3 x 8 min became 2 x 8 min at the same 98 % FTP" in notes[0].reason
