"""Trends on a known synthetic history, with hand-computed expectations (engine/trends.py)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.engine import trends as T
from coach.engine.errors import InvalidInput
from coach.service.rulesets import builtin_dir, read_rule_set, read_sources
from coach.engine.facts import compute_facts
from coach.engine.model import Adaptation, Athlete, Intensity, Kind, Proposal, Rep, Session, Sport, Workout

DAY = dt.date(2026, 3, 29)  # a Sunday: two weeks are Mar 16-22 and Mar 23-29
SETTINGS = {
    "facts": {"hard_rpe": 7, "maximal_rpe": 9, "heavy_load": 480, "long_run_minutes": 80, "form_drift_pct": 5,
              "easy_hr_window_days": 7, "calibration_pace_pct": 5},
    "intensity_of_kind": {
        "tempo": "hard", "intervals": "hard", "repetitions": "hard", "three_zone": "hard", "race": "hard",
        "time_trial": "hard", "steady": "moderate", "long": "moderate", "easy": "easy", "recovery": "easy",
        "cross": "easy", "rest": "rest",
    },
}
CONFIG = T.TrendsConfig.model_validate({
    "acwr_safe_band": {"low": 0.8, "high": 1.3},
    "pace_at_effort": [{"label": "easy", "rpe_min": 2, "rpe_max": 4}, {"label": "hard", "rpe_min": 7, "rpe_max": 8}],
    "work_pace_pct": 15,
})
ANA = Athlete(id=1, name="Ana")


def d(day: int) -> dt.date:
    return dt.date(2026, 3, day)


def w(day, kind, rpe, minutes, km, sport=Sport.run, reps=()):
    return Workout(date=d(day), sport=sport, kind=kind, rpe=rpe, duration_s=minutes * 60, distance_m=km * 1000,
                   reps=list(reps))


def history() -> list[Workout]:
    reps = [Rep(index=i + 1, distance_m=400, duration_s=s) for i, s in enumerate((92, 96, 96, 100))]
    return [
        w(17, Kind.intervals, 8, 40, 8, reps=reps),  # 320 AU, reps at 230/240/240/250 s/km
        w(19, Kind.easy, 3, 50, 10),                 # 150 AU, 300 s/km
        w(21, Kind.long, 5, 90, 16),                 # 450 AU
        w(23, Kind.easy, 4, 30, 6),                  # 120 AU, 300 s/km
        w(25, Kind.tempo, 7, 45, 9),                 # 315 AU, 300 s/km, hard
        w(27, Kind.easy, 3, 40, 8.5),                # 120 AU, 282.4 s/km
        w(28, Kind.easy, None, 30, 5),               # no RPE: no load
        w(29, Kind.rest, None, 0.0001, 0, sport=Sport.rest),  # a logged rest is not a session
        w(24, Kind.intervals, 8, 60, 30, sport=Sport.bike),   # 480 AU, not a run
    ]


def proposal(day: dt.date, *rules: str) -> Proposal:
    session = Session(sport=Sport.run, kind=Kind.easy, intensity=Intensity.easy, purpose="aerobic base")
    return Proposal(athlete="Ana", date=day, session=session,
                    adaptations=[Adaptation(rule=r, principle="P7", reason="because") for r in rules])


PROPOSALS = [proposal(d(10), "a-rule"), proposal(d(18), "a-rule", "b-rule"), proposal(d(25), "a-rule"),
             proposal(d(30), "b-rule")]


@pytest.fixture(scope="module")
def result() -> T.Trends:
    return T.compute_trends(ANA, history(), PROPOSALS, DAY, 2, SETTINGS, CONFIG)


def test_weeks_are_7_day_windows_ending_on_the_day(result):
    assert result.start == d(16) and result.end == d(29)
    assert [(p.start, p.end) for p in result.weeks] == [(d(16), d(22)), (d(23), d(29))]


def test_weekly_load_chronic_and_acwr(result):
    first, second = result.weeks
    assert first.load == 920                  # 320 + 150 + 450
    assert first.chronic == 230               # 920 / 4
    assert first.acwr == pytest.approx(4.0)
    assert second.load == 1035                # 120 + 480 (bike) + 315 + 120
    assert second.chronic == pytest.approx((920 + 1035) / 4, abs=0.06)  # rounded to 0.1 AU
    assert second.acwr == pytest.approx(1035 / ((920 + 1035) / 4), abs=1e-3)


def test_monotony_and_strain_hand_computed(result):
    week = [0, 320, 0, 150, 0, 450, 0]
    mean = sum(week) / 7
    sd = math.sqrt(sum((x - mean) ** 2 for x in week) / 7)
    assert result.weeks[0].monotony == pytest.approx(mean / sd, abs=1e-3)
    assert result.weeks[0].strain == pytest.approx(920 * mean / sd, abs=0.1)


def test_sessions_hard_sessions_unrated_and_km(result):
    first, second = result.weeks
    assert (first.sessions, first.hard_sessions, first.unrated) == (3, 1, 0)
    # Mon easy, bike intervals (hard), tempo (hard), easy, unrated easy; the logged rest is not a session
    assert (second.sessions, second.hard_sessions, second.unrated) == (5, 2, 1)
    assert first.run_km == 34 and second.run_km == 28.5


def test_ratios_are_the_facts_of_the_next_day(result):
    for point in result.weeks:
        facts = compute_facts(ANA, history(), point.end + dt.timedelta(days=1), SETTINGS)
        assert point.acwr == facts["load.acwr"]
        assert point.acwr_ewma == facts["load.acwr_ewma"]
        assert point.monotony == facts.get("week.monotony")
        assert point.load == facts["load.acute"]


def test_pace_at_effort(result):
    easy, hard = result.pace_at_effort
    assert (easy.label, easy.rpe_min, easy.rpe_max) == ("easy", 2, 4)
    assert [(p.date, p.rpe, p.pace_s_per_km) for p in easy.points] == [
        (d(19), 3, 300), (d(23), 4, 300), (d(27), 3, pytest.approx(282.4, abs=0.05))]
    # the intervals' pace is their reps' pace (384 s over 1.6 km); the bike is not a run
    assert [(p.date, p.pace_s_per_km) for p in hard.points] == [(d(17), 240), (d(25), 300)]


def test_split_consistency_of_interval_sessions(result):
    (split,) = result.splits
    assert (split.date, split.kind, split.reps) == (d(17), "intervals", 4)
    # paces 230, 240, 240, 250: mean 240, population sd sqrt(50)
    assert split.cv_pct == pytest.approx(math.sqrt(50) / 240 * 100, abs=0.01)
    assert split.pace_s_per_km == 240


def test_adaptation_counts_in_the_weeks_only(result):
    assert result.proposals == 2
    assert [(r.rule, r.principle, r.count, r.last) for r in result.adaptations] == [
        ("a-rule", "P7", 2, d(25)), ("b-rule", "P7", 1, d(18))]


def test_notes_on_short_history_and_unrated_sessions(result):
    assert result.first_logged == d(17)
    assert any("Only 13 days of log" in n for n in result.notes)
    assert any(n.startswith("1 session without an RPE") for n in result.notes)
    assert result.workouts == 9 and not result.empty


def test_history_before_the_weeks_feeds_the_chronic_load():
    early = [w(2, Kind.easy, 5, 60, 12)]  # 300 AU, 14 days before the first week starts
    r = T.compute_trends(ANA, early + history(), [], DAY, 2, SETTINGS, CONFIG)
    assert r.weeks[0].chronic == pytest.approx((920 + 300) / 4)
    assert r.workouts == 9  # the early run is read for the ratios, not shown
    assert not any("Only" in n for n in r.notes)  # 28 days of log behind the last week


def test_empty_history_gives_a_clear_message():
    r = T.compute_trends(ANA, [], [], DAY, 3, SETTINGS, CONFIG)
    assert r.empty and r.workouts == 0
    assert r.notes == ["No workouts logged in the 3 weeks from 2026-03-09 to 2026-03-29: "
                       "log some with `coach log` or `coach import`, then look again."]
    assert all(p.load == 0 and p.acwr is None and p.monotony is None for p in r.weeks)
    assert r.to_json_dict()["weeks"][0]["acwr"] is None


def test_weeks_must_be_positive():
    with pytest.raises(InvalidInput, match="weeks must be at least 1"):
        T.window(DAY, 0)


def test_json_shape(result):
    data = result.to_json_dict()
    assert data["acwr_safe_band"] == {"low": 0.8, "high": 1.3}
    assert data["weeks"][1]["end"] == "2026-03-29"
    assert set(data) == {"athlete", "start", "end", "first_logged", "workouts", "proposals", "weeks",
                         "acwr_safe_band", "pace_at_effort", "splits", "adaptations", "notes"}


# --- the settings file ------------------------------------------------------------------------

def trends_of(folder: Path):
    """A rule set folder's trends settings and problems, as the rule set loader reads them."""
    return T.parse_trends(read_sources(folder).trends)


