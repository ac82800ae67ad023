"""Facts on workouts recorded by a watch: their laps include warm-up, recovery jogs and
cool-down, so form and calibration read only the work laps (classify.yml `form.work_pace_pct`),
exactly as the importer does; reps logged by hand are all work reps."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from coach.engine.facts import FactSettings, compute_facts
from coach.engine.form import recorded
from coach.engine.model import Athlete, Kind, Rep, Sport, Workout
from coach.engine.rules import builtin_dir
from coach.service.importing import ImportRules, prepare
from coach.service.propose import facts_for
from coach.service.rulesets import read_rule_set

DAY = dt.date(2026, 11, 19)
SETTINGS = {
    "facts": {"hard_rpe": 7, "maximal_rpe": 9, "heavy_load": 480, "long_run_minutes": 80,
              "form_drift_pct": 5, "easy_hr_window_days": 7, "calibration_pace_pct": 5},
    "intensity_of_kind": {"tempo": "hard", "intervals": "hard", "easy": "easy", "rest": "rest"},
    "pattern": [{"slot": "hard", "kind": "intervals"}, {"slot": "light", "kind": "easy"}],
}
HELD = [192, 193, 192, 194, 193, 194]  # seconds per 800 m: 240-243 s/km, form held
DRIFTING = [192, 192, 193, 200, 208, 212]  # the 5th rep is 8 % off the first two


def laps(rep_seconds: list[float]) -> list[Rep]:
    """A watch file's laps: a 2 km warm-up, 800 m reps with 200 m jogs between, a 1.6 km cool-down."""
    out = [(2000, 660)]  # 330 s/km
    for i, seconds in enumerate(rep_seconds):
        if i:
            out.append((200, 90))  # 450 s/km
        out.append((800, seconds))
    out.append((1600, 600))  # 375 s/km: slower than any rep by far
    return [Rep(index=i + 1, distance_m=m, duration_s=s) for i, (m, s) in enumerate(out)]


def session(rep_seconds, days_ago=2, source="fit:0f3a9c", rpe=8) -> Workout:
    reps = laps(rep_seconds)
    return Workout(date=DAY - dt.timedelta(days=days_ago), sport=Sport.run, kind=Kind.intervals, rpe=rpe,
                   duration_s=sum(r.duration_s for r in reps), distance_m=sum(r.distance_m for r in reps),
                   source=source, reps=reps)


@pytest.fixture(scope="module")
def ruleset():
    return read_rule_set(None)


def test_only_watch_files_make_recorded_laps():
    assert recorded(session(HELD, source="fit:0f3a9c")) and recorded(session(HELD, source="tcx:1"))
    assert recorded(session(HELD, source="gpx:ab"))
    for source in ("manual", "csv", "demo", "plan", "fitness:x"):
        assert not recorded(session(HELD, source=source))


def test_a_held_set_with_a_slow_cool_down_lap_is_not_a_form_break(ruleset):
    facts = facts_for(Athlete(name="Ana"), [session(HELD)], DAY, ruleset)
    assert facts["form.broke"] is False
    assert facts["form.reps"] == 6
    assert abs(facts["form.pace_drift_pct"]) < 2
    assert "form.broke_at_rep" not in facts


def test_work_laps_that_drift_break_form_at_their_own_lap(ruleset):
    facts = facts_for(Athlete(name="Ana"), [session(DRIFTING)], DAY, ruleset)
    assert facts["form.broke"] is True
    assert facts["form.broke_at_rep"] == 10  # warm-up, then rep/jog pairs: the 5th rep is lap 10
    assert facts["form.pace_drift_pct"] == pytest.approx((208 / 192 - 1) * 100, abs=0.1)
    assert facts["form.reps"] == 6


@pytest.mark.parametrize("reps, broke_at", [(HELD, None), (DRIFTING, 10)])
def test_facts_and_importer_judge_recorded_laps_alike(ruleset, reps, broke_at):
    workout = session(reps)
    imported = prepare(workout.model_copy(update={"kind": None}), None, ImportRules.of(read_rule_set(None)))
    assert imported.kind == Kind.intervals  # classified from the laps, then checked for form
    assert imported.form_broke_at == broke_at
    facts = facts_for(Athlete(name="Ana"), [workout], DAY, ruleset)
    assert facts.get("form.broke_at_rep") == broke_at


def test_reps_logged_by_hand_are_all_work_reps():
    """A typed rep far slower than the rest is the break itself, not a cool-down lap."""
    typed = [Rep(index=i + 1, distance_m=400, duration_s=s) for i, s in enumerate([96, 96, 97, 96, 97, 130])]
    workout = Workout(date=DAY - dt.timedelta(days=1), sport=Sport.run, kind=Kind.intervals, rpe=8,
                      duration_s=2400, source="manual", reps=typed)
    facts = compute_facts(Athlete(name="Ana"), [workout], DAY, FactSettings.of(SETTINGS, work_pace_pct=25))
    assert facts["form.broke"] is True and facts["form.broke_at_rep"] == 6 and facts["form.reps"] == 6


def test_the_threshold_is_the_rule_sets_own(tmp_path):
    """With classify.yml's work_pace_pct raised to 90 %, a slow 800 m lap (a jog of the reps'
    own length) counts as a rep: the held set then 'breaks' there (lap 6), which shows where
    the number comes from."""
    rules = tmp_path / "rules"
    shutil.copytree(builtin_dir(), rules, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    classify = Path(rules / "classify.yml")
    text = classify.read_text(encoding="utf-8")
    assert "work_pace_pct: 25" in text
    workout = session(HELD)
    reps = list(workout.reps)
    reps.insert(5, Rep(index=6, distance_m=800, duration_s=360))  # an 800 m jog at 450 s/km after rep 2
    reps = [r.model_copy(update={"index": i + 1}) for i, r in enumerate(reps)]
    workout = workout.model_copy(update={"reps": reps})
    assert facts_for(Athlete(name="Ana"), [workout], DAY, read_rule_set(None))["form.broke"] is False
    classify.write_text(text.replace("work_pace_pct: 25", "work_pace_pct: 90"), encoding="utf-8")
    facts = facts_for(Athlete(name="Ana"), [workout], DAY, read_rule_set(rules))
    assert facts["form.broke"] is True and facts["form.broke_at_rep"] == 6


def test_calibration_reads_the_work_laps_of_recorded_sessions(ruleset):
    history = [session(HELD, days_ago=9, rpe=8), session(HELD, days_ago=2, rpe=7)]
    facts = facts_for(Athlete(name="Ana"), history, DAY, ruleset)
    assert facts["calib.sessions"] == 2
    assert facts["calib.rpe_change"] == -1
    assert facts["calib.pace_cv_pct"] < 1  # the reps are even; all the laps would vary by over 20 %
    assert facts["calib.pace_change_pct"] == pytest.approx(0.0, abs=0.1)


def test_without_the_threshold_recorded_laps_read_as_before():
    """compute_facts given only settings.yml (no classify.yml) keeps every lap with a pace."""
    facts = compute_facts(Athlete(name="Ana"), [session(HELD)], DAY, SETTINGS)
    assert facts["form.reps"] == len(laps(HELD))
