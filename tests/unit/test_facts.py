"""Facts from a list of workouts: names match the vocabulary, values follow the documented rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from coach.engine import training_load as L
from coach.engine.facts import WINDOW_DAYS, FactSettings, compute_facts, fact_window
from coach.engine.model import Athlete, Checkin, Kind, Rep, Sport, Weekday, Workout
from coach.engine.vocabulary import FACTS, FACTS_BY_NAME, NOT_IN_WINDOW, SEASON_FACT_NAMES

SETTINGS = {
    "facts": {"hard_rpe": 7, "maximal_rpe": 9, "heavy_load": 480, "long_run_minutes": 80,
              "form_drift_pct": 5, "easy_hr_window_days": 7, "calibration_pace_pct": 5},
    "intensity_of_kind": {"tempo": "hard", "intervals": "hard", "repetitions": "hard", "three_zone": "hard",
                          "race": "hard", "time_trial": "hard", "steady": "moderate", "long": "moderate",
                          "easy": "easy", "recovery": "easy", "cross": "easy", "rest": "rest"},
    "pattern": [{"slot": "hard", "kind": "intervals"}, {"slot": "light", "kind": "easy"},
                {"slot": "hard", "kind": "tempo"}, {"slot": "rest", "kind": "rest"}],
    "load": {"au_per_point": 4.0, "flat_m_per_m_climb": 7.92, "hr_rest_default": 60, "threshold_hr_pct_of_max": 90,
             "hr_max_min_sessions": 3, "ctl_days": 42, "atl_days": 7, "ema": "e"},
    "readiness": {"state_days": 2, "hrv_band_sd": 0.5, "hrv_min_readings": 14},
}

DAY = dt.date(2026, 11, 19)  # a Thursday


def run(date, kind, minutes, rpe, km=None, **kw):
    return Workout(date=date, sport=Sport.run, kind=kind, duration_s=minutes * 60, rpe=rpe,
                   distance_m=(km * 1000 if km is not None else None), **kw)


def reps(paces, target=None):
    return [Rep(index=i + 1, distance_m=400, duration_s=p * 0.4, target_pace_s_per_km=target)
            for i, p in enumerate(paces)]


def rich_checkins(day=DAY):
    """A month of morning check-ins, this morning's included: every readiness fact has a value."""
    return [Checkin(date=day - dt.timedelta(days=n), hrv_ms=60 + n % 5, resting_hr=48 + n % 3, sleep_h=7.5,
                    soreness=2, feel=4) for n in range(30, -1, -1)]


def rich_history(day=DAY):
    """Six weeks of varied training that gives every fact a value."""
    out = []
    for n in range(42, 0, -1):
        d = day - dt.timedelta(days=n)
        if d.weekday() == 6:
            continue  # Sunday rest
        if n % 3 == 0:
            out.append(run(d, Kind.intervals, 45, 8, 9, reps=reps([240, 241, 240, 242, 241, 240], target=240), avg_hr=165,
                           form_broke_at=5 if n == 3 else None))
        else:
            out.append(run(d, Kind.easy, 40, 3, 8, avg_hr=140 + (n % 2), soreness=2, sleep_h=7.5))
    out.append(Workout(date=day - dt.timedelta(days=5), sport=Sport.brick, kind=Kind.steady, duration_s=5400, rpe=6))
    out.append(Workout(date=day - dt.timedelta(days=4), sport=Sport.bike, kind=Kind.intervals, duration_s=3600, rpe=8))
    out.append(Workout(date=day - dt.timedelta(days=8), sport=Sport.swim, kind=Kind.steady, duration_s=2700, rpe=5))
    out.append(run(day - dt.timedelta(days=10), Kind.long, 100, 6, 20))
    out.append(run(day - dt.timedelta(days=12), Kind.race, 20, 10, 5))
    return out


def athlete(**kw):
    kw.setdefault("race_date", DAY + dt.timedelta(days=30))
    return Athlete(name="Ana", **kw)


def check_type(name, value):
    spec = FACTS_BY_NAME[name]
    if spec.type == "number":
        assert isinstance(value, (int, float)) and not isinstance(value, bool), (name, value)
    elif spec.type == "bool":
        assert isinstance(value, bool), (name, value)
    else:
        assert isinstance(value, str), (name, value)
        if spec.values:
            assert value in spec.values, (name, value)


