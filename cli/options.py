"""Options shared by many commands, defined once (the sqlite-utils `output_options` pattern).

Only click is imported here: command modules import this at top level.
"""

from __future__ import annotations

import functools

import click

db_option = click.option(
    "--db",
    "db_url",
    envvar="COACH_DATABASE_URL",
    metavar="URL|PATH",
    help="Database: a SQLite file path or a SQLAlchemy URL (sqlite:///..., postgresql+psycopg://...). "
    "Default: coach.db in your data directory. Env: COACH_DATABASE_URL.",
)

athlete_option = click.option(
    "--athlete",
    "athlete_name",
    envvar="COACH_ATHLETE",
    metavar="NAME",
    help="Which athlete (default: the only one in the store). Env: COACH_ATHLETE.",
)

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts instead of a table.")

rules_option = click.option(
    "--rules",
    "rules_dir",
    envvar="COACH_RULES",
    type=click.Path(file_okay=False, dir_okay=True),
    metavar="DIR",
    help="Rule set directory (default: your edited copy from `coach rules init`, else the built-in rules). Env: COACH_RULES.",
)

date_option = click.option(
    "--date",
    "on_date",
    metavar="YYYY-MM-DD",
    help="The day to work on (default: today). Also accepts 'today', 'tomorrow', 'yesterday'.",
)


def handle_errors(func):
    """Turn the library's known errors into one-line messages and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from coach.engine.errors import CoachError

        try:
            return func(*args, **kwargs)
        except CoachError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper
