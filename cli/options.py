"""Options shared by many commands, defined once (the sqlite-utils `output_options` pattern).

Only click is imported here: command modules import this at top level.
"""

from __future__ import annotations

import functools

import click

#: Where `coach --db X COMMAND` (the group-level forms of the options below) keeps its values.
GROUP_VALUES = "coach.group_options"


def _from_group(ctx: click.Context, param: click.Parameter, value):
    """A command's own option wins; else the same option given before the command
    (`coach --db X history`) wins over the environment variable and the default."""
    source = ctx.get_parameter_source(param.name)
    if source in (click.core.ParameterSource.COMMANDLINE, click.core.ParameterSource.PROMPT):
        return value
    given = ctx.find_root().meta.get(GROUP_VALUES, {}).get(param.name)
    return given if given is not None else value


db_option = click.option(
    "--db",
    "db_url",
    envvar="COACH_DATABASE_URL",
    callback=_from_group,
    metavar="URL|PATH",
    help="Database: a SQLite file path or a SQLAlchemy URL (sqlite:///..., postgresql+psycopg://...). "
    "Default: coach.db in your data directory. Env: COACH_DATABASE_URL.",
)

athlete_option = click.option(
    "--athlete",
    "athlete_name",
    envvar="COACH_ATHLETE",
    callback=_from_group,
    metavar="NAME",
    help="Which athlete (default: the only one in the store). Env: COACH_ATHLETE.",
)

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts instead of a table.")

rules_option = click.option(
    "--rules",
    "rules_dir",
    envvar="COACH_RULES",
    callback=_from_group,
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


def resolve_day(on_date: str | None):
    """The date named by --date (default: today), as a datetime.date."""
    from coach.engine.errors import InvalidInput
    from coach.engine.units import parse_date

    try:
        return parse_date(on_date or "today")
    except InvalidInput as exc:
        raise InvalidInput(f"--date: {exc}") from None


def handle_errors(func):
    """Turn the library's known errors into one-line messages and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from coach.engine.errors import CoachError

        try:
            return func(*args, **kwargs)
        except CoachError as exc:
            raise click.ClickException(str(exc)) from None
        except Exception as exc:
            message = _database_failure(exc)
            if message is None:
                raise
            raise click.ClickException(message) from None

    return wrapper


def _database_failure(exc: Exception) -> str | None:
    """One line for a database that failed while a command used it (locked, gone away, disk full).

    Such a failure rolls the command's unit of work back, so nothing is half-written. Only
    SQLAlchemy's operational errors count: a programming error stays a traceback, to be fixed.
    """
    import sys

    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is None or not isinstance(exc, sa_exc.OperationalError):
        return None
    detail = str(exc.orig if exc.orig is not None else exc).strip().splitlines()
    return f"database error: {detail[0] if detail else type(exc).__name__}; nothing was changed"