def test_rich_history_produces_every_vocabulary_fact_with_its_type():
    # a triathlete with a triathlon week also gets plan.sport and the per-sport week facts
    settings = replace(FactSettings.of(SETTINGS), triathlon_week={
        d.value: ("run", "intervals") if d.value != "sun" else ("rest", "rest") for d in Weekday})
    facts = compute_facts(athlete(sport="triathlon"), rich_history(), DAY, settings, rich_checkins())
    # the missed-session details exist only when yesterday's session was missed
    skipped = [w for w in rich_history() if w.date != DAY - dt.timedelta(days=1)]
    missed = compute_facts(athlete(sport="triathlon"), skipped, DAY, settings, rich_checkins())
    assert set(missed) - set(facts) == {"yesterday.missed_slot", "yesterday.missed_kind"}
    # the season's facts come from engine/season.py (service.propose.facts_for; tests/unit/test_season.py)
    assert set(facts) | set(missed) == {f.name for f in FACTS} - SEASON_FACT_NAMES
    for name, value in {**facts, **missed}.items():
        check_type(name, value)


def test_empty_history_produces_only_vocabulary_names_and_leaves_unknowns_out():
    facts = compute_facts(Athlete(name="New"), [], DAY, SETTINGS)
    assert set(facts) <= set(FACTS_BY_NAME)
    for name, value in facts.items():
        check_type(name, value)
    for unknown in ("load.acwr", "load.acwr_ewma", "week.monotony", "form.broke", "calib.sessions",
                    "wellness.soreness", "athlete.days_to_race", "yesterday.rpe"):
        assert unknown not in facts
    assert facts["days_since.hard"] == NOT_IN_WINDOW
    assert facts["days_since.rest"] == 1
    assert facts["yesterday.intensity"] == "rest"


def test_fresh_athlete_day_after_rest_is_the_first_pattern_entry():
    facts = compute_facts(Athlete(name="New", rest_days=[]), [], DAY, SETTINGS)
    assert (facts["plan.slot"], facts["plan.kind"], facts["plan.intensity"]) == ("hard", "intervals", "hard")


@pytest.mark.parametrize("trained_days, slot, kind", [
    (1, "light", "easy"), (2, "hard", "tempo"), (3, "rest", "rest"), (4, "hard", "intervals"), (5, "light", "easy"),
])
def test_pattern_advances_one_entry_per_day_after_the_last_rest(trained_days, slot, kind):
    history = [run(DAY - dt.timedelta(days=n), Kind.easy, 30, 3) for n in range(1, trained_days + 1)]
    facts = compute_facts(Athlete(name="A", rest_days=[]), history, DAY, SETTINGS)
    assert facts["days_since.rest"] == trained_days + 1
    assert (facts["plan.slot"], facts["plan.kind"]) == (slot, kind)


def test_preferred_rest_day_is_rest_whatever_the_cycle():
    facts = compute_facts(Athlete(name="A", rest_days=[Weekday.of(DAY)]), [], DAY, SETTINGS)
    assert facts["today.is_rest_day"] is True
    assert (facts["plan.slot"], facts["plan.kind"], facts["plan.intensity"]) == ("rest", "rest", "rest")


def test_only_workouts_before_the_day_count_except_todays_hard_bike():
    before = [run(DAY - dt.timedelta(days=2), Kind.easy, 40, 3)]
    today = [run(DAY, Kind.intervals, 60, 9),
             Workout(date=DAY, sport=Sport.bike, kind=Kind.intervals, duration_s=3600, rpe=8)]
    a = compute_facts(athlete(), before, DAY, SETTINGS)
    b = compute_facts(athlete(), before + today, DAY, SETTINGS)
    assert a["today.planned_bike_hard"] is False and b["today.planned_bike_hard"] is True
    del a["today.planned_bike_hard"], b["today.planned_bike_hard"]
    assert a == b


def test_history_older_than_the_window_changes_nothing():
    recent = rich_history()
    old = [run(DAY - dt.timedelta(days=n), Kind.intervals, 90, 9, 15) for n in range(WINDOW_DAYS + 1, 3000, 2)]
    assert compute_facts(athlete(), recent + old, DAY, SETTINGS) == compute_facts(athlete(), recent, DAY, SETTINGS)
    start, end = fact_window(DAY)
    assert (DAY - start).days == WINDOW_DAYS and end == DAY + dt.timedelta(days=1)


def test_load_facts_use_the_load_module_on_the_days_before():
    history = rich_history()
    facts = compute_facts(athlete(), history, DAY, SETTINGS)
    series = L.load_series(history, DAY - dt.timedelta(days=1), WINDOW_DAYS)
    assert facts["load.acwr"] == pytest.approx(L.rolling_acwr(series), abs=1e-3)
    assert facts["load.acwr_ewma"] == pytest.approx(L.ewma_acwr(series), abs=1e-3)
    assert facts["load.acute"] == pytest.approx(sum(series[-7:]), abs=0.1)
    assert facts["week.monotony"] == pytest.approx(L.monotony(series), abs=1e-3)


def test_days_since_and_yesterday():
    history = [
        run(DAY - dt.timedelta(days=3), Kind.race, 20, 10, 5),
        run(DAY - dt.timedelta(days=2), Kind.long, 100, 5, 18),
        run(DAY - dt.timedelta(days=1), Kind.easy, 30, 3, 5),
        Workout(date=DAY - dt.timedelta(days=1), sport=Sport.bike, kind=Kind.tempo, duration_s=3600, rpe=7),
    ]
    facts = compute_facts(athlete(), history, DAY, SETTINGS)
    assert facts["days_since.maximal"] == 3
    assert facts["days_since.long_run"] == 2
    assert facts["days_since.heavy"] == 2  # the long run: 5 x 100 = 500 >= 480
    assert facts["days_since.hard_bike"] == 1
    assert facts["days_since.hard"] == 1
    assert facts["yesterday.sport"] == "bike" and facts["yesterday.kind"] == "tempo"
    assert facts["yesterday.intensity"] == "hard"
    assert facts["yesterday.rpe"] == 7
    assert facts["yesterday.load"] == pytest.approx(3 * 30 + 7 * 60)


def test_rpe_at_maximal_threshold_makes_any_session_maximal():
    history = [run(DAY - dt.timedelta(days=1), Kind.easy, 30, 9)]
    facts = compute_facts(athlete(), history, DAY, SETTINGS)
    assert facts["days_since.maximal"] == 1 and facts["yesterday.intensity"] == "hard"


def test_form_break_from_drifting_reps_and_from_the_athletes_flag():
    drifting = run(DAY - dt.timedelta(days=2), Kind.intervals, 40, 8, reps=reps([240, 240, 241, 243, 256, 258]))
    facts = compute_facts(athlete(), [drifting], DAY, SETTINGS)
    assert facts["form.broke"] is True
    assert facts["form.broke_at_rep"] == 5
    assert facts["form.pace_drift_pct"] == pytest.approx((256 / 240 - 1) * 100, abs=0.1)
    assert facts["form.days_ago"] == 2 and facts["form.reps"] == 6

    steady = run(DAY - dt.timedelta(days=2), Kind.intervals, 40, 8, reps=reps([240, 240, 241, 241, 242, 242]))
    assert compute_facts(athlete(), [steady], DAY, SETTINGS)["form.broke"] is False

    flagged = run(DAY - dt.timedelta(days=2), Kind.intervals, 40, 8, form_broke_at=4)
    facts = compute_facts(athlete(), [flagged], DAY, SETTINGS)
    assert facts["form.broke"] is True and facts["form.broke_at_rep"] == 4


def test_week_facts_count_from_monday_to_yesterday():
    monday = DAY - dt.timedelta(days=DAY.weekday())
    history = [run(monday - dt.timedelta(days=1), Kind.intervals, 40, 8),  # last Sunday: not this week
               run(monday, Kind.intervals, 40, 8), run(monday + dt.timedelta(days=2), Kind.tempo, 40, 7)]
    facts = compute_facts(athlete(), history, DAY, SETTINGS)
    assert facts["week.hard_sessions"] == 2
    assert facts["week.load"] == pytest.approx(8 * 40 + 7 * 40)


