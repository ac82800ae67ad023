"""Load without an RPE (engine/load_methods.py): each formula against published values, the
one choice of method per workout, and the calibration between session-RPE and heart rate."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.engine import load_methods as M
from coach.engine.training_load import session_load
from coach.engine.model import Kind, Sport, Workout

D = dt.date(2026, 3, 2)


@pytest.fixture(scope="module")
def settings(default_rules) -> M.LoadSettings:
    """The shipped rule set's `load:` settings."""
    ruleset, _ = default_rules
    return M.LoadSettings.of(ruleset.settings.load)


# --- published values ------------------------------------------------------------------------

def test_banister_trimp_male_published_value():
    # Banister TRIMP, male, HRmax 200, HRrest 40, 30 min at 130 bpm: 31.8
    # (Runalyze, tests/inc/core/Calculation/Trimp/CalculatorTest.php: 32 +- 1 %)
    value = M.banister_trimp(30, 130, 40, 200, "male")
    assert value == pytest.approx(31.8, abs=0.05)
    assert value == pytest.approx(32, rel=0.01)


def test_banister_trimp_unknown_sex_uses_the_mens_weighting():
    assert M.banister_trimp(30, 130, 40, 200, None) == M.banister_trimp(30, 130, 40, 200, "male")


def test_banister_trimp_female_weighting():
    # 0.86 e^(1.67 x), x = 0.5625 (Banister; the women's factors as Runalyze and GoldenCheetah
    # TRIMPPoints.cpp use them): 30 x 0.5625 x 0.86 x e^0.939 = 37.1
    assert M.banister_trimp(30, 130, 40, 200, "female") == pytest.approx(37.1, abs=0.05)


def test_banister_trimp_is_zero_at_rest_and_grows_faster_than_linear_with_hr():
    assert M.banister_trimp(60, 40, 40, 200) == 0
    low, high = M.banister_trimp(60, 120, 40, 200), M.banister_trimp(60, 160, 40, 200)
    assert high > 2 * low


def test_an_hour_at_threshold_hr_is_100_points():
    # the hrTSS idea: 100 points = one hour at threshold heart rate
    assert M.hr_points(60, 170, 45, 190, 170, "female") == pytest.approx(100.0)
    assert M.hr_points(30, 170, 45, 190, 170) == pytest.approx(50.0)


def test_rtss_published_value():
    # rTSS for 30 min at 5:00/km with threshold 4:30/km: 0.5 h x 0.9^2 x 100 = 40.5
    assert M.run_points(1800, 6000, 270) == pytest.approx(40.5)


def test_grade_adjustment_counts_climb_as_flat_distance():
    # Scarf 2007: 1 m of ascent ~ 7.92 m on the flat; 10 km with 100 m of climb is 10.792 km
    assert M.grade_adjusted_distance(10000, 100, 7.92) == pytest.approx(10792)
    assert M.grade_adjusted_distance(10000, None, 7.92) == 10000
    assert M.run_points(3000, 10792, 270) > M.run_points(3000, 10000, 270)


def test_power_tss_published_values():
    # TrainingPeaks: an hour at FTP is 100 TSS; 2 h at IF 0.75 is 112.5
    assert M.power_points(3600, 250, 250) == pytest.approx(100.0)
    assert M.power_points(7200, 187.5, 250) == pytest.approx(112.5)


def test_swim_tss_cubes_the_intensity():
    # TrainingPeaks' swim TSS: an hour at CSS is 100; at 0.9 of CSS speed, 72.9
    assert M.swim_points(3600, 4000, 90) == pytest.approx(100.0)
    assert M.swim_points(3600, 3600, 90) == pytest.approx(72.9)


# --- the choice --------------------------------------------------------------------------------

T = M.Thresholds(sex="male", hr_max=190, hr_rest=50, threshold_hr=171, threshold_pace_s_per_km=270,
                 ftp_w=250, css_s_per_100m=95)


def w(sport=Sport.run, **kw) -> Workout:
    return Workout(date=D, sport=sport, **kw)


def test_rpe_wins_over_every_other_source(settings):
    rated = w(rpe=5, duration_s=3600, avg_hr=150, distance_m=12000)
    got = M.workout_load(rated, T, settings)
    assert (got.load, got.method) == (session_load(rated), "rpe")


def test_heart_rate_without_rpe(settings):
    got = M.workout_load(w(duration_s=3600, avg_hr=171), T, settings)
    assert got.method == "hr"
    assert got.points == pytest.approx(100.0)
    assert got.load == pytest.approx(100.0 * settings.au_per_point)


def test_pace_without_rpe_or_heart_rate(settings):
    got = M.workout_load(w(duration_s=1800, distance_m=6000), T, settings)
    assert (got.method, got.points) == ("pace", pytest.approx(40.5))


def test_pace_is_grade_adjusted_where_elevation_is_known(settings):
    flat = M.workout_load(w(duration_s=1800, distance_m=6000), T, settings)
    hilly = M.workout_load(w(duration_s=1800, distance_m=6000, elevation_gain_m=60), T, settings)
    assert hilly.points > flat.points


def test_power_for_rides_over_heart_rate(settings):
    assert M.workout_load(w(Sport.bike, duration_s=3600, avg_hr=140), T, settings).method == "hr"
    got = M.workout_load(w(Sport.bike, duration_s=7200, avg_hr=140, avg_power_w=187.5), T, settings)
    assert (got.method, got.points) == ("power", pytest.approx(112.5))


def test_swim_pace_against_css(settings):
    got = M.workout_load(w(Sport.swim, duration_s=3600, distance_m=3790), T, settings)
    assert got.method == "swim_pace"
    assert got.points == pytest.approx((95 / (3600 / 37.9)) ** 3 * 100)


@pytest.mark.parametrize("workout, thresholds", [
    (w(duration_s=3600), T),                                   # nothing to compute from
    (w(avg_hr=150, distance_m=10000), T),                       # no duration
    (w(duration_s=3600, avg_hr=150), M.Thresholds()),           # no thresholds at all
    (w(Sport.rest, kind=Kind.rest, duration_s=3600, avg_hr=60), T),
])
def test_no_load_without_the_inputs(settings, workout, thresholds):
    assert M.workout_load(workout, thresholds, settings) == M.NO_LOAD


def test_without_load_settings_only_rpe_counts():
    assert M.workout_load(w(duration_s=3600, avg_hr=171), T, None) == M.NO_LOAD
    assert M.workout_load(w(rpe=4, duration_s=3600), T, None).method == "rpe"


# --- calibration: the same session from RPE and from heart rate ----------------------------------

#: The tolerance the module docstring promises (engine/load_methods.py).
AGREEMENT = 0.35

# Typical sessions: (what, minutes, session RPE, average heart rate as a share of the heart-rate
# reserve). HRmax 190, HRrest 50, threshold 171 (90 % of HRmax, 86 % of the reserve).
SESSIONS = [
    ("easy hour at RPE 3", 60, 3, 0.68),
    ("easy hour at RPE 4", 60, 4, 0.72),
    ("long run, 100 min at RPE 5", 100, 5, 0.74),
    ("tempo session, 45 min at RPE 6", 45, 6, 0.80),
    ("intervals, 50 min at RPE 7", 50, 7, 0.78),
    ("hour-long time trial at RPE 8", 60, 8, 0.88),
]


@pytest.mark.parametrize("what, minutes, rpe, reserve", SESSIONS, ids=[s[0] for s in SESSIONS])
def test_same_session_from_rpe_and_from_heart_rate_agrees(settings, what, minutes, rpe, reserve):
    hr = round(50 + reserve * (190 - 50))
    from_rpe = M.workout_load(w(rpe=rpe, duration_s=minutes * 60, avg_hr=hr), T, settings)
    from_hr = M.workout_load(w(duration_s=minutes * 60, avg_hr=hr), T, settings)
    assert (from_rpe.method, from_hr.method) == ("rpe", "hr")
    assert abs(from_hr.load / from_rpe.load - 1) <= AGREEMENT, (what, from_rpe.load, from_hr.load)


