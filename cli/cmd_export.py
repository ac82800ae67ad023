"""`coach export --ics FILE`: the planned days as a calendar file."""

from __future__ import annotations

import click

from coach.cli.options import athlete_option, date_option, db_option, handle_errors, rules_option


@click.command("export")
@click.option("--ics", "ics_path", required=True, type=click.Path(dir_okay=False, writable=True), metavar="FILE",
              help="Write an iCalendar file here ('-' for standard output).")
@click.option("--days", default=7, show_default=True, type=click.IntRange(1, 28), help="How many days to plan (up to 28).")
@date_option
@athlete_option
@rules_option
@db_option
@handle_errors
def export(ics_path, days, on_date, athlete_name, rules_dir, db_url) -> None:
    """Write the next days' planned sessions as a calendar file, one all-day event per day.

    The days are simulated forward as `coach plan` does (each proposed session assumed
    done as proposed); nothing is written to the log. Importing the file again updates
    the same events instead of adding copies.

    \b
    Example:
      coach export --ics week.ics --days 7
    """
    from coach.cli.ics import calendar_bytes
    from coach.cli.render import render_text
    from coach.cli.rulesets import rule_set_in_use
    from coach.cli.options import resolve_day
    from coach.service.export import planned_days
    from coach.storage import open_store

    ruleset = rule_set_in_use(rules_dir)
    evaluator = ruleset.evaluator()
    with open_store(db_url) as store, store.unit_of_work() as uow:
        athlete, proposals = planned_days(uow, athlete_name, resolve_day(on_date), days,
                                          ruleset, evaluator)
    data = calendar_bytes([(p, render_text(p, athlete.units.value)) for p in proposals])
    count = len(proposals)
    if ics_path == "-":
        click.echo(data.decode("utf-8"), nl=False)
    else:
        from coach.cli.ics import write_atomically

        write_atomically(ics_path, data)
    click.echo(f"{count} day(s) written to {'standard output' if ics_path == '-' else ics_path}", err=True)
