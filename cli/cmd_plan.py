"""`coach plan`: the days ahead, simulated forward from your log; nothing is saved."""

from __future__ import annotations

import json
import sys

import click

from coach.cli.safe_text import plain

from coach.cli.options import athlete_option, date_option, db_option, handle_errors, json_option, rules_option


@click.command("plan")
@click.option("--days", type=click.IntRange(1, 112), default=7, show_default=True,
              help="How many days to plan (up to 112: a whole season).")
@click.option("--full", is_flag=True, help="Print every day's session in full (warm-up, main set, cool-down).")
@date_option
@json_option
@athlete_option
@rules_option
@db_option
@handle_errors
def plan_command(days, full, on_date, as_json, athlete_name, rules_dir, db_url):
    """Show the next days' sessions, following your season (or weekly pattern) and every rule.

    Each day is proposed as `coach next` would, assuming the days before it were done
    as proposed (at the effort the session templates expect). Nothing is written to your
    log or saved as a proposal. With a race date and a long-run day (`coach athlete set
    --long-run-day sun`), each week is headed by its phase, week number, weeks to the race
    and targets. With --json, prints a list of proposals, each in the shape of
    `coach next --json`.

    \b
    Example:
      coach plan --days 7 --date 2026-11-23
      coach plan --days 84            # the season to the race
    """
    from coach.cli.options import resolve_day
    from coach.cli.rulesets import rule_set_in_use
    from coach.service.plan import plan
    from coach.storage import open_store

    start = resolve_day(on_date)
    ruleset = rule_set_in_use(rules_dir)
    evaluator = ruleset.evaluator()
    with open_store(db_url) as store, store.unit_of_work() as uow:
        athlete = uow.athletes.resolve(athlete_name)
        proposals = plan(uow, athlete, start, days, ruleset, evaluator)
    if as_json:
        click.echo(json.dumps([p.to_json_dict() for p in proposals], indent=2, ensure_ascii=False))
        return
    from rich.console import Console

    from coach.cli.render import print_plan

    click.echo(f"The next {days} days for {plain(athlete.name)}, assuming each session is done as proposed:")
    print_plan(Console(file=sys.stdout), proposals, athlete.units.value, full=full)