def test_base_wellness_and_hr_drift():
    history = [run(DAY - dt.timedelta(days=n), Kind.easy, 40, 3, 8, avg_hr=140) for n in range(27, 7, -1)]
    history += [run(DAY - dt.timedelta(days=n), Kind.easy, 40, 3, 8, avg_hr=154) for n in range(5, 1, -1)]
    history.append(run(DAY - dt.timedelta(days=1), Kind.easy, 40, 4, 8, soreness=6, sleep_h=5.5))
    history.append(run(DAY - dt.timedelta(days=40), Kind.easy, 40, 3, 8, soreness=9))
    facts = compute_facts(athlete(), history, DAY, SETTINGS)
    assert facts["base.runs_28d"] == 25
    assert facts["base.easy_km_28d"] == pytest.approx(200.0)
    assert facts["wellness.soreness"] == 6 and facts["wellness.sleep_h"] == 5.5
    assert facts["wellness.last_rpe"] == 4
    mean28 = (20 * 140 + 4 * 154) / 24
    assert facts["wellness.hr_drift_pct"] == pytest.approx((154 / mean28 - 1) * 100, abs=0.1)


def test_calibration_compares_hard_sessions_at_a_comparable_pace():
    history = [
        run(DAY - dt.timedelta(days=15), Kind.intervals, 40, 8, reps=reps([240, 241, 240, 241])),
        run(DAY - dt.timedelta(days=8), Kind.intervals, 40, 7, reps=reps([239, 239, 240, 239])),
        run(DAY - dt.timedelta(days=1), Kind.intervals, 40, 7, reps=reps([238, 238, 239, 238])),
        run(DAY - dt.timedelta(days=4), Kind.tempo, 40, 7, reps=reps([300, 300])),  # not comparable
    ]
    history.sort(key=lambda w: w.date)
    facts = compute_facts(athlete(), history, DAY, SETTINGS)
    assert facts["calib.sessions"] == 3
    assert facts["calib.rpe_change"] == -1
    assert facts["calib.pace_change_pct"] == pytest.approx((240.5 / 238.25 - 1) * 100, abs=0.1)
    assert 0 < facts["calib.pace_cv_pct"] < 1


def test_the_rule_sets_validated_settings_give_the_same_facts_as_its_plain_yaml():
    import yaml

    from coach.service.rulesets import read_rule_set

    ruleset = read_rule_set(None)
    plain = yaml.safe_load((ruleset.directory / "settings.yml").read_text())
    a = compute_facts(athlete(sport="triathlon"), rich_history(), DAY, ruleset.settings, rich_checkins())
    b = compute_facts(athlete(sport="triathlon"), rich_history(), DAY, plain, rich_checkins())
    assert a == b
    # every fact but the details of a missed session (none was missed yesterday), the season's and
    # the triathlon week's, which come with the session templates (ruleset.fact_settings())
    tri = {"plan.sport", "week.hard_runs", "week.hard_bikes", "week.hard_swims", "week.key_run_pending",
           "plan.days_after_brick", "plan.days_after_hard_bike"}
    assert set(a) == {f.name for f in FACTS} - {"yesterday.missed_slot", "yesterday.missed_kind"} - SEASON_FACT_NAMES - tri
    full = compute_facts(athlete(sport="triathlon"), rich_history(), DAY, ruleset.fact_settings(), rich_checkins())
    assert set(full) - set(a) == tri


def test_a_settings_file_without_a_fact_parameter_is_refused():
    from coach.engine.errors import InvalidInput

    broken = {**SETTINGS, "facts": {k: v for k, v in SETTINGS["facts"].items() if k != "heavy_load"}}
    with pytest.raises(InvalidInput, match="heavy_load"):
        compute_facts(athlete(), [], DAY, broken)


