"""The season (engine/season.py): phases, the calendar week, targets, P11 facts, race pacing."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.engine.model import Athlete, Kind, Sport, Workout
from coach.service.rulesets import read_rule_set as load_ruleset
from coach.engine.season import (
    back_off_facts,
    pacing_plan,
    position,
    season_facts,
    parse_season,
    week_layout,
)
from coach.engine.rules.source import SourceFile

RACE = dt.date(2027, 3, 21)  # a Sunday
SEASON = load_ruleset(None).season
KINDS = {"tempo": "hard", "intervals": "hard", "three_zone": "hard", "race": "hard", "long": "moderate",
         "easy": "easy", "recovery": "easy", "rest": "rest"}
HARD = {"tempo", "intervals", "three_zone", "repetitions"}


def athlete(**kw) -> Athlete:
    kw.setdefault("goal", "marathon")
    kw.setdefault("race_date", RACE)
    kw.setdefault("long_run_day", "sun")
    kw.setdefault("rest_days", ["mon"])
    kw.setdefault("days_per_week", 5)
    return Athlete(name="A", **kw)


def weeks_before(n: int, weekday: int = 2) -> dt.date:
    monday = RACE - dt.timedelta(days=RACE.weekday())
    return monday - dt.timedelta(weeks=n) + dt.timedelta(days=weekday)


@pytest.mark.parametrize("goal, weeks, phase", [
    ("marathon", 0, "taper"), ("marathon", 2, "taper"), ("marathon", 3, "peak"), ("marathon", 5, "peak"),
    ("marathon", 6, "build"), ("marathon", 11, "build"), ("marathon", 12, "base"),
    ("5k", 0, "taper"), ("5k", 1, "peak"), ("5k", 3, "build"), ("5k", 7, "build"), ("5k", 8, "base"),
])
def test_phases_count_back_from_the_race_week_by_goal(goal, weeks, phase):
    where = position(SEASON, athlete(goal=goal), weeks_before(weeks))
    assert where.phase == phase and where.weeks_to_race == weeks


def test_race_day_recovery_after_and_rolling_blocks_without_a_race():
    assert position(SEASON, athlete(), RACE).phase == "race"
    assert position(SEASON, athlete(), RACE + dt.timedelta(days=14)).phase == "recovery"  # marathon: 14 days
    assert position(SEASON, athlete(), RACE + dt.timedelta(days=15)).phase == "rolling"
    rolling = [position(SEASON, athlete(race_date=None), weeks_before(n)) for n in range(8)]
    assert {p.phase for p in rolling} == {"rolling"}
    assert sum(p.down_week for p in rolling) == 2  # one week in four is down


def test_down_weeks_every_fourth_week_before_the_taper_are_lighter():
    weeks = [position(SEASON, athlete(), weeks_before(n)) for n in range(15, 2, -1)]
    downs = [i for i, p in enumerate(weeks) if p.down_week]
    assert downs and all(b - a == 4 for a, b in zip(downs, downs[1:]))
    for i in downs:
        assert weeks[i].volume_min < weeks[i - 1].volume_min and weeks[i].long_run_min < weeks[i - 1].long_run_min
        assert weeks[i].key_factor <= SEASON.key_sessions.down_week


def test_long_run_and_volume_grow_to_the_goals_peak_then_taper():
    ups = [position(SEASON, athlete(), weeks_before(n)) for n in range(14, 2, -1)]
    ups = [p for p in ups if not p.down_week]
    assert [p.long_run_min for p in ups] == sorted(p.long_run_min for p in ups)
    assert ups[-1].long_run_min == SEASON.goals["marathon"].long_run_peak
    taper = [position(SEASON, athlete(), weeks_before(n)) for n in (2, 1, 0)]
    assert [p.volume_min for p in taper] == sorted((p.volume_min for p in taper), reverse=True)
    assert taper[-1].long_run_min == 0 and taper[0].volume_min < ups[-1].volume_min


def test_key_sessions_grow_through_build_within_the_cap():
    build = [position(SEASON, athlete(), weeks_before(n)) for n in range(11, 5, -1)]
    factors = [p.key_factor for p in build if not p.down_week]
    assert factors == sorted(factors) and factors[-1] > factors[0]
    assert max(factors) <= SEASON.key_sessions.max


def test_the_long_run_grows_one_step_above_the_athletes_own_longest_run():
    day = weeks_before(4, weekday=6)
    runs = [Workout(date=day - dt.timedelta(days=7), sport=Sport.run, kind=Kind.long, duration_s=100 * 60, rpe=5)]
    facts = season_facts(SEASON, athlete(), day, KINDS, runs)
    assert facts["season.long_run_min"] == round(100 * 1.08)
    assert season_facts(SEASON, athlete(), day, KINDS, [])["season.long_run_min"] > 108


@pytest.mark.parametrize("rest, long_day, per_week", [
    (["mon"], "sun", 5), (["mon"], "sun", 6), (["fri"], "sat", 6), (["sun"], "sat", 5), (["wed", "sun"], "sat", 4),
    ([], "sun", 7), (["mon"], "sun", 4),
])
@pytest.mark.parametrize("weeks", [9, 4, 1])
def test_the_week_is_placed_on_the_athletes_days(rest, long_day, per_week, weeks):
    a = athlete(rest_days=rest, long_run_day=long_day, days_per_week=per_week)
    layout = week_layout(SEASON, a, weeks_before(weeks))
    kinds = list(layout.values())
    days = list(layout)
    assert sum(k != "rest" for k in kinds) == per_week
    for d in days:
        if d.strftime("%a").lower() in rest:
            assert layout[d] == "rest"
    assert layout[days[["mon", "tue", "wed", "thu", "fri", "sat", "sun"].index(long_day)]] == "long"
    # P10: never two hard days in a row (the week repeats: Sunday touches next Monday)
    for i in range(7):
        assert not (kinds[i] in HARD and kinds[(i + 1) % 7] in HARD)
    # P11: never the day after the long run
    i = kinds.index("long")
    assert kinds[(i + 1) % 7] not in HARD
    phase = position(SEASON, a, days[0]).phase
    template = SEASON.weeks[phase]
    wanted = template.down_week_hard if position(SEASON, a, days[0]).down_week else len(template.hard)
    if per_week >= 5:  # room for every hard session of the template
        assert sum(k in HARD for k in kinds) == wanted
    else:
        assert 1 <= sum(k in HARD for k in kinds) <= wanted


def test_the_first_hard_session_goes_after_a_rest_day():
    layout = list(week_layout(SEASON, athlete(), weeks_before(8)).values())
    first_hard = next(i for i, k in enumerate(layout) if k in HARD)
    assert layout[first_hard] == "intervals" and layout[first_hard - 1] == "rest"


def test_race_week_race_day_no_hard_in_the_last_two_days_and_rest_after():
    a = athlete(goal="5k", race_date=RACE - dt.timedelta(days=1))  # a Saturday race
    layout = week_layout(SEASON, a, a.race_date)
    race = a.race_date
    assert layout[race] == "race"
    for n in (1, 2):
        assert layout[race - dt.timedelta(days=n)] not in HARD
    assert layout[race + dt.timedelta(days=1)] == "rest"
    assert any(k in HARD for d, k in layout.items() if d < race)
    facts = season_facts(SEASON, a, race, KINDS)
    assert (facts["plan.kind"], facts["plan.intensity"]) == ("race", "hard")


def test_without_a_long_run_day_the_rotating_pattern_stays():
    facts = season_facts(SEASON, athlete(long_run_day=None), weeks_before(5), KINDS)
    assert "plan.kind" not in facts and facts["season.calendar"] is False
    assert facts["season.phase"] == "peak"


def test_back_off_facts_are_relative_to_the_athletes_own_sessions():
    day = dt.date(2026, 12, 10)

    def history(minutes: float, rpe: int) -> list[Workout]:
        return [Workout(date=day - dt.timedelta(days=n), sport=Sport.run, kind=Kind.easy,
                        duration_s=minutes * 60, rpe=rpe) for n in range(2, 20, 2)]

    yesterday = Workout(date=day - dt.timedelta(days=1), sport=Sport.run, kind=Kind.steady, duration_s=75 * 60, rpe=7)
    light = back_off_facts(history(45, 6) + [yesterday], day, SEASON)   # typical 270: yesterday is heavy
    heavy = back_off_facts(history(90, 6) + [yesterday], day, SEASON)   # typical 540: it is not
    assert light["load.typical_session"] == 270 and light["yesterday.load_ratio"] == pytest.approx(525 / 270, abs=0.01)
    assert heavy["yesterday.load_ratio"] < 1.0
    assert light["yesterday.long_run"] is True      # 75 min is 1.5 times a 45-minute median run or more
    assert heavy["yesterday.long_run"] is False     # not for someone whose runs last 90 minutes
    rest_between = back_off_facts(history(45, 6) + [yesterday.model_copy(update={"date": day - dt.timedelta(days=3)})],
                                  day, SEASON)
    assert rest_between["yesterday.long_run"] is False and rest_between["yesterday.load_ratio"] == 0


def test_pacing_plan_splits_add_up_to_the_target():
    # a 3:00:00 marathon is 4:15.9/km; the plan starts 1 % slower and finishes on target
    text = pacing_plan(42195.0, 10800 / 42.195, 1.0)
    assert "target 3:00:00" in text and "finish 3:00:00" in text
    assert "5 km 21:33" in text  # 5 km at 4:15.9/km + 1 % = 21:33
    assert "10 km 42:51" in text  # the other 37.195 km share the 21:27 left from 3:00:00 evenly
    five = pacing_plan(5000.0, 240.0, 1.0)  # 20:00 for 5 km
    assert "target 20:00" in five and "km 1 4:02" in five and "finish 20:00" in five


def _problems(tmp_path, text):
    path = tmp_path / "season.yml"
    path.write_text(text)
    season, problems = parse_season(SourceFile(str(path), text))
    return season, problems


def test_season_yml_problems_name_file_and_line(tmp_path):
    text = (load_ruleset(None).directory / "season.yml").read_text()
    bad = text.replace("volume_step_pct: 7 ", "volume_step_pct: 40 ").replace("down_every: 4", "down_every: four")
    season, problems = _problems(tmp_path, bad)
    assert season is None and len(problems) == 2
    lines = bad.splitlines()
    for p in problems:
        assert p.file.endswith("season.yml")
        assert ("volume_step_pct" in lines[p.line - 1]) or ("down_every" in lines[p.line - 1])
    assert any("progression.volume_step_pct" in p.message for p in problems)


def test_a_missing_goal_is_a_problem(tmp_path):
    text = (load_ruleset(None).directory / "season.yml").read_text()
    season, problems = _problems(tmp_path, text.replace("  half:     {long_run_start", "  halff:    {long_run_start"))
    assert season is None and problems and any("goals" in p.message for p in problems)


@pytest.mark.parametrize("weeks, taper, peak, build", [
    (20, 3, 3, 6),   # room for everything: the goal's lengths, base before
    (12, 3, 3, 6),
    (8, 3, 2, 4),    # 6 weeks before the taper: peak and build share them
    (5, 2, 1, 3),
    (2, 1, 1, 1),
])
def test_a_short_runway_compresses_the_marathon_season(weeks, taper, peak, build):
    from coach.engine.season import phase_lengths

    start = weeks_before(weeks, weekday=0)
    lengths = phase_lengths(SEASON, athlete(season_start=start))
    assert (lengths.taper_weeks, lengths.peak_weeks, lengths.build_weeks) == (taper, peak, build)
    first = position(SEASON, athlete(season_start=start), start)
    assert first.phase == ("base" if weeks >= 12 else "build")  # week 12 before is one base week


def test_setting_a_race_date_starts_the_season_that_day():
    from coach.storage.logbook import parse_athlete

    today = dt.date(2026, 12, 1)
    a = parse_athlete({"name": "A", "race_date": "2027-03-21"}, today=today)
    assert a.season_start == today
    later = parse_athlete({"race_date": "2027-03-21", "goal": "half"}, base=a, today=today + dt.timedelta(days=9))
    assert later.season_start == today  # the same race: the same season
    moved = parse_athlete({"race_date": "2027-04-18"}, base=a, today=today + dt.timedelta(days=9))
    assert moved.season_start == today + dt.timedelta(days=9)
    assert parse_athlete({"race_date": "none"}, base=a, today=today).season_start is None
