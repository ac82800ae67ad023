"""Alembic migrations: the single source of the database schema.

`HEAD_REVISION` is the newest revision in `versions/`. Opening a database that is already
at this revision needs no migration, so `coach.storage.db` checks it with one query and
never imports Alembic on that (everyday) path. A new migration must update this constant;
a test compares it with the head Alembic computes from the scripts.
"""

HEAD_REVISION = "0008_athlete_multisport"
