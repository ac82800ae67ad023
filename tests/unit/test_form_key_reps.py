"""P8 from the right reps (issue 13): form is judged within the main set's key reps (one target
pace and distance), never against the strides or accelerations before them; the same holds for
watch laps. A session run on target with normal noise never breaks; a real late fade does."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.engine.facts import compute_facts
from coach.engine.form import detect_form_break, work_set
from coach.engine.model import Athlete, Kind, Rep, Sport, Workout

DAY = dt.date(2026, 11, 19)
SETTINGS = {
    "facts": {"hard_rpe": 7, "maximal_rpe": 9, "heavy_load": 480, "long_run_minutes": 80,
              "form_drift_pct": 5, "easy_hr_window_days": 7, "calibration_pace_pct": 5},
    "intensity_of_kind": {"tempo": "hard", "intervals": "hard", "easy": "easy", "rest": "rest"},
    "pattern": [{"slot": "hard", "kind": "intervals"}, {"slot": "light", "kind": "easy"}],
}
TARGET = 240.0  # s/km for the 800 m reps


def watch_laps(rep_paces: list[float]) -> list[Rep]:
    """Warm-up, 4 x 100 m strides at 180 s/km, 800 m reps at the given paces with 200 m jogs, cool-down."""
    out = [(2000, 660.0)] + [(100, 18.0)] * 4
    for i, pace in enumerate(rep_paces):
        if i:
            out.append((200, 90.0))
        out.append((800, pace * 0.8))
    out.append((1600, 600.0))
    return [Rep(index=i + 1, distance_m=m, duration_s=s) for i, (m, s) in enumerate(out)]


def logged_reps(rep_paces: list[float]) -> list[Rep]:
    """Reps as logged: 4 strides (100 m, target 180 s/km), then the 800 m reps at target 240 s/km."""
    strides = [Rep(index=i + 1, distance_m=100, duration_s=18.0, target_pace_s_per_km=180.0) for i in range(4)]
    main = [Rep(index=5 + i, distance_m=800, duration_s=p * 0.8, target_pace_s_per_km=TARGET)
            for i, p in enumerate(rep_paces)]
    return strides + main


noise = st.lists(st.floats(-0.02, 0.02), min_size=6, max_size=10)


@settings(max_examples=60, deadline=None)
@given(noise)
def test_a_session_on_target_never_breaks_from_its_laps(jitter):
    from coach.engine.facts import FactSettings

    paces = [TARGET * (1 + j) for j in jitter]
    s = FactSettings.of(SETTINGS, work_pace_pct=25)
    w = Workout(date=DAY - dt.timedelta(days=2), sport=Sport.run, kind=Kind.intervals, rpe=8, source="fit:1",
                duration_s=3600, distance_m=12000, reps=watch_laps(paces))
    facts = compute_facts(Athlete(name="A", rest_days=[]), [w], DAY, s)
    assert facts["form.broke"] is False and facts["form.reps"] == len(paces)


@settings(max_examples=60, deadline=None)
@given(noise)
def test_logged_reps_on_target_never_break_against_the_strides(jitter):
    paces = [TARGET * (1 + j) for j in jitter]
    assert detect_form_break(logged_reps(paces), 5) is None
    assert [r.distance_m for r in work_set(logged_reps(paces))] == [800] * len(paces)


def test_a_real_late_fade_breaks_at_its_rep():
    paces = [240, 241, 240, 242, 250, 262]  # the 6th rep is 9 % off the early reps
    brk = detect_form_break(watch_laps(paces), 5, work_pace_pct=25)
    assert brk is not None and brk.rep == 4 + 2 * 6  # warm-up, 4 strides, then rep k is lap 4 + 2k
    logged = detect_form_break(logged_reps(paces), 5)
    assert logged is not None and logged.rep == 10


def test_strides_alone_used_to_be_the_early_reps():
    """Without the key reps, the strides (180 s/km) set the early pace and every rep 'broke'."""
    laps = watch_laps([240.0] * 6)
    strides_and_reps = [r for r in laps if r.distance_m in (100, 800)]
    early = sum(r.duration_s / r.distance_m * 1000 for r in strides_and_reps[:3]) / 3
    assert (240 / early - 1) * 100 > 5  # what the old rule compared
    assert detect_form_break(laps, 5, work_pace_pct=40) is None
