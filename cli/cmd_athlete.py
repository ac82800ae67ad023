"""`coach init` and `coach athlete show|set`: the athlete profile."""

from __future__ import annotations

import json

import click

from coach.cli.safe_text import plain

from coach.cli.options import athlete_option, db_option, handle_errors, json_option

_OPTION_OF = {"recent_races": "--recent-race", "rest_days": "--rest-day", "race_date": "--race-date"}


def _label(field: str) -> str:
    return _OPTION_OF.get(field, "--" + field.replace("_", "-"))


def profile_options(func):
    """The profile options shared by `init` and `athlete set`."""
    for option in reversed([
        click.option("--sport", metavar="run|triathlon", help="What you train for."),
        click.option("--goal", metavar="GOAL", help="Goal race: 5k, 10k, half, marathon, sprint, olympic, 70.3, ironman."),
        click.option("--race-date", metavar="YYYY-MM-DD", help="Date of the goal race ('none' clears it)."),
        click.option("--recent-race", "recent_races", multiple=True, metavar="LABEL=TIME[@DATE]",
                     help="A recent race or time trial, e.g. 5k=20:30@2026-10-01. Repeatable."),
        click.option("--rest-day", "rest_days", multiple=True, metavar="DAY",
                     help="Preferred rest day (mon..sun). Repeatable; replaces the current list."),
        click.option("--units", metavar="km|mi", help="Units to show distances and paces in."),
        click.option("--email", metavar="ADDRESS", help="Where `coach email` sends proposals ('none' clears it)."),
    ]):
        func = option(func)
    return func


def _summary(athlete) -> str:
    from coach.engine.units import format_race_result

    races = ", ".join(format_race_result(r.label, r.time_s, r.date) for r in athlete.recent_races) or "none"
    lines = [
        f"Athlete:      {plain(athlete.name)}",
        f"Sport:        {athlete.sport.value}",
        f"Goal:         {athlete.goal.value}" + (f" on {athlete.race_date.isoformat()}" if athlete.race_date else ""),
        f"Recent races: {races}",
        f"Rest days:    {', '.join(d.value for d in athlete.rest_days) or 'none'}",
        f"Units:        {athlete.units.value}",
        f"Email:        {athlete.email or 'none'}",
    ]
    return "\n".join(lines)


@click.command("init")
@click.option("--name", required=True, metavar="NAME", help="Your name (unique in this store).")
@profile_options
@db_option
@handle_errors
def init_command(name, db_url, **fields):
    """Create your athlete profile (and the database, on first use).

    \b
    Example:
      coach init --name Ana --sport run --goal 10k --race-date 2027-04-18 \\
          --recent-race 5k=20:30@2026-10-01 --rest-day sun --units km --email ana@example.org
    """
    from coach.storage import open_store
    from coach.service.logbook import create_athlete
    from coach.storage.logbook import parse_athlete

    athlete = parse_athlete({"name": name, **fields}, label=_label)
    with open_store(db_url) as store, store.unit_of_work() as uow:
        athlete = create_athlete(uow, athlete)
        click.echo(f"Created athlete {plain(athlete.name)} in {store.display_url}.\n" + _summary(athlete))


@click.group("athlete")
def athlete_group():
    """Show or change your athlete profile.

    \b
    Example:
      coach athlete set --recent-race 10k=42:30@2026-11-02
    """


@athlete_group.command("show")
@athlete_option
@db_option
@json_option
@handle_errors
def athlete_show(athlete_name, db_url, as_json):
    """Show the athlete profile (--json for scripts).

    \b
    Example:
      coach athlete show --json
    """
    from coach.storage import open_store

    with open_store(db_url) as store, store.unit_of_work() as uow:
        athlete = uow.athletes.resolve(athlete_name)
    if as_json:
        click.echo(json.dumps(athlete.model_dump(mode="json"), indent=2))
    else:
        click.echo(_summary(athlete))


@athlete_group.command("set")
@click.option("--name", "new_name", metavar="NAME", help="Rename the athlete.")
@profile_options
@athlete_option
@db_option
@handle_errors
def athlete_set(new_name, athlete_name, db_url, **fields):
    """Change the athlete profile: only the options given change.

    A --recent-race replaces the result with the same label; --rest-day replaces the list
    (use `--rest-day none` for no fixed rest day).

    \b
    Example:
      coach athlete set --goal half --race-date 2027-05-02 --rest-day mon --rest-day fri
    """
    from coach.storage import open_store
    from coach.service.logbook import update_athlete

    with open_store(db_url) as store, store.unit_of_work() as uow:
        athlete = update_athlete(uow, athlete_name, {"name": new_name, **fields}, label=_label)
    click.echo("Updated.\n" + _summary(athlete))
