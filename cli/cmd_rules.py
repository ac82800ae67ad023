"""`coach rules`: check, list, show and copy rule sets; print the words rule files may use."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from coach.cli.options import athlete_option, db_option, handle_errors, json_option, resolve_day, rules_option


def _load(rules_dir):
    from coach.cli.rulesets import resolve_rules_dir
    from coach.service.rulesets import read_rule_set

    return read_rule_set(resolve_rules_dir(rules_dir))


@click.group("rules")
def rules_group() -> None:
    """Check, list and edit the rule sets that adapt your sessions.

    A rule set is a folder of YAML files: settings.yml, rule files, session
    templates. The rule set in use is --rules DIR (or COACH_RULES), else the
    [rules] dir of config.toml, else your copy from `coach rules init`, else
    the built-in rules. See `coach rules facts` for the words conditions may use.

    \b
    Example:
      coach rules init && coach rules check
    """


@rules_group.command("check")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@rules_option
@handle_errors
def check_command(directory, rules_dir) -> None:
    """Check a rule set: print every problem as file:line: message.

    Checks rule files, settings.yml, session templates, the overrides of
    overrides/ and the scenario files of scenarios/ (`coach rules test`).
    Exits 1 if there is any problem. Without DIR, checks the rule set in use.

    \b
    Example:
      coach rules check ~/my-rules
    """
    from coach.cli.rulesets import resolve_rules_dir
    from coach.engine.rules import builtin_dir
    from coach.service.rulesets import validate_directory

    target = resolve_rules_dir(directory or rules_dir)
    ruleset, problems = validate_directory(target)
    where = target if target is not None else builtin_dir()
    if ruleset is not None:  # the scenario files of `coach rules test` too
        from coach.service.rules_test import load_scenarios, scenarios_dir

        folder = scenarios_dir(where)
        problems = load_scenarios([folder], ruleset)[1] if folder.is_dir() else []
    for problem in problems:
        click.echo(str(problem))
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) in {where}")
    click.echo(f"{len(ruleset.rules)} rules OK in {where}")


@rules_group.command("list")
@json_option
@rules_option
@handle_errors
def list_command(as_json, rules_dir) -> None:
    """List the rules of the rule set in use, highest priority first.

    \b
    Example:
      coach rules list --json
    """
    ruleset = _load(rules_dir)
    if as_json:
        click.echo(json.dumps([_rule_json(r) for r in ruleset.rules], indent=2, ensure_ascii=False))
        return
    width = max((len(r.id) for r in ruleset.rules), default=2)
    click.echo(f"{'ID':<{width}}  {'P':<3}  PRIO  DESCRIPTION")
    for r in ruleset.rules:
        _echo_wrapped(f"{r.id:<{width}}  {r.principle:<3}  {r.priority:>4}  ", r.description)
    _echo_wrapped("", f"{len(ruleset.rules)} rules in {ruleset.directory} (version {ruleset.version}); "
                      "P: principle, PRIO: priority", indent=2)


def _echo_wrapped(head: str, text: str, indent: int | None = None) -> None:
    """`head` then `text`, wrapped at 80 columns under the text (or `indent` spaces)."""
    import textwrap

    click.echo(textwrap.fill(head + text, 80, subsequent_indent=" " * (len(head) if indent is None else indent),
                             break_long_words=False, break_on_hyphens=False))


def _rule_json(rule) -> dict:
    return {
        "id": rule.id, "principle": rule.principle, "priority": rule.priority,
        "description": rule.description, "when": rule.when,
        "then": [{a.name: a.params} for a in rule.then], "reason": rule.reason,
        "file": rule.file, "line": rule.line,
    }


@rules_group.command("show")
@click.argument("rule_id")
@json_option
@click.option("--compiled", is_flag=True, help="Also print the durable_rules form the condition compiles to.")
@rules_option
@handle_errors
def show_command(rule_id, as_json, compiled, rules_dir) -> None:
    """Show one rule in full: where it is, its condition, actions and reason.

    \b
    Example:
      coach rules show fatigue-load-spike
    """
    from coach.engine.rules.compiler import compiled_json

    ruleset = _load(rules_dir)
    rule = ruleset.rule(rule_id)
    data = _rule_json(rule)
    if compiled:
        data["compiled"] = compiled_json([rule])["r0"]["all"]
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"{rule.id}  ({rule.file}:{rule.line})")
    click.echo(f"  principle:   {rule.principle}")
    click.echo(f"  priority:    {rule.priority}")
    _echo_wrapped("  description: ", rule.description)
    _echo_wrapped("  when:        ", rule.when)
    for action in rule.then:
        params = ", ".join(f"{k}: {v}" for k, v in action.params.items())
        _echo_wrapped("  then:        ", action.name + (f" {{{params}}}" if params else ""))
    _echo_wrapped("  reason:      ", rule.reason)
    if compiled:
        click.echo("  compiled:    " + json.dumps(data["compiled"], ensure_ascii=False))


@rules_group.command("init")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite files already in DIR.")
@handle_errors
def init_command(directory, force) -> None:
    """Copy the built-in rule set to DIR (default: rules/ in your config directory) to edit.

    The copy in your config directory is used automatically from then on; a copy
    elsewhere is used with --rules DIR. Refuses to overwrite files without --force.

    \b
    Example:
      coach rules init ~/my-rules
    """
    from coach.cli.rulesets import copy_ruleset, user_rules_dir

    target = Path(directory) if directory else user_rules_dir()
    count = copy_ruleset(target, force=force)
    click.echo(f"Copied the built-in rule set ({count} files) to {target}")
    hint = "" if directory is None else f" and use it with --rules {target}"
    click.echo(f"Edit it, check it with `coach rules check {target}`{hint}.")


@rules_group.command("facts")
@json_option
def facts_command(as_json) -> None:
    """The facts rule conditions may use: name, type, unit and meaning.

    \b
    Example:
      coach rules facts --json
    """
    from coach.engine.vocabulary import FACTS

    rows = [{"name": f.name, "type": f.type, "unit": f.unit, "meaning": f.description,
             "values": list(f.values)} for f in FACTS]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        kind = r["type"] + (f" ({r['unit']})" if r["unit"] else "")
        values = f" [{', '.join(r['values'])}]" if r["values"] else ""
        _echo_wrapped(f"{r['name']:<{width}}  {kind:<20}  ", f"{r['meaning']}{values}")


@rules_group.command("actions")
@json_option
def actions_command(as_json) -> None:
    """The actions rules may take in `then:`, with their parameters.

    \b
    Example:
      coach rules actions
    """
    from coach.engine.vocabulary import ACTIONS

    def param(p) -> dict:
        return {"name": p.name, "type": p.type, "required": p.required, "values": list(p.values),
                "minimum": p.minimum, "maximum": p.maximum}

    rows = [{"name": a.name, "description": a.description, "params": [param(p) for p in a.params]}
            for a in ACTIONS]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for a in ACTIONS:
        _echo_wrapped(f"{a.name}: ", a.description, indent=4)
        for p in a.params:
            limits = []
            if p.values:
                limits.append("one of " + ", ".join(p.values))
            if p.minimum is not None:
                limits.append(f"{p.minimum:g} to {p.maximum:g}")
            extra = f" ({'; '.join(limits)})" if limits else ""
            _echo_wrapped(f"    {p.name}: ", f"{p.type}{'' if p.required else ', optional'}{extra}", indent=8)


# --------------------------------------------------------------- the workbench: test, replay


@rules_group.command("test")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--scenarios", "scenario_paths", multiple=True, type=click.Path(), metavar="PATH",
              help="Scenario files or folders to run (default: DIR/scenarios). Repeatable.")
@click.option("-v", "--verbose", is_flag=True, help="Also list the scenarios that pass.")
@json_option
@rules_option
@handle_errors
def test_command(directory, scenario_paths, verbose, as_json, rules_dir) -> None:
    """Run the scenario files of a rule set: does each proposal come out as written?

    A scenario file (YAML, in the rule set's scenarios/ folder) lists
    scenarios: a name, a date, an optional athlete (sport, goal,
    race_in_days, recent_races, ...), a short history and what the
    proposal must and must not be:

    \b
      scenarios:
        - name: a load spike swaps the fast day to a steady run
          principle: P7
          date: 2026-11-19
          history:
            baseline: 5      # weeks of hard, easy, hard, rest
            drop: [2]        # days before the date left out
            workouts:
              - {days_before: 3, kind: steady, minutes: 60, rpe: 6}
          expect:
            kind: steady             # or a list: one of them
            not_intensity: hard
            fired: [fatigue-load-spike]
            not_fired: [no-hard-after-hard]
            main_m: {max: 4000}      # main-set metres
            facts: {plan.slot: hard}
            reasons: {fatigue-load-spike: "ACWR"}

    Other expect keys: intensity, not_kind, principles, not_principles.
    Workouts take days_before or date, sport, kind, minutes, km, rpe,
    soreness, sleep_h, avg_hr, form_broke_at and reps: {distance_m,
    target, paces: [s/km, ...]}. Nothing is written: each scenario runs
    in memory. Exits 1 if a scenario fails or a file is invalid.

    \b
    Example:
      coach rules test ~/my-rules
    """
    from coach.cli.rulesets import rule_set_in_use
    from coach.service.rules_test import load_scenarios, run_scenarios, scenarios_dir

    ruleset = rule_set_in_use(directory or rules_dir)
    paths = [Path(p) for p in scenario_paths] or [scenarios_dir(ruleset.directory)]
    scenarios, problems = load_scenarios(paths, ruleset)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) in the scenario files; nothing was run")
    if not scenarios:
        raise click.ClickException(f"no scenarios in {', '.join(map(str, paths))}")
    results = run_scenarios(scenarios, ruleset, ruleset.evaluator())
    failed = [r for r in results if not r.passed]
    if as_json:
        click.echo(json.dumps([_result_json(r) for r in results], indent=2, ensure_ascii=False))
    else:
        for r in results:
            if r.passed and verbose:
                click.echo(f"ok    {r.scenario.name}")
            elif not r.passed:
                _echo_failure(r)
        click.echo(f"{len(results)} scenarios: {len(results) - len(failed)} passed, {len(failed)} failed "
                   f"(rules in {ruleset.directory})")
    if failed:
        raise click.exceptions.Exit(1)


def _echo_failure(result) -> None:
    s, session = result.scenario, result.proposal.session
    click.echo(f"FAIL  {s.name}" + (f" ({s.principle})" if s.principle else ""))
    click.echo(f"      {s.where}, proposing {s.date.isoformat()}")
    for d in result.differences:
        click.echo(f"      line {d.line}: {d.message}")
    rules = ", ".join(a.rule for a in result.proposal.adaptations) or "none"
    click.echo(f"      proposed: {session.kind} ({session.intensity}); rules: {rules}")


def _result_json(result) -> dict:
    s = result.scenario
    return {"name": s.name, "file": s.file, "line": s.line, "principle": s.principle,
            "date": s.date.isoformat(), "passed": result.passed,
            "differences": [{"line": d.line, "message": d.message} for d in result.differences],
            "session": {"kind": str(result.proposal.session.kind),
                        "intensity": str(result.proposal.session.intensity)},
            "rules": [a.rule for a in result.proposal.adaptations]}


def _since(value: str, end):
    """The first day of a replay from --since: the last 12w or 30d up to `end`, or a date."""
    import datetime as dt

    text = value.strip().lower()
    try:
        if text[-1:] in ("d", "w") and text[:-1].isdigit():
            count = int(text[:-1]) * (7 if text[-1] == "w" else 1)
            if count < 1:
                raise ValueError
            return end - dt.timedelta(days=count - 1)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{value!r}: give weeks (12w), days (30d) or a date (YYYY-MM-DD)",
                                 param_hint="--since") from None


def _session_text(proposal) -> str:
    s = proposal.session
    return f"{s.kind}, {s.intensity}"


@rules_group.command("replay")
@click.option("--rules", "new_dir", required=True, type=click.Path(file_okay=False), metavar="NEW",
              help="The edited rule set to try.")
@click.option("--against", "old_dir", type=click.Path(file_okay=False), metavar="OLD",
              help="The rule set to compare with (default: the rule set in use).")
@athlete_option
@click.option("--all", "all_athletes", is_flag=True, help="Replay every athlete in the store.")
@click.option("--since", default="12w", show_default=True, metavar="12w|30d|DATE",
              help="First day replayed: the last weeks or days up to --until, or a date.")
@click.option("--until", "until", metavar="DATE", help="Last day replayed (default: yesterday).")
@json_option
@db_option
@handle_errors
def replay_command(new_dir, old_dir, athlete_name, all_athletes, since, until, as_json, db_url) -> None:
    """Replay past days with an edited rule set: which proposals would change?

    Proposes every day of the period twice, with OLD and with NEW, from
    what was logged before that day, and prints the days whose proposal
    differs: the date, the old and the new session, and the rules that
    made the difference (+ now changes it, - no longer does, ~ edited).
    Ends with a summary per athlete. Nothing is written.

    \b
    Example:
      coach rules replay --rules ~/my-rules --all --since 8w
    """
    import datetime as dt

    from coach.cli.rulesets import rule_set_in_use
    from coach.engine.errors import InvalidInput
    from coach.service.replay import RuleSide, replay
    from coach.storage import open_store

    if all_athletes and athlete_name:
        raise click.UsageError("give --athlete or --all, not both")
    end = resolve_day(until) if until else dt.date.today() - dt.timedelta(days=1)
    start = _since(since, end)
    if start > end:
        raise InvalidInput(f"--since {since}: starts after the last day replayed ({end.isoformat()})")
    new = rule_set_in_use(new_dir)
    old = rule_set_in_use(old_dir)
    sides = RuleSide(old, old.evaluator()), RuleSide(new, new.evaluator())
    with open_store(db_url) as store, store.unit_of_work() as uow:
        athletes = uow.athletes.list() if all_athletes else [uow.athletes.resolve(athlete_name)]
        total = len(athletes) * ((end - start).days + 1)
        if sys.stderr.isatty() and not as_json:
            with click.progressbar(length=total, label="Replaying", file=sys.stderr) as bar:
                result = replay(uow, athletes, start, end, *sides, progress=bar.update)
        else:
            result = replay(uow, athletes, start, end, *sides)
    if as_json:
        click.echo(json.dumps(_replay_json(result, old, new), indent=2, ensure_ascii=False))
        return
    click.echo(f"Replay {start.isoformat()} to {end.isoformat()}: {new.directory} (new)")
    click.echo(f"  against {old.directory} (old)")
    for day in result.days:
        click.echo(f"{day.athlete}  {day.date.isoformat()}  {_session_text(day.old)} -> {_session_text(day.new)}")
        click.echo(f"    rules: {', '.join(day.rules) or 'same rules, other session'}")
    for s in result.summaries:
        click.echo(f"{s.athlete}: {s.changed} of {s.days} days change; hard days {s.hard_old} -> {s.hard_new}; "
                   f"long runs {s.long_old} -> {s.long_new}")
        click.echo(f"    swapped {s.swaps}, shortened {s.shortened}, lengthened {s.lengthened}")


def _proposal_json(proposal) -> dict:
    from coach.service.replay import main_distance

    s = proposal.session
    return {"kind": str(s.kind), "intensity": str(s.intensity), "purpose": s.purpose,
            "main_m": round(main_distance(proposal), 1), "rules": [a.rule for a in proposal.adaptations]}


def _replay_json(result, old, new) -> dict:
    from dataclasses import asdict

    return {
        "start": result.start.isoformat(), "end": result.end.isoformat(),
        "old": {"directory": str(old.directory), "version": old.version},
        "new": {"directory": str(new.directory), "version": new.version},
        "days": [{"athlete": d.athlete, "date": d.date.isoformat(), "old": _proposal_json(d.old),
                  "new": _proposal_json(d.new), "added": list(d.added), "dropped": list(d.dropped),
                  "edited": list(d.edited)} for d in result.days],
        "summaries": [asdict(s) for s in result.summaries],
    }
