"""P11: the speed session right after a long run or a heavy day is backed off, keeping its purpose.

Issue 12 changed what these scenarios expect. The old rules fired "within 2 days" and moved
the main set one pace zone down; that was wrong twice over: a rest or easy day between
already absorbs the long run (P10), so the old "long run two days ago, rest yesterday"
scenario must now NOT back off; and backing off keeps the session's purpose (fewer reps at
the same pace, P11), so race-pace reps are never turned into easier running. "Heavy" is
judged against the athlete's own median session (`yesterday.load_ratio`), not a fixed load.

The histories below follow the rotating pattern (hard, light, hard, rest): a rest day three
days ago, a hard day two days ago, yesterday's light slot (where the long run or the heavy
session went) and today's hard slot.
"""

from __future__ import annotations

from coach.engine.model import Sport, Workout
from scenario_kit import DAY, Kind, days_before, main_distance, main_paces, principles_of, reason_of, rules_of, run


def _cycle(scenario, yesterday):
    """Baseline, then rest 3 days ago, intervals 2 days ago and `yesterday`'s workout."""
    scenario.baseline(drop=(1, 2, 3))
    scenario.log(run(days_before(DAY, 2), Kind.intervals, 45, 7, 9), yesterday)


def assert_same_pace_shorter(p, calm):
    """The same session at the same target paces, with a shorter main set."""
    assert p.session.kind == calm.session.kind and p.session.intensity == "hard"
    assert main_paces(p) == main_paces(calm)  # race-pace reps stay race pace
    assert main_distance(p) < main_distance(calm)


def test_long_run_yesterday_shortens_the_speed_session_at_the_same_pace(scenario, other):
    _cycle(other, run(days_before(DAY, 1), Kind.easy, 50, 3, 10))
    calm = other.propose()
    assert not principles_of(calm) & {"P11"}

    _cycle(scenario, run(days_before(DAY, 1), Kind.long, 95, 5, 18))
    p = scenario.propose()
    assert p.facts["yesterday.long_run"] is True
    assert "back-off-after-long-run" in rules_of(p)
    assert "You ran long yesterday" in reason_of(p, "back-off-after-long-run")
    assert_same_pace_shorter(p, calm)


def test_long_run_two_days_ago_with_a_rest_day_between_is_not_backed_off(scenario, other):
    other.baseline()
    calm = other.propose()

    scenario.baseline(drop=(2,))
    scenario.log(run(days_before(DAY, 2), Kind.long, 95, 5, 18))
    p = scenario.propose()
    assert p.facts["days_since.long_run"] == 2 and p.facts["yesterday.intensity"] == "rest"
    assert "P11" not in principles_of(p)
    assert p.session.kind == calm.session.kind and main_paces(p) == main_paces(calm)
    assert main_distance(p) == main_distance(calm)


def test_long_run_two_days_ago_with_an_easy_day_between_is_not_backed_off(scenario):
    scenario.baseline(drop=(1, 2, 3))
    scenario.log(run(days_before(DAY, 2), Kind.long, 95, 5, 18),
                 run(days_before(DAY, 1), Kind.easy, 40, 3, 8))
    p = scenario.propose()
    assert p.facts["days_since.long_run"] == 2 and p.facts["yesterday.long_run"] is False
    assert "P11" not in principles_of(p)


def test_a_run_long_for_this_athlete_counts_as_a_long_run_whatever_its_kind(scenario):
    _cycle(scenario, run(days_before(DAY, 1), Kind.easy, 80, 4, 15))  # median run about 45 min
    p = scenario.propose()
    assert p.facts["yesterday.long_run"] is True
    assert "back-off-after-long-run" in rules_of(p)


def test_heavy_session_yesterday_shortens_the_speed_session(scenario, other):
    _cycle(other, run(days_before(DAY, 1), Kind.easy, 50, 3, 10))
    calm = other.propose()

    ride = Workout(date=days_before(DAY, 1), sport=Sport.bike, duration_s=110 * 60, rpe=5)  # load 550
    _cycle(scenario, ride)  # the athlete's typical session is about 315
    p = scenario.propose()
    assert p.facts["yesterday.load_ratio"] >= 1.5 and p.facts["yesterday.long_run"] is False
    assert "back-off-after-heavy-day" in rules_of(p)
    assert "times your typical session" in reason_of(p, "back-off-after-heavy-day")
    assert_same_pace_shorter(p, calm)


def test_long_run_earlier_in_the_week_changes_nothing(scenario):
    scenario.baseline(drop=(3,))
    scenario.log(run(days_before(DAY, 3), Kind.long, 95, 5, 18))
    p = scenario.propose()
    assert p.facts["days_since.long_run"] == 3
    assert "P11" not in principles_of(p)
    assert p.session.intensity == "hard"
