"""`coach trends`: weekly load, ACWR band, monotony and strain, pace at effort, splits, fired rules."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import click

from coach.cli.options import athlete_option, date_option, db_option, handle_errors, json_option, rules_option


def _write_png_atomically(result, path: Path, units: str) -> None:
    """Write the PNG beside its destination, then move it in place: no half-written file."""
    from coach.cli.charts import write_png
    from coach.engine.errors import InvalidInput

    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidInput(f"cannot write {path}: folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=".trends-", suffix=".png", dir=folder)
    os.close(fd)
    try:
        write_png(result, tmp, units)
        os.replace(tmp, path)
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@click.command("trends")
@click.option("--weeks", type=click.IntRange(1, 520), default=12, show_default=True,
              help="How many 7-day weeks to show, ending on --date.")
@click.option("--png", "png_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Draw the trends as a PNG figure in FILE (for a training diary) instead of printing the tables.")
@click.option("--charts/--no-charts", default=None,
              help="Bars and the ACWR band strip beside the numbers (default: when writing to a terminal).")
@date_option
@athlete_option
@db_option
@rules_option
@json_option
@handle_errors
def trends_command(weeks, png_path, charts, on_date, athlete_name, db_url, rules_dir, as_json):
    """Show whether the training works: load, ACWR, monotony, pace at effort, splits, fired rules.

    Weeks are the 7 days ending on --date (default today), then the 7 before, and so on;
    the numbers are the ones the rules see (session-RPE load = RPE x minutes). The ACWR
    safe band and the efforts followed are set in the rule set's trends/trends.yml.
    Weeks with stored proposals also show planned against done: how many sessions were
    green, amber, red or missed (bands in planned/planned.yml).

    \b
    Example:
      coach trends --weeks 6 --png trends.png
    """
    from coach.service.compliance import weeks_against_plan
    from coach.service.trends import trends_for
    from coach.cli.options import resolve_day
    from coach.storage import open_store

    day = resolve_day(on_date)
    from coach.cli.rulesets import rule_set_in_use

    ruleset = rule_set_in_use(rules_dir)
    config = ruleset.trends
    with open_store(db_url) as store, store.unit_of_work() as uow:
        athlete = uow.athletes.resolve(athlete_name)
        result = trends_for(uow, athlete, day, weeks, ruleset.settings, config)
        held = weeks_against_plan(uow, athlete, [(w.start, w.end) for w in result.weeks], day, ruleset)
    units = athlete.units.value
    if png_path:
        if result.empty:
            raise click.ClickException(f"nothing to draw in {png_path}: {result.notes[0]}")
        _write_png_atomically(result, Path(png_path), units)
    if as_json:
        click.echo(json.dumps({**result.to_json_dict(), "compliance": held}, indent=2))
        return
    if png_path:
        click.echo(f"Wrote {png_path}: trends for {result.athlete}, {weeks} week{'s' if weeks != 1 else ''} to {result.end}.")
        return
    from rich.console import Console

    console = Console()  # the terminal's width, or COLUMNS, or 80 when piped
    from coach.cli.charts import print_trends

    print_trends(console, result, units, charts=sys.stdout.isatty() if charts is None else charts)
    _print_compliance(held)


def _print_compliance(held: list[dict]) -> None:
    judged = [w for w in held if w["green_pct"] is not None]
    if not judged:
        return
    click.echo("\nPlanned against done (the stored proposals; colours as in `coach history`):")
    click.echo(f"{'week ending':<12} {'green':>5} {'amber':>5} {'red':>5} {'missed':>6} {'as planned':>10}")
    for w in judged:
        click.echo(f"{w['end']:<12} {w['green']:>5} {w['amber']:>5} {w['red']:>5} {w['missed']:>6} "
                   f"{str(w['green_pct']) + ' %':>10}")