def test_without_any_rest_day_the_pattern_still_moves_one_entry_a_day():
    history = [run(DAY - dt.timedelta(days=n), Kind.easy, 30, 3) for n in range(1, 80)]
    kinds = []
    for offset in range(8):
        day = DAY + dt.timedelta(days=offset)
        log = history + [run(DAY + dt.timedelta(days=k), Kind.easy, 30, 3) for k in range(offset)]
        facts = compute_facts(Athlete(name="A", rest_days=[]), log, day, SETTINGS)
        assert facts["days_since.rest"] == NOT_IN_WINDOW
        kinds.append(facts["plan.kind"])
    assert kinds[:4] == kinds[4:]
    assert sorted(kinds[:4]) == sorted(["intervals", "easy", "tempo", "rest"])


# --- missed sessions ------------------------------------------------------------------------

def test_a_training_day_of_the_pattern_with_nothing_logged_is_missed():
    # Wednesday: Sunday the rest day, Monday hard (logged), Tuesday light -> skipped: missed light
    wednesday = DAY - dt.timedelta(days=1)
    history = [run(DAY - dt.timedelta(days=3), Kind.intervals, 45, 8, 9)]
    facts = compute_facts(athlete(), history, wednesday, SETTINGS)
    assert facts["yesterday.missed"] is True
    assert (facts["yesterday.missed_slot"], facts["yesterday.missed_kind"]) == ("light", "easy")
    assert facts["week.key_missed"] == 0


def test_a_missed_hard_day_counts_as_a_key_session_missed_this_week():
    # Sunday the rest day; Mon hard and Tue light logged; Wed hard -> missed
    history = [run(DAY - dt.timedelta(days=3), Kind.intervals, 45, 8, 9),
               run(DAY - dt.timedelta(days=2), Kind.easy, 40, 3, 8)]
    facts = compute_facts(athlete(), history, DAY, SETTINGS)
    assert (facts["yesterday.missed"], facts["yesterday.missed_slot"]) == (True, "hard")
    assert facts["week.key_missed"] == 1


def test_a_preferred_rest_day_or_a_logged_day_is_not_missed():
    monday = DAY + dt.timedelta(days=4)
    facts = compute_facts(athlete(), [], monday, SETTINGS)  # yesterday was Sunday, the rest day
    assert facts["yesterday.missed"] is False and "yesterday.missed_slot" not in facts
    friday, saturday = DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=2)
    logged = compute_facts(athlete(), [run(DAY, Kind.easy, 40, 3, 8), run(friday, Kind.easy, 40, 3, 8)],
                           saturday, SETTINGS)
    assert logged["yesterday.missed"] is False


def test_training_days_left_count_today_to_sunday_without_rest_days():
    assert compute_facts(athlete(), [], DAY, SETTINGS)["week.training_days_left"] == 3  # Thu, Fri, Sat
    two_rest = compute_facts(athlete(rest_days=["sat", "sun"]), [], DAY, SETTINGS)
    assert two_rest["week.training_days_left"] == 2


def test_only_the_first_empty_day_of_a_break_is_missed():
    # nothing since Sunday: Monday (after the rest day) is missed, Tuesday and Wednesday are a break
    facts = compute_facts(athlete(), [], DAY, SETTINGS)
    assert facts["week.key_missed"] == 1
    assert facts["yesterday.missed"] is False


def test_acwr_present_reads_a_return_from_illness_against_the_level_before_it():
    """Every day an easy 40 min for five weeks, a week off sick, then two weeks back at the
    same runs: counted as zeros the week off makes that a spike; load.acwr_present reads it
    as the athlete's usual level."""
    days = [DAY - dt.timedelta(days=n) for n in range(1, 56)]
    sick = {DAY - dt.timedelta(days=n) for n in range(15, 22)}
    history = [run(d, Kind.easy, 40, 4) for d in sorted(days) if d not in sick]
    facts = compute_facts(athlete(rest_days=[]), history, DAY, SETTINGS)
    assert facts["absence.days"] == 7 and facts["absence.back_days"] == 15
    assert facts["load.acwr"] == pytest.approx(4 / 3, abs=0.01)
    assert facts["load.acwr_present"] == pytest.approx(1.0, abs=0.01)
    # no absence: the same figure as load.acwr
    steady = compute_facts(athlete(rest_days=[]), [run(d, Kind.easy, 40, 4) for d in days], DAY, SETTINGS)
    assert steady["load.acwr_present"] == pytest.approx(steady["load.acwr"], abs=1e-3)