def test_calibration_is_a_real_constraint(settings):
    """Doubling the multiplier breaks the agreement: the test above can fail."""
    from dataclasses import replace

    doubled = replace(settings, au_per_point=settings.au_per_point * 2)
    easy = w(duration_s=3600, avg_hr=round(50 + 0.68 * 140))
    assert M.workout_load(easy, T, doubled).load / (3 * 60) - 1 > AGREEMENT


# --- fitness, fatigue, form ----------------------------------------------------------------------

@pytest.mark.parametrize("ema, expected", [
    ("e", 63.2),        # 100 x (1 - e^-1): Banister's decay, GoldenCheetah PMCData.cpp
    ("1/n", 63.7),      # 100 x (1 - (41/42)^42): TrainingPeaks' 1/N
    ("2/(n+1)", 86.5),  # 100 x (1 - (41/43)^42): the EWMA weight of Williams et al. 2017
])
def test_ctl_after_42_days_of_100_from_zero(ema, expected):
    assert M.exponential_load([100.0] * 42, 42, ema) == pytest.approx(expected, abs=0.05)


def test_atl_follows_faster_than_ctl_and_form_goes_negative_after_a_block(settings):
    form = M.form_of([0.0] * 28 + [100.0] * 14, settings)
    assert form.atl > form.ctl > 0 and form.tsb == pytest.approx(form.ctl - form.atl) and form.tsb < 0
    assert form.ramp > 0


def test_seeded_window_gives_a_steady_athlete_their_steady_fitness(settings):
    form = M.form_of([300.0] * 56, settings, seed_days=28)
    assert (form.ctl, form.atl, form.tsb, form.ramp) == (pytest.approx(300), pytest.approx(300), pytest.approx(0),
                                                         pytest.approx(0))
    # unseeded, 28 days of a 42-day average would read far lower
    assert M.form_of([300.0] * 28, settings).ctl < 200


def test_shipped_settings_use_the_e_based_constants(settings):
    assert (settings.ctl_days, settings.atl_days, settings.ema) == (42, 7, "e")


def test_a_ride_read_from_a_watch_file_keeps_its_power(settings):
    from coach.storage.readers.activity import ReadActivity

    ride = ReadActivity(sport=Sport.bike, start_utc=None, local_date=D, timer_s=3600, avg_power_w=250.0,
                        avg_hr=140).to_workout("fit")
    assert ride.avg_power_w == 250.0
    assert M.workout_load(ride, T, settings).method == "power"
    glitch = ReadActivity(sport=Sport.bike, start_utc=None, local_date=D, timer_s=3600, avg_power_w=65535.0)
    assert glitch.to_workout("fit").avg_power_w is None


@given(minutes=st.floats(1, 300), hr=st.integers(51, 189), more=st.integers(1, 20))
def test_heart_rate_points_grow_with_duration_and_heart_rate(minutes, hr, more):
    base = M.hr_points(minutes, hr, 50, 190, 171)
    assert M.hr_points(minutes * 2, hr, 50, 190, 171) == pytest.approx(2 * base)
    assert M.hr_points(minutes, min(hr + more, 190), 50, 190, 171) > base


@given(rpe=st.integers(1, 10), minutes=st.floats(1, 300), hr=st.integers(60, 200))
def test_an_rpe_always_wins(rpe, minutes, hr):
    workout = Workout(date=D, sport=Sport.run, rpe=rpe, duration_s=minutes * 60, avg_hr=hr, distance_m=10000)
    got = M.workout_load(workout, T, M.LoadSettings(4.0, 7.92, 60, 90, 3, 42, 7, "e"))
    assert got.method == "rpe" and got.load == pytest.approx(rpe * minutes)
