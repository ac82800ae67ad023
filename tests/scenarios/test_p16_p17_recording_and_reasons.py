"""P16 and P17 through the command line a runner uses.

P16: what `coach log` records (distance, time, splits, RPE, heart rate, soreness, sleep,
form notes) reaches the facts the rules fire on. P17: every change to a proposal is listed
with its rule, principle and the numbers that triggered it, and `coach why` says, for the
rules that did not fire, which part was false with the values.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from coach.cli.main import cli

DAY = dt.date(2026, 11, 19)


def _days_before(n: int) -> str:
    return (DAY - dt.timedelta(days=n)).isoformat()


@pytest.fixture
def coach_cli(runner, tmp_path):
    db = str(tmp_path / "coach.db")

    def call(*args: str):
        result = runner.invoke(cli, [*args, "--db", db], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    call("init", "--name", "Ana", "--goal", "5k", "--recent-race", "5k=20:30", "--rest-day", "sun")
    return call


def _log_calm_weeks(call):
    """Four weeks of a steady cycle (intervals, easy, tempo, rest), ending with a rest day yesterday."""
    for n in range(28, 1, -1):
        phase = n % 4
        if phase == 1:
            continue
        kind, minutes, rpe, km = {0: ("intervals", "45:00", "7", "9km"), 3: ("easy", "50:00", "3", "10km"),
                                  2: ("tempo", "45:00", "7", "10km")}[phase]
        call("log", "--date", _days_before(n), "--kind", kind, "--duration", minutes, "--rpe", rpe, "--distance", km)


def test_p16_what_the_athlete_logs_is_what_the_rules_see(coach_cli):
    _log_calm_weeks(coach_cli)
    coach_cli("log", "--date", _days_before(1), "--kind", "intervals", "--distance", "6km", "--duration", "40:00",
              "--rpe", "9", "--avg-hr", "171", "--soreness", "6", "--sleep", "5.5",
              "--splits", "1:36,1:36,1:37,1:37,1:44,1:46", "--rep-distance", "400m",
              "--notes", "legs heavy from rep 5")
    proposal = json.loads(coach_cli("next", "--date", DAY.isoformat(), "--json"))
    facts = proposal["facts"]
    assert facts["yesterday.rpe"] == 9
    assert facts["yesterday.load"] == pytest.approx(9 * 40)  # session-RPE: RPE x minutes
    assert facts["wellness.soreness"] == 6 and facts["wellness.sleep_h"] == 5.5
    assert facts["form.reps"] == 6 and facts["form.broke"] is True and facts["form.broke_at_rep"] == 5
    assert facts["form.pace_drift_pct"] > 5
    history = json.loads(coach_cli("history", "--since", _days_before(1), "--json"))
    logged = [w for w in history["workouts"] if w["date"] == _days_before(1)][0]
    assert logged["notes"] == "legs heavy from rep 5" and logged["avg_hr"] == 171
    assert [r["duration_s"] for r in logged["reps"]] == [96, 96, 97, 97, 104, 106]


def test_p17_every_change_names_its_rule_principle_and_numbers(coach_cli):
    _log_calm_weeks(coach_cli)
    coach_cli("log", "--date", _days_before(1), "--kind", "easy", "--distance", "8km", "--duration", "45:00",
              "--rpe", "3", "--soreness", "7", "--sleep", "5")
    proposal = json.loads(coach_cli("next", "--date", DAY.isoformat(), "--json"))
    assert proposal["adaptations"], "sore legs and short sleep change the session"
    for adaptation in proposal["adaptations"]:
        assert re.fullmatch(r"[a-z0-9-]+", adaptation["rule"])
        assert re.fullmatch(r"P([1-9]|1[0-7])", adaptation["principle"])
        assert re.search(r"\d", adaptation["reason"]), adaptation["reason"]
    p7 = [a for a in proposal["adaptations"] if a["principle"] == "P7"]
    assert p7, "accumulated fatigue (P7) swaps the fast day"
    assert re.search(r"soreness 7/10|slept 5(\.0)? ?h", p7[0]["reason"]), p7[0]["reason"]
    assert proposal["session"]["intensity"] != "hard"
    text = coach_cli("next", "--date", DAY.isoformat())
    for adaptation in proposal["adaptations"]:
        assert adaptation["rule"] in text and f"({adaptation['principle']})" in text


def test_p17_an_unchanged_session_lists_no_adaptation_and_why_shows_the_false_parts(coach_cli):
    _log_calm_weeks(coach_cli)
    proposal = json.loads(coach_cli("next", "--date", DAY.isoformat(), "--json"))
    assert proposal["session"]["intensity"] == "hard"
    assert [a for a in proposal["adaptations"] if not a["rule"].startswith("paces-")] == []
    why = json.loads(coach_cli("why", "--date", DAY.isoformat(), "--json"))
    text = json.dumps(why)
    assert "fatigue-load-spike" in text
    assert re.search(r"load\.acwr", text) and "false" in text.lower()
