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
    from coach.cli.rulesets import load_rules
    from coach.cli.calendar import export_calendar
    from coach.cli.options import resolve_day

    ruleset, evaluator = load_rules(rules_dir)
    data, count = export_calendar(day=resolve_day(on_date), days=days, db_url=db_url,
                                  athlete_name=athlete_name, ruleset=ruleset, evaluator=evaluator)
    if ics_path == "-":
        click.echo(data.decode("utf-8"), nl=False)
    else:
        from coach.cli.calendar import write_atomically

        write_atomically(ics_path, data)
    click.echo(f"{count} day(s) written to {'standard output' if ics_path == '-' else ics_path}", err=True)
