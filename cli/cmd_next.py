"""`coach next` (propose a session) and `coach why` (explain every rule)."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import textwrap
import sys

import click

from coach.cli.safe_text import plain

from coach.cli.options import (athlete_option, date_option, db_option, handle_errors, json_option, resolve_day,
                               rules_option)


_COLLECTOR_PAUSED_ONCE: list[bool] = []


@contextlib.contextmanager
def collector_paused_once():
    """Run a short, bounded command without cyclic garbage collection, once per process.

    Starting `coach next` imports SQLAlchemy, pydantic and the rule engine, which build some
    hundred thousand long-lived objects (modules, classes, schemas, the rule set). The collector
    would scan them again and again, and once more at exit: a fifth of the command's run time,
    to find almost no garbage. So the first such command in a process runs with the collector
    off (one athlete and a fixed window of the log bound what it allocates; reference counting
    still frees everything else), then moves what exists into the collector's permanent
    generation (`gc.freeze`) and turns it back on. Later commands in the same process (tests
    calling the CLI in-process, say) run with the collector as it is.
    """
    if _COLLECTOR_PAUSED_ONCE or not gc.isenabled():
        yield
        return
    _COLLECTOR_PAUSED_ONCE.append(True)
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


@click.command("next")
@date_option
@json_option
@click.option("--explain", is_flag=True, help="Also show every rule, fired or not (like `coach why`).")
@click.option("--again", is_flag=True, help="Propose the day's session even if it is already done.")
@athlete_option
@rules_option
@db_option
@handle_errors
def next_command(on_date, as_json, explain, again, athlete_name, rules_dir, db_url):
    """Propose the session for today (or --date), adapted to your log by the rules.

    Prints the session (warm-up, main set, cool-down, with paces) and every adaptation
    with the rule, its principle and the numbers that triggered it; the proposal is saved.
    With --json, prints exactly the proposal's JSON and nothing else.

    When the day already has a workout of the proposed sport, says so ("you already did
    run intervals (44 min) today") and proposes the next day instead; --again proposes
    the day itself all the same.

    \b
    Example:
      coach next --date 2026-11-20 --json
    """
    with collector_paused_once():
        from coach.service.compliance import propose_unless_done
        from coach.storage import open_store

        from coach.cli.rulesets import rule_set_in_use

        day = resolve_day(on_date)
        ruleset = rule_set_in_use(rules_dir)
        evaluator = ruleset.evaluator()
        with open_store(db_url) as store, store.unit_of_work() as uow:
            athlete = uow.athletes.resolve(athlete_name)
            proposal, done = propose_unless_done(uow, athlete, day, ruleset, evaluator, again=again)
            uow.commit()
    if done is not None:
        today = on_date is None or day == dt.date.today()
        click.echo(f"You already did {done} {'today' if today else 'on ' + day.isoformat()}.", err=as_json)
        click.echo("Tomorrow's session follows (--again proposes today's)." if today else
                   f"The session for {proposal.date:%a %Y-%m-%d} follows (--again proposes {day.isoformat()}'s).",
                   err=as_json)
    if as_json:
        click.echo(json.dumps(proposal.to_json_dict(), indent=2, ensure_ascii=False))
        return
    _print_proposal(proposal, athlete.units.value)
    if explain:
        _print_explanation(evaluator.explain(athlete.name, proposal.facts))


@click.command("why")
@date_option
@json_option
@athlete_option
@rules_option
@db_option
@handle_errors
def why_command(on_date, as_json, athlete_name, rules_dir, db_url):
    """Explain the proposal: every rule, whether it fired, and if not, what was false.

    For a rule that did not fire, shows the part of its condition that was false with
    the fact values it compared (an unknown fact makes any comparison false). Nothing is saved.

    \b
    Example:
      coach why --date 2026-11-20
    """
    with collector_paused_once():
        from coach.cli.rulesets import rule_set_in_use
        from coach.engine.facts import fact_window
        from coach.engine.readiness import checkin_window
        from coach.service.propose import facts_for
        from coach.storage import open_store

        day = resolve_day(on_date)
        ruleset = rule_set_in_use(rules_dir)
        evaluator = ruleset.evaluator()
        from coach.service.overrides import for_athlete, override_lines

        with open_store(db_url) as store, store.unit_of_work() as uow:
            athlete = uow.athletes.resolve(athlete_name)
            overrides = override_lines(ruleset, athlete)
            ruleset, evaluator = for_athlete(ruleset, evaluator, athlete)
            facts = facts_for(athlete, uow.workouts.between(athlete.id, *fact_window(day)), day, ruleset,
                              uow.checkins.between(athlete.id, *checkin_window(day)))
    explanation = evaluator.explain(athlete.name, facts)
    if as_json:
        click.echo(json.dumps({"athlete": athlete.name, "date": day.isoformat(), "rules_version": ruleset.version,
                               "rules": [e.model_dump(mode="json") for e in explanation], "facts": facts,
                               "overrides": overrides},
                              indent=2, ensure_ascii=False, default=str))
        return
    click.echo(f"Rules for {plain(athlete.name)} on {day.isoformat()} (rule set {ruleset.version}):")
    for line in overrides:
        click.echo(plain(line))
    click.echo(describe_load(facts))
    _print_explanation(explanation)


def describe_load(facts) -> str:
    """One line on the load facts and where they came from (RPE, heart rate, pace, power)."""
    from coach.engine.load_methods import METHOD_WORDS

    acwr = facts.get("load.acwr")
    ratio = "unknown" if acwr is None else f"{acwr:.2f}"
    line = f"Load: ACWR {ratio} (7 days {facts.get('load.acute', 0):.0f} AU"
    line += f", 28-day weekly average {facts.get('load.chronic', 0):.0f} AU)"
    method = facts.get("load.method")
    if method is not None:
        line += (f", {facts.get('load.method_share_pct', 0):.0f} % of it from "
                 f"{METHOD_WORDS.get(method, method)}")
    unknown = facts.get("load.unknown_28d")
    if unknown:
        line += f"; {unknown} session{'s' if unknown != 1 else ''} without a load"
    return textwrap.fill(line + ".", 80, subsequent_indent="  ")


def _print_explanation(explanation) -> None:
    for entry in explanation:  # a long condition continues under the rule, within 80 columns
        for line in entry.describe().splitlines():
            click.echo(textwrap.fill(line, 80, subsequent_indent=" " * 9, break_long_words=False,
                                     break_on_hyphens=False))


def _print_proposal(proposal, units: str) -> None:
    from rich.console import Console

    from coach.cli.render import checkin_line, print_proposal

    print_proposal(Console(file=sys.stdout), proposal, units)
    line = checkin_line(proposal)
    if line:
        click.echo(line)
