"""Fixtures shared by the whole suite.

- `coach_home` (autouse): every test gets its own COACH_HOME, so config and data
  directories never touch the real ones; COACH_DATABASE_URL and COACH_ATHLETE are unset.
- `sqlite_url`: a SQLite file in tmp_path.
- `pg_url`: a fresh PostgreSQL schema per test on the server named by
  COACH_TEST_POSTGRES_URL (skips when unset, fails when set but not answering); the schema is
  dropped afterwards.
- `db_url`: parametrized over sqlite and postgres, for storage and migration tests.
- `store`: an opened (migrated) store on `db_url`.
- `runner`: click's CliRunner.
- `real_data_dir`: the real watch files kept with the tests (`tests/data/real/`, with
  their SOURCES.md and LICENSES.md); fails, never skips, when the folder is missing.
- `default_rules`: the built-in rule set and its Evaluator, once per test process.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

POSTGRES_ENV = "COACH_TEST_POSTGRES_URL"
REAL_DATA = Path(__file__).resolve().parent / "data" / "real"


@pytest.fixture(autouse=True)
def coach_home(tmp_path_factory, monkeypatch) -> Path:
    home = tmp_path_factory.mktemp("coach_home")
    monkeypatch.setenv("COACH_HOME", str(home))
    for name in ("COACH_DATABASE_URL", "COACH_ATHLETE", "COACH_RULES"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'coach.db'}"


def _pg_server_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


@pytest.fixture
def pg_url():
    """A SQLAlchemy URL whose connections use a new, empty schema (dropped after the test)."""
    server = _pg_server_url()
    if not server:
        pytest.skip(f"{POSTGRES_ENV} is not set: no PostgreSQL server to test against")
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(server)
    if url.drivername in {"postgresql", "postgres"}:
        url = url.set(drivername="postgresql+psycopg")
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    schema = f"coach_test_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.OperationalError as exc:
        # A server named explicitly (as CI does) must answer: skipping would let a run pass
        # without ever testing PostgreSQL.
        pytest.fail(f"PostgreSQL named by {POSTGRES_ENV} does not answer: {str(exc).splitlines()[0]}")
    test_url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    yield test_url.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request) -> str:
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(db_url):
    from coach.storage import open_store

    with open_store(db_url) as opened:
        yield opened


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    """The real watch files kept in the repository: a clone has them, so no test skips."""
    if not (REAL_DATA / "fit").is_dir():
        pytest.fail(f"real watch files missing from {REAL_DATA}: they belong to the repository")
    return REAL_DATA


@pytest.fixture(scope="session")
def default_rules():
    """The built-in rule set and its Evaluator: one per test process, like one per `coach` process."""
    from coach.service.rulesets import read_rule_set

    ruleset = read_rule_set(None)
    return ruleset, ruleset.evaluator()
