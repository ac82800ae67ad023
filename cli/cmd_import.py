"""`coach import PATH...`: bulk history from CSV files and from watch files (FIT, GPX, TCX)."""

from __future__ import annotations

from pathlib import Path

import click

from coach.cli.options import athlete_option, db_option, handle_errors, json_option, rules_option


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


class _Progress:
    """A rich progress bar on a terminal; silent otherwise (pipes, cron, --json)."""

    def __init__(self, enabled: bool):
        self.enabled, self._bar, self._task = enabled, None, None

    def __enter__(self):
        if self.enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._bar = Progress(TextColumn("Importing"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.description}"), transient=True)
            self._bar.__enter__()
        return self

    def start(self, total: int) -> None:
        if self._bar is not None:
            self._task = self._bar.add_task("", total=total)

    def advance(self, outcome) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, advance=1, description=outcome.path.name)

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.__exit__(*exc)


def import_files(db_url, athlete_name, paths, rules_dir, *, skip_bad: bool, show_progress: bool):
    """Import watch files, CSV files and folders (the `coach.storage.importer` use case)."""
    from coach.storage import open_store
    from coach.cli.rulesets import load_rule_set
    from coach.storage.importer import ImportSettings, import_paths

    settings = ImportSettings.of(load_rule_set(rules_dir))
    with open_store(db_url) as store, _Progress(show_progress) as bar:
        return import_paths(store, athlete_name, list(paths), settings, skip_bad_csv_lines=skip_bad,
                            progress=bar.advance, on_files=bar.start)


@click.command("import")
@click.argument("paths", metavar="PATH...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--skip-bad", is_flag=True, help="Import the good lines and report each bad one (default: import nothing).")
@click.option("--dry-run", is_flag=True, help="Check the file and report what would be imported; write nothing (one CSV file).")
@json_option
@rules_option
@athlete_option
@db_option
@handle_errors
@click.pass_context
def import_command(ctx, paths, skip_bad, dry_run, as_json, rules_dir, athlete_name, db_url):
    """Import workouts from watch files (FIT, GPX, TCX) and CSV files, or folders of them.

    Watch files come straight from a Garmin, Coros, Suunto or Wahoo device or from an
    export (Strava's bulk export, Garmin Connect): the format is detected from the content,
    gzipped files (.fit.gz, .gpx.gz, .tcx.gz) are fine, and folders are searched
    recursively. Laps become reps; a multisport file gives one workout per leg. When a
    file does not say what kind of session it was, the kind is inferred from the laps
    and your training paces (rules/classify.yml) and `coach history` marks it inferred.
    The same activity is stored once, whatever the format or however often you import
    it ("already imported"). A bad file is reported with its reason and the others are
    still imported; each file is saved whole or not at all. Exit status 1 if any failed.

    A CSV file has one line per workout. The columns are the options of `coach log` (date, start_time, sport, kind, distance,
    duration, elapsed, rpe, avg_hr, max_hr, cadence, elevation_gain, soreness, sleep,
    splits, rep_distance, target_pace, rep_hr, form_broke_at, notes, dedupe_key); only
    date is required. Strava's activities.csv (from "Download your data") works too.
    Importing the same file again adds nothing twice.

    \b
    Examples:
      coach import ~/Downloads/*.fit export/activities/ morning.gpx
      coach import runs.csv --skip-bad
    """
    import sys

    from coach.storage import open_store

    path = paths[0]
    if len(paths) > 1 or as_json or not (path.is_file() and path.suffix.lower() == ".csv"):
        if dry_run:
            raise click.UsageError("--dry-run works with one CSV file only")
        summary = import_files(db_url, athlete_name, paths, rules_dir, skip_bad=skip_bad,
                               show_progress=not as_json and sys.stderr.isatty())
        if as_json:
            import json

            click.echo(json.dumps(summary.to_json_dict(), indent=2))
        else:
            from coach.cli.safe_text import plain

            for outcome in summary.files:  # file names from a download may hold escape sequences
                click.echo(f"{outcome.status:<10}{plain(outcome.describe())}", err=outcome.status == "failed")
            click.echo(summary.headline())
        if summary.failed:
            ctx.exit(1)
        return
    with open_store(db_url) as store, store.unit_of_work() as uow:
        result, skipped = import_csv(uow, athlete_name, path, skip_bad=skip_bad, dry_run=dry_run)
    for line in skipped:
        click.echo(f"skipped {line}", err=True)
    verb = "Would import" if dry_run else "Imported"
    click.echo(f"{verb} {len(result.added)} workout{'' if len(result.added) == 1 else 's'} for {result.athlete.name} from {path.name}"
               f" ({result.duplicates} already logged, {len(skipped)} bad lines skipped).")
