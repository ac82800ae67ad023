"""Form detection (P8): the rep where a set fell off its early pace or cadence."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.engine.form import FormBreak, detect_form_break, pace_drift_pct, work_set
from coach.engine.model import Rep


def reps_at(paces, cadences=None, targets=None, distance=400.0):
    out = []
    for i, pace in enumerate(paces):
        out.append(
            Rep(
                index=i + 1,
                distance_m=distance,
                duration_s=pace * distance / 1000.0,
                cadence=cadences[i] if cadences else None,
                target_pace_s_per_km=targets[i] if targets else None,
            )
        )
    return out


def test_even_set_holds():
    assert detect_form_break(reps_at([220, 221, 219, 222, 220, 221]), drift_pct=5) is None


def test_first_rep_beyond_drift_is_reported():
    # early third = reps 1-2 at 220 s/km; rep 5 is 6.8 % slower, rep 6 even slower
    brk = detect_form_break(reps_at([220, 220, 224, 228, 235, 240]), drift_pct=5)
    assert isinstance(brk, FormBreak)
    assert brk.rep == 5
    assert brk.signal == "pace"
    assert brk.early_pace_s_per_km == pytest.approx(220)
    assert brk.rep_pace_s_per_km == pytest.approx(235)
    assert brk.pace_drift_pct == pytest.approx((235 / 220 - 1) * 100)
    assert "rep 5" in brk.describe()


def test_threshold_is_strict_and_comes_from_caller():
    reps = reps_at([200, 200, 200, 210])  # rep 4 exactly 5 % slower
    assert detect_form_break(reps, drift_pct=5) is None
    assert detect_form_break(reps, drift_pct=4.9).rep == 4


def test_faster_late_reps_are_not_a_break():
    assert detect_form_break(reps_at([240, 235, 230, 220]), drift_pct=1) is None


def test_cadence_drop_breaks_form_when_asked():
    reps = reps_at([220] * 6, cadences=[180, 180, 178, 176, 168, 166])
    assert detect_form_break(reps, drift_pct=5) is None  # cadence ignored by default
    brk = detect_form_break(reps, drift_pct=5, cadence_drop_pct=5)
    assert brk.rep == 5 and brk.signal == "cadence"
    assert brk.cadence_drop_pct == pytest.approx((1 - 168 / 180) * 100)
    assert "cadence" in brk.describe()


def test_cadence_missing_on_early_reps_is_not_checked():
    reps = reps_at([220] * 4, cadences=[180, 180, 150, 150])
    reps[0] = reps[0].model_copy(update={"cadence": None})
    assert detect_form_break(reps, drift_pct=5, cadence_drop_pct=5) is None


def test_too_few_reps():
    assert detect_form_break([], drift_pct=5) is None
    assert detect_form_break(reps_at([220]), drift_pct=5) is None
    assert pace_drift_pct(reps_at([220])) is None


def test_reps_without_pace_are_skipped_and_index_kept():
    reps = [Rep(index=1), *[r.model_copy(update={"index": r.index + 1}) for r in reps_at([220, 220, 220, 250])]]
    brk = detect_form_break(reps, drift_pct=5)
    assert brk.rep == 5


def test_targeted_reps_form_the_set():
    # warm-up and jogs carry no target; the four targeted reps are the set
    paces = [360, 220, 420, 221, 420, 222, 420, 245, 380]
    targets = [None, 220, None, 220, None, 220, None, 220, None]
    reps = reps_at(paces, targets=targets)
    assert [r.index for r in work_set(reps)] == [2, 4, 6, 8]
    assert detect_form_break(reps, drift_pct=5).rep == 8


def test_work_pace_pct_drops_warmup_jogs_and_cooldown():
    laps = reps_at([350, 220, 430, 222, 440, 221, 450, 240, 400])
    # without the work filter the jogs make the set meaningless
    assert detect_form_break(laps, drift_pct=5).rep != 8
    assert [r.index for r in work_set(laps, work_pace_pct=25)] == [2, 4, 6, 8]
    brk = detect_form_break(laps, drift_pct=5, work_pace_pct=25)
    assert brk.rep == 8
    assert pace_drift_pct(laps, work_pace_pct=25) == pytest.approx((240 / 220 - 1) * 100)


def test_negative_threshold_refused():
    with pytest.raises(ValueError):
        detect_form_break(reps_at([220, 230]), drift_pct=-1)


@given(
    pace=st.floats(min_value=150, max_value=600),
    n=st.integers(min_value=2, max_value=20),
    drift=st.floats(min_value=0, max_value=30),
)
def test_even_pace_never_breaks(pace, n, drift):
    assert detect_form_break(reps_at([pace] * n), drift_pct=drift) is None


@given(
    paces=st.lists(st.floats(min_value=150, max_value=600), min_size=2, max_size=15),
    drift=st.floats(min_value=0, max_value=30),
)
def test_break_is_beyond_threshold_and_after_early_reps(paces, drift):
    reps = reps_at(paces)
    brk = detect_form_break(reps, drift_pct=drift)
    early = max(1, len(paces) // 3)
    if brk is None:
        mean_early = sum(paces[:early]) / early
        assert all(p <= mean_early * (1 + drift / 100) * (1 + 1e-9) for p in paces[early:])
    else:
        assert brk.rep > early
        assert brk.pace_drift_pct > drift
        assert all(
            (p / brk.early_pace_s_per_km - 1) * 100 <= drift + 1e-6 for p in paces[early : brk.rep - 1]
        )
