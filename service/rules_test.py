"""Use case: `coach rules test`: run a rule set's scenario files and say which fail, and how.

Each scenario's athlete and history go into an in-memory store (`coach.service.memory`);
the proposal comes from the same `propose` use case as `coach next`; the result is compared
with the scenario's `expect:`. A difference is one sentence a coach can read, located at the
file:line of the expectation that failed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.engine.rules import Problem
from coach.service.memory import MemoryUnitOfWork
from coach.service.scenario_files import SCENARIOS_DIR, Scenario, read_scenarios, scenario_paths

if TYPE_CHECKING:
    from coach.engine.model import Proposal
    from coach.engine.ruleset import RuleSet
    from coach.service.propose import Evaluator

__all__ = ["Difference", "ScenarioResult", "check_scenarios", "load_scenarios", "run_scenario",
           "run_scenarios", "scenarios_dir"]


@dataclass(frozen=True)
class Difference:
    """One way the proposal is not what a scenario expects, at the line of that expectation."""

    line: int
    message: str


@dataclass(frozen=True)
class ScenarioResult:
    """A scenario, the proposal made for it and its differences (none: it passed)."""

    scenario: Scenario
    proposal: Proposal
    differences: tuple[Difference, ...]

    @property
    def passed(self) -> bool:
        return not self.differences


def scenarios_dir(rules_dir: Path | str) -> Path:
    """The folder of a rule set's scenario files."""
    return Path(rules_dir) / SCENARIOS_DIR


def load_scenarios(paths: Sequence[Path | str], ruleset: RuleSet) -> tuple[list[Scenario], list[Problem]]:
    """Read scenario files or folders of them, and check them against the rule set.

    :param paths: scenario files, or folders whose `*.yml` are scenario files
    :param ruleset: the rule set the scenarios run on (rule ids in `fired:` must be its own)
    :return: the scenarios and every problem as file:line: message (run nothing if any)
    """
    files: list[Path] = []
    problems: list[Problem] = []
    for path in map(Path, paths):
        if path.is_dir():
            files += scenario_paths(path)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), 1, "no such scenario file or folder"))
    scenarios, wrong = read_scenarios(files)
    problems += wrong + check_scenarios(scenarios, ruleset)
    return scenarios, problems


def check_scenarios(scenarios: Sequence[Scenario], ruleset: RuleSet) -> list[Problem]:
    """The problems of scenarios that name rules the rule set does not have."""
    from coach.engine.rules.condition import did_you_mean

    ids = [r.id for r in ruleset.rules]
    problems = []
    for s in scenarios:
        for key in ("fired", "not_fired"):
            for rule in getattr(s.expect, key):
                if rule not in ids:
                    problems.append(Problem(s.file, s.expect.lines[key],
                                            f"expect.{key}: no rule {rule!r} in the rule set{did_you_mean(rule, ids)}"))
        for rule in s.expect.reasons:
            if rule not in ids:
                problems.append(Problem(s.file, s.expect.lines[f"reasons:{rule}"],
                                        f"expect.reasons: no rule {rule!r} in the rule set{did_you_mean(rule, ids)}"))
    return problems


def run_scenario(scenario: Scenario, ruleset: RuleSet, evaluator: Evaluator) -> ScenarioResult:
    """Propose the scenario's day from its history (in memory) and compare with its `expect:`."""
    from coach.service.propose import propose

    with MemoryUnitOfWork() as uow:
        athlete = uow.athletes.add(scenario.athlete)
        for workout in scenario.history:
            uow.workouts.add(athlete.id, workout)
        proposal = propose(uow, athlete, scenario.date, ruleset, evaluator)
    return ScenarioResult(scenario, proposal, tuple(differences(scenario, proposal)))


def run_scenarios(scenarios: Sequence[Scenario], ruleset: RuleSet, evaluator: Evaluator) -> list[ScenarioResult]:
    """Run scenarios in order, one athlete at a time."""
    return [run_scenario(s, ruleset, evaluator) for s in scenarios]


def main_distance(proposal: Proposal) -> float:
    """The main set's distance in metres (repeats counted)."""
    return sum((b.distance_m or 0) * b.repeat for b in proposal.session.blocks if b.phase.value == "main")


def _one_of(values: Sequence[str]) -> str:
    return values[0] if len(values) == 1 else "one of " + ", ".join(values)


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value).lower() if isinstance(value, bool) else str(value)


def differences(scenario: Scenario, proposal: Proposal) -> list[Difference]:
    """Every way `proposal` differs from what `scenario` expects, each in plain words."""
    e, out = scenario.expect, []
    session = proposal.session
    kind, intensity = str(session.kind), str(session.intensity)
    fired = [a.rule for a in proposal.adaptations]
    principles = {a.principle for a in proposal.adaptations}

    def add(key: str, message: str) -> None:
        out.append(Difference(e.lines.get(key, scenario.line), message))

    if e.kind and kind not in e.kind:
        add("kind", f"kind: expected {_one_of(e.kind)}, got {kind}")
    if kind in e.not_kind:
        add("not_kind", f"kind: must not be {kind}, got {kind}")
    if e.intensity and intensity not in e.intensity:
        add("intensity", f"intensity: expected {_one_of(e.intensity)}, got {intensity}")
    if intensity in e.not_intensity:
        add("not_intensity", f"intensity: must not be {intensity}, got {intensity}")
    for rule in e.fired:
        if rule not in fired:
            add("fired", f"{rule} did not change the proposal")
    for rule in e.not_fired:
        if rule in fired:
            reason = next(a.reason for a in proposal.adaptations if a.rule == rule)
            add("not_fired", f"{rule} changed the proposal but must not: {reason}")
    for p in e.principles:
        if p not in principles:
            add("principles", f"no rule of {p} changed the proposal")
    for p in e.not_principles:
        if p in principles:
            rules = ", ".join(a.rule for a in proposal.adaptations if a.principle == p)
            add("not_principles", f"{p} changed the proposal but must not (rules: {rules})")
    if e.main_m_min is not None or e.main_m_max is not None:
        metres = main_distance(proposal)
        if e.main_m_min is not None and metres < e.main_m_min:
            add("main_m", f"main set: {metres:g} m, expected at least {e.main_m_min:g} m")
        if e.main_m_max is not None and metres > e.main_m_max:
            add("main_m", f"main set: {metres:g} m, expected at most {e.main_m_max:g} m")
    for name, want in e.facts.items():
        got = proposal.facts.get(name)
        if _show(got) != _show(want):
            out.append(Difference(e.lines.get(f"facts:{name}", scenario.line),
                                  f"fact {name}: expected {_show(want)}, got {_show(got)}"))
    for rule, words in e.reasons.items():
        reason = next((a.reason for a in proposal.adaptations if a.rule == rule), None)
        line = e.lines.get(f"reasons:{rule}", scenario.line)
        if reason is None:
            out.append(Difference(line, f"rule {rule} gave no reason: it did not change the proposal"))
        elif words not in reason:
            out.append(Difference(line, f"reason of {rule}: expected to say {words!r}, says {reason!r}"))
    return out
