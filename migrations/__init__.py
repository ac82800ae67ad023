"""Alembic migrations: the single source of the database schema.

`HEAD_REVISION` is the newest revision in `versions/`. Opening a database that is already
at this revision needs no migration, so `coach.storage.db` checks it with one query and
never imports Alembic on that (everyday) path. A new migration must update this constant;
a test compares it with the head Alembic computes from the scripts.

The job queue of a PostgreSQL store (Procrastinate, `coach.cli.jobqueue`) keeps its own
tables beside coach's, made and upgraded by Procrastinate: `include_name` keeps them out of
Alembic's comparisons, so autogenerate never proposes to drop them.
"""

HEAD_REVISION = "0009_athlete_name_index"


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's `include_name` hook: every table but the job queue's (procrastinate_*)."""
    return not (type_ == "table" and name is not None and name.startswith("procrastinate_"))
