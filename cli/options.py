"""Options shared by many commands, defined once (the sqlite-utils `output_options` pattern).

Only click is imported here: command modules import this at top level.
"""

from __future__ import annotations

import functools

import click

from coach.cli.config import AppContext


def app_of(ctx: click.Context) -> AppContext:
    """The run's AppContext on click's context object (created at the root on first use)."""
    root = ctx.find_root()
    if not isinstance(root.obj, AppContext):
        root.obj = AppContext()
    return root.obj


def keep_for_commands(ctx: click.Context, param: click.Parameter, value):
    """Group-level option callback: keep `coach --db X COMMAND`'s value for the command."""
    if value is not None:
        app_of(ctx).group_values[param.name] = value
    return value


def _explicit(ctx: click.Context, param: click.Parameter, value):
    """The value given on the command line (the command's own option, else the same option
    before the command), or None when it came from the environment or nowhere."""
    source = ctx.get_parameter_source(param.name)
    if source in (click.core.ParameterSource.COMMANDLINE, click.core.ParameterSource.PROMPT):
        return value
    return app_of(ctx).group_values.get(param.name)


def _from_group(ctx: click.Context, param: click.Parameter, value):
    """A command's own option wins; else the same option given before the command
    (`coach --db X history`) wins over the environment variable and the default."""
    given = _explicit(ctx, param, value)
    return given if given is not None else value


def _database_url(ctx: click.Context, param: click.Parameter, value):
    """The database URL of the command, resolved once (`--db`, COACH_DATABASE_URL,
    config.toml, the default file): the commands and storage only ever see a URL."""
    from coach.engine.errors import CoachError

    try:
        return app_of(ctx).resolve_database(_explicit(ctx, param, value)).database_url
    except CoachError as exc:
        raise click.ClickException(str(exc)) from None


db_option = click.option(
    "--db",
    "db_url",
    envvar="COACH_DATABASE_URL",
    callback=_database_url,
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
