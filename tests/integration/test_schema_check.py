"""Opening a database at head is one query and imports no Alembic; anything else still goes through Alembic."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from coach.migrations import HEAD_REVISION
from coach.storage import open_store
from coach.storage.db import DatabaseError, _alembic_config


def test_head_constant_is_the_head_alembic_computes(sqlite_url):
    """A new migration must update coach.migrations.HEAD_REVISION, or this fails."""
    with open_store(sqlite_url, upgrade=False) as store:
        script = ScriptDirectory.from_config(_alembic_config(store.engine))
    assert script.get_heads() == [HEAD_REVISION]


def test_state_at_head_comes_from_the_version_table(db_url):
    with open_store(db_url) as store:
        assert store.current_revisions() == (HEAD_REVISION,)
        state = store.schema_state()
        assert state.current == (HEAD_REVISION,) and state.head == HEAD_REVISION and state.at_head


def test_new_database_has_no_revision(db_url):
    with open_store(db_url, upgrade=False) as store:
        assert store.current_revisions() == ()
        state = store.schema_state()
        assert state.head == HEAD_REVISION and not state.at_head


def test_database_behind_head_is_upgraded_on_open(db_url):
    with open_store(db_url) as store:
        previous = ScriptDirectory.from_config(_alembic_config(store.engine)).get_revision(HEAD_REVISION).down_revision
        assert previous is not None, "the test needs at least two migrations"
        store.downgrade(previous)
        assert store.current_revisions() == (previous,)
        before = _schema(store.engine)
    with open_store(db_url) as store:
        assert store.current_revisions() == (HEAD_REVISION,)
        after = _schema(store.engine)
    # the newest migration's tables, columns or indexes came back (a migration may add only
    # columns or an index, so comparing table names alone was too narrow)
    assert after > before


def _schema(engine) -> set[tuple[str, str]]:
    """The columns and index names of a store (indexes on expressions included, which
    SQLAlchemy does not reflect on SQLite)."""
    inspector = inspect(engine)
    found = {(t, c["name"]) for t in inspector.get_table_names() for c in inspector.get_columns(t)}
    query = ("SELECT name FROM sqlite_master WHERE type = 'index'" if engine.dialect.name == "sqlite"
             else "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
    with engine.connect() as conn:
        found |= {("index", name) for name in conn.execute(text(query)).scalars()}
    return found


def test_unknown_revision_is_refused_in_one_line(db_url):
    with open_store(db_url) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'zz99_newer'"))
    with pytest.raises(DatabaseError) as info:
        open_store(db_url)
    assert "schema revision zz99_newer, newer than this coach knows" in str(info.value)
    assert "\n" not in str(info.value)


def _modules_after_open(url: str, coach_home) -> set[str]:
    code = ("import sys; from coach.storage import open_store\n"
            f"with open_store({url!r}) as s: s.schema_state()\n"
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    env = {**os.environ, "COACH_HOME": str(coach_home)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return set(done.stdout.split())


def test_opening_a_database_at_head_does_not_import_alembic(sqlite_url, coach_home):
    fresh = _modules_after_open(sqlite_url, coach_home)  # creates the schema: needs Alembic
    assert "alembic" in fresh and "sqlalchemy" in fresh  # the check can fail
    again = _modules_after_open(sqlite_url, coach_home)
    assert "sqlalchemy" in again
    assert "alembic" not in again and "mako" not in again
