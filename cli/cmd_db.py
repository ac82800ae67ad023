"""`coach db upgrade|current`: the database schema."""

from __future__ import annotations

import click

from coach.cli.options import db_option, handle_errors


@click.group("db")
def db_group():
    """Database schema: show the revision, or upgrade it.

    Every command upgrades the database automatically on first use; these are for
    checking and for doing it explicitly (say, before a backup).

    \b
    Example:
      coach db current
    """


def _where(db_url) -> str:
    from coach.cli.options import app_of
    from coach.storage.db import display_url, normalize_url

    settings = app_of(click.get_current_context()).settings
    source = settings.database_source if settings is not None else "--db"
    return f"{display_url(normalize_url(db_url))} (from {source})"


@db_group.command("current")
@db_option
@handle_errors
def db_current(db_url):
    """Show where the database is and its schema revision, without changing anything.

    \b
    Example:
      coach db current --db ~/coach-test.db
    """
    from coach.storage import open_store

    where = _where(db_url)
    with open_store(db_url, upgrade=False) as store:
        state = store.schema_state()
    current = ", ".join(state.current) or "none (empty database)"
    status = "up to date" if state.at_head else f"behind {state.head}: run `coach db upgrade`"
    click.echo(f"Database: {where}\nRevision: {current} ({status})")


@db_group.command("upgrade")
@db_option
@handle_errors
def db_upgrade(db_url):
    """Upgrade the database schema to this version of coach (creating it if empty).

    \b
    Example:
      coach db upgrade --db postgresql://coach@localhost/coach
    """
    from coach.storage import open_store

    where = _where(db_url)
    with open_store(db_url, upgrade=False) as store:
        before = store.upgrade()
    if before.at_head:
        click.echo(f"Database: {where}\nAlready at revision {before.head}.")
    else:
        click.echo(f"Database: {where}\nUpgraded from {', '.join(before.current) or 'empty'} to {before.head}.")