def test_builtin_config_loads():
    config = read_rule_set().trends
    assert config.acwr_safe_band.low < config.acwr_safe_band.high
    assert config.pace_at_effort


def test_a_rule_set_copy_without_trends_file_uses_the_builtin(tmp_path):
    assert read_sources(tmp_path).trends.name == str(builtin_dir() / T.CONFIG_PATH)
    assert trends_of(tmp_path) == (read_rule_set().trends, [])


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "trends").mkdir()
    path = tmp_path / "trends" / "trends.yml"
    path.write_text(text)
    return path


def test_an_edited_copy_is_used(tmp_path):
    _write(tmp_path, "acwr_safe_band: {low: 0.9, high: 1.2}\n")
    assert trends_of(tmp_path)[0].acwr_safe_band == T.SafeBand(low=0.9, high=1.2)


@pytest.mark.parametrize(("text", "line", "message"), [
    ("acwr_safe_band: {low: 1.3, high: 0.8}\n", 1, "acwr_safe_band.high (0.8) must be above low (1.3)"),
    ("acwr_safe_band:\n  low: 0.8\n  high: lots\n", 3, "acwr_safe_band.high must be a number at or above 0, not 'lots'"),
    ("acwr_safe_band: {low: 0.8, high: 1.3}\ncolour: red\n", 2,
     "unknown key 'colour' (known: acwr_safe_band, pace_at_effort, work_pace_pct)"),
    ("pace_at_effort: []\n", 1, "acwr_safe_band is missing"),
    ("acwr_safe_band: {low: 0.8, high: 1.3}\npace_at_effort:\n  - {label: easy, rpe_min: 2, rpe_max: 11}\n", 3,
     "pace_at_effort item 1: rpe_max must be a whole RPE from 1 to 10, not 11"),
    ("acwr_safe_band: {low: 0.8, high: 1.3}\npace_at_effort:\n  - {label: easy, rpe_min: 5, rpe_max: 4}\n", 3,
     "pace_at_effort item 1: rpe_max must not be below rpe_min"),
    ("acwr_safe_band: {low: 0.8, high: 1.3}\nwork_pace_pct: 0\n", 2,
     "work_pace_pct must be a number above 0 and at most 100, not 0"),
    ("acwr_safe_band: [0.8\n", 2, "YAML syntax"),
])
def test_config_problems_name_file_and_line(tmp_path, text, line, message):
    path = _write(tmp_path, text)
    config, problems = trends_of(tmp_path)
    assert config is None
    assert str(problems[0]).startswith(f"{path}:{line}: {message}")


