"""`coach export --ics FILE` and `coach export --fit FILE|DIR`: the planned days as a calendar
file, or as structured workouts for the watch."""

from __future__ import annotations

from pathlib import Path

import click

from coach.cli.options import athlete_option, date_option, db_option, handle_errors, rules_option


@click.command("export")
@click.option("--ics", "ics_path", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
              help="Write an iCalendar file here ('-' for standard output).")
@click.option("--fit", "fit_path", type=click.Path(), metavar="FILE|DIR",
              help="Write the day's session as a FIT workout file, or one file per day into a folder.")
@click.option("--days", default=None, type=click.IntRange(1, 112),
              help="How many days to plan (up to 112)  [default: 7; 1 for --fit FILE].")
@date_option
@athlete_option
@rules_option
@db_option
@handle_errors
def export(ics_path, fit_path, days, on_date, athlete_name, rules_dir, db_url) -> None:
    """Write the next days' planned sessions as a calendar file or as watch workouts.

    The days are simulated forward as `coach plan` does (each proposed session assumed
    done as proposed); nothing is written to the log. Importing the calendar file again
    updates the same events instead of adding copies.

    --fit FILE writes one day (--date, default today) as a FIT workout: warm-up, each rep
    with its target pace as a speed range, recoveries, repeats and cool-down. --fit DIR
    writes one file per training day for --days days. Copy a file to GARMIN/NewFiles on
    the watch over USB (the README has other ways).

    \b
    Example:
      coach export --ics week.ics --days 7
      coach export --fit today.fit
      coach export --fit watch/ --days 7
    """
    if not ics_path and not fit_path:
        raise click.UsageError("give --ics FILE or --fit FILE|DIR (or both)")
    to_folder = bool(fit_path) and (Path(fit_path).expanduser().is_dir() or fit_path.endswith(("/", "\\")))
    if fit_path and not to_folder and days is not None and days > 1 and not ics_path:
        raise click.BadParameter(f"--days {days} needs a folder: --fit DIR writes one file per day",
                                 param_hint="'--days'")
    from coach.cli.rulesets import rule_set_in_use
    from coach.cli.options import resolve_day
    from coach.service.export import planned_days
    from coach.storage import open_store

    ruleset = rule_set_in_use(rules_dir)
    evaluator = ruleset.evaluator()
    day = resolve_day(on_date)
    wanted = days or (7 if ics_path or to_folder else 1)
    with open_store(db_url) as store, store.unit_of_work() as uow:
        athlete, proposals = planned_days(uow, athlete_name, day, wanted, ruleset, evaluator)
    if ics_path:
        _write_ics(ics_path, proposals, athlete)
    if fit_path:
        _write_fit(fit_path, to_folder, proposals if to_folder else proposals[:1], ruleset.planned.watch)


def _write_ics(ics_path, proposals, athlete) -> None:
    from coach.cli.ics import calendar_bytes
    from coach.cli.render import render_text

    data = calendar_bytes([(p, render_text(p, athlete.units.value)) for p in proposals])
    count = len(proposals)
    if ics_path == "-":
        click.echo(data.decode("utf-8"), nl=False)
    else:
        from coach.cli.ics import write_atomically

        write_atomically(ics_path, data)
    click.echo(f"{count} day(s) written to {'standard output' if ics_path == '-' else ics_path}", err=True)


def _write_fit(fit_path, to_folder, proposals, watch) -> None:
    from coach.cli.ics import write_atomically
    from coach.cli.watch import workout_bytes, write_workouts

    if to_folder:
        files = write_workouts(fit_path, proposals, watch)
        click.echo(f"{len(files)} workout(s) written to {fit_path} ({len(proposals) - len(files)} rest day(s) "
                   "skipped)", err=True)
        return
    write_atomically(fit_path, workout_bytes(proposals[0], watch))
    click.echo(f"{proposals[0].date}: workout written to {fit_path}", err=True)
