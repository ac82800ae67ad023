"""The schema comes only from the migrations: upgrade, downgrade, agreement with the models, refusals."""

from __future__ import annotations

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from coach.storage import open_store
from coach.storage.db import DatabaseError
from coach.storage.models import Base

TABLES = {"athletes", "race_results", "workouts", "reps", "proposals"}


def tables(store) -> set[str]:
    with store.engine.connect() as conn:
        return set(inspect(conn).get_table_names()) - {"alembic_version"}


def test_empty_database_upgrades_to_head_and_downgrades_to_base(db_url):
    with open_store(db_url, upgrade=False) as store:
        state = store.schema_state()
        assert state.current == () and not state.at_head
        assert tables(store) == set()
        store.upgrade()
        assert store.schema_state().at_head
        assert TABLES <= tables(store)
        store.downgrade("base")
        assert store.schema_state().current == ()
        assert tables(store) == set()
        store.upgrade()
        assert store.schema_state().at_head


# SQLite's expression indexes (ix_athletes_lower_name) cannot be reflected, so they are left
# out of this comparison there; the test below checks that one on both databases
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_models_and_migrations_agree(store):
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_opening_upgrades_automatically_and_only_once(db_url):
    with open_store(db_url) as store:
        assert store.schema_state().at_head
    with open_store(db_url) as store:
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1


def test_newer_schema_is_refused(db_url):
    with open_store(db_url) as store:
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    with pytest.raises(DatabaseError) as info:
        open_store(db_url)
    message = str(info.value)
    assert "schema revision 9999_from_the_future, newer than this coach knows" in message
    assert "\n" not in message


def test_sqlite_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my running notes, not a database\n" * 100)
    with pytest.raises(DatabaseError, match=r"cannot open database .*notes.db: file is not a database"):
        open_store(str(path))


def test_sqlite_in_missing_folder(tmp_path):
    with pytest.raises(DatabaseError, match="does not exist"):
        open_store(str(tmp_path / "no" / "such" / "coach.db"))
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize(
    "url, message",
    [
        ("postgresql+psycopg://nobody:secret@127.0.0.1:1/none", "cannot open database postgresql+psycopg://nobody:***@127.0.0.1:1/none"),
        ("mysql+nosuchdriver://u@h/db", "cannot open database mysql+nosuchdriver://u@h/db"),
        ("oracle$$://", "cannot open database"),
    ],
)
def test_unopenable_urls(url, message):
    with pytest.raises(DatabaseError) as info:
        open_store(url)
    assert str(info.value).startswith(message)
    assert "secret" not in str(info.value) and "\n" not in str(info.value)


def test_foreign_keys_are_enforced_on_sqlite(sqlite_url):
    with open_store(sqlite_url) as store:
        with store.engine.connect() as conn:
            with pytest.raises(Exception, match="FOREIGN KEY"):
                conn.execute(text("INSERT INTO race_results (athlete_id, label, distance_m, time_s) "
                                  "VALUES (42, '5k', 5000, 1200)"))


def test_default_database_goes_to_the_data_dir(coach_home, monkeypatch):
    from click.testing import CliRunner

    from coach.cli.main import cli

    monkeypatch.delenv("COACH_DATABASE_URL", raising=False)
    result = CliRunner().invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "(from default)" in result.output or "coach.db" in result.output
    path = coach_home / "data" / "coach.db"
    assert path.is_file()
    names = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert TABLES <= names


def test_storage_is_given_a_url_and_reads_no_configuration(coach_home):
    with pytest.raises(DatabaseError, match="no database given"):
        open_store(None)  # type: ignore[arg-type]
    assert not (coach_home / "data").exists()


def test_a_name_is_looked_up_through_the_lowered_name_index(store):
    """`athletes.add` checks each new name ignoring case: through the index, not a scan."""
    from coach.engine.model import Athlete
    from coach.storage.models import AthleteRow
    from sqlalchemy import func, select

    with store.unit_of_work() as uow:
        uow.athletes.add(Athlete(name="Ana"))
        uow.commit()
    query = select(AthleteRow.id).where(func.lower(AthleteRow.name) == "ana")
    with store.engine.connect() as conn:
        sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
        if conn.dialect.name == "sqlite":
            plan = " ".join(str(row[-1]) for row in conn.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
        else:
            conn.execute(text("SET enable_seqscan = off"))  # a table of one row is otherwise scanned
            plan = " ".join(row[0] for row in conn.execute(text(f"EXPLAIN {sql}")))
    assert "ix_athletes_lower_name" in plan, plan
