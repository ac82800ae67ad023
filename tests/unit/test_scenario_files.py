"""The scenario file format of `coach rules test`: valid files build histories, bad ones say file:line."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from coach.engine.rules import SourceFile
from coach.service.scenario_files import baseline_history, parse_scenarios

DAY = dt.date(2026, 11, 19)


def parse(text: str):
    return parse_scenarios(SourceFile("mine.yml", textwrap.dedent(text)))


def problems(text: str) -> list[str]:
    found, wrong = parse(text)
    assert found == [], "a file with problems yields no scenario"
    return [str(p) for p in wrong]


def test_a_full_scenario_builds_its_athlete_history_and_expectations():
    found, wrong = parse("""\
        scenarios:
          - name: sore legs
            principle: P7
            date: 2026-11-19
            athlete: {goal: 10k, race_in_days: 30}
            history:
              baseline: 2
              drop: [2]
              workouts:
                - {days_before: 2, kind: tempo, minutes: 45, rpe: 7, km: 10, soreness: 7}
                - date: 2026-11-15
                  kind: intervals
                  minutes: 40
                  reps: {distance_m: 400, target: 240, paces: [240, 250]}
            expect:
              kind: [cross, steady]
              not_intensity: hard
              fired: [fatigue-sore-legs]
              main_m: {max: 100}
              facts: {plan.slot: hard}
        """)
    assert wrong == []
    (s,) = found
    assert (s.name, s.principle, s.date, s.line) == ("sore legs", "P7", DAY, 2)
    assert s.athlete.goal == "10k" and s.athlete.race_date == DAY + dt.timedelta(days=30)
    assert s.athlete.recent_races[0].time_s == 1230, "the default athlete's 5K in 20:30"
    base = [w for w in baseline_history(DAY, 2) if (DAY - w.date).days != 2]
    assert len(s.history) == len(base) + 2
    sore = [w for w in s.history if w.soreness == 7]
    assert sore[0].date == DAY - dt.timedelta(days=2) and sore[0].distance_m == 10000
    assert sore[0].duration_s == 45 * 60
    reps = [w for w in s.history if w.reps][0].reps
    assert [r.duration_s for r in reps] == [96, 100] and reps[0].target_pace_s_per_km == 240
    assert s.expect.kind == ("cross", "steady") and s.expect.not_intensity == ("hard",)
    assert s.expect.main_m_max == 100 and s.expect.main_m_min is None
    assert s.expect.lines["fired"] == 18 and s.expect.lines["facts:plan.slot"] == 20
    assert [w.date for w in s.history] == sorted(w.date for w in s.history)


def test_the_baseline_is_a_four_day_cycle_ending_with_a_rest_day():
    history = baseline_history(DAY, 5)
    days = {(DAY - w.date).days: w for w in history}
    assert 1 not in days and 5 not in days, "rest days"
    assert days[4].kind == "intervals" and days[3].kind == "easy" and days[2].kind == "tempo"
    assert min(days) == 2 and max(days) == 35 and len(history) == 35 - 9


@pytest.mark.parametrize("text, message", [
    ("scenarios: []\n", "mine.yml:1: scenarios: expected a non-empty list"),
    ("scenarios:\n  - name: x\n    date: 2026-11-19\n    expect: {kind: stedy}\n",
     "mine.yml:4: expect.kind: unknown value 'stedy' (did you mean \"steady\"?)"),
    ("scenarios:\n  - name: x\n    date: 2026-11-19\n    expect: {kind: easy}\n    histroy: {}\n",
     "mine.yml:5: scenario: unknown key 'histroy' (did you mean \"history\"?)"),
    ("scenarios:\n  - name: x\n    expect: {kind: easy}\n", "mine.yml:2: scenario: missing key 'date'"),
    ("scenarios:\n  - name: x\n    date: 19.11.2026\n    expect: {kind: easy}\n",
     "mine.yml:3: date: expected a date (YYYY-MM-DD)"),
    ("scenarios:\n  - name: x\n    date: 2026-11-19\n    expect: {kind: easy}\n    history:\n"
     "      workouts:\n        - {days_before: 1, kind: easy, minutes: 30, rpe: 11}\n",
     "mine.yml:7: workout.rpe: Input should be less than or equal to 10"),
    ("scenarios:\n  - name: x\n    date: 2026-11-19\n    expect: {kind: easy}\n    history:\n"
     "      workouts:\n        - {kind: easy, minutes: 30}\n",
     "mine.yml:7: workout: give either days_before or date"),
    ("scenarios:\n  - name: x\n    date: 2026-11-19\n    expect: {main_m: {max: lots}}\n",
     "mine.yml:4: expect.main_m.max: expected a number >= 0, got 'lots'"),
    ("scenarios:\n  - name: x\n    date: 2026-11-19\n    expect: {kind: easy}\n    athlete: {goal: 3k}\n",
     "mine.yml:5: athlete.goal: Input should be"),
    ("scenarios:\n  - name: x\n    date: 2026-11-19\n    expect: {kind: easy\n",
     "mine.yml:5: YAML syntax"),
    ("scenarios:\n  - name: x\n    date: 2026-11-19\n    expect: {kind: easy}\n"
     "  - name: x\n    date: 2026-11-19\n    expect: {kind: easy}\n",
     "mine.yml:5: scenario 'x': the same name as line 2"),
])
def test_a_bad_file_names_file_line_and_field(text, message):
    found = problems(text)
    assert any(p.startswith(message) for p in found), found


def test_every_problem_of_a_file_is_reported_not_only_the_first():
    found = problems("""\
        scenarios:
          - name: a
            date: 2026-11-19
            expect: {kind: stedy}
          - name: b
            date: 2026-11-19
            expect: {intensity: brutal}
        """)
    assert [p.split(":")[1] for p in found] == ["4", "7"]
