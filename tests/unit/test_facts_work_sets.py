"""The facts pick each hard session's work set once per proposal and read it for form,
calibration and lasting calibration: the values must be those of the per-workout functions
(engine/form.py, training_load.work_paces), reps in any order, laps recorded or logged."""

from __future__ import annotations

import datetime as dt
import random
import statistics

import pytest

from coach.engine import training_load as L
from coach.engine.facts import FactSettings, compute_facts
from coach.engine.form import detect_form_break, pace_drift_pct, work_set, work_set_paces
from coach.engine.model import Athlete, Kind, Rep, Sport, Workout
SETTINGS = {
    "facts": {"hard_rpe": 7, "maximal_rpe": 9, "heavy_load": 480, "long_run_minutes": 80,
              "form_drift_pct": 5, "easy_hr_window_days": 7, "calibration_pace_pct": 5},
    "intensity_of_kind": {"tempo": "hard", "intervals": "hard", "easy": "easy", "rest": "rest"},
    "pattern": [{"slot": "hard", "kind": "intervals"}, {"slot": "light", "kind": "easy"}],
}
DAY = dt.date(2026, 11, 19)
WORK_PACE_PCT = 15.0


def _session(rnd: random.Random, date: dt.date, n: int) -> Workout:
    recorded = rnd.random() < 0.4
    base = rnd.uniform(200, 300)
    reps: list[Rep] = []
    if recorded:  # a watch file's laps: warm-up, work laps with recoveries, cool-down
        reps.append(Rep(index=1, distance_m=2000, duration_s=2000 * 0.36))
    for k in range(rnd.randint(2, 9)):
        metres = rnd.choice([200, 400, 800, 800, 800, 1000])
        pace = base * (1 + k * rnd.uniform(-0.01, 0.04))
        reps.append(Rep(index=len(reps) + 1, distance_m=metres if rnd.random() > 0.05 else None,
                        duration_s=metres * pace / 1000,
                        target_pace_s_per_km=base * rnd.uniform(0.95, 1.05) if rnd.random() < 0.7 else None,
                        cadence=rnd.uniform(160, 190) if rnd.random() < 0.5 else None))
        if recorded:
            reps.append(Rep(index=len(reps) + 1, distance_m=200, duration_s=200 * 0.45))
    if rnd.random() < 0.5:
        rnd.shuffle(reps)  # reps given out of order: facts must read them as the functions do
    return Workout(id=n, date=date, sport=Sport.run, kind=rnd.choice([Kind.intervals, Kind.tempo]),
                   duration_s=3000, distance_m=10000, rpe=rnd.choice([7, 8, 8, 9]),
                   source=f"fit:{n:040x}" if recorded else "manual", reps=reps)


def _history(seed: int) -> list[Workout]:
    rnd = random.Random(seed)
    out = []
    for n in range(55, 0, -1):
        if rnd.random() < 0.3:
            out.append(_session(rnd, DAY - dt.timedelta(days=n), len(out) + 1))
    return out


def _pct(w: Workout) -> float | None:
    return WORK_PACE_PCT if w.source.startswith("fit:") else None


def _form_by_functions(last: Workout, drift_pct: float) -> dict:
    pct = _pct(last)
    count = len(last.reps) if pct is None else len(work_set(last.reps, pct))
    brk = detect_form_break(last.reps, drift_pct, work_pace_pct=pct)
    drift = brk.pace_drift_pct if brk is not None else pace_drift_pct(last.reps, pct)
    out = {"form.reps": count, "form.broke": brk is not None}
    if drift is not None:
        out["form.pace_drift_pct"] = round(drift, 1)
    if brk is not None:
        out["form.broke_at_rep"] = brk.rep
    return out


def _gain_by_functions(past: list[Workout]) -> dict:
    gains = []
    for w in past:  # no race in these histories: every hard, non-maximal session counts
        if w.rpe >= SETTINGS["facts"]["maximal_rpe"]:
            continue
        chosen = work_set_paces(sorted(w.reps, key=lambda r: r.index), _pct(w))
        ratios = [r.target_pace_s_per_km / p - 1.0 for r, p in chosen if r.target_pace_s_per_km and p]
        if ratios:
            gains.append(statistics.fmean(ratios) * 100.0)
    return {"calib.gain_sessions": len(gains), "calib.gain_pct": round(sum(gains), 1)} if gains else {}


@pytest.mark.parametrize("seed", range(40))
def test_form_and_calibration_facts_read_the_sets_as_the_functions_do(seed):
    past = _history(seed)
    assert past, "the seed gives a history"
    settings = FactSettings.of(SETTINGS, work_pace_pct=WORK_PACE_PCT)
    facts = compute_facts(Athlete(name="Ana", rest_days=[]), past, DAY, settings)

    expected_form = _form_by_functions(past[-1], settings.form_drift_pct)
    assert {k: facts[k] for k in expected_form} == expected_form
    assert not {k for k in facts if k.startswith("form.")} - set(expected_form) - {"form.days_ago"}

    expected_gain = _gain_by_functions(past)
    assert {k: facts.get(k) for k in ("calib.gain_sessions", "calib.gain_pct") if k in facts} == expected_gain

    # calibration: each session's paces and main pace as work_paces gives them
    recent = [w for w in past if w.date >= DAY - dt.timedelta(days=28)]
    sessions = [(w, *L.work_paces(w, _pct(w))) for w in recent]
    sessions = [s for s in sessions if len(s[1]) >= 2]
    if "calib.sessions" in facts:
        ref = sessions[-1][2]
        chosen = [s for s in sessions if s[2] is not None and abs(s[2] - ref) <= ref * 0.05][-4:]
        assert facts["calib.sessions"] == len(chosen)
        assert facts["calib.pace_change_pct"] == round((chosen[0][2] / chosen[-1][2] - 1.0) * 100.0, 1)
        cvs = [c for c in (L.coefficient_of_variation_pct(p) for _, p, _ in chosen) if c is not None]
        assert facts["calib.pace_cv_pct"] == round(statistics.fmean(cvs), 1)


def test_the_seeds_cover_every_case():
    """The property above is only worth something if the histories reach every branch."""
    settings = FactSettings.of(SETTINGS, work_pace_pct=WORK_PACE_PCT)
    seen = set()
    for seed in range(40):
        past = _history(seed)
        last = past[-1]
        facts = compute_facts(Athlete(name="Ana", rest_days=[]), past, DAY, settings)
        ordered = all(a.index < b.index for a, b in zip(last.reps, last.reps[1:]))
        seen.add(("ordered" if ordered else "shuffled", "recorded" if _pct(last) else "logged"))
        seen.add(("broke", facts["form.broke"]))
        seen.add(("calib", "calib.sessions" in facts))
        seen.add(("gain", "calib.gain_pct" in facts))
    assert seen >= {("ordered", "recorded"), ("ordered", "logged"), ("shuffled", "recorded"),
                    ("shuffled", "logged"), ("broke", True), ("broke", False), ("calib", True),
                    ("gain", True)}, seen