def test_weekly_means_of_pace_at_effort_and_splits(result):
    first, second = result.weeks
    assert first.pace_at_effort == {"easy": 300, "hard": 240}
    assert second.pace_at_effort == {"easy": pytest.approx((300 + 282.4) / 2, abs=0.05), "hard": 300}
    assert first.split_cv_pct == pytest.approx(math.sqrt(50) / 240 * 100, abs=0.01)
    assert second.split_cv_pct is None


_workouts = st.lists(
    st.builds(
        lambda day, rpe, minutes, kind: Workout(date=d(1) + dt.timedelta(days=day), sport=Sport.run, kind=kind,
                                                rpe=rpe, duration_s=minutes * 60),
        st.integers(0, 60), st.one_of(st.none(), st.integers(1, 10)), st.integers(10, 150),
        st.sampled_from([Kind.easy, Kind.tempo, Kind.long, None]),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(_workouts, st.integers(1, 8))
def test_weekly_loads_add_up_to_every_rated_session_shown(workouts, weeks):
    day = d(1) + dt.timedelta(days=60)
    r = T.compute_trends(ANA, workouts, [], day, weeks, SETTINGS, CONFIG)
    shown = [w for w in workouts if r.start <= w.date <= r.end]
    rated = [w.rpe * w.duration_s / 60 for w in shown if w.rpe is not None]
    assert sum(p.load for p in r.weeks) == pytest.approx(sum(rated), abs=0.1 * weeks)
    assert sum(p.sessions for p in r.weeks) == len(shown) == r.workouts
    assert sum(p.unrated for p in r.weeks) == len(shown) - len(rated)
    assert all(p.acwr is None or p.acwr >= 0 for p in r.weeks)


def test_the_rule_set_check_reports_trends_problems(tmp_path):
    path = _write(tmp_path, "acwr_safe_band: {low: 0.8, high: 1.3}\nwork_pace_pct: -1\n")
    (problem,) = trends_of(tmp_path)[1]
    assert str(problem) == f"{path}:2: work_pace_pct must be a number above 0 and at most 100, not -1"
    assert trends_of(builtin_dir())[1] == []
    (tmp_path / "elsewhere").mkdir()
    assert trends_of(tmp_path / "elsewhere")[1] == []  # a rule set without trends.yml uses the built-in one


def test_note_on_weeks_with_less_than_28_days_behind_them():
    early = [w(2, Kind.easy, 5, 60, 12)]  # the log starts on Mar 2; the first week ends on Mar 22 (21 days)
    r = T.compute_trends(ANA, early + history(), [], DAY, 2, SETTINGS, CONFIG)
    assert ("Your log starts on 2026-03-02: weeks ending before 2026-03-29 have less than 28 days of history "
            "behind them, so their chronic load is low and their ACWR reads high.") in r.notes
    r = T.compute_trends(ANA, [w(1, Kind.easy, 5, 60, 12)] + history(), [], d(22) + dt.timedelta(days=7), 1,
                         SETTINGS, CONFIG)
    assert not any("Your log starts" in n or "Only" in n for n in r.notes)  # Mar 23-29 has 29 days behind it
