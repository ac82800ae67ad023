"""Per-athlete and per-group overrides (coach.engine.overrides): checked with file:line,
applied in order (groups first, then the athlete), and said in the reasons."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from coach.engine.model import Athlete, Kind, Sport, Workout
from coach.engine.overrides import applying, parse_overrides, tailor
from coach.engine.rules import SourceFile
from coach.service.memory import MemoryUnitOfWork
from coach.service.propose import propose
from coach.service.scenario_files import baseline_history

DAY = dt.date(2026, 11, 19)

GOOD = textwrap.dedent("""\
    groups:
      masters: [Ben, Cleo]
    overrides:
      - group: masters
        settings:
          facts.heavy_load: 400
          pattern:
            - {slot: hard, kind: intervals}
            - {slot: light, kind: easy}
            - {slot: rest, kind: rest}
      - athlete: Ana
        note: back from a stress fracture
        rules_off: [fatigue-poor-sleep]
        thresholds:
          fatigue-load-spike: {load.acwr: 1.1}
      - athlete: Ben
        settings: {facts.heavy_load: 450}
    """)


def parse(default_rules, text: str):
    return parse_overrides(SourceFile("over.yml", text), default_rules[0])


def test_a_valid_file_gives_one_override_per_entry_with_its_line(default_rules):
    overrides, problems = parse(default_rules, GOOD)
    assert problems == []
    assert overrides[0].settings["facts.heavy_load"] == 400
    assert [(o.who, o.line, o.athletes) for o in overrides] == [
        ("group masters", 4, ("Ben", "Cleo")), ("Ana", 11, ("Ana",)), ("Ben", 16, ("Ben",))]
    assert overrides[1].thresholds == {"fatigue-load-spike": {"load.acwr": 1.1}}
    assert [o.line for o in applying(overrides, "Ben")] == [4, 16], "the group first, then the athlete"
    assert applying(overrides, "Dan") == []


@pytest.mark.parametrize("text, expected", [
    ("overrides:\n  - athlete: Ana\n    rules_off: [fatigue-poor-slep]\n",
     'over.yml:3: override.rules_off: no rule \'fatigue-poor-slep\' in the rule set (did you mean "fatigue-poor-sleep"?)'),
    ("overrides:\n  - athlete: Ana\n    settings: {facts.heavy_lod: 3}\n",
     'over.yml:3: override.settings: unknown setting \'facts.heavy_lod\' (did you mean "facts.heavy_load"?)'),
    ("overrides:\n  - athlete: Ana\n    settings:\n      facts.hard_rpe: 14\n",
     "over.yml:4: override.settings.facts.hard_rpe: Input should be less than or equal to 10"),
    ("overrides:\n  - athlete: Ana\n    thresholds:\n      restoration-raised-load: {load.acwr: 1.2}\n",
     "over.yml:4: override.thresholds.restoration-raised-load: load.acwr: the rule compares it more than once"),
    ("overrides:\n  - athlete: Ana\n    thresholds:\n      fatigue-load-spike: {wellness.soreness: 3}\n",
     "over.yml:4: override.thresholds.fatigue-load-spike: wellness.soreness: the rule does not compare it"),
    ("overrides:\n  - group: juniors\n    rules_off: [fatigue-poor-sleep]\n",
     "over.yml:2: override.group: no group 'juniors' under groups:"),
    ("overrides:\n  - athlete: Ana\n", "over.yml:2: override: changes nothing"),
    ("overrides:\n  - athlete: Ana\n    group: x\n    rules_off: []\n", "over.yml:2: override: give either athlete or group"),
    ("overides: []\n", "over.yml:1: unknown key 'overides' (did you mean \"overrides\"?)"),
    ("overrides: [\n", "over.yml:2: YAML syntax"),
])
def test_a_bad_file_names_file_line_and_field(default_rules, text, expected):
    overrides, problems = parse(default_rules, text)
    assert overrides == []
    assert any(str(p).startswith(expected) for p in problems), [str(p) for p in problems]


def test_tailoring_changes_the_threshold_drops_rules_and_keeps_the_base(default_rules):
    base = default_rules[0]
    overrides, _ = parse(default_rules, GOOD)
    ana = tailor(base, applying(overrides, "Ana"))
    spike = ana.rule("fatigue-load-spike")
    assert "load.acwr > 1.1" in spike.when and "load.acwr > 1.3" in base.rule("fatigue-load-spike").when
    assert spike.reason.endswith("Override: load.acwr 1.1 instead of 1.3 for Ana (over.yml:11).")
    assert "fatigue-poor-sleep" not in {r.id for r in ana.rules}
    assert len(ana.rules) == len(base.rules) - 1
    assert ana.version.startswith(base.version + "+") and ana.settings == base.settings
    ben = tailor(base, applying(overrides, "Ben"))
    assert ben.settings.facts.heavy_load == 450, "the athlete's own override wins over the group's"
    assert [d.slot for d in ben.settings.pattern] == ["hard", "light", "rest"]
    assert ben.rules == base.rules


def _spike(uow, name: str) -> Athlete:
    athlete = uow.athletes.add(Athlete(name=name, rest_days=[],
                                       recent_races=[{"label": "5k", "distance_m": 5000, "time_s": 1230}]))
    for w in baseline_history(DAY, 5) + [Workout(date=DAY - dt.timedelta(days=n), sport=Sport.run, kind=Kind.steady,
                                                 duration_s=3000, rpe=6, distance_m=10000) for n in (3, 6)]:
        uow.workouts.add(athlete.id, w)
    return athlete


def test_overrides_change_only_the_athletes_they_belong_to(default_rules):
    base, evaluator = default_rules
    overrides, _ = parse(default_rules, GOOD)
    ruleset = base.model_copy(update={"overrides": tuple(overrides)})
    uow = MemoryUnitOfWork()
    ana, dan = _spike(uow, "Ana"), _spike(uow, "Dan")
    plain = {a.name: propose(uow, a, DAY, base, evaluator) for a in (ana, dan)}
    tailored = {a.name: propose(uow, a, DAY, ruleset, evaluator) for a in (ana, dan)}
    assert tailored["Dan"] == plain["Dan"]
    assert plain["Ana"].session.kind == "intervals" and tailored["Ana"].session.kind == "steady"
    reason = next(a.reason for a in tailored["Ana"].adaptations if a.rule == "fatigue-load-spike")
    assert "Override: load.acwr 1.1 instead of 1.3 for Ana (over.yml:11)" in reason
    assert tailored["Ana"].rules_version != tailored["Dan"].rules_version == base.version


def test_an_overridden_setting_that_changes_the_facts_says_so(default_rules):
    base, evaluator = default_rules
    overrides, _ = parse(default_rules, GOOD)
    ruleset = base.model_copy(update={"overrides": tuple(overrides)})
    uow = MemoryUnitOfWork()
    cleo = _spike(uow, "Cleo")
    # hard on DAY (after the baseline's rest day), light the day after: the group's
    # three-day pattern rests on the third day where the default pattern is hard again
    uow.workouts.add(cleo.id, Workout(date=DAY, sport=Sport.run, kind=Kind.intervals, duration_s=2700, rpe=7))
    uow.workouts.add(cleo.id, Workout(date=DAY + dt.timedelta(days=1), sport=Sport.run, kind=Kind.easy,
                                      duration_s=2700, rpe=3))
    day = DAY + dt.timedelta(days=2)
    assert propose(uow, cleo, day, base, evaluator).facts["plan.slot"] == "hard"
    p = propose(uow, cleo, day, ruleset, evaluator)
    assert p.facts["plan.slot"] == "rest"
    (note,) = [a for a in p.adaptations if a.rule == "override-settings"]
    assert note.principle == "P12"
    assert note.reason.startswith("Override: facts.heavy_load 400; pattern hard (intervals), light (easy), rest (rest)"
                                  " for group masters (over.yml:4).")
    assert "plan.slot rest (not hard)" in note.reason


def test_any_number_of_the_settings_may_be_overridden_by_its_path(default_rules):
    text = "overrides:\n  - athlete: Ana\n    settings: {paces.race_window_days: 90}\n"
    (override,), problems = parse(default_rules, text)
    assert problems == []
    assert tailor(default_rules[0], [override]).settings.paces.race_window_days == 90
