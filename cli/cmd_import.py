"""`coach import FILE`: bulk history from a file."""

from __future__ import annotations

from pathlib import Path

import click

from coach.cli.options import athlete_option, db_option, handle_errors


def import_csv(uow, athlete_name: str | None, path: Path, *, skip_bad: bool = False, dry_run: bool = False):
    """Import the workouts of one CSV file (coach's format or Strava's activities.csv).

    With a bad line, nothing is imported unless `skip_bad`; then the good lines are.
    Returns (ImportResult, skipped) where skipped lists one 'file:line: message' per bad line.

    :raises InvalidInput: for an unreadable file or header, or the first bad line without skip_bad.
    """
    from coach.engine.errors import InvalidInput
    from coach.storage.csvfile import read_csv
    from coach.storage.logbook import import_workouts

    content = read_csv(path)
    skipped = [content.describe(p) for p in content.problems]
    if skipped and not skip_bad:
        more = f" (and {len(skipped) - 1} more bad lines)" if len(skipped) > 1 else ""
        raise InvalidInput(f"{skipped[0]}{more}; nothing imported (--skip-bad imports the good lines)")
    result = import_workouts(uow, athlete_name, [w for _, w in content.workouts], dry_run=dry_run)
    return result, skipped


@click.command("import")
@click.argument("path", metavar="FILE.csv", type=click.Path(path_type=Path))
@click.option("--skip-bad", is_flag=True, help="Import the good lines and report each bad one (default: import nothing).")
@click.option("--dry-run", is_flag=True, help="Check the file and report what would be imported; write nothing.")
@athlete_option
@db_option
@handle_errors
def import_command(path, skip_bad, dry_run, athlete_name, db_url):
    """Import workouts from a CSV file: one line per workout.

    The columns are the options of `coach log` (date, start_time, sport, kind, distance,
    duration, elapsed, rpe, avg_hr, max_hr, cadence, elevation_gain, soreness, sleep,
    splits, rep_distance, target_pace, rep_hr, form_broke_at, notes, dedupe_key); only
    date is required. Strava's activities.csv (from "Download your data") works too.
    Importing the same file again adds nothing twice.

    \b
    Example:
      coach import runs.csv --skip-bad
    """
    from coach.storage import open_store

    with open_store(db_url) as store, store.unit_of_work() as uow:
        result, skipped = import_csv(uow, athlete_name, path, skip_bad=skip_bad, dry_run=dry_run)
    for line in skipped:
        click.echo(f"skipped {line}", err=True)
    verb = "Would import" if dry_run else "Imported"
    click.echo(f"{verb} {len(result.added)} workouts for {result.athlete.name} from {path.name}"
               f" ({result.duplicates} already logged, {len(skipped)} bad lines skipped).")
