"""Opening the store: URL normalisation, engine creation and schema upgrades.

`open_store(url)` is the one way in. It connects, compares the database's Alembic
revision with the revisions this version of coach ships, upgrades an older (or empty)
database to head, and refuses a database written by a newer coach. Every failure is a
one-line `CoachError`; the schema is only ever created by the migrations.

A database already at head (`coach.migrations.HEAD_REVISION`) is recognised with one query
and Alembic is not imported at all: it is needed only to upgrade, downgrade or refuse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from coach.engine.errors import CoachError
from coach.storage.private import private_sqlite
from coach.storage.unit_of_work import UnitOfWork

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
#: Alembic's table of applied revisions (its default name; migrations/env.py keeps it)
VERSION_TABLE = "alembic_version"


class DatabaseError(CoachError):
    """The database cannot be opened or used (bad URL, server down, not a database, newer schema)."""


def normalize_url(value: str) -> str:
    """Turn what a person typed into a SQLAlchemy URL.

    A bare path is a SQLite file (`~` expanded, made absolute); `postgres://` and
    `postgresql://` use the psycopg 3 driver; other URLs are kept as given.

    :param value: a path or a URL.
    """
    value = value.strip()
    if not value:
        raise DatabaseError("database URL is empty")
    if value in {":memory:", "sqlite://", "sqlite:///:memory:"}:
        return "sqlite://"
    if "://" in value and not _SCHEME.match(value):
        raise DatabaseError(f"cannot open database {value}: not a valid URL (expected e.g. sqlite:///path or postgresql://...)")
    if not _SCHEME.match(value):
        return "sqlite:///" + str(Path(value).expanduser().absolute())
    for prefix in ("postgres://", "postgresql://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value[len(prefix):]
    return value


def display_url(url: str | URL) -> str:
    """The URL fit to print: password hidden, SQLite shown as its file path."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except ArgumentError:
        return str(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return parsed.render_as_string(hide_password=True)


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_db_engine(url: str) -> Engine:
    """A SQLAlchemy engine for `url` (already normalised); SQLite gets foreign keys ON."""
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            # wait up to 30 s for another writer, unless the URL says otherwise (?timeout=SECONDS)
            waits = {} if "timeout" in parsed.query else {"timeout": 30}
            engine = create_engine(parsed, connect_args=waits)
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(parsed, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise DatabaseError(f"cannot open database {display_url(url)}: {_first_line(exc)}") from None
    except ImportError as exc:  # the URL names a database whose driver is not installed (mysql://)
        raise DatabaseError(f"cannot open database {display_url(url)}: its driver is not installed "
                            f"({exc.name or exc}); coach works with SQLite and PostgreSQL") from None
    return engine


def _alembic_config(engine: Engine):
    from importlib.resources import files

    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(files("coach.migrations")))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


@dataclass(frozen=True)
class SchemaState:
    current: tuple[str, ...]
    head: str

    @property
    def at_head(self) -> bool:
        return self.current == (self.head,)


class Store:
    """An opened database: hands out units of work and knows its schema revision."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.url = engine.url
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info) -> None:
        self.dispose()

    def __repr__(self) -> str:
        return f"Store({display_url(self.url)!r})"

    @property
    def display_url(self) -> str:
        return display_url(self.url)

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self._sessions)

    def dispose(self) -> None:
        """Close the connections this store holds."""
        self.engine.dispose()

    def current_revisions(self) -> tuple[str, ...]:
        """The revision(s) stored in the database's alembic_version table (empty: a new database).

        Plain SQL, so that checking a database that is already at head does not import Alembic.
        """
        try:
            with self.engine.connect() as conn:
                if not inspect(conn).has_table(VERSION_TABLE):
                    return ()
                rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
        except SQLAlchemyError as exc:
            raise DatabaseError(f"cannot open database {self.display_url}: {_first_line(exc)}") from None
        return tuple(sorted(str(r) for r in rows))

    def schema_state(self) -> SchemaState:
        """The database's current revision(s) and the newest one this coach knows.

        :raises DatabaseError: the database cannot be read, or has a revision this coach does not know
        """
        from coach.migrations import HEAD_REVISION

        current = self.current_revisions()
        if current == (HEAD_REVISION,):
            return SchemaState(current=current, head=HEAD_REVISION)

        from alembic.script import ScriptDirectory

        script = ScriptDirectory.from_config(_alembic_config(self.engine))
        head = script.get_current_head()
        assert head is not None, "coach ships no migrations"
        unknown = [rev for rev in current if _revision_or_none(script, rev) is None]
        if unknown:
            raise DatabaseError(
                f"database {self.display_url} has schema revision {unknown[0]}, newer than this coach "
                f"knows (newest: {head}); upgrade coach to use it"
            )
        return SchemaState(current=current, head=head)

    def upgrade(self, revision: str = "head") -> SchemaState:
        """Upgrade the schema to `revision`; returns the state before the upgrade."""
        before = self.schema_state()
        self._run("upgrade", revision)
        return before

    def downgrade(self, revision: str) -> None:
        """Downgrade the schema to `revision` ("base" drops every table)."""
        self.schema_state()
        self._run("downgrade", revision)

    def _run(self, direction: str, revision: str) -> None:
        from alembic import command

        cfg = _alembic_config(self.engine)
        try:
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                getattr(command, direction)(cfg, revision)
        except SQLAlchemyError as exc:
            raise DatabaseError(
                f"cannot {direction} database {self.display_url}: {_first_line(exc)}"
            ) from None


def _revision_or_none(script, rev: str):
    from alembic.util import CommandError

    try:
        return script.get_revision(rev)
    except CommandError:
        return None


def open_store(db_url: str, *, upgrade: bool = True) -> Store:
    """Open the store at `db_url`, creating or upgrading its schema as needed.

    :param db_url: a SQLAlchemy URL or a path to a SQLite file (the command line resolves the
        default: COACH_DATABASE_URL, then config.toml, then coach.db in the data directory).
    :param upgrade: upgrade an older or empty database to head (False: only check it is
        not newer than this coach knows).
    :raises DatabaseError: with a one-line message when the database cannot be used.
    """
    if db_url is None or not db_url.strip():
        raise DatabaseError("no database given: pass a SQLAlchemy URL or a SQLite file path")
    url = normalize_url(db_url)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"cannot open database {url}: {_first_line(exc)}") from None
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        parent = Path(parsed.database).expanduser().parent
        if not parent.is_dir():
            raise DatabaseError(f"cannot open database {parsed.database}: folder {parent} does not exist")
        private_sqlite(parsed.database)  # health data: owner-only before SQLite creates it
    store = Store(create_db_engine(url))
    try:
        state = store.schema_state()
        if upgrade and not state.at_head:
            store._run("upgrade", "head")
    except BaseException:
        store.dispose()
        raise
    return store
