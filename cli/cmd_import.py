"""`coach import PATH...`: bulk history from CSV files and from watch files (FIT, GPX, TCX)."""

from __future__ import annotations

from pathlib import Path

import click

from coach.cli.options import athlete_option, db_option, handle_errors, json_option, rules_option


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


def import_files(db_url, athlete_name, paths, rules_dir, *, skip_bad: bool, dry_run: bool = False,
                 show_progress: bool = False):
    """Import watch files, CSV files and folders (the `coach.service.importing` use case)."""
    from coach.cli.rulesets import rule_set_in_use
    from coach.service.importing import import_paths
    from coach.storage import open_store

    ruleset = rule_set_in_use(rules_dir)
    with open_store(db_url) as store, _Progress(show_progress) as bar:
        return import_paths(store, athlete_name, list(paths), ruleset, skip_bad_csv_lines=skip_bad,
                            dry_run=dry_run, progress=bar.advance, on_files=bar.start)


def _one_csv(summary, path: Path, dry_run: bool) -> None:
    """The report of one CSV file: bad lines on stderr, one closing line (or the first
    bad line as the error when none were skipped)."""
    from coach.cli.safe_text import plain
    from coach.engine.errors import InvalidInput

    [outcome] = summary.files
    skipped = [f"{path.name}:{line}: {message}" for line, message in outcome.bad_lines]
    if outcome.status == "failed":
        if not skipped:
            raise InvalidInput(outcome.reason)
        more = f" (and {len(skipped) - 1} more bad lines)" if len(skipped) > 1 else ""
        raise InvalidInput(f"{skipped[0]}{more}; nothing imported (--skip-bad imports the good lines)")
    for line in skipped:
        click.echo(f"skipped {line}", err=True)
    verb = "Would import" if dry_run else "Imported"
    n = len(outcome.imported)
    click.echo(f"{verb} {n} workout{'' if n == 1 else 's'} for {plain(summary.athlete)} from {plain(path.name)}"
               f" ({outcome.duplicates} already logged, {len(skipped)} bad lines skipped).")


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

    A CSV file has one line per workout. The columns are the options of `coach log`
    (date, start_time, sport, kind, distance, duration, elapsed, rpe, avg_hr, max_hr,
    cadence, elevation_gain, soreness, sleep, splits, rep_distance, target_pace, rep_hr,
    form_broke_at, notes, dedupe_key); only date is required; a line without a kind gets one inferred, as a watch file does.
    Strava's activities.csv (from "Download your data") works too. Importing the same
    file again adds nothing twice.

    \b
    Examples:
      coach import ~/Downloads/*.fit export/activities/ morning.gpx
      coach import runs.csv --skip-bad
    """
    import sys

    path = paths[0]
    one_csv = len(paths) == 1 and not as_json and path.is_file() and path.suffix.lower() == ".csv"
    if dry_run and not one_csv:
        raise click.UsageError("--dry-run works with one CSV file only")
    summary = import_files(db_url, athlete_name, paths, rules_dir, skip_bad=skip_bad, dry_run=dry_run,
                           show_progress=not one_csv and not as_json and sys.stderr.isatty())
    if one_csv:
        _one_csv(summary, path, dry_run)
    elif as_json:
        import json

        click.echo(json.dumps(summary.to_json_dict(), indent=2))
    else:
        from coach.cli.safe_text import plain

        for outcome in summary.files:  # file names from a download may hold escape sequences
            click.echo(f"{outcome.status:<10}{plain(outcome.describe())}", err=outcome.status == "failed")
        click.echo(summary.headline())
    if summary.failed:
        ctx.exit(1)
